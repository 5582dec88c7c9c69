import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Recovery codes for two-step verification (sql/auth/recovery-codes-v1.sql). */
export class RecoveryCodes1765700000000 implements MigrationInterface {
  name = 'RecoveryCodes1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/recovery-codes-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tg_users_recovery_forget ON users`);
    for (const fn of ['km_auth_recovery_store(uuid, bytea[])', 'km_auth_recovery_use(uuid, bytea)', 'km_auth_recovery_left(uuid)', 'km_auth_recovery_forget()'])
      await q.query(`DROP FUNCTION ${fn}`);
    await q.query(`DROP TABLE totp_recovery_codes`);
  }
}
