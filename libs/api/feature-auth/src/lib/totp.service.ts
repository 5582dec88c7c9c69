import { ConflictException, Inject, Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import type {
  TotpSetupResponse,
  TotpStatusResponse,
} from '@klantmonitor/shared/domain';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import {
  newTotpSecret,
  SecretBox,
  totpStep,
  totpUri,
} from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';

interface TotpState {
  secret: Buffer | null;
  enabled_at: Date | null;
}

/** Body of enable/disable: exactly `{totp: "123456"}`. */
export function parseCode(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw fieldError('body', 'must be a JSON object like {"totp": "123456"}');
  const unknown = Object.keys(body).find((k) => k !== 'totp');
  if (unknown !== undefined)
    throw fieldError(unknown, 'is not a field of this request');
  const code = (body as { totp?: unknown }).totp;
  if (code === undefined) throw fieldError('totp', 'is required');
  if (typeof code !== 'string' || !/^\d{6}$/.test(code))
    throw fieldError('totp', 'must be six digits');
  return code;
}

/**
 * A staff member's second factor: set up (a new secret, shown once as text and QR code), turned on
 * by a first right code, checked at sign-in, turned off with a right code. Secrets are stored with
 * the data key (AES-256-GCM); every code is accepted once only (its time step is kept).
 */
@Injectable()
export class TotpService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  async enabled(userId: string): Promise<boolean> {
    return (await this.state(userId))?.enabled_at != null;
  }

  async setup(
    user: AuthUser,
    email: string,
    requestId: string,
  ): Promise<TotpSetupResponse> {
    const secret = newTotpSecret();
    const stored = await this.db.run(
      { organisationId: user.organisationId },
      async (em) => {
        const [r]: { km_auth_totp_store: boolean | null }[] = await em.query(
          'SELECT km_auth_totp_store($1, $2)',
          [user.id, this.box.seal(secret)],
        );
        if (!r?.km_auth_totp_store) return false;
        await this.audit(em, user, 'auth.totp_setup', requestId);
        return true;
      },
    );
    if (!stored)
      throw new ConflictException(
        'Two-step verification is on already; turn it off first to set up another app',
      );
    const otpauthUrl = totpUri(secret, email);
    return {
      secret,
      otpauthUrl,
      qrCode: await QRCode.toDataURL(otpauthUrl, {
        errorCorrectionLevel: 'M',
        margin: 2,
        width: 240,
      }),
    };
  }

  async enable(
    user: AuthUser,
    body: unknown,
    requestId: string,
  ): Promise<TotpStatusResponse> {
    const code = parseCode(body);
    const state = await this.state(user.id);
    if (!state?.secret)
      throw new ConflictException(
        'Set up two-step verification first (POST /auth/totp/setup)',
      );
    if (state.enabled_at) return { totpEnabled: true };
    await this.accept(
      user,
      state.secret,
      code,
      true,
      'auth.totp_enabled',
      requestId,
    );
    return { totpEnabled: true };
  }

  async disable(
    user: AuthUser,
    body: unknown,
    requestId: string,
  ): Promise<TotpStatusResponse> {
    const code = parseCode(body);
    const state = await this.state(user.id);
    if (!state?.enabled_at || !state.secret)
      throw new ConflictException('Two-step verification is not on');
    await this.accept(
      user,
      state.secret,
      code,
      false,
      'auth.totp_disabled',
      requestId,
      true,
    );
    return { totpEnabled: false };
  }

  /** At sign-in: is this code right and unused for the user's secret? (Accepting it uses it up.) */
  async verifyAtLogin(
    userId: string,
    sealed: Buffer,
    code: string,
  ): Promise<boolean> {
    const step = totpStep(this.box.open(sealed), code);
    if (step === null) return false;
    const [r]: { km_auth_totp_accept: boolean | null }[] =
      await this.db.global.query('SELECT km_auth_totp_accept($1, $2, false)', [
        userId,
        step,
      ]);
    return r?.km_auth_totp_accept === true;
  }

  private async state(userId: string): Promise<TotpState | undefined> {
    const [s]: TotpState[] = await this.db.global.query(
      'SELECT secret, enabled_at FROM km_auth_totp_state($1)',
      [userId],
    );
    return s;
  }

  private async accept(
    user: AuthUser,
    sealed: Buffer,
    code: string,
    enable: boolean,
    action: string,
    requestId: string,
    remove = false,
  ): Promise<void> {
    const step = totpStep(this.box.open(sealed), code);
    if (step === null)
      throw fieldError('totp', 'is not the code your app shows now');
    await this.db.run({ organisationId: user.organisationId }, async (em) => {
      const [r]: { km_auth_totp_accept: boolean | null }[] = await em.query(
        'SELECT km_auth_totp_accept($1, $2, $3)',
        [user.id, step, enable],
      );
      if (!r?.km_auth_totp_accept)
        throw fieldError('totp', 'was used already; wait for the next code');
      if (remove) await em.query('SELECT km_auth_totp_remove($1)', [user.id]);
      await this.audit(em, user, action, requestId);
    });
  }

  private audit(
    em: Parameters<typeof appendAudit>[0],
    user: AuthUser,
    action: string,
    requestId: string,
  ) {
    return appendAudit(em, {
      organisationId: user.organisationId,
      actorUserId: user.id,
      actorRole: user.role,
      action,
      entityType: 'user',
      entityId: user.id,
      requestId,
    });
  }
}
