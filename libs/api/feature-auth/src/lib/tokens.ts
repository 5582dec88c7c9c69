import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import type { Role } from '@klantmonitor/shared/domain';
import { AccessTokenClaims, JWT_AUDIENCE, JWT_ISSUER, JWT_QUEUES_AUDIENCE, SessionCheck } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SessionsRepository } from './sessions.repository';

/** The queue dashboard's cookie lives at most this long (and never past its session). */
export const QUEUE_COOKIE_SECONDS = 15 * 60;

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  sessionId: string;
  /** Only for platform admins: the read-only queue dashboard's own credential. */
  queueToken?: string;
  queueExpiresIn?: number;
}

/**
 * Opens a session and signs its tokens. Every access token names its session (claim `sid`), which
 * the global guard checks on each request: sign-out ends one session; a change to the account
 * ends them all (database trigger), and the caller that made the change gets a fresh one here.
 */
@Injectable()
export class Tokens implements SessionCheck {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `enrol`: the account must still set up a required second factor (AllowDuringEnrolment). */
  async issue(
    user: { id: string; role: Role; organisationId: string | null },
    em?: EntityManager,
    enrol = false,
  ): Promise<IssuedTokens> {
    const ttl = this.config.jwt.ttlSeconds;
    const sessionId = await this.sessions.start(user.id, ttl, em);
    if (!sessionId) throw new ServiceUnavailableException('The session could not be started; try again');
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      org: user.organisationId,
      sid: sessionId,
      ...(enrol ? { enrol: true } : {}),
    };
    const accessToken = await this.jwt.signAsync(claims, {
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: ttl,
    });
    if (user.role !== 'platform_admin' || enrol) return { accessToken, expiresIn: ttl, sessionId };
    const queueExpiresIn = Math.min(ttl, QUEUE_COOKIE_SECONDS);
    const queueToken = await this.jwt.signAsync(claims, {
      issuer: JWT_ISSUER,
      audience: JWT_QUEUES_AUDIENCE,
      expiresIn: queueExpiresIn,
    });
    return {
      accessToken,
      expiresIn: ttl,
      sessionId,
      queueToken,
      queueExpiresIn,
    };
  }

  /**
   * Must this account use a second factor? Platform admins in production always (config), others
   * when their organisation or the platform requires it for their role.
   */
  async totpRequired(user: { id: string; role: Role }): Promise<boolean> {
    if (user.role === 'platform_admin') return this.config.platformAdminTotpRequired;
    return this.sessions.totpRequiredByPolicy(user.id);
  }

  isOpen(sessionId: string, userId: string): Promise<boolean> {
    return this.sessions.isOpen(sessionId, userId);
  }

  end(sessionId: string, userId: string): Promise<boolean> {
    return this.sessions.end(sessionId, userId);
  }
}
