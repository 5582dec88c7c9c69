import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { SESSION_IN_TRANSACTION_KEY, SessionCheckedInTransaction, type AuthUser } from './auth.decorators';
import { deferredSessionSafetyNet, type DeferredSessionReply } from './deferred-session';

describe('deferredSessionSafetyNet (the safety net of @SessionCheckedInTransaction, on every answer sent)', () => {
  const deferred = (checked: boolean) => ({ id: 's', userId: 'u', checked, ended: () => new Error('ended') });
  const request = (user: Partial<AuthUser> | undefined) => ({
    user,
    method: 'POST',
    url: '/api/v1/trajectories/7/steps?x=1',
    routeOptions: { url: '/api/v1/trajectories/:id/steps' },
  });
  const reply = (statusCode = 200) => {
    const headers: Record<string, string> = {};
    const r: DeferredSessionReply & { headers: Record<string, string> } = {
      statusCode,
      headers,
      code(status: number) {
        r.statusCode = status;
        return r;
      },
      header(name: string, value: string) {
        headers[name] = value;
        return r;
      },
    };
    return r;
  };
  const payload = JSON.stringify({ ok: true });

  it('passes the answer of a route whose transaction checked the session', () => {
    const log = jest.fn();
    const r = reply(201);
    expect(deferredSessionSafetyNet(request({ deferredSession: deferred(true) }), r, payload, log)).toBe(payload);
    expect(r.statusCode).toBe(201);
    expect(log).not.toHaveBeenCalled();
  });

  it('turns the answer of a marked route that never checked into a 500 naming the route, and logs it', () => {
    const log = jest.fn();
    const r = reply(200);
    const sent = deferredSessionSafetyNet(request({ deferredSession: deferred(false) }), r, payload, log);
    const message =
      'POST /api/v1/trajectories/:id/steps is marked @SessionCheckedInTransaction but did not check the session';
    expect(r.statusCode).toBe(500);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(String(sent))).toEqual({ statusCode: 500, error: 'Internal Server Error', message });
    expect(log).toHaveBeenCalledWith(message);
  });

  it('lets errors of a marked route through unchanged (a 400 or 404 says nothing a closed session should not hear)', () => {
    const log = jest.fn();
    const r = reply(404);
    expect(deferredSessionSafetyNet(request({ deferredSession: deferred(false) }), r, 'not found', log)).toBe(
      'not found',
    );
    expect(r.statusCode).toBe(404);
    expect(log).not.toHaveBeenCalled();
  });

  it('leaves routes without a deferred session alone (their guard checked it)', () => {
    const log = jest.fn();
    for (const user of [{ id: 'u' }, undefined]) {
      const r = reply(200);
      expect(deferredSessionSafetyNet(request(user), r, payload, log)).toBe(payload);
      expect(r.statusCode).toBe(200);
    }
    expect(log).not.toHaveBeenCalled();
  });
});

describe('@SessionCheckedInTransaction', () => {
  it('marks the route for the guard only, with no interceptor (no rxjs chain per request)', () => {
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
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, Routes.prototype.marked)).toBeUndefined();
    expect(Reflect.getMetadata(SESSION_IN_TRANSACTION_KEY, Routes.prototype.plain)).toBeUndefined();
  });
});
