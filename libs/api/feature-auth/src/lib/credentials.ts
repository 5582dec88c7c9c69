import { verifyPassword } from '@klantmonitor/server/crypto';
import { TenantDb } from '@klantmonitor/server/db';

/**
 * Checks a signed-in user's password again (before a change to how they sign in). Returns the
 * account's e-mail and hash when it is right, null otherwise. Through the definer functions: a
 * platform admin's row is outside every organisation.
 */
export async function checkOwnPassword(
  db: TenantDb,
  userId: string,
  password: string,
): Promise<{ email: string; hash: string } | null> {
  const [me]: { email: string }[] = await db.global.query('SELECT email FROM km_auth_user_by_id($1)', [userId]);
  const [auth]: { password_hash: string }[] = me
    ? await db.global.query('SELECT password_hash FROM km_auth_user_by_email($1)', [me.email])
    : [];
  return me && auth && (await verifyPassword(auth.password_hash, password))
    ? { email: me.email, hash: auth.password_hash }
    : null;
}
