import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import QRCode from 'qrcode';
import type { TotpSetupResponse, TotpStatusResponse } from '@klantmonitor/shared/domain';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { newTotpSecret, SecretBox, totpStep, totpUri } from '@klantmonitor/server/crypto';
import { TenantDb } from '@klantmonitor/server/db';
import { TotpDisableDto, TotpEnableDto, TotpSetupDto } from './dto/totp.dto';
import { TotpCodeLimit } from './login-rate-limit';
import { checkOwnPassword } from './credentials';
import { auditOwnAccount } from './own-account-audit';
import { Tokens } from './tokens';
import { authRepository } from './auth.repository';
import { isRecoveryCode, matchRecoveryCode, RECOVERY_CODES, newRecoveryCode, recoveryHash } from './recovery-codes';

interface TotpState {
  secret: Buffer | null;
  enabled_at: Date | null;
}

/**
 * A staff member's second factor: set up (a new secret, shown once as text and QR code) after the
 * password, turned on by a first right code, checked at sign-in, turned off with the password and
 * a right code. Secrets are stored with the data key (AES-256-GCM); every code is accepted once
 * only (its time step is kept); wrong codes are limited per account, whatever the address
 * (TotpCodeLimit), and every check is audited. Turning it on or off ends every session of the
 * account (database trigger); the caller gets a fresh token in the answer.
 */
