import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** "Mijn traject": portal tokens and their lookup (sql/questionnaires/client-portal-v1.sql). */
export class ClientPortal1766400000000 implements MigrationInterface {
  name = 'ClientPortal1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('questionnaires/client-portal-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('questionnaires/client-portal-v1.down.sql'));
  }
}
