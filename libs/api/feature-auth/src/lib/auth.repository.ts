import type { EntityManager } from 'typeorm';
import type { Role } from '@klantmonitor/shared/domain';

type Db = Pick<EntityManager, 'query'>;

/** A staff account as sign-in sees it (km_auth_user_by_email / _by_id). */
export interface AuthRow {
  id: string;
  organisation_id: string | null;
  email: string;
  name: string | null;
  role: Role;
  password_hash: string;
  totp_secret: Buffer | null;
  totp_enabled_at: Date | null;
  disabled_at: Date | null;
}

/**
 * The SQL of signing in (docs/data-access.md): every read and write of accounts, second factors,
 * recovery codes and account links goes through SECURITY DEFINER functions (`sql/auth/*.sql` and the
 * early migrations), because sign-in runs before a tenant is known and a platform admin belongs to
 * none. This file names each call once; sessions are in sessions.repository.ts.
 */
export const authRepository = {
  async userByEmail(db: Db, email: string): Promise<AuthRow | undefined> {
    const [row]: AuthRow[] = await db.query('SELECT * FROM km_auth_user_by_email($1)', [email]);
    return row;
  },

  async userById(db: Db, id: string): Promise<AuthRow | undefined> {
    const [row]: AuthRow[] = await db.query('SELECT * FROM km_auth_user_by_id($1)', [id]);
    return row;
  },

  async recordLogin(em: EntityManager, userId: string): Promise<void> {
    await em.query('SELECT km_auth_record_login($1)', [userId]);
  },

  async setPassword(em: EntityManager, userId: string, hash: string): Promise<void> {
    await em.query('SELECT km_auth_password_set($1, $2)', [userId, hash]);
  },

  /** The organisation a signed-in user belongs to, with its municipalities (for /auth/me). */
  async organisationOf(
    em: EntityManager,
    organisationId: string,
  ): Promise<{ id: string; name: string; municipalities: { code: string; name: string }[] } | null> {
    const [org]: { id: string; name: string }[] = await em.query('SELECT id, name FROM organisations WHERE id = $1', [
      organisationId,
    ]);
    if (!org) return null;
    const municipalities: { code: string; name: string }[] = await em.query(
      `SELECT m.code, m.name FROM organisation_municipalities om
       JOIN municipalities m ON m.code = om.municipality_code
       WHERE om.organisation_id = $1 ORDER BY m.name`,
      [organisationId],
    );
    return { ...org, municipalities };
  },

  /** Stores a new (not yet enabled) TOTP secret, sealed; false when one is enabled already. */
  async storeTotp(em: EntityManager, userId: string, sealed: Buffer): Promise<boolean> {
    const [r]: { km_auth_totp_store: boolean | null }[] = await em.query('SELECT km_auth_totp_store($1, $2)', [
      userId,
      sealed,
    ]);
    return r?.km_auth_totp_store === true;
  },

  async totpState(
    em: EntityManager,
    userId: string,
  ): Promise<{ secret: Buffer | null; enabled_at: Date | null } | undefined> {
    const [s]: { secret: Buffer | null; enabled_at: Date | null }[] = await em.query(
      'SELECT secret, enabled_at FROM km_auth_totp_state($1)',
      [userId],
    );
    return s;
  },

  /** Accepts a TOTP time step once (never the same step twice); `enable` turns the factor on with it. */
  async acceptTotp(em: EntityManager, userId: string, step: number, enable: boolean): Promise<boolean> {
    const [r]: { km_auth_totp_accept: boolean | null }[] = await em.query('SELECT km_auth_totp_accept($1, $2, $3)', [
      userId,
      step,
      enable,
    ]);
    return r?.km_auth_totp_accept === true;
  },

  async removeTotp(em: EntityManager, userId: string): Promise<void> {
    await em.query('SELECT km_auth_totp_remove($1)', [userId]);
  },

  /** The hashes of the account's unused recovery codes (argon2id, as bytes). */
  async unusedRecoveryHashes(em: EntityManager, userId: string): Promise<Buffer[]> {
    const rows: { km_auth_recovery_unused: Buffer }[] = await em.query('SELECT km_auth_recovery_unused($1)', [userId]);
    return rows.map((r) => r.km_auth_recovery_unused);
  },

  /** Uses a recovery code (by its hash) once. */
  async useRecoveryCode(em: EntityManager, userId: string, hash: Buffer | string): Promise<boolean> {
    const [r]: { km_auth_recovery_use: boolean }[] = await em.query('SELECT km_auth_recovery_use($1, $2)', [
      userId,
      hash,
    ]);
    return r.km_auth_recovery_use;
  },

  async recoveryCodesLeft(em: EntityManager, userId: string): Promise<number> {
    const [r]: { km_auth_recovery_left: number }[] = await em.query('SELECT km_auth_recovery_left($1)', [userId]);
    return r.km_auth_recovery_left;
  },

  /** Replaces the recovery codes by these hashes; how many were stored (0 when the factor is off). */
  async storeRecoveryCodes(em: EntityManager, userId: string, hashes: (Buffer | string)[]): Promise<number> {
    const [r]: { km_auth_recovery_store: number }[] = await em.query('SELECT km_auth_recovery_store($1, $2)', [
      userId,
      hashes,
    ]);
    return r.km_auth_recovery_store;
  },

  /** Asks for an account e-mail (the worker sends it); false when no active account has the address. */
  async requestLink(db: Db, email: string, purpose: string, minutes: number): Promise<boolean> {
    const [row]: { km_account_link_request: boolean }[] = await db.query('SELECT km_account_link_request($1, $2, $3)', [
      email,
      purpose,
      minutes,
    ]);
    return row.km_account_link_request;
  },

  async linkState(
    db: Db,
    hash: Buffer,
    purpose: string,
  ): Promise<{ state: 'ok' | 'used' | 'expired'; user_id: string; email: string } | undefined> {
    const [link]: { state: 'ok' | 'used' | 'expired'; user_id: string; email: string }[] = await db.query(
      'SELECT state, user_id, email FROM km_account_link_state($1, $2)',
      [hash, purpose],
    );
    return link;
  },

  /** Sets the password with a link (once); the user's id, or null when it was used or expired meanwhile. */
  async useLink(db: Db, hash: Buffer, purpose: string, passwordHash: string): Promise<string | null> {
    const [done]: { km_account_link_use: string | null }[] = await db.query('SELECT km_account_link_use($1, $2, $3)', [
      hash,
      purpose,
      passwordHash,
    ]);
    return done.km_account_link_use;
  },

  /** The OpenID provider of an e-mail domain (active organisations only). */
  async ssoByDomain(db: Db, domain: string): Promise<SsoOfDomain | null> {
    const [row]: {
      organisation_id: string;
      issuer: string;
      client_id: string;
      client_secret_enc: Buffer;
      sso_only: boolean;
    }[] = await db.query('SELECT * FROM km_sso_by_domain($1)', [domain]);
    return row
      ? {
          organisationId: row.organisation_id,
          issuer: row.issuer,
          clientId: row.client_id,
          clientSecretEnc: row.client_secret_enc,
          ssoOnly: row.sso_only,
        }
      : null;
  },

  /** Whether an address belongs to an organisation that signs in by SSO only. */
  async ssoOnlyEmail(db: Db, email: string): Promise<boolean> {
    const [r]: { km_sso_only_email: boolean }[] = await db.query('SELECT km_sso_only_email($1)', [email]);
    return r.km_sso_only_email;
  },

  /** The provider of an active organisation, its domains and whether its multi-factor is trusted. */
  async ssoOfOrganisation(db: Db, organisationId: string): Promise<SsoOfOrganisation | null> {
    const [row]: {
      issuer: string;
      client_id: string;
      client_secret_enc: Buffer;
      email_domains: string[];
      trust_provider_mfa: boolean;
    }[] = await db.query('SELECT * FROM km_sso_of_organisation($1)', [organisationId]);
    return row
      ? {
          issuer: row.issuer,
          clientId: row.client_id,
          clientSecretEnc: row.client_secret_enc,
          emailDomains: row.email_domains,
          trustProviderMfa: row.trust_provider_mfa,
        }
      : null;
  },

  async startOidcLogin(
    db: Db,
    l: { stateHash: Buffer; organisationId: string; browserHash: Buffer; nonce: string; verifierEnc: Buffer },
  ): Promise<void> {
    await db.query('SELECT km_oidc_login_start($1, $2, $3, $4, $5)', [
      l.stateHash,
      l.organisationId,
      l.browserHash,
      l.nonce,
      l.verifierEnc,
    ]);
  },

  /** Takes a login's state once: its facts, or the reason it is refused. */
  async takeOidcLogin(
    db: Db,
    stateHash: Buffer,
    browserHash: Buffer,
  ): Promise<{ organisationId: string; nonce: string; verifierEnc: Buffer; problem: null } | { problem: string }> {
    const [row]: { organisation_id: string; nonce: string; code_verifier_enc: Buffer; problem: string | null }[] =
      await db.query('SELECT * FROM km_oidc_login_take($1, $2)', [stateHash, browserHash]);
    return row.problem
      ? { problem: row.problem }
      : { organisationId: row.organisation_id, nonce: row.nonce, verifierEnc: row.code_verifier_enc, problem: null };
  },

  /** How an account stands to the provider's subject: linked, unlinked, subject (another), subject_in_use. */
  async ssoIdentity(
    db: Db,
    userId: string,
    issuer: string,
    subject: string,
  ): Promise<'linked' | 'unlinked' | 'subject' | 'subject_in_use'> {
    const [r]: { km_sso_identity_check: 'linked' | 'unlinked' | 'subject' | 'subject_in_use' }[] = await db.query(
      'SELECT km_sso_identity_check($1, $2, $3)',
      [userId, issuer, subject],
    );
    return r.km_sso_identity_check;
  },

  /**
   * Binds the account to the subject, in the user's own organisation's transaction (row-level
   * security); false when it is bound already, to this subject or (a race) another.
   */
  async linkSsoIdentity(
    em: EntityManager,
    l: { userId: string; organisationId: string; issuer: string; subject: string },
  ): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO sso_identities (user_id, organisation_id, issuer, subject) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [l.userId, l.organisationId, l.issuer, l.subject],
    );
    return rows.length > 0;
  },

  async createSsoCode(db: Db, c: SsoCode & { codeHash: Buffer; seconds: number; browserHash: Buffer }): Promise<void> {
    await db.query('SELECT km_sso_code_create($1, $2, $3, $4, $5, $6, $7)', [
      c.codeHash,
      c.userId,
      c.seconds,
      c.browserHash,
      c.issuer,
      c.subject,
      c.providerMfa,
    ]);
  },

  /** A one-time code's facts without using it, or the reason it is refused. */
  async peekSsoCode(
    db: Db,
    codeHash: Buffer,
    browserHash: Buffer,
  ): Promise<(SsoCode & { problem: null }) | { problem: string }> {
    const [row]: {
      user_id: string | null;
      issuer: string;
      subject: string;
      provider_mfa: boolean;
      problem: string | null;
    }[] = await db.query('SELECT * FROM km_sso_code_peek($1, $2)', [codeHash, browserHash]);
    return row.problem || !row.user_id
      ? { problem: row.problem ?? 'code_unknown' }
      : { userId: row.user_id, issuer: row.issuer, subject: row.subject, providerMfa: row.provider_mfa, problem: null };
  },

  /** The second factor is asked: the code waits for it (5 minutes, once). */
  async awaitTotpForSsoCode(db: Db, codeHash: Buffer): Promise<void> {
    await db.query('SELECT km_sso_code_await_totp($1)', [codeHash]);
  },

  /** Uses a one-time code in its browser: its user, or the reason it is refused. */
  async useSsoCode(
    db: Db,
    codeHash: Buffer,
    browserHash: Buffer,
  ): Promise<{ userId: string; problem: null } | { problem: string }> {
    const [row]: { user_id: string; problem: string | null }[] = await db.query(
      'SELECT * FROM km_sso_code_use($1, $2)',
      [codeHash, browserHash],
    );
    return row.problem ? { problem: row.problem } : { userId: row.user_id, problem: null };
  },
};

export interface SsoOfDomain {
  organisationId: string;
  issuer: string;
  clientId: string;
  clientSecretEnc: Buffer;
  ssoOnly: boolean;
}

export interface SsoOfOrganisation {
  issuer: string;
  clientId: string;
  clientSecretEnc: Buffer;
  emailDomains: string[];
  trustProviderMfa: boolean;
}

/** What a one-time code carries from the callback to the exchange. */
export interface SsoCode {
  userId: string;
  issuer: string;
  subject: string;
  /** The ID token's amr named a second factor and the organisation trusts its provider's. */
  providerMfa: boolean;
}
