import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/**
 * Protected figures (#23): the protected table's cells and who serves each municipality (definer
 * functions, counts only), and the stored suppression pattern (sql/analytics/protected-table-v1.sql).
 */
export class ProtectedTable1767000000000 implements MigrationInterface {
  name = 'ProtectedTable1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/protected-table-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/protected-table-v1.down.sql'));
  }
}
