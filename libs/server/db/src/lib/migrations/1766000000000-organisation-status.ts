import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Organisations that can be deactivated (sql/platform/organisation-status-v1.sql). */
export class OrganisationStatus1766000000000 implements MigrationInterface {
  name = 'OrganisationStatus1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/organisation-status-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('platform/organisation-status-v1.down.sql'));
  }
}
