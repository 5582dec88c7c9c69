import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** The active segmentation model per organisation (sql/segmentation/models-v1.sql). */
export class SegmentationModels1765100000000 implements MigrationInterface {
  name = 'SegmentationModels1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('segmentation/models-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segmentation_models`);
    await q.query(`ALTER TABLE client_types DROP COLUMN description`);
  }
}
