import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Invitations and forgotten passwords by e-mail (sql/auth/account-links-v1.sql). */
export class AccountLinks1765600000000 implements MigrationInterface {
  name = 'AccountLinks1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/account-links-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      'km_account_link_request(text, text, integer)',
      'km_account_links_due(integer)',
      'km_account_link_sent(uuid, bytea)',
      'km_account_link_failed(uuid, text)',
      'km_account_link_state(bytea, text)',
      'km_account_link_use(bytea, text, text)',
    ])
      await q.query(`DROP FUNCTION ${fn}`);
    await q.query(`DROP TABLE account_links`);
  }
}
