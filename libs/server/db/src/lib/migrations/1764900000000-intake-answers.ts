import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Intake answers for segmentation (sql/segmentation/intake-answers-v1.sql). */
export class IntakeAnswers1764900000000 implements MigrationInterface {
  name = 'IntakeAnswers1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('segmentation/intake-answers-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake_answers`);
  }
}
