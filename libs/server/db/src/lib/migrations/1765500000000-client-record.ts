import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Notes on support contacts (sql/clients/record-v1.sql). */
export class ClientRecord1765500000000 implements MigrationInterface {
  name = 'ClientRecord1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/record-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE support_contacts DROP COLUMN note_enc`);
  }
}
