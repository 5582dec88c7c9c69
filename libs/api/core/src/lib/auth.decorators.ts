import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiPublic } from './openapi';
import type { Role } from '@klantmonitor/shared/domain';

export const ROLES_KEY = 'km:roles';
export const PUBLIC_KEY = 'km:public';
export const ENROLMENT_KEY = 'km:enrolment';

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
}

/** Who may call this endpoint. Every endpoint needs either @Roles or @Public: the guard denies the rest. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Open to an account that must still set up two-step verification (its own account page: who am
 * I, set up, turn on). Everything else answers 403 `totp_setup_required` to such a session.
 */
export const AllowDuringEnrolment = () => SetMetadata(ENROLMENT_KEY, true);

/** Open without a token (sign-in, health, the questionnaire link). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiPublic());

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});

/** The request id (from X-Request-Id or generated) that also appears in the logs. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return String(ctx.switchToHttp().getRequest().id ?? '');
});
