import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Audit entries by organisation and action (sql/platform/audit-index-v1.sql). */
export class AuditIndex1765800000000 implements MigrationInterface {
  name = 'AuditIndex1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/audit-index-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_audit_events_org_action`);
  }
}
