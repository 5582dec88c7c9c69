import { BadRequestException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type * as Oidc from 'openid-client';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { authRepository } from './auth.repository';
import { completeSignIn } from './sign-in';
import { IssuedTokens, Tokens } from './tokens';

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
  | 'unknown_account'
  | 'inactive_account'
  | 'other_organisation';

// ESM-only: loaded once, on first use (Node's require(esm) in the built api, an import in tests).
let oidcModule: Promise<typeof Oidc> | null = null;
const oidc = () => (oidcModule ??= import('openid-client'));

/**
 * Single sign-on with an organisation's OpenID provider (docs/api.md "Single sign-on"):
 * authorization code flow with PKCE through `openid-client` (certified). `start` remembers state,
 * nonce and verifier server-side, bound to the browser by a cookie secret; `callback` takes the state
 * once, lets openid-client check the code exchange, the ID token's signature against the provider's
 * JWKS, issuer, audience, nonce and expiry, then signs in the existing, active staff account with that
 * e-mail in that organisation, never creating one. The browser gets a one-time code, exchanged for
 * the usual access token: no token in a URL. Every refusal is audited and named for the page.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private readonly box: SecretBox;
  private readonly configs = new Map<string, { at: number; config: Oidc.Configuration }>();

  constructor(
    private readonly db: TenantDb,
    private readonly tokens: Tokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  private get redirectUri(): string {
    return `${this.config.publicUrl}/api/v1/auth/oidc/callback`;
  }

  /** Whether this e-mail address signs in with its organisation's provider. */
  async check(email: string): Promise<{ sso: boolean }> {
    return { sso: (await authRepository.ssoByDomain(this.db.global, domainOf(email))) !== null };
  }

  /** Discovery once per provider and 10 minutes (keys rotate; openid-client refetches JWKS itself). */
  private async client(sso: {
    issuer: string;
    clientId: string;
    clientSecretEnc: Buffer;
  }): Promise<Oidc.Configuration> {
    const key = `${sso.issuer} ${sso.clientId}`;
    const known = this.configs.get(key);
    if (known && Date.now() - known.at < 600_000) return known.config;
    const lib = await oidc();
    const issuer = new URL(sso.issuer);
    const config = await lib.discovery(
      issuer,
      sso.clientId,
      this.box.open(sso.clientSecretEnc),
      undefined,
      // Plain http only for a loopback provider (the tests' and the demo's); PUT .../sso refuses others.
      issuer.protocol === 'http:' ? { execute: [lib.allowInsecureRequests] } : undefined,
    );
    // The ID token's signature is checked against the provider's JWKS too (openid-client leaves it
    // to TLS by default for a token from the token endpoint; we do not rely on that alone).
    lib.enableNonRepudiationChecks(config);
    this.configs.set(key, { at: Date.now(), config });
    return config;
  }

  /** The provider's sign-in page for this address, and the browser secret to set as a cookie. */
  async start(email: string, requestId: string): Promise<{ location: string; browserSecret: string }> {
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
   * The provider sent the browser back. Returns where to send it: `/inloggen?sso=<code>` or
   * `/inloggen?sso_error=<reason>`.
   */
  async callback(query: URLSearchParams, browserSecret: string | undefined, requestId: string): Promise<string> {
    const refuse = async (reason: SsoRefusal, organisationId: string | null, details: Record<string, unknown> = {}) => {
      await this.audit(organisationId, null, 'auth.sso_refused', requestId, { reason, ...details });
      return `/inloggen?sso_error=${reason}`;
    };
    const state = query.get('state') ?? '';
    if (!state || state.length > 200) return refuse('state_unknown', null);
    const login = await authRepository.takeOidcLogin(
      this.db.global,
      sha256(state),
      sha256(browserSecret && browserSecret.length <= 100 ? browserSecret : ''),
    );
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
    const email = typeof claims?.['email'] === 'string' ? claims['email'].toLowerCase() : '';
    if (!email || claims?.['email_verified'] === false)
      return refuse('email_unverified', login.organisationId, { sub: claims?.['sub'] });
    const user = await authRepository.userByEmail(this.db.global, email);
    if (!user) return refuse('unknown_account', login.organisationId, { email });
    if (user.organisation_id !== login.organisationId || user.role === 'platform_admin')
      return refuse('other_organisation', login.organisationId, { email });
    if (user.disabled_at) return refuse('inactive_account', login.organisationId, { email });
    const code = random();
    await authRepository.createSsoCode(this.db.global, sha256(code), user.id, SSO_CODE_SECONDS);
    await this.audit(login.organisationId, user.id, 'auth.sso_verified', requestId, { email });
    return `/inloggen?sso=${code}`;
  }

  /** The one-time code for the usual access token (single use, 60 seconds). */
  async exchange(code: string, requestId: string): Promise<IssuedTokens> {
    const used = await authRepository.useSsoCode(this.db.global, sha256(code));
    if (used.problem !== null) {
      await this.audit(null, null, 'auth.sso_refused', requestId, { reason: used.problem });
      throw new UnauthorizedException({
        message: 'This sign-in code is not valid (any more); sign in again',
        code: used.problem,
      });
    }
    const user = await authRepository.userById(this.db.global, used.userId);
    if (!user || user.disabled_at) {
      await this.audit(user?.organisation_id ?? null, null, 'auth.sso_refused', requestId, {
        reason: 'inactive_account',
      });
      throw new UnauthorizedException({ message: 'This account cannot sign in', code: 'inactive_account' });
    }
    // The organisation's provider did the second factor (its own policy): no TOTP step here.
    return completeSignIn(this.db, this.tokens, user, requestId, { method: 'sso' });
  }

  private audit(
    organisationId: string | null,
    userId: string | null,
    action: string,
    requestId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.db.run({ organisationId }, (em) =>
      appendAudit(em, {
        organisationId,
        actorUserId: userId,
        actorRole: null,
        action,
        entityType: 'user',
        requestId,
        details,
      }),
    );
  }
}
