import { verifyPassword } from '@klantmonitor/server/crypto';
import { TenantDb } from '@klantmonitor/server/db';
import { authRepository } from './auth.repository';

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
  const me = await authRepository.userById(db.global, userId);
  const auth = me ? await authRepository.userByEmail(db.global, me.email) : undefined;
  return me && auth && (await verifyPassword(auth.password_hash, password))
    ? { email: me.email, hash: auth.password_hash }
    : null;
}
