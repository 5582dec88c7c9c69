import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Two-step verification by policy, per organisation and platform-wide (sql/auth/totp-policy-v1.sql). */
export class TotpPolicy1764800000000 implements MigrationInterface {
  name = 'TotpPolicy1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/totp-policy-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION km_auth_totp_required(uuid)`);
    await q.query(`DROP TABLE platform_settings`);
    await q.query(`ALTER TABLE organisations DROP COLUMN totp_required_roles`);
  }
}
