import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** A step mark in one function call (sql/clients/step-mark-v1.sql). */
export class StepMark1766200000000 implements MigrationInterface {
  name = 'StepMark1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/step-mark-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION km_step_mark(uuid, text, date, uuid, text, uuid, text, jsonb, boolean, text, text, text)`);
  }
}
