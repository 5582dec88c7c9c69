import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Single sign-on settings per organisation (sql/auth/sso-v1.sql). */
export class Sso1766500000000 implements MigrationInterface {
  name = 'Sso1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/sso-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/sso-v1.down.sql'));
  }
}
