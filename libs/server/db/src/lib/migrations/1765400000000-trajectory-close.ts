import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** A reason for closing a trajectory (sql/clients/close-v1.sql). */
export class TrajectoryClose1765400000000 implements MigrationInterface {
  name = 'TrajectoryClose1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/close-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trajectories DROP COLUMN closed_reason`);
  }
}
