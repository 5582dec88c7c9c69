import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** How the spaartegoed is paid, per organisation (sql/questionnaires/payout-v1.sql). */
export class SpaartegoedPayout1765900000000 implements MigrationInterface {
  name = 'SpaartegoedPayout1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('questionnaires/payout-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE questionnaire_schedules DROP COLUMN payout_text`);
  }
}
