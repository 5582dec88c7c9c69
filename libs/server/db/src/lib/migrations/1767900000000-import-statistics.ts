import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Imports may refresh the statistics of alerts and intake answers too (#26; sql/clients/import-statistics-v1.sql). */
export class ImportStatistics1767900000000 implements MigrationInterface {
  name = 'ImportStatistics1767900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/import-statistics-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/import-statistics-v1.down.sql'));
  }
}