@Injectable()
export class TotpService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: TenantDb,
    private readonly tokens: Tokens,
    private readonly limit: TotpCodeLimit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  async enabled(user: { id: string; organisationId: string | null }): Promise<boolean> {
    return (await this.state(user))?.enabled_at != null;
  }

  async setup(user: AuthUser, dto: TotpSetupDto, requestId: string): Promise<TotpSetupResponse> {
    await this.limit.assertAllowed(user.id);
    const email = await this.checkPassword(user, dto.password, requestId);
    const secret = newTotpSecret();
    const stored = await this.db.run({ organisationId: user.organisationId }, async (em) => {
      if (!(await authRepository.storeTotp(em, user.id, this.box.seal(secret)))) return false;
      await auditOwnAccount(em, user, 'auth.totp_setup', requestId);
      return true;
    });
    if (!stored)
      throw new ConflictException('Two-step verification is on already; turn it off first to set up another app');
    const otpauthUrl = totpUri(secret, email);
    return {
      secret,
      otpauthUrl,
      qrCode: await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
    };
  }

  async enable(user: AuthUser, dto: TotpEnableDto, requestId: string): Promise<TotpStatusResponse> {
    await this.limit.assertAllowed(user.id);
    const state = await this.state(user);
    if (!state?.secret) throw new ConflictException('Set up two-step verification first (POST /auth/totp/setup)');
    if (state.enabled_at) return { totpEnabled: true };
    return this.accept(user, state.secret, dto.totp, 'enable', requestId);
  }

  async disable(user: AuthUser, dto: TotpDisableDto, requestId: string): Promise<TotpStatusResponse> {
    await this.limit.assertAllowed(user.id);
    await this.checkPassword(user, dto.password, requestId);
    const state = await this.state(user);
    if (!state?.enabled_at || !state.secret) throw new ConflictException('Two-step verification is not on');
    if (await this.tokens.totpRequired(user))
      throw new ConflictException({
        message: 'Two-step verification is required for your role and stays on',
        code: 'totp_required',
      });
    return this.accept(user, state.secret, dto.totp, 'disable', requestId);
  }

  /**
   * At sign-in, after a right password: is this code right and unused for the user's secret?
   * (Accepting it uses it up.) 429 once the account has had too many wrong codes.
   */
  async verifyAtLogin(userId: string, organisationId: string | null, sealed: Buffer, code: string): Promise<boolean> {
    await this.limit.assertAllowed(userId);
    if (isRecoveryCode(code)) {
      const used = await this.db.run({ organisationId }, async (em) => {
        const match = await matchRecoveryCode(code, await authRepository.unusedRecoveryHashes(em, userId));
        return match !== null && (await authRepository.useRecoveryCode(em, userId, match));
      });
      if (!used) await this.limit.wrong(userId);
      return used;
    }
    const step = totpStep(this.box.open(sealed), code);
    // In the user's own organisation: the function checks it (least privilege, #11).
    const ok =
      step !== null &&
      (await this.db.run({ organisationId }, (em) => authRepository.acceptTotp(em, userId, step, false)));
    if (!ok) await this.limit.wrong(userId);
    return ok;
  }

  /** A new set of recovery codes (the old ones stop working), after the password; shown once. */
  async newRecoveryCodes(user: AuthUser, dto: TotpSetupDto, requestId: string): Promise<{ recoveryCodes: string[] }> {
    await this.limit.assertAllowed(user.id);
    await this.checkPassword(user, dto.password, requestId);
    const codes = await this.db.run({ organisationId: user.organisationId }, async (em) => {
      const stored = await this.storeRecoveryCodes(em, user.id);
      if (stored) await auditOwnAccount(em, user, 'auth.recovery_codes_renewed', requestId);
      return stored;
    });
    if (!codes) throw new ConflictException('Two-step verification is not on');
    return { recoveryCodes: codes };
  }

  /** How many recovery codes are left (for the account page). */
  async recoveryCodesLeft(user: { id: string; organisationId: string | null }): Promise<number> {
    return this.db.run({ organisationId: user.organisationId }, (em) => authRepository.recoveryCodesLeft(em, user.id));
  }

  private async storeRecoveryCodes(em: EntityManager, userId: string): Promise<string[] | null> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    const stored = await authRepository.storeRecoveryCodes(em, userId, await Promise.all(codes.map(recoveryHash)));
    return stored === RECOVERY_CODES ? codes : null;
  }

  private async state(user: { id: string; organisationId: string | null }): Promise<TotpState | undefined> {
    return this.db.run({ organisationId: user.organisationId }, (em) => authRepository.totpState(em, user.id));
  }

  /** The account's password, checked again; a wrong one counts as a wrong code and is audited. Returns the e-mail. */
  private async checkPassword(user: AuthUser, password: string, requestId: string): Promise<string> {
    const ok = await checkOwnPassword(this.db, user.id, password);
    if (ok) return ok.email;
    await this.limit.wrong(user.id);
    await this.db.run({ organisationId: user.organisationId }, (em) =>
      auditOwnAccount(em, user, 'auth.totp_password_wrong', requestId),
    );
    throw fieldError('password', 'is not your current password');
  }

  private async accept(
    user: AuthUser,
    sealed: Buffer,
    code: string,
    change: 'enable' | 'disable',
    requestId: string,
  ): Promise<TotpStatusResponse> {
    const step = totpStep(this.box.open(sealed), code);
    const result = await this.db.run({ organisationId: user.organisationId }, async (em) => {
      if (step === null || !(await authRepository.acceptTotp(em, user.id, step, change === 'enable'))) return null;
      if (change === 'disable') await authRepository.removeTotp(em, user.id);
      await auditOwnAccount(em, user, change === 'enable' ? 'auth.totp_enabled' : 'auth.totp_disabled', requestId);
      // Ten single-use codes for a lost phone, shown this once (only their hashes are kept).
      const recoveryCodes = change === 'enable' ? await this.storeRecoveryCodes(em, user.id) : undefined;
      // The change ended every session of this account (trigger); this caller continues in a new one.
      const fresh = await this.tokens.issue(user, em);
      return {
        totpEnabled: change === 'enable',
        accessToken: fresh.accessToken,
        expiresIn: fresh.expiresIn,
        ...(recoveryCodes ? { recoveryCodes } : {}),
      };
    });
    if (result) return result;
    await this.limit.wrong(user.id);
    await this.db.run({ organisationId: user.organisationId }, (em) =>
      auditOwnAccount(em, user, 'auth.totp_code_wrong', requestId, { change }),
    );
    throw step === null
      ? fieldError('totp', 'is not the code your app shows now')
      : fieldError('totp', 'was used already; wait for the next code');
  }
}
