import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Every write of the alerts table as functions in one file (sql/alerts/alerts-v1.sql). */
export class AlertFunctions1766100000000 implements MigrationInterface {
  name = 'AlertFunctions1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('alerts/alerts-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      'km_alert_raise(uuid, text, date, jsonb)',
      'km_alert_resolve(uuid, text[])',
      'km_alert_resolve_one(uuid)',
      'km_alert_sync_stalled(uuid, date, date)',
      'km_alerts_raise_stalled()',
      'km_alerts_raise_unanswered(uuid[], date)',
      'km_alerts_resolve_settled(uuid[])',
    ])
      await q.query(`DROP FUNCTION ${fn}`);
  }
}
