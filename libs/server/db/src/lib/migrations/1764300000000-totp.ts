import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff second factor (TOTP, RFC 6238; quality.md "staff TOTP"). The secret was already a column
 * (encrypted with the data key); this adds the last accepted time step, so a code works once only
 * (ASVS 2.8: a one-time password is single use), and narrow SECURITY DEFINER functions for the
 * app role, which cannot read or write other users' rows itself:
 * - km_auth_totp_state(user): the encrypted secret, whether it is on, the last step used;
 * - km_auth_totp_store(user, secret): a new, not yet confirmed secret (only while it is off);
 * - km_auth_totp_accept(user, step, enable): takes a code's time step if it is newer than the last
 *   one (in one statement, so two requests with the same code cannot both pass), and turns the
 *   factor on when asked;
 * - km_auth_totp_remove(user): off, secret gone.
 */
const FUNCTIONS = [
  'km_auth_totp_state(uuid)',
  'km_auth_totp_store(uuid, bytea)',
  'km_auth_totp_accept(uuid, bigint, boolean)',
  'km_auth_totp_remove(uuid)',
];
const DEFINER = 'SECURITY DEFINER SET search_path = public, pg_temp';

export class Totp1764300000000 implements MigrationInterface {
  name = 'Totp1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN totp_last_step bigint`);
    await q.query(`
      CREATE FUNCTION km_auth_totp_state(p_user uuid)
      RETURNS TABLE (secret bytea, enabled_at timestamptz, last_step bigint)
      LANGUAGE sql STABLE ${DEFINER} AS
      $$ SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = p_user $$`);
    await q.query(`
      CREATE FUNCTION km_auth_totp_store(p_user uuid, p_secret bytea) RETURNS boolean
      LANGUAGE sql ${DEFINER} AS
      $$ UPDATE users SET totp_secret = p_secret, totp_last_step = NULL
         WHERE id = p_user AND totp_enabled_at IS NULL RETURNING true $$`);
    await q.query(`
      CREATE FUNCTION km_auth_totp_accept(p_user uuid, p_step bigint, p_enable boolean) RETURNS boolean
      LANGUAGE sql ${DEFINER} AS
      $$ UPDATE users SET totp_last_step = p_step,
                          totp_enabled_at = CASE WHEN p_enable THEN coalesce(totp_enabled_at, now()) ELSE totp_enabled_at END
         WHERE id = p_user AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < p_step)
         RETURNING true $$`);
    await q.query(`
      CREATE FUNCTION km_auth_totp_remove(p_user uuid) RETURNS void
      LANGUAGE sql ${DEFINER} AS
      $$ UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = p_user $$`);
    for (const fn of FUNCTIONS) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO klantmonitor_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) await q.query(`DROP FUNCTION ${fn}`);
    await q.query(`ALTER TABLE users DROP COLUMN totp_last_step`);
  }
}
