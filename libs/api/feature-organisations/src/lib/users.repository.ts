import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ACCOUNT_LINK_MINUTES, type Role } from '@klantmonitor/shared/domain';

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: Date;
  last_login_at: Date | null;
  totp_enabled: boolean;
  active: boolean;
  sso_linked_at: Date | null;
}

/** The columns of a user row of table (or CTE) `t`, with when it was linked to its provider's user. */
const columns = (t: string) =>
  `${t}.id, ${t}.email, ${t}.name, ${t}.role, ${t}.created_at, ${t}.last_login_at, ${t}.totp_enabled_at IS NOT NULL AS totp_enabled, ${t}.disabled_at IS NULL AS active,
   (SELECT i.linked_at FROM sso_identities i WHERE i.user_id = ${t}.id) AS sso_linked_at`;

/** The staff accounts of an organisation (docs/data-access.md: new SQL of the users table lives here). */
@Injectable()
export class UsersRepository {
  async list(em: EntityManager, organisationId: string): Promise<UserRow[]> {
    return em.query(`SELECT ${columns('users')} FROM users WHERE organisation_id = $1 ORDER BY role, email`, [
      organisationId,
    ]);
  }

  async create(
    em: EntityManager,
    organisationId: string,
    u: { email: string; name: string | null; role: Role; passwordHash: string },
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await em.query(
      'INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [organisationId, u.email, u.name, u.role, u.passwordHash],
    );
    return id;
  }

  /** An invitation e-mail (sent by the worker; sql/auth/account-links-v1.sql). */
  async requestInvitation(em: EntityManager, email: string): Promise<void> {
    await em.query('SELECT km_account_link_request($1, $2, $3)', [
      email,
      'invitation',
      ACCOUNT_LINK_MINUTES.invitation,
    ]);
  }

  /** Active counselors of the caller's organisation (RLS), by name: whom a trajectory can be handed to. */
  async counselors(em: EntityManager): Promise<{ id: string; name: string }[]> {
    return em.query(
      `SELECT id, coalesce(name, email) AS name FROM users
       WHERE role = 'counselor' AND disabled_at IS NULL ORDER BY lower(coalesce(name, email))`,
    );
  }

  async get(em: EntityManager, organisationId: string, id: string): Promise<UserRow | null> {
    const [row]: UserRow[] = await em.query(
      `SELECT ${columns('users')} FROM users WHERE id = $1 AND organisation_id = $2`,
      [id, organisationId],
    );
    return row ?? null;
  }

  /**
   * Changes role, name and/or whether the account may sign in (undefined: unchanged). A change of
   * role or of `active` ends the account's sessions (trigger of sql/auth/sessions-v1.sql).
   */
  async update(
    em: EntityManager,
    organisationId: string,
    id: string,
    change: { role?: Role; name?: string; active?: boolean },
  ): Promise<UserRow | null> {
    const [row]: UserRow[] = await em.query(
      `WITH u AS (
         UPDATE users SET role = coalesce($3, role),
                          name = CASE WHEN $4::boolean THEN nullif(btrim($5), '') ELSE name END,
                          disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN NULL ELSE coalesce(disabled_at, now()) END
         WHERE id = $1 AND organisation_id = $2 RETURNING *)
       SELECT ${columns('u')} FROM u`,
      [id, organisationId, change.role ?? null, change.name !== undefined, change.name ?? null, change.active ?? null],
    );
    return row ?? null;
  }

  /** Turns a user's second factor off; false when the user is not of that organisation. */
  async resetTotp(em: EntityManager, organisationId: string, userId: string): Promise<boolean> {
    const [rows]: [{ id: string }[], number] = await em.query(
      `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL
       WHERE id = $1 AND organisation_id = $2 RETURNING id`,
      [userId, organisationId],
    );
    return rows.length > 0;
  }
}
