import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Requests before the first meeting and the legal term (#26; sql/clients/first-meeting-v1.sql, sql/analytics/waiting-time-v1.sql). */
export class FirstMeeting1767300000000 implements MigrationInterface {
  name = 'FirstMeeting1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/first-meeting-v1.sql'));
    await q.query(readSqlFile('analytics/waiting-time-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION km_analytics_waiting(date, date, date, text[], text[], boolean, boolean, boolean);
       DROP FUNCTION km_analytics_request_cells(date, date);`,
    );
    await q.query(readSqlFile('clients/first-meeting-v1.down.sql'));
  }
}
