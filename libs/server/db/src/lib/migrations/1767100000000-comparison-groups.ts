import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/**
 * Comparison groups and saved views of /vergelijken (#24): platform groups (a relation of the
 * protected table) and organisations' own groups, a person's named views
 * (sql/analytics/comparison-groups-v1.sql).
 */
export class ComparisonGroups1767100000000 implements MigrationInterface {
  name = 'ComparisonGroups1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/comparison-groups-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/comparison-groups-v1.down.sql'));
  }
}
