import {
  CallHandler,
  ExecutionContext,
  Injectable,
  InternalServerErrorException,
  NestInterceptor,
} from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import type { AuthUser } from './auth.decorators';

/**
 * The safety net of @SessionCheckedInTransaction: a route so marked that answered without its
 * transaction having checked the session (a handler that forgot to pass `session` to TenantDb.run)
 * answers 500 instead of its result, and the API test of every marked route shows it. Errors pass
 * through unchanged (a 400 or 404 says nothing a closed session should not hear).
 */
@Injectable()
export class DeferredSessionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user: AuthUser | undefined = context.switchToHttp().getRequest()?.user;
    const deferred = user?.deferredSession;
    if (!deferred) return next.handle();
    return next.handle().pipe(
      tap(() => {
        if (!deferred.checked)
          throw new InternalServerErrorException(
            `${context.getClass().name}.${context.getHandler().name} is marked @SessionCheckedInTransaction but did not check the session`,
          );
      }),
    );
  }
}
