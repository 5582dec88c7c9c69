import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Segmentation runs (sql/segmentation/runs-v1.sql). */
export class SegmentationRuns1765000000000 implements MigrationInterface {
  name = 'SegmentationRuns1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('segmentation/runs-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segmentation_runs`);
  }
}
