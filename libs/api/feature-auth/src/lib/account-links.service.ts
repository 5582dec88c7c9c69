import { GoneException, Inject, Injectable, NotFoundException, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AttemptLimit, fieldError } from '@klantmonitor/api/core';
import { hashPassword } from '@klantmonitor/server/crypto';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { ACCOUNT_LINK_MINUTES, type AccountLinkPurpose } from '@klantmonitor/shared/domain';
import { passwordProblem } from '@klantmonitor/shared/domain';
import { authRepository } from './auth.repository';

const WINDOW_SECONDS = 15 * 60;
/** Requests for a forgotten-password e-mail: per address, and per e-mail address asked for. */
export const FORGOT_PER_ADDRESS = 10;
export const FORGOT_PER_EMAIL = 3;
/** Unknown tokens per address before that address gets 429 on unknown ones (known ones still work). */
export const UNKNOWN_LINKS_PER_ADDRESS = 20;

/**
 * Invitations and forgotten passwords (docs/api.md): the api asks for a link, the worker makes the
 * token and sends it (libs/worker/feature-accounts), the person sets a password with it here.
 * Single use; 7 days for an invitation, 30 minutes for a reset. Nothing says whether an address is
 * known: a request is answered 202 either way and is limited per address and per e-mail.
 */
@Injectable()
export class AccountLinksService implements OnModuleDestroy {
  private readonly forgotPerAddress: AttemptLimit;
  private readonly forgotPerEmail: AttemptLimit;
  private readonly unknownTokens: AttemptLimit;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const limit = (keyPrefix: string, points: number, what: string) =>
      new AttemptLimit(config.redisUrl, {
        keyPrefix,
        points,
        what,
        windowSeconds: WINDOW_SECONDS,
        connectionName: `klantmonitor-api-${keyPrefix.split(':').pop()}`,
      });
    this.forgotPerAddress = limit('km:rl:forgot:address', FORGOT_PER_ADDRESS, 'Too many requests from this address');
    this.forgotPerEmail = limit('km:rl:forgot:email', FORGOT_PER_EMAIL, 'Too many requests for this e-mail address');
    this.unknownTokens = limit(
      'km:rl:links:unknown',
      UNKNOWN_LINKS_PER_ADDRESS,
      'Too many unknown links from this address',
    );
  }

  /** 202 whatever the address: a known, active account gets an e-mail (by the worker). */
  async forgot(email: string, ip: string, requestId: string): Promise<void> {
    await this.forgotPerAddress.assertAllowed(ip);
    await this.forgotPerEmail.assertAllowed(email);
    await Promise.all([this.forgotPerAddress.failed(ip), this.forgotPerEmail.failed(email)]);
    const known = await authRepository.requestLink(
      this.db.global,
      email,
      'password_reset',
      ACCOUNT_LINK_MINUTES.password_reset,
    );
    // Audited without the address when no account has it (the log is no list of tried addresses).
    await this.db.run({ organisationId: null }, (em) =>
      appendAudit(em, {
        organisationId: null,
        actorUserId: null,
        actorRole: null,
        action: 'auth.password_forgot',
        entityType: 'user',
        requestId,
        details: {
          known,
          ...(known ? { email } : {}),
        },
      }),
    );
  }

  /** Sets the password with a link's token: 404 unknown, 410 used or expired, 400 naming a weak password. */
  async use(
    purpose: AccountLinkPurpose,
    token: string,
    password: string,
    ip: string,
    requestId: string,
  ): Promise<void> {
    const hash = createHash('sha256').update(token).digest();
    const link = await authRepository.linkState(this.db.global, hash, purpose);
    if (!link) {
      // Guessing is counted per address; a known link is never refused by it.
      await this.unknownTokens.assertAllowed(ip);
      await this.unknownTokens.failed(ip);
      throw new NotFoundException({
        message: 'This link is not known',
        details: [{ field: 'token', message: 'unknown' }],
      });
    }
    if (link.state !== 'ok')
      throw new GoneException({
        message: `This link has been ${link.state === 'used' ? 'used' : 'expired'}`,
        details: [{ field: 'token', message: link.state }],
      });
    const problem = passwordProblem(password, link.email);
    if (problem) throw fieldError('password', problem);
    const userId = await authRepository.useLink(this.db.global, hash, purpose, await hashPassword(password));
    if (!userId)
      throw new GoneException({
        message: 'This link has just been used or expired',
        details: [{ field: 'token', message: 'used' }],
      });
    await this.db.run({ organisationId: null }, (em) =>
      appendAudit(em, {
        organisationId: null,
        actorUserId: link.user_id,
        actorRole: null,
        action: purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset',
        entityType: 'user',
        entityId: link.user_id,
        requestId,
      }),
    );
  }

  onModuleDestroy(): void {
    for (const l of [this.forgotPerAddress, this.forgotPerEmail, this.unknownTokens]) l.close();
  }
}
