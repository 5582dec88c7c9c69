import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Sessions that can end: the user_sessions table, its trigger and functions (sql/auth/sessions-v1.sql). */
export class Sessions1764600000000 implements MigrationInterface {
  name = 'Sessions1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/sessions-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION km_auth_session_end(uuid, uuid)`);
    await q.query(`DROP FUNCTION km_auth_session_open(uuid, uuid)`);
    await q.query(`DROP FUNCTION km_auth_session_start(uuid, integer)`);
    await q.query(`DROP TRIGGER users_end_sessions ON users`);
    await q.query(`DROP FUNCTION km_users_end_sessions()`);
    await q.query(`DROP TABLE user_sessions`);
  }
}
