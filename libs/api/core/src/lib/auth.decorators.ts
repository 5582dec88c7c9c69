import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@klantmonitor/shared/domain';

export const ROLES_KEY = 'km:roles';
export const PUBLIC_KEY = 'km:public';

/** The signed-in staff member, from a verified access token. */
export interface AuthUser {
  id: string;
  role: Role;
  /** Null for a platform admin. */
  organisationId: string | null;
  /** The session the token belongs to (user_sessions); sign-out ends it. */
  sessionId?: string;
}

/** Who may call this endpoint. Every endpoint needs either @Roles or @Public: the guard denies the rest. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Open without a token (sign-in, health, the questionnaire link). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});

/** The request id (from X-Request-Id or generated) that also appears in the logs. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return String(ctx.switchToHttp().getRequest().id ?? '');
});
