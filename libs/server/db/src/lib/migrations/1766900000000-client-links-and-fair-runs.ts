import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/**
 * Security review #22: portal links that end and can be revoked, one questionnaire link per
 * invitation on the portal (sql/questionnaires/portal-links-v2.sql); one queued or running
 * segmentation run per organisation (sql/segmentation/runs-v2.sql).
 */
export class ClientLinksAndFairRuns1766900000000 implements MigrationInterface {
  name = 'ClientLinksAndFairRuns1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('questionnaires/portal-links-v2.sql'));
    await q.query(readSqlFile('segmentation/runs-v2.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('segmentation/runs-v2.down.sql'));
    await q.query(readSqlFile('questionnaires/portal-links-v2.down.sql'));
  }
}
