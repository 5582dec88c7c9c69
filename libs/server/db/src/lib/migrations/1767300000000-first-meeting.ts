import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Requests before the first meeting and the legal term (#26; sql/clients/first-meeting-v1.sql). */
export class FirstMeeting1767300000000 implements MigrationInterface {
  name = 'FirstMeeting1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/first-meeting-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/first-meeting-v1.down.sql'));
  }
}
