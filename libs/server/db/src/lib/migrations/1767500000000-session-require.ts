import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** A session check that stops its transaction, for one-message units of work (#26; sql/auth/session-require-v1.sql). */
export class SessionRequire1767500000000 implements MigrationInterface {
  name = 'SessionRequire1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/session-require-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION km_auth_session_require(uuid, uuid)');
  }
}
