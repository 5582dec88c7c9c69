import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Faster recompute and experience figures at national scale (quality.md: a full recompute within
 * 30 s).
 *
 * - `analytics_responses`: one narrow row per questionnaire answer, written by the recompute next to
 *   `analytics_trajectories`. It carries the trajectory's cohort fields, the phase on the answer
 *   date and the whole scores 1..5 as a smallint array, so experience figures are one scan of a
 *   narrow table instead of a join of every answer with every trajectory (2.1 s -> about 0.3 s).
 *   The phase can be stored: an answer counts only when its date is on or before `asOf`, and a step
 *   on or before the answer date is then on or before `asOf` too, so the phase never depends on
 *   `asOf`. The client type does (assessed after `asOf` is `unknown`), so that is cut at query time.
 * - `analytics_items`: the position of each questionnaire item in those arrays.
 * - `km_analytics_municipality_min_cells()`: every municipality that takes part, with the strictest
 *   small-cell setting (`organisations.min_cell`) of the other organisations that serve it or have
 *   data there (null when only the caller's organisation does), in one scan of the facts, so
 *   each organisation's own setting also protects its figures towards everyone else (metrics.md:
 *   minCell is per organisation, never below 5). `analytics_state.settings_version` changes with
 *   every setting, so api processes know when to read them again.
 * - The facts lose their foreign keys: checking two keys per inserted row took half the recompute.
 *   They are derived data, rewritten per organisation; a trigger removes a deleted trajectory's
 *   facts at once (what ON DELETE CASCADE did), and an organisation's deletion reaches them through
 *   its trajectories.
 */
const COHORT_ARGS =
  'p_as_of date, p_from date, p_to date, p_munis text[], p_types text[]';
const EXPERIENCE = `km_analytics_experience(${COHORT_ARGS}, p_by_muni boolean, p_by_type boolean, p_by_month boolean, p_item text)`;
const EXPERIENCE_RETURNS =
  'RETURNS TABLE (municipality text, client_type text, month text, phase text, n bigint, total numeric)';
const DEFINER =
  'LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp';

