import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { isRole, Role } from '@klantmonitor/shared/domain';
import { AuthUser, ENROLMENT_KEY, PUBLIC_KEY, ROLES_KEY, SESSION_IN_TRANSACTION_KEY } from './auth.decorators';
import { VerifiedTokens } from './verified-tokens';

export const JWT_ISSUER = 'klantmonitor';
export const JWT_AUDIENCE = 'klantmonitor-api';
/** The queue dashboard's own cookie credential: not accepted by the API, and vice versa. */
export const JWT_QUEUES_AUDIENCE = 'klantmonitor-queues';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  org: string | null;
  /** Session id (user_sessions): the token is good only while that session is open. */
  sid: string;
  /** Set while a required second factor is not set up yet (AllowDuringEnrolment). */
  enrol?: boolean;
  /** Expiry, seconds since 1970 (set by the signer). */
  exp?: number;
}

/** Whether a session is still open; provided by the feature that owns the sessions (feature-auth). */
export const SESSION_CHECK = Symbol('SESSION_CHECK');
export interface SessionCheck {
  isOpen(sessionId: string, userId: string): Promise<boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENDED = { message: 'This session has ended; sign in again', code: 'session_ended' };

/**
 * The global guard: verifies the bearer token, then the endpoint's @Roles. Deny by default: an
 * endpoint with neither @Public nor @Roles answers 403 (and a test lists every route to catch it).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);
  /** Tokens already verified, until their expiry (verified-tokens.ts says what a hit skips). */
  private readonly verified = new VerifiedTokens<AccessTokenClaims>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(SESSION_CHECK) private readonly sessions: SessionCheck,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const deferSessionCheck = this.reflector.getAllAndOverride<boolean>(SESSION_IN_TRANSACTION_KEY, targets) === true;
    request.user = await this.authenticate(request.headers?.authorization, JWT_AUDIENCE, deferSessionCheck);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.length) {
      this.logger.error(`No @Roles on ${context.getClass().name}.${context.getHandler().name}: denied`);
      throw new ForbiddenException('This endpoint is not open to any role');
    }
    if (!roles.includes(request.user.role)) throw new ForbiddenException('Your role may not do this');
    if (request.user.enrolment && !this.reflector.getAllAndOverride<boolean>(ENROLMENT_KEY, targets)) {
      throw new ForbiddenException({
        message: 'Set up two-step verification first: your organisation requires it for your role',
        code: 'totp_setup_required',
      });
    }
    return true;
  }

  /**
   * The user of a bearer token: signature, issuer, audience (the API's, unless another is named)
   * and expiry, then its session, which must still be open (fails closed: without the database
   * the request fails too). With `deferSessionCheck` (routes marked @SessionCheckedInTransaction) the
   * session is not asked here: the user carries it as `deferredSession` for the route's transaction.
   */
  async authenticate(header: unknown, audience = JWT_AUDIENCE, deferSessionCheck = false): Promise<AuthUser> {
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedException('Sign in first: send Authorization: Bearer <token>');
    const token = match[1];
    let claims = this.verified.get(token, audience, Math.floor(Date.now() / 1000));
    if (!claims) {
      try {
        claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
          issuer: JWT_ISSUER,
          audience,
          algorithms: ['HS256'],
        });
      } catch {
        throw new UnauthorizedException('The access token is invalid or has expired');
      }
      this.verified.set(token, audience, claims);
    }
    if (
      typeof claims.sub !== 'string' ||
      !UUID.test(claims.sub) ||
      !isRole(claims.role) ||
      typeof claims.sid !== 'string' ||
      !UUID.test(claims.sid)
    ) {
      throw new UnauthorizedException('The access token is invalid or has expired');
    }
    if (!deferSessionCheck && !(await this.sessions.isOpen(claims.sid, claims.sub)))
      throw new UnauthorizedException(ENDED);
    return {
      id: claims.sub,
      role: claims.role,
      organisationId: claims.org ?? null,
      sessionId: claims.sid,
      ...(claims.enrol ? { enrolment: true } : {}),
      ...(deferSessionCheck
        ? {
            deferredSession: {
              id: claims.sid,
              userId: claims.sub,
              checked: false,
              ended: () => new UnauthorizedException(ENDED),
            },
          }
        : {}),
    };
  }
}
