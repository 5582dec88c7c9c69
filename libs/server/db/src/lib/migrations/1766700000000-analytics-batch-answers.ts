import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/**
 * A faster national recompute (#27): every step's attainment and every item's experience from one
 * scan each (sql/analytics/batch-answers-v1.sql), and trajectory facts without the primary key
 * (sql/analytics/facts-without-key-v1.sql).
 */
export class AnalyticsBatchAnswers1766700000000 implements MigrationInterface {
  name = 'AnalyticsBatchAnswers1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/batch-answers-v1.sql'));
    await q.query(readSqlFile('analytics/facts-without-key-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/facts-without-key-v1.down.sql'));
    await q.query(readSqlFile('analytics/batch-answers-v1.down.sql'));
  }
}
