import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Changing one's own password (sql/auth/password-v1.sql). */
export class PasswordChange1765300000000 implements MigrationInterface {
  name = 'PasswordChange1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/password-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION km_auth_password_set(uuid, text)`);
  }
}
