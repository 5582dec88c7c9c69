import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface SsoRow {
  issuer: string;
  client_id: string;
  email_domains: string[];
  trust_provider_mfa: boolean;
  sso_only: boolean;
  updated_at: Date;
}

/**
 * SQL of the single sign-on settings (sql/auth/sso-v1.sql, sso-identity-v1.sql): organisation_sso,
 * its domains and the accounts' links to the provider's users (sso_identities). Row-level security:
 * the organisation and platform admins read; only the organisation writes; both may delete.
 */
@Injectable()
export class SsoRepository {
  async get(em: EntityManager, organisationId: string): Promise<SsoRow | null> {
    const [row]: SsoRow[] = await em.query(
      `SELECT s.issuer, s.client_id, s.updated_at, s.trust_provider_mfa, s.sso_only,
              coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM organisation_sso_domains d
                        WHERE d.organisation_id = s.organisation_id), '{}') AS email_domains
       FROM organisation_sso s WHERE s.organisation_id = $1`,
      [organisationId],
    );
    return row ?? null;
  }

  /**
   * Sets (or replaces) the settings and the domains; a domain of another organisation violates its
   * key. `clientSecretEnc` null: the stored secret stays.
   */
  async set(
    em: EntityManager,
    organisationId: string,
    s: {
      issuer: string;
      clientId: string;
      clientSecretEnc: Buffer | null;
      emailDomains: string[];
      trustProviderMfa: boolean;
      ssoOnly: boolean;
      by: string;
    },
  ): Promise<void> {
    const params = [organisationId, s.issuer, s.clientId, s.by, s.trustProviderMfa, s.ssoOnly, s.clientSecretEnc];
    if (s.clientSecretEnc === null)
      // The stored secret stays (the caller checked that settings exist).
      await em.query(
        `UPDATE organisation_sso SET issuer = $2, client_id = $3, updated_by = $4, trust_provider_mfa = $5,
           sso_only = $6, updated_at = now()
         WHERE organisation_id = $1 AND $7::bytea IS NULL`,
        params,
      );
    else
      await em.query(
        `INSERT INTO organisation_sso (organisation_id, issuer, client_id, updated_by, trust_provider_mfa, sso_only, client_secret_enc)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (organisation_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
           client_secret_enc = EXCLUDED.client_secret_enc, updated_by = EXCLUDED.updated_by,
           trust_provider_mfa = EXCLUDED.trust_provider_mfa, sso_only = EXCLUDED.sso_only, updated_at = now()`,
        params,
      );
    await em.query('DELETE FROM organisation_sso_domains WHERE organisation_id = $1', [organisationId]);
    await em.query('INSERT INTO organisation_sso_domains (domain, organisation_id) SELECT unnest($2::text[]), $1', [
      organisationId,
      s.emailDomains,
    ]);
  }

  /** Turns single sign-on off; false when it was not set. */
  async remove(em: EntityManager, organisationId: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await em.query(
      'DELETE FROM organisation_sso WHERE organisation_id = $1 RETURNING 1',
      [organisationId],
    );
    return rows.length > 0;
  }

  /** Whether an address belongs to an organisation that signs in by SSO only (a definer function). */
  async ssoOnlyEmail(db: Pick<EntityManager, 'query'>, email: string): Promise<boolean> {
    const [r]: { km_sso_only_email: boolean }[] = await db.query('SELECT km_sso_only_email($1)', [email]);
    return r.km_sso_only_email;
  }

  /** Removes the links of the caller's organisation to another issuer's users; how many. */
  async unlinkOtherIssuers(em: EntityManager, issuer: string): Promise<number> {
    const [rows]: [unknown[], number] = await em.query('DELETE FROM sso_identities WHERE issuer <> $1 RETURNING 1', [
      issuer,
    ]);
    return rows.length;
  }

  /** Removes one account's link (RLS: the caller's organisation); false when it had none. */
  async unlink(em: EntityManager, userId: string): Promise<{ issuer: string; subject: string } | null> {
    const [rows]: [{ issuer: string; subject: string }[], number] = await em.query(
      'DELETE FROM sso_identities WHERE user_id = $1 RETURNING issuer, subject',
      [userId],
    );
    return rows[0] ?? null;
  }
}
