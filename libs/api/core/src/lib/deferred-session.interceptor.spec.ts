import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { SESSION_IN_TRANSACTION_KEY, SessionCheckedInTransaction, type AuthUser } from './auth.decorators';
import { DeferredSessionInterceptor } from './deferred-session.interceptor';

describe('DeferredSessionInterceptor (the safety net of @SessionCheckedInTransaction)', () => {
  const context = (user: Partial<AuthUser> | undefined) =>
    ({
      switchToHttp: () => ({ getRequest: () => ({ user }) }),
      getClass: () => ({ name: 'StepsController' }),
      getHandler: () => ({ name: 'markStep' }),
    }) as unknown as ExecutionContext;
  const handler: CallHandler = { handle: () => of({ ok: true }) };
  const deferred = (checked: boolean) => ({ id: 's', userId: 'u', checked, ended: () => new Error('ended') });

  it('passes the answer of a route whose transaction checked the session', async () => {
    const i = new DeferredSessionInterceptor();
    await expect(lastValueFrom(i.intercept(context({ deferredSession: deferred(true) }), handler))).resolves.toEqual({
      ok: true,
    });
  });

  it('turns the answer of a marked route that never checked into a 500 naming the handler', async () => {
    const i = new DeferredSessionInterceptor();
    await expect(lastValueFrom(i.intercept(context({ deferredSession: deferred(false) }), handler))).rejects.toThrow(
      'StepsController.markStep is marked @SessionCheckedInTransaction but did not check the session',
    );
  });

  it('leaves routes without a deferred session alone (their guard checked it)', async () => {
    const i = new DeferredSessionInterceptor();
    await expect(lastValueFrom(i.intercept(context({ id: 'u' }), handler))).resolves.toEqual({ ok: true });
    await expect(lastValueFrom(i.intercept(context(undefined), handler))).resolves.toEqual({ ok: true });
  });
});

describe('@SessionCheckedInTransaction', () => {
  it('marks the route for the guard and puts the safety net on that route only', () => {
    class Routes {
      @SessionCheckedInTransaction()
      marked() {
        return 1;
      }
      plain() {
        return 2;
      }
    }
    expect(Reflect.getMetadata(SESSION_IN_TRANSACTION_KEY, Routes.prototype.marked)).toBe(true);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, Routes.prototype.marked)).toEqual([DeferredSessionInterceptor]);
    expect(Reflect.getMetadata(SESSION_IN_TRANSACTION_KEY, Routes.prototype.plain)).toBeUndefined();
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, Routes.prototype.plain)).toBeUndefined();
  });
});
