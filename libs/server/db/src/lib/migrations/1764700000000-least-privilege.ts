import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/**
 * Least privilege in PostgreSQL (security review, #11): tenant checks in the definer functions that
 * act on one user (sql/auth/tenant-checks-v1.sql), then every definer function owned by the
 * NOLOGIN, non-superuser role klantmonitor_owner with search_path pg_catalog, public, pg_temp
 * (sql/platform/definer-owner-v1.sql).
 */
export class LeastPrivilege1764700000000 implements MigrationInterface {
  name = 'LeastPrivilege1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('auth/tenant-checks-v1.sql'));
    await q.query(readSqlFile('platform/definer-owner-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/definer-owner-v1.down.sql'));
    await q.query(readSqlFile('auth/tenant-checks-v1.down.sql'));
  }
}
