import { DataSource } from 'typeorm';
import { hashPassword } from '@klantmonitor/server/crypto';

/**
 * Makes sure the platform admin from KM_ADMIN_EMAIL / KM_ADMIN_PASSWORD exists with that password.
 * Runs as the owner (at migrate time), because a platform admin belongs to no organisation.
 */
export async function ensurePlatformAdmin(ds: DataSource, admin: { email: string; password: string }): Promise<string> {
  const hash = await hashPassword(admin.password);
  const rows: { id: string; role: string }[] = await ds.query(
    `INSERT INTO users (email, name, role, password_hash, organisation_id)
     VALUES (lower($1), 'Platformbeheer', 'platform_admin', $2, NULL)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash
       WHERE users.role = 'platform_admin'
     RETURNING id, role`,
    [admin.email, hash],
  );
  if (rows.length === 0) throw new Error(`KM_ADMIN_EMAIL ${admin.email} belongs to an organisation user`);
  return rows[0].id;
}
