import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { isRole, Role } from '@klantmonitor/shared/domain';
import { AuthUser, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

export const JWT_ISSUER = 'klantmonitor';
export const JWT_AUDIENCE = 'klantmonitor-api';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  org: string | null;
}

/**
 * The global guard: verifies the bearer token, then the endpoint's @Roles. Deny by default: an
 * endpoint with neither @Public nor @Roles answers 403 (and a test lists every route to catch it).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest();
    request.user = await this.authenticate(request.headers?.authorization);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.length) {
      this.logger.error(`No @Roles on ${context.getClass().name}.${context.getHandler().name}: denied`);
      throw new ForbiddenException('This endpoint is not open to any role');
    }
    if (!roles.includes(request.user.role)) throw new ForbiddenException('Your role may not do this');
    return true;
  }

  async authenticate(header: unknown): Promise<AuthUser> {
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedException('Sign in first: send Authorization: Bearer <token>');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(match[1], {
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        algorithms: ['HS256'],
      });
    } catch {
      throw new UnauthorizedException('The access token is invalid or has expired');
    }
    if (typeof claims.sub !== 'string' || !isRole(claims.role)) {
      throw new UnauthorizedException('The access token is invalid or has expired');
    }
    return { id: claims.sub, role: claims.role, organisationId: claims.org ?? null };
  }
}
