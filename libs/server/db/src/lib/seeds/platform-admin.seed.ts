import { DataSource } from 'typeorm';
import { hashPassword } from '@klantmonitor/server/crypto';

/**
 * Creates the platform admin from KM_ADMIN_EMAIL / KM_ADMIN_PASSWORD when there is none with that
 * address yet. Runs as the owner (at migrate time), because a platform admin belongs to no
 * organisation. An existing account keeps its password (#22: every migrate used to reset it to the
 * environment's, so whoever could read the deployment's environment could take the account back
 * after the admin changed it). `created` says which it was.
 */
export async function ensurePlatformAdmin(
  ds: DataSource,
  admin: { email: string; password: string },
): Promise<{ id: string; created: boolean }> {
  const hash = await hashPassword(admin.password);
  const created: { id: string }[] = await ds.query(
    `INSERT INTO users (email, name, role, password_hash, organisation_id)
     VALUES (lower($1), 'Platformbeheer', 'platform_admin', $2, NULL)
     ON CONFLICT (email) DO NOTHING
     RETURNING id`,
    [admin.email, hash],
  );
  if (created[0]) return { id: created[0].id, created: true };
  const [existing]: { id: string; role: string }[] = await ds.query(
    'SELECT id, role FROM users WHERE email = lower($1)',
    [admin.email],
  );
  if (!existing || existing.role !== 'platform_admin')
    throw new Error(`KM_ADMIN_EMAIL ${admin.email} belongs to an organisation user`);
  return { id: existing.id, created: false };
}
