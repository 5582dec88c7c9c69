import { BadRequestException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { issuerProblemResolved, pinnedFetch } from '@klantmonitor/api/core';
import { createHash, randomBytes } from 'node:crypto';
import type * as Oidc from 'openid-client';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { authRepository, type SsoOfOrganisation } from './auth.repository';
import { OidcRateLimit } from './login-rate-limit';
import { isRecoveryCode } from './recovery-codes';
import { completeSignIn } from './sign-in';
import { IssuedTokens, Tokens } from './tokens';
import { TotpService } from './totp.service';

/** How long the one-time code of a finished sign-in may wait for the dashboard (seconds). */
export const SSO_CODE_SECONDS = 60;
/** The cookie that binds a sign-in's state to the browser that started it. */
export const OIDC_BROWSER_COOKIE = 'km_oidc';
export const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const random = () => randomBytes(32).toString('base64url');
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Why a sign-in through the provider was refused: the sign-in page says each in plain words. */
export type SsoRefusal =
  | 'state_unknown'
  | 'state_used'
  | 'state_expired'
  | 'other_browser'
  | 'provider_error'
  | 'token_rejected'
  | 'email_unverified'
  | 'domain'
  | 'subject'
  | 'unknown_account'
  | 'inactive_account'
  | 'other_organisation';

/** `amr` values that name a second factor (RFC 8176): multi-factor, one-time code, hardware or software key. */
export const MFA_AMR = ['mfa', 'otp', 'hwk', 'swk'];

/** How long a failing provider is left alone before discovery is tried again. */
const DISCOVERY_RETRY_MS = 60_000;

/** The answer of the exchange: a session, or "now the code of your app". */
export type ExchangeResult = { issued: IssuedTokens } | { totpRequired: true };

// ESM-only: loaded once, on first use (Node's require(esm) in the built api, an import in tests).
let oidcModule: Promise<typeof Oidc> | null = null;
const oidc = () => (oidcModule ??= import('openid-client'));

/**
 * Single sign-on with an organisation's OpenID provider (docs/api.md "Single sign-on", docs/security.md
 * "Sign-in identity"): authorization code flow with PKCE through `openid-client` (certified). `start`
 * remembers state, nonce and verifier server-side, bound to the browser by a cookie secret;
 * `callback` takes the state once, lets openid-client check the code exchange, the ID token's
 * signature against the provider's JWKS, issuer, audience, nonce and expiry, then accepts only an
 * existing, active staff account of that organisation whose address is of one of its SSO domains,
 * with a verified e-mail, bound to the provider's user (iss + sub) or not bound yet. The browser gets
 * a one-time code, bound to it, exchanged for the usual access token; an account with a second
 * factor gives its code first (unless the organisation trusts its provider's multi-factor and the
 * token says one was done). Every refusal is audited and named for the page.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private readonly box: SecretBox;
  private readonly configs = new Map<string, { at: number; config: Oidc.Configuration }>();
  private readonly failures = new Map<string, { at: number; error: unknown }>();

  constructor(
    private readonly db: TenantDb,
    private readonly tokens: Tokens,
    private readonly totp: TotpService,
    private readonly limit: OidcRateLimit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  private get redirectUri(): string {
    return `${this.config.publicUrl}/api/v1/auth/oidc/callback`;
  }

  /** Whether this e-mail address signs in with its organisation's provider, and only so. */
  async check(email: string): Promise<{ sso: boolean; ssoOnly: boolean }> {
    const sso = await authRepository.ssoByDomain(this.db.global, domainOf(email));
    return { sso: sso !== null, ssoOnly: sso?.ssoOnly ?? false };
  }

  /**
   * Discovery once per provider and 10 minutes (keys rotate; openid-client refetches JWKS itself). The
   * issuer is checked again before (its name may resolve elsewhere since it was saved); a failing
   * provider is tried again after a minute at the earliest, not on every sign-in.
   */
  private async client(sso: {
    issuer: string;
    clientId: string;
    clientSecretEnc: Buffer;
  }): Promise<Oidc.Configuration> {
    // A new secret (the organisation's admin changes it) is a new client: not the cached one.
    const key = `${sso.issuer} ${sso.clientId} ${sha256(sso.clientSecretEnc.toString('base64')).toString('base64')}`;
    const known = this.configs.get(key);
    if (known && Date.now() - known.at < 600_000) return known.config;
    const failed = this.failures.get(key);
    if (failed && Date.now() - failed.at < DISCOVERY_RETRY_MS) throw failed.error;
    try {
      const problem = await issuerProblemResolved(sso.issuer, this.config.ssoLoopbackIssuer);
      if (problem) throw new Error(`issuer ${problem}`);
      const lib = await oidc();
      const issuer = new URL(sso.issuer);
      const config = await lib.discovery(issuer, sso.clientId, this.box.open(sso.clientSecretEnc), undefined, {
        // Every request to the provider connects only to addresses that were checked (no DNS rebinding).
        [lib.customFetch]: pinnedFetch(this.config.ssoLoopbackIssuer) as Oidc.CustomFetch,
        // Plain http only for the development setting's loopback provider (issuerProblem allows no other).
        ...(issuer.protocol === 'http:' ? { execute: [lib.allowInsecureRequests] } : {}),
      });
      // The ID token's signature is checked against the provider's JWKS too (openid-client leaves it
      // to TLS by default for a token from the token endpoint; we do not rely on that alone).
      lib.enableNonRepudiationChecks(config);
      this.configs.set(key, { at: Date.now(), config });
      this.failures.delete(key);
      return config;
    } catch (error) {
      this.failures.set(key, { at: Date.now(), error });
      throw error;
    }
  }

  /** The provider's sign-in page for this address, and the browser secret to set as a cookie. */
  async start(email: string, ip: string, requestId: string): Promise<{ location: string; browserSecret: string }> {
    await this.limit.consume('start', ip);
    const sso = await authRepository.ssoByDomain(this.db.global, domainOf(email));
    if (!sso)
      throw new BadRequestException({
        message: 'This e-mail address does not sign in with single sign-on',
        code: 'no_sso',
        details: [{ field: 'email', message: 'has no single sign-on' }],
      });
    const lib = await oidc();
    const config = await this.client(sso).catch((e) => {
      this.logger.warn(`OpenID discovery failed for ${sso.issuer}: ${String(e)}`);
      throw new BadRequestException({ message: 'The identity provider cannot be reached', code: 'provider_error' });
    });
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    const verifier = lib.randomPKCECodeVerifier();
    const browserSecret = random();
    await authRepository.startOidcLogin(this.db.global, {
      stateHash: sha256(state),
      organisationId: sso.organisationId,
      browserHash: sha256(browserSecret),
      nonce,
      verifierEnc: this.box.seal(verifier),
    });
    await this.audit(sso.organisationId, null, 'auth.sso_start', requestId, { domain: domainOf(email) });
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email',
      state,
      nonce,
      code_challenge: await lib.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      login_hint: email,
    });
    return { location: url.href, browserSecret };
  }

  /**
   * The provider sent the browser back. Returns where to send it: `/inloggen?sso=<code>` (the code
   * bound to this browser's cookie secret) or `/inloggen?sso_error=<reason>`.
   */
  async callback(
    query: URLSearchParams,
    browserSecret: string | undefined,
    ip: string,
    requestId: string,
  ): Promise<{ location: string; ok: boolean }> {
    await this.limit.consume('callback', ip);
    const refuse = async (reason: SsoRefusal, organisationId: string | null, details: Record<string, unknown> = {}) => {
      await this.audit(organisationId, null, 'auth.sso_refused', requestId, { reason, ...details }, ip);
      return { location: `/inloggen?sso_error=${reason}`, ok: false };
    };
    const state = query.get('state') ?? '';
    if (!state || state.length > 200) return refuse('state_unknown', null);
    const browser = sha256(browserSecret && browserSecret.length <= 100 ? browserSecret : '');
    const login = await authRepository.takeOidcLogin(this.db.global, sha256(state), browser);
    if (login.problem !== null) return refuse(login.problem as SsoRefusal, null);
    const sso = await authRepository.ssoOfOrganisation(this.db.global, login.organisationId);
    if (!sso) return refuse('provider_error', login.organisationId, { detail: 'sso_removed' });

    let claims: Record<string, unknown> | undefined;
    try {
      const lib = await oidc();
      const current = new URL(this.redirectUri);
      current.search = query.toString();
      const tokens = await lib.authorizationCodeGrant(await this.client(sso), current, {
        pkceCodeVerifier: this.box.open(login.verifierEnc),
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as Record<string, unknown> | undefined;
    } catch (e) {
      // A bad signature, a wrong issuer, audience or nonce, an expired token, an error from the provider.
      const err = e as { code?: string; message?: string; error?: string };
      return refuse(query.get('error') ? 'provider_error' : 'token_rejected', login.organisationId, {
        detail: String(err.error ?? err.code ?? err.message ?? e).slice(0, 200),
      });
    }
    const verdict = await this.judge(claims ?? {}, sso, login.organisationId);
    if ('refusal' in verdict) return refuse(verdict.refusal, login.organisationId, verdict.details);
    const code = random();
    await authRepository.createSsoCode(this.db.global, {
      codeHash: sha256(code),
      seconds: SSO_CODE_SECONDS,
      browserHash: browser,
      userId: verdict.userId,
      issuer: verdict.issuer,
      subject: verdict.subject,
      providerMfa: verdict.providerMfa,
    });
    await this.audit(login.organisationId, verdict.userId, 'auth.sso_verified', requestId, {
      email: verdict.email,
      amr: verdict.amr,
      providerMfa: verdict.providerMfa,
    });
    return { location: `/inloggen?sso=${code}`, ok: true };
  }

  /**
   * What the provider's word is worth here: a verified e-mail of one of the organisation's SSO domains,
   * an existing active staff account of that organisation, bound to this subject or to none; and
   * whether the token names a second factor the organisation trusts.
   */
  private async judge(
    claims: Record<string, unknown>,
    sso: SsoOfOrganisation,
    organisationId: string,
  ): Promise<
    | { refusal: SsoRefusal; details: Record<string, unknown> }
    | { userId: string; email: string; issuer: string; subject: string; providerMfa: boolean; amr: string[] }
  > {
    const email = typeof claims['email'] === 'string' ? claims['email'].toLowerCase() : '';
    const subject = typeof claims['sub'] === 'string' ? claims['sub'] : '';
    const issuer = typeof claims['iss'] === 'string' ? claims['iss'] : '';
    // Only a provider's explicit "verified" counts: a missing claim is no promise.
    if (!email || claims['email_verified'] !== true)
      return { refusal: 'email_unverified', details: { sub: subject.slice(0, 255) } };
    // The provider speaks for the organisation's own domains only, whatever address /start was given.
    if (!sso.emailDomains.includes(domainOf(email))) return { refusal: 'domain', details: { email } };
    if (!subject || subject.length > 255 || !issuer) return { refusal: 'token_rejected', details: { detail: 'sub' } };
    const user = await authRepository.userByEmail(this.db.global, email);
    if (!user) return { refusal: 'unknown_account', details: { email } };
    if (user.organisation_id !== organisationId || user.role === 'platform_admin')
      return { refusal: 'other_organisation', details: { email } };
    if (user.disabled_at) return { refusal: 'inactive_account', details: { email } };
    const link = await authRepository.ssoIdentity(this.db.global, user.id, issuer, subject);
    if (link === 'subject' || link === 'subject_in_use')
      return { refusal: 'subject', details: { email, sub: subject, link } };
    const amr = Array.isArray(claims['amr']) ? claims['amr'].filter((a): a is string => typeof a === 'string') : [];
    const providerMfa = sso.trustProviderMfa && amr.some((a) => MFA_AMR.includes(a));
    return { userId: user.id, email, issuer, subject, providerMfa, amr };
  }

  /**
   * The one-time code for the usual access token, in the browser it was made for (single use, 60
   * seconds). With a second factor to give: first `{totpRequired: true}` (the code then waits 5
   * minutes), then the same code with `totp`, counted like a password sign-in's codes.
   */
  async exchange(
    code: string,
    totp: string | undefined,
    browserSecret: string | undefined,
    ip: string,
    requestId: string,
  ): Promise<ExchangeResult> {
    await this.limit.consume('exchange', ip);
    const codeHash = sha256(code);
    const browser = sha256(browserSecret && browserSecret.length <= 100 ? browserSecret : '');
    const refused = async (problem: string, organisationId: string | null = null): Promise<never> => {
      await this.audit(organisationId, null, 'auth.sso_refused', requestId, { reason: problem }, ip);
      throw new UnauthorizedException(
        problem === 'inactive_account'
          ? { message: 'This account cannot sign in', code: problem }
          : problem === 'subject'
            ? { message: 'This account is linked to another user of the identity provider', code: problem }
            : problem === 'other_browser'
              ? { message: 'This sign-in was started in another browser; sign in again here', code: problem }
              : { message: 'This sign-in code is not valid (any more); sign in again', code: problem },
      );
    };
    const peek = await authRepository.peekSsoCode(this.db.global, codeHash, browser);
    if (peek.problem !== null) return refused(peek.problem);
    // By id for who it is, then by e-mail for the whole sign-in row (its second factor too).
    const known = await authRepository.userById(this.db.global, peek.userId);
    const user = known ? await authRepository.userByEmail(this.db.global, known.email) : undefined;
    if (!user || user.id !== peek.userId || user.disabled_at)
      return refused('inactive_account', known?.organisation_id ?? null);

    const secondFactor = !peek.providerMfa && !!(user.totp_enabled_at && user.totp_secret);
    if (secondFactor && totp === undefined) {
      await authRepository.awaitTotpForSsoCode(this.db.global, codeHash);
      return { totpRequired: true };
    }
    if (secondFactor) {
      const ok = await this.totp.verifyAtLogin(
        user.id,
        user.organisation_id,
        user.totp_secret as Buffer,
        totp as string,
      );
      if (!ok) {
        await this.audit(user.organisation_id, user.id, 'auth.login_failed', requestId, {
          ip,
          method: 'sso',
          reason: 'totp_wrong',
        });
        throw new UnauthorizedException({
          message: 'The code is not right (or was used already); enter the code your app shows now',
          details: [{ field: 'totp', message: 'is not right' }],
        });
      }
    }
    const used = await authRepository.useSsoCode(this.db.global, codeHash, browser);
    if (used.problem !== null) return refused(used.problem, user.organisation_id);
    // A required second factor not set up yet, and not done at the provider: a session for setting it up.
    const enrol =
      !peek.providerMfa && !user.totp_enabled_at && (await this.tokens.totpRequired({ id: user.id, role: user.role }));
    const issued = await completeSignIn(
      this.db,
      this.tokens,
      user,
      requestId,
      {
        method: 'sso',
        ip,
        ...(peek.providerMfa ? { providerMfa: true } : {}),
        ...(secondFactor && totp && isRecoveryCode(totp) ? { recoveryCode: true } : {}),
      },
      enrol,
      async (em) => {
        // Bound to the provider's user at the first sign-in; a race with another subject undoes all.
        if (
          !(await authRepository.linkSsoIdentity(em, {
            userId: user.id,
            organisationId: user.organisation_id as string,
            issuer: peek.issuer,
            subject: peek.subject,
          })) &&
          (await authRepository.ssoIdentity(em, user.id, peek.issuer, peek.subject)) !== 'linked'
        )
          throw new UnauthorizedException({
            message: 'This account is linked to another user of the identity provider',
            code: 'subject',
          });
      },
    );
    return { issued };
  }

  /**
   * An audit row (with the address when `ip` is given). A refusal of a made-up state or code (one
   * never issued) is written at most once per address and minute: made-up values must not fill the log.
   */
  private async audit(
    organisationId: string | null,
    userId: string | null,
    action: string,
    requestId: string,
    details: Record<string, unknown>,
    ip?: string,
  ): Promise<void> {
    const madeUp = details['reason'] === 'state_unknown' || details['reason'] === 'code_unknown';
    if (ip !== undefined && madeUp && !(await this.limit.mayAuditAnonymous(ip))) return;
    await this.db.run({ organisationId }, (em) =>
      appendAudit(em, {
        organisationId,
        actorUserId: userId,
        actorRole: null,
        action,
        entityType: 'user',
        requestId,
        details: ip === undefined ? details : { ...details, ip },
      }),
    );
  }
}
