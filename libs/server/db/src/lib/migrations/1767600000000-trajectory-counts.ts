import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** An organisation's number of trajectories, kept by triggers, for the caseload's total (#26; sql/clients/trajectory-counts-v1.sql). */
export class TrajectoryCounts1767600000000 implements MigrationInterface {
  name = 'TrajectoryCounts1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('clients/trajectory-counts-v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TRIGGER trajectories_count_added ON trajectories;
       DROP TRIGGER trajectories_count_removed ON trajectories;
       DROP TRIGGER trajectories_keep_organisation ON trajectories;
       DROP TRIGGER trajectories_count_truncated ON trajectories;
       DROP FUNCTION km_trajectory_counts_fold();
       DROP FUNCTION km_trajectory_counts_added();
       DROP FUNCTION km_trajectory_counts_removed();
       DROP FUNCTION km_trajectories_keep_organisation();
       DROP FUNCTION km_trajectory_counts_truncated();
       DROP TABLE trajectory_counts;`,
    );
  }
}