export class AnalyticsAnswers1764200000000 implements MigrationInterface {
  name = 'AnalyticsAnswers1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_items (
        code text PRIMARY KEY,
        idx smallint NOT NULL CONSTRAINT uq_analytics_items_idx UNIQUE CONSTRAINT ck_analytics_items_idx CHECK (idx >= 1)
      )`);
    // New item codes get the next positions; existing ones never move (stored arrays stay valid).
    await q.query(`
      CREATE FUNCTION km_analytics_sync_items() RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE added integer;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('analytics-items'));
        INSERT INTO analytics_items (code, idx)
        SELECT x.code, (SELECT coalesce(max(idx), 0) FROM analytics_items) + row_number() OVER (ORDER BY x.code)
        FROM (SELECT DISTINCT i ->> 'code' AS code FROM questionnaire_templates t, jsonb_array_elements(t.items) i) x
        WHERE x.code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM analytics_items a WHERE a.code = x.code);
        GET DIAGNOSTICS added = ROW_COUNT;
        RETURN added;
      END $$`);
    await q.query(`SELECT km_analytics_sync_items()`);

    await q.query(`
      CREATE TABLE analytics_responses (
        organisation_id uuid NOT NULL,
        trajectory_id uuid NOT NULL,
        municipality_code text NOT NULL,
        client_type text NOT NULL,
        type_assessed_on date,
        first_contact date NOT NULL,
        responded_on date NOT NULL,
        phase text NOT NULL,
        scores smallint[] NOT NULL
      )`);
    await q.query(
      `CREATE INDEX ix_analytics_responses_org ON analytics_responses (organisation_id)`,
    );
    await q.query(`ALTER TABLE analytics_trajectories
      DROP CONSTRAINT analytics_trajectories_trajectory_id_fkey,
      DROP CONSTRAINT analytics_trajectories_organisation_id_fkey`);

    // A deleted trajectory's facts go with it (one pass per statement, however many rows).
    await q.query(`
      CREATE FUNCTION km_analytics_forget_trajectories() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        DELETE FROM analytics_trajectories f USING gone g WHERE f.trajectory_id = g.id;
        DELETE FROM analytics_responses r USING gone g WHERE r.trajectory_id = g.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tg_trajectories_forget_analytics AFTER DELETE ON trajectories
      REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION km_analytics_forget_trajectories()`);

    await q.query(`ALTER TABLE analytics_responses ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE analytics_responses FORCE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY owner_maintenance ON analytics_responses TO CURRENT_USER USING (true) WITH CHECK (true)`,
    );
    await q.query(`CREATE POLICY tenant_isolation ON analytics_responses TO klantmonitor_app
      USING (organisation_id = km_current_organisation_id())
      WITH CHECK (organisation_id = km_current_organisation_id())`);
    await q.query(
      `GRANT SELECT, INSERT, DELETE ON analytics_responses TO klantmonitor_app`,
    );
    await q.query(`GRANT SELECT ON analytics_items TO klantmonitor_app`);
    await q.query(`DO $$ BEGIN
      IF current_setting('server_version_num')::int >= 170000 THEN
        EXECUTE 'GRANT MAINTAIN ON analytics_responses TO klantmonitor_app';
      END IF;
    END $$`);
    for (const fn of [
      'km_analytics_sync_items()',
      'km_analytics_forget_trajectories()',
    ])
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    await q.query(
      `GRANT EXECUTE ON FUNCTION km_analytics_sync_items() TO klantmonitor_app`,
    );
    // The recompute (as the app role) stores the phase of each answer: a pure function of dates.
    await q.query(
      `GRANT EXECUTE ON FUNCTION km_analytics_phase(date, date, date, date, date, date, date) TO klantmonitor_app`,
    );

    await q.query(`
      CREATE FUNCTION km_analytics_municipality_min_cells()
      RETURNS TABLE (municipality_code text, min_cell integer) ${DEFINER} AS $$
        SELECT x.m, max(o.min_cell) FILTER (WHERE x.org IS DISTINCT FROM km_current_organisation_id())
        FROM (SELECT om.municipality_code, om.organisation_id FROM organisation_municipalities om
              UNION SELECT DISTINCT f.municipality_code, f.organisation_id FROM analytics_trajectories f) x (m, org)
        JOIN organisations o ON o.id = x.org
        GROUP BY x.m $$`);
    await q.query(
      `REVOKE ALL ON FUNCTION km_analytics_municipality_min_cells() FROM PUBLIC`,
    );
    await q.query(
      `GRANT EXECUTE ON FUNCTION km_analytics_municipality_min_cells() TO klantmonitor_app`,
    );

    // Bumped by every change of a small-cell setting: api instances keep settings per version.
    await q.query(
      `ALTER TABLE analytics_state ADD COLUMN settings_version bigint NOT NULL DEFAULT 0`,
    );

    // Experience from the answer facts: same arguments, same rows as before.
    await q.query(`
      CREATE OR REPLACE FUNCTION ${EXPERIENCE} ${EXPERIENCE_RETURNS} ${DEFINER} AS $$
        SELECT CASE WHEN p_by_muni THEN r.municipality_code END, CASE WHEN p_by_type THEN x.client_type END,
               CASE WHEN p_by_month THEN to_char(r.first_contact, 'YYYY-MM') END,
               r.phase, count(*), sum(r.scores[i.idx])
        FROM analytics_responses r
        CROSS JOIN (SELECT idx FROM analytics_items WHERE code = p_item) i
        CROSS JOIN LATERAL (SELECT CASE WHEN r.type_assessed_on <= p_as_of THEN r.client_type ELSE 'unknown' END AS client_type) x
        WHERE r.responded_on <= p_as_of AND r.first_contact <= p_as_of
          AND (p_from IS NULL OR r.first_contact >= p_from)
          AND (p_to IS NULL OR r.first_contact <= p_to)
          AND (p_munis IS NULL OR r.municipality_code = ANY (p_munis))
          AND (p_types IS NULL OR x.client_type = ANY (p_types))
          AND r.scores[i.idx] IS NOT NULL
        GROUP BY 1, 2, 3, 4 $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    const EFFS =
      'c.first_contact, c.eff_goal_known, c.eff_approach_set, c.eff_iu_in_view, c.eff_iu_in_balance, c.eff_settlement_ready';
    await q.query(`
      CREATE OR REPLACE FUNCTION ${EXPERIENCE} ${EXPERIENCE_RETURNS} ${DEFINER} AS $$
        SELECT CASE WHEN p_by_muni THEN c.municipality_code END, CASE WHEN p_by_type THEN c.client_type END,
               CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END,
               km_analytics_phase(r.responded_on, ${EFFS}), count(*), sum(a.v)
        FROM km_analytics_cohort(p_as_of, p_from, p_to, p_munis, p_types) c
        JOIN responses r ON r.trajectory_id = c.trajectory_id
        CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(r.answers -> p_item) = 'number' THEN (r.answers ->> p_item)::numeric END AS v) a
        WHERE r.responded_on <= p_as_of AND r.responded_on >= c.first_contact AND a.v IN (1, 2, 3, 4, 5)
        GROUP BY 1, 2, 3, 4 $$`);
    await q.query(`DROP FUNCTION km_analytics_municipality_min_cells()`);
    await q.query(`ALTER TABLE analytics_state DROP COLUMN settings_version`);
    await q.query(
      `REVOKE EXECUTE ON FUNCTION km_analytics_phase(date, date, date, date, date, date, date) FROM klantmonitor_app`,
    );
    await q.query(
      `DROP TRIGGER tg_trajectories_forget_analytics ON trajectories`,
    );
    await q.query(`DROP FUNCTION km_analytics_forget_trajectories()`);
    await q.query(`DROP TABLE analytics_responses`);
    await q.query(`DROP FUNCTION km_analytics_sync_items()`);
    await q.query(`DROP TABLE analytics_items`);
    // Facts may name trajectories that are gone: the keys come back on clean facts only.
    await q.query(`TRUNCATE analytics_trajectories`);
    await q.query(`ALTER TABLE analytics_trajectories
      ADD CONSTRAINT analytics_trajectories_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectories (id) ON DELETE CASCADE,
      ADD CONSTRAINT analytics_trajectories_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES organisations (id) ON DELETE CASCADE`);
  }
}
