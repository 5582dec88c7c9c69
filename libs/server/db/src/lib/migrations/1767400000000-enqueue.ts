import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** One way into the outbox, km_enqueue, also for the step mark (#26; sql/queues/enqueue-v1.sql). */
export class Enqueue1767400000000 implements MigrationInterface {
  name = 'Enqueue1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('queues/enqueue-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('queues/enqueue-v1.down.sql'));
  }
}
