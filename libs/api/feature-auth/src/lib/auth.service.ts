import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { MeResponse, Role } from '@klantmonitor/shared/domain';
import { AuthUser } from '@klantmonitor/api/core';
import { verifyAgainstDummy, verifyPassword } from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { LoginDto } from './dto/login.dto';
import { LoginRateLimit } from './login-rate-limit';
import { IssuedTokens, Tokens } from './tokens';
import { TotpService } from './totp.service';
import { isRecoveryCode } from './recovery-codes';
import { authRepository } from './auth.repository';
import { completeSignIn } from './sign-in';

/** One message for a wrong password and an unknown e-mail, so neither reveals the other. */
const BAD_CREDENTIALS = 'E-mail address or password is incorrect';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: TenantDb,
    private readonly tokens: Tokens,
    private readonly rateLimit: LoginRateLimit,
    private readonly totp: TotpService,
  ) {}

  async login(dto: LoginDto, ip: string, requestId: string): Promise<IssuedTokens & { role: Role }> {
    const email = dto.email.toLowerCase();
    await this.rateLimit.consume(ip, email);
    // SSO only: the organisation's provider decides who signs in (a leaver disabled there is out);
    // its addresses have no password here. The sign-in page sends them to their organisation.
    if (await authRepository.ssoOnlyEmail(this.db.global, email)) {
      await this.db.run({ organisationId: null }, (em) =>
        appendAudit(em, {
          organisationId: null,
          actorUserId: null,
          actorRole: null,
          action: 'auth.login_failed',
          requestId,
          details: { ip, reason: 'sso_only' },
        }),
      );
      throw new UnauthorizedException({
        message: "This address signs in with its organisation's own sign-in (single sign-on), not with a password",
        code: 'sso_only',
      });
    }

    const user = await authRepository.userByEmail(this.db.global, email);
    const ok = user ? await verifyPassword(user.password_hash, dto.password) : await verifyAgainstDummy(dto.password);
    // With a second factor on, the password alone is not enough: the code is asked for (and only
    // after a right password, so the question reveals nothing a wrong password would not).
    const secondFactor = !!(user && ok && !user.disabled_at && user.totp_enabled_at && user.totp_secret);
    const totpOk =
      secondFactor &&
      dto.totp !== undefined &&
      (await this.totp.verifyAtLogin(user.id, user.organisation_id, user.totp_secret as Buffer, dto.totp));
    if (!user || !ok || user.disabled_at || (user.totp_enabled_at && !totpOk)) {
      await this.db.run({ organisationId: user?.organisation_id ?? null }, (em) =>
        appendAudit(em, {
          organisationId: user?.organisation_id ?? null,
          actorUserId: user?.id ?? null,
          actorRole: user?.role ?? null,
          action: 'auth.login_failed',
          requestId,
          details: {
            ip,
            reason: !user
              ? 'unknown_email'
              : !ok
                ? 'wrong_password'
                : user.disabled_at
                  ? 'disabled'
                  : dto.totp
                    ? 'totp_wrong'
                    : 'totp_required',
          },
        }),
      );
      if (secondFactor)
        throw new UnauthorizedException({
          message: dto.totp
            ? 'The code is not right (or was used already); enter the code your app shows now'
            : 'Enter the code from your authenticator app',
          details: [{ field: 'totp', message: dto.totp ? 'is not right' : 'is required for this account' }],
        });
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }

    await this.rateLimit.reset(ip, email);
    // A required second factor that is not set up yet: a session for setting it up, nothing else.
    const enrol = !user.totp_enabled_at && (await this.tokens.totpRequired({ id: user.id, role: user.role }));
    const issued = await completeSignIn(
      this.db,
      this.tokens,
      user,
      requestId,
      { ip, ...(dto.totp && isRecoveryCode(dto.totp) ? { recoveryCode: true } : {}) },
      enrol,
    );
    return { ...issued, role: user.role };
  }

  /** Sign-out: ends the session of this token (its next use, and the queue cookie's, is 401). */
  async logout(user: AuthUser, requestId: string): Promise<void> {
    if (!user.sessionId) return;
    if (!(await this.tokens.end(user.sessionId, user.id))) return;
    await this.db.run({ organisationId: user.organisationId }, (em) =>
      appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'auth.logout',
        requestId,
        details: { session: user.sessionId },
      }),
    );
  }

  async me(current: AuthUser): Promise<MeResponse> {
    const user = await authRepository.userById(this.db.global, current.id);
    if (!user || user.disabled_at) throw new UnauthorizedException('This account no longer exists');
    let organisation: MeResponse['organisation'] = null;
    if (user.organisation_id) {
      organisation = await this.db.run({ organisationId: user.organisation_id }, async (em) => {
        const org = await authRepository.organisationOf(em, user.organisation_id as string);
        if (!org) throw new NotFoundException('Organisation not found');
        return org;
      });
    }
    const me = { id: user.id, organisationId: user.organisation_id };
    const totpEnabled = await this.totp.enabled(me);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organisation,
      totpEnabled,
      totpRequired: await this.tokens.totpRequired({ id: user.id, role: user.role }),
      ...(totpEnabled ? { recoveryCodesLeft: await this.totp.recoveryCodesLeft(me) } : {}),
    };
  }
}
