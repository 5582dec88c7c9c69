import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** The entities a list read showed, as a uuid[] (#26; sql/platform/audit-entity-ids-v1.sql). */
export class AuditEntityIds1767800000000 implements MigrationInterface {
  name = 'AuditEntityIds1767800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/audit-entity-ids-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/audit-entity-ids-v1.down.sql'));
  }
}
