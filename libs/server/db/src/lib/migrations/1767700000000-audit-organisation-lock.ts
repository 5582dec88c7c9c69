import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Audited reads no longer lock their organisation's row (#26; sql/platform/audit-organisation-lock-v1.sql). */
export class AuditOrganisationLock1767700000000 implements MigrationInterface {
  name = 'AuditOrganisationLock1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/audit-organisation-lock-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/audit-organisation-lock-v1.down.sql'));
  }
}
