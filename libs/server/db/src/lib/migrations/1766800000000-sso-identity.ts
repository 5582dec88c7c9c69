import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/**
 * Single sign-on by the provider's identity (#22, sql/auth/sso-identity-v1.sql): SSO settings set by
 * the organisation itself, accounts bound to iss + sub, the one-time code bound to the browser and
 * waiting for a second factor, SSO only; recovery codes of 50 bits under argon2id
 * (sql/auth/recovery-codes-v2.sql).
 */
export class SsoIdentity1766800000000 implements MigrationInterface {
  name = 'SsoIdentity1766800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/sso-identity-v1.sql'));
    await q.query(readSqlFile('auth/recovery-codes-v2.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/recovery-codes-v2.down.sql'));
    await q.query(readSqlFile('auth/sso-identity-v1.down.sql'));
  }
}
