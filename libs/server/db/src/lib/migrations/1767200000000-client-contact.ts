import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** How clients reach the organisation, per organisation (sql/questionnaires/client-contact-v1.sql). */
export class ClientContact1767200000000 implements MigrationInterface {
  name = 'ClientContact1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('questionnaires/client-contact-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE questionnaire_schedules DROP COLUMN contact_phone, DROP COLUMN opening_hours`);
  }
}
