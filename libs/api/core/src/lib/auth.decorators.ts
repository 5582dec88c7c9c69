import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiPublic } from './openapi';
import type { Role } from '@klantmonitor/shared/domain';

export const ROLES_KEY = 'km:roles';
export const PUBLIC_KEY = 'km:public';
export const ENROLMENT_KEY = 'km:enrolment';
export const SESSION_IN_TRANSACTION_KEY = 'km:session-in-transaction';

/**
 * The session of a route marked @SessionCheckedInTransaction: its "still open?" check is made by the
 * route's transaction (TenantDb.run, given as `session` in its scope), in the round trip of its BEGIN.
 */
export interface DeferredSession {
  id: string;
  userId: string;
  /** Set by the transaction once it found the session open. */
  checked: boolean;
  /** What the transaction throws when the session is not open: 401 `session_ended`. */
  ended(): Error;
}

/** The signed-in staff member, from a verified access token. */
export interface AuthUser {
  id: string;
  role: Role;
  /** Null for a platform admin. */
  organisationId: string | null;
  /** The session the token belongs to (user_sessions); sign-out ends it. */
  sessionId?: string;
  /** Two-step verification is required for this account but not set up yet: only that is open. */
  enrolment?: boolean;
  /** On a route marked @SessionCheckedInTransaction: the session check its transaction must make. */
  deferredSession?: DeferredSession;
}

/** Who may call this endpoint. Every endpoint needs either @Roles or @Public: the guard denies the rest. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Open to an account that must still set up two-step verification (its own account page: who am
 * I, set up, turn on). Everything else answers 403 `totp_setup_required` to such a session.
 */
export const AllowDuringEnrolment = () => SetMetadata(ENROLMENT_KEY, true);

/**
 * For the busiest routes (#26, the step update): the guard checks the token, its role and its
 * enrolment as always, but leaves "is the session still open?" to the route's transaction, which asks
 * it in the round trip of its BEGIN, before any work (one round trip less per request). The handler
 * must begin with `db.run({ ..., session: user.deferredSession }, ...)` (or `db.once`) and do
 * nothing before it; `deferredSessionSafetyNet` (deferred-session.ts, run as each answer is sent)
 * answers 500 when one ends without the check.
 */
export const SessionCheckedInTransaction = () => SetMetadata(SESSION_IN_TRANSACTION_KEY, true);

/** Open without a token (sign-in, health, the questionnaire link). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiPublic());

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});

/** The request id (from X-Request-Id or generated) that also appears in the logs. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return String(ctx.switchToHttp().getRequest().id ?? '');
});
