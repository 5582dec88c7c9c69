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
  async ssoByDomain(
    db: Db,
    domain: string,
  ): Promise<{ organisationId: string; issuer: string; clientId: string; clientSecretEnc: Buffer } | null> {
    const [row]: { organisation_id: string; issuer: string; client_id: string; client_secret_enc: Buffer }[] =
      await db.query('SELECT * FROM km_sso_by_domain($1)', [domain]);
    return row
      ? {
          organisationId: row.organisation_id,
          issuer: row.issuer,
          clientId: row.client_id,
          clientSecretEnc: row.client_secret_enc,
        }
      : null;
  },

  /** The provider of an active organisation. */
  async ssoOfOrganisation(
    db: Db,
    organisationId: string,
  ): Promise<{ issuer: string; clientId: string; clientSecretEnc: Buffer } | null> {
    const [row]: { issuer: string; client_id: string; client_secret_enc: Buffer }[] = await db.query(
      'SELECT * FROM km_sso_of_organisation($1)',
      [organisationId],
    );
    return row ? { issuer: row.issuer, clientId: row.client_id, clientSecretEnc: row.client_secret_enc } : null;
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

  async createSsoCode(db: Db, codeHash: Buffer, userId: string, seconds: number): Promise<void> {
    await db.query('SELECT km_sso_code_create($1, $2, $3)', [codeHash, userId, seconds]);
  },

  /** Uses a one-time code: its user, or the reason it is refused. */
  async useSsoCode(db: Db, codeHash: Buffer): Promise<{ userId: string; problem: null } | { problem: string }> {
    const [row]: { user_id: string; problem: string | null }[] = await db.query('SELECT * FROM km_sso_code_use($1)', [
      codeHash,
    ]);
    return row.problem ? { problem: row.problem } : { userId: row.user_id, problem: null };
  },
};
