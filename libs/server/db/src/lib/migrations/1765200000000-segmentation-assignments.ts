import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Each client's segment per scenario in its own table (sql/segmentation/assignments-v1.sql). */
export class SegmentationAssignments1765200000000
  implements MigrationInterface
{
  name = 'SegmentationAssignments1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('segmentation/assignments-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    // The clusters are not put back into the runs' JSON: runs from before are shown without them.
    await q.query(`DROP TABLE segmentation_assignments`);
  }
}
