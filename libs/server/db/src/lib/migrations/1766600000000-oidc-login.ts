import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Signing in with an organisation's OpenID provider (sql/auth/oidc-login-v1.sql). */
export class OidcLogin1766600000000 implements MigrationInterface {
  name = 'OidcLogin1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/oidc-login-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/oidc-login-v1.down.sql'));
  }
}
