import { MigrationInterface, QueryRunner } from 'typeorm';
import { readSqlFile } from '../sql-files';

/** Deactivated organisations take no part in the benchmark (sql/analytics/municipality-min-cells-v2.sql). */
export class BenchmarkActiveOrganisations1766300000000 implements MigrationInterface {
  name = 'BenchmarkActiveOrganisations1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(readSqlFile('analytics/municipality-min-cells-v2.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to v1 (migration 1764200000000): every organisation, active or not.
    await q.query(`
      CREATE OR REPLACE FUNCTION km_analytics_municipality_min_cells()
      RETURNS TABLE (municipality_code text, min_cell integer)
      LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT x.m, max(o.min_cell) FILTER (WHERE x.org IS DISTINCT FROM public.km_current_organisation_id())
        FROM (SELECT om.municipality_code, om.organisation_id FROM public.organisation_municipalities om
              UNION SELECT DISTINCT f.municipality_code, f.organisation_id FROM public.analytics_trajectories f) x (m, org)
        JOIN public.organisations o ON o.id = x.org
        GROUP BY x.m $$`);
  }
}
