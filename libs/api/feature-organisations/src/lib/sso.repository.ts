import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface SsoRow {
  issuer: string;
  client_id: string;
  email_domains: string[];
  updated_at: Date;
}

/**
 * SQL of the single sign-on settings (sql/auth/sso-v1.sql): organisation_sso and its domains.
 * Only a platform admin's transaction sees these rows (row-level security).
 */
@Injectable()
export class SsoRepository {
  async get(em: EntityManager, organisationId: string): Promise<SsoRow | null> {
    const [row]: SsoRow[] = await em.query(
      `SELECT s.issuer, s.client_id, s.updated_at,
              coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM organisation_sso_domains d
                        WHERE d.organisation_id = s.organisation_id), '{}') AS email_domains
       FROM organisation_sso s WHERE s.organisation_id = $1`,
      [organisationId],
    );
    return row ?? null;
  }

  /** Sets (or replaces) the settings and the domains; a domain of another organisation violates its key. */
  async set(
    em: EntityManager,
    organisationId: string,
    s: { issuer: string; clientId: string; clientSecretEnc: Buffer; emailDomains: string[]; by: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO organisation_sso (organisation_id, issuer, client_id, client_secret_enc, updated_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
         client_secret_enc = EXCLUDED.client_secret_enc, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [organisationId, s.issuer, s.clientId, s.clientSecretEnc, s.by],
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
}
