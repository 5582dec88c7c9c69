import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics (metrics.md). A recompute per organisation rewrites its rows of `analytics_trajectories`:
 * one narrow row per trajectory with the effective step dates, dropout, intake client type and
 * support minutes, taken from the source tables in one set-based statement. Figures are then made
 * by SECURITY DEFINER functions that read every organisation's facts (benchmarking is national) but
 * return only counts per municipality, client type and month: no caller ever gets a trajectory row
 * of another organisation. `analytics_results` keeps the answers per data version: unsuppressed
 * (`body`, for callers who ask for another minCell) and suppressed at the default minCell of 10,
 * which is the same for every caller (`default_json`, sent as it is).
 */
const FACT_COLUMNS = `
  trajectory_id uuid, organisation_id uuid, municipality_code text, client_type text, first_contact date,
  eff_goal_known date, eff_approach_set date, eff_iu_in_view date, eff_iu_in_balance date, eff_settlement_ready date,
  dropout_on date, sup_administrative integer, sup_financial_coaching integer, sup_income_management integer,
  sup_legal integer, sup_psychosocial integer`;

const COHORT_ARGS =
  'p_as_of date, p_from date, p_to date, p_munis text[], p_types text[]';
const COHORT_CALL =
  'km_analytics_cohort(p_as_of, p_from, p_to, p_munis, p_types)';
const EFFS =
  'c.first_contact, c.eff_goal_known, c.eff_approach_set, c.eff_iu_in_view, c.eff_iu_in_balance, c.eff_settlement_ready';
const KEYS = `CASE WHEN p_by_muni THEN c.municipality_code END, CASE WHEN p_by_type THEN c.client_type END`;
// PARALLEL SAFE everywhere: national scans may use parallel workers.
const DEFINER =
  'LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp';

const PUBLIC_FUNCTIONS = [
  `km_analytics_attainment(${COHORT_ARGS}, p_by_muni boolean, p_by_month boolean, p_step text, p_within integer)`,
  `km_analytics_dropout(${COHORT_ARGS}, p_by_muni boolean, p_by_type boolean, p_by_month boolean, p_within integer)`,
  `km_analytics_time_to_step(${COHORT_ARGS}, p_by_muni boolean, p_by_type boolean, p_by_month boolean, p_step text)`,
  `km_analytics_experience(${COHORT_ARGS}, p_by_muni boolean, p_by_type boolean, p_by_month boolean, p_item text)`,
  `km_analytics_support(${COHORT_ARGS}, p_by_muni boolean, p_by_type boolean, p_by_month boolean)`,
  `km_analytics_response_rate(${COHORT_ARGS}, p_by_muni boolean, p_by_type boolean, p_by_month boolean, p_sent_from date, p_sent_to date)`,
  'km_analytics_municipalities()',
  'km_analytics_client_types()',
];
const signature = (fn: string) => fn.replace(/p_[a-z_]+ /g, '');

export class Analytics1764100000000 implements MigrationInterface {
  name = 'Analytics1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_trajectories (
        trajectory_id uuid PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        municipality_code text NOT NULL,
        client_type text NOT NULL,
        type_assessed_on date,
        first_contact date NOT NULL,
        eff_goal_known date,
        eff_approach_set date,
        eff_iu_in_view date,
        eff_iu_in_balance date,
        eff_settlement_ready date,
        dropout_on date,
        sup_administrative integer NOT NULL DEFAULT 0,
        sup_financial_coaching integer NOT NULL DEFAULT 0,
        sup_income_management integer NOT NULL DEFAULT 0,
        sup_legal integer NOT NULL DEFAULT 0,
        sup_psychosocial integer NOT NULL DEFAULT 0
      )`);
    await q.query(
      `CREATE INDEX ix_analytics_trajectories_org ON analytics_trajectories (organisation_id)`,
    );
    // A recompute reads one organisation's assessments and support contacts: without these, every
    // organisation's recompute would scan the whole country's rows to find its own.
    await q.query(
      `CREATE INDEX ix_assessments_org_client ON assessments (organisation_id, client_id, assessed_on)`,
    );
    await q.query(
      `CREATE INDEX ix_support_contacts_org ON support_contacts (organisation_id, trajectory_id)`,
    );
    await q.query(`
      CREATE TABLE analytics_recomputes (
        organisation_id uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
        computed_at timestamptz NOT NULL,
        trajectories integer NOT NULL,
        duration_ms integer NOT NULL
      )`);
    // One row: the data version every cached answer is tied to, and when it last changed.
    await q.query(`
      CREATE TABLE analytics_state (
        id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT ck_analytics_state_one CHECK (id = 1),
        version bigint NOT NULL,
        computed_at timestamptz
      )`);
    await q.query(
      `INSERT INTO analytics_state (id, version, computed_at) VALUES (1, 0, NULL)`,
    );
    await q.query(`
      CREATE TABLE analytics_results (
        key text PRIMARY KEY,
        version bigint NOT NULL,
        endpoint text NOT NULL,
        query jsonb NOT NULL,
        body jsonb NOT NULL,
        default_json text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The ready-to-send answer is read on every dashboard request: stored uncompressed, no parsing in between.
    await q.query(
      `ALTER TABLE analytics_results ALTER COLUMN default_json SET STORAGE EXTERNAL`,
    );

    await q.query(
      `GRANT SELECT, INSERT, DELETE ON analytics_trajectories, analytics_recomputes TO klantmonitor_app`,
    );
    await q.query(`GRANT UPDATE ON analytics_recomputes TO klantmonitor_app`);
    await q.query(
      `GRANT SELECT, UPDATE ON analytics_state TO klantmonitor_app`,
    );
    await q.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_results TO klantmonitor_app`,
    );
    await q.query(`DO $$ BEGIN
      IF current_setting('server_version_num')::int >= 170000 THEN
        EXECUTE 'GRANT MAINTAIN ON analytics_trajectories TO klantmonitor_app';
      END IF;
    END $$`);
    for (const table of ['analytics_trajectories', 'analytics_recomputes']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY owner_maintenance ON ${table} TO CURRENT_USER USING (true) WITH CHECK (true)`,
      );
      await q.query(`CREATE POLICY tenant_isolation ON ${table} TO klantmonitor_app
        USING (organisation_id = km_current_organisation_id())
        WITH CHECK (organisation_id = km_current_organisation_id())`);
    }

    // The phase on a date: the last step whose effective date is on or before it (eff is monotone).
    await q.query(`
      CREATE FUNCTION km_analytics_phase(d date, fc date, g date, a date, v date, b date, s date) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN s <= d THEN 'settlement_ready' WHEN b <= d THEN 'iu_in_balance' WHEN v <= d THEN 'iu_in_view'
                    WHEN a <= d THEN 'approach_set' WHEN g <= d THEN 'goal_known' ELSE 'first_contact' END $$`);
    await q.query(`
      CREATE FUNCTION km_analytics_step(p_step text, fc date, g date, a date, v date, b date, s date) RETURNS date
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE p_step WHEN 'first_contact' THEN fc WHEN 'goal_known' THEN g WHEN 'approach_set' THEN a
                           WHEN 'iu_in_view' THEN v WHEN 'iu_in_balance' THEN b WHEN 'settlement_ready' THEN s END $$`);
    // The cohort on asOf (metrics.md): events after asOf ignored, intake type unknown if assessed after asOf.
    // Not callable by the app role: only the aggregating functions below use it.
    await q.query(`
      CREATE FUNCTION km_analytics_cohort(${COHORT_ARGS}) RETURNS TABLE (${FACT_COLUMNS})
      LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT * FROM (
          SELECT f.trajectory_id, f.organisation_id, f.municipality_code,
                 CASE WHEN f.type_assessed_on <= p_as_of THEN f.client_type ELSE 'unknown' END,
                 f.first_contact,
                 CASE WHEN f.eff_goal_known <= p_as_of THEN f.eff_goal_known END,
                 CASE WHEN f.eff_approach_set <= p_as_of THEN f.eff_approach_set END,
                 CASE WHEN f.eff_iu_in_view <= p_as_of THEN f.eff_iu_in_view END,
                 CASE WHEN f.eff_iu_in_balance <= p_as_of THEN f.eff_iu_in_balance END,
                 CASE WHEN f.eff_settlement_ready <= p_as_of THEN f.eff_settlement_ready END,
                 CASE WHEN f.dropout_on <= p_as_of THEN f.dropout_on END,
                 f.sup_administrative, f.sup_financial_coaching, f.sup_income_management, f.sup_legal, f.sup_psychosocial
          FROM analytics_trajectories f
          WHERE f.first_contact <= p_as_of
            AND (p_from IS NULL OR f.first_contact >= p_from)
            AND (p_to IS NULL OR f.first_contact <= p_to)
            AND (p_munis IS NULL OR f.municipality_code = ANY (p_munis))
        ) c (${FACT_COLUMNS.replace(/ (uuid|text|date|integer)/g, '')})
        WHERE p_types IS NULL OR c.client_type = ANY (p_types) $$`);

    // Step attainment: eligible when the D-day window is complete; reached when days(eff) <= D.
    // Always per client type: the case-mix adjustment needs it.
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[0]}
      RETURNS TABLE (municipality text, client_type text, month text, eligible bigint, reached bigint) ${DEFINER} AS $$
        SELECT CASE WHEN p_by_muni THEN c.municipality_code END, c.client_type,
               CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END,
               count(*), count(*) FILTER (WHERE km_analytics_step(p_step, ${EFFS}) - c.first_contact <= p_within)
        FROM ${COHORT_CALL} c
        WHERE c.first_contact + p_within <= p_as_of
        GROUP BY 1, 2, 3 $$`);
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[1]}
      RETURNS TABLE (municipality text, client_type text, month text, n bigint, dropped bigint, phases bigint[]) ${DEFINER} AS $$
        SELECT ${KEYS}, CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END,
               count(*), count(*) FILTER (WHERE x.dropped),
               ARRAY[count(*) FILTER (WHERE x.dropped AND x.phase = 'first_contact'), count(*) FILTER (WHERE x.dropped AND x.phase = 'goal_known'),
                     count(*) FILTER (WHERE x.dropped AND x.phase = 'approach_set'), count(*) FILTER (WHERE x.dropped AND x.phase = 'iu_in_view'),
                     count(*) FILTER (WHERE x.dropped AND x.phase = 'iu_in_balance'), count(*) FILTER (WHERE x.dropped AND x.phase = 'settlement_ready')]
        FROM ${COHORT_CALL} c
        CROSS JOIN LATERAL (SELECT c.dropout_on IS NOT NULL AND (p_within IS NULL OR c.dropout_on - c.first_contact <= p_within) AS dropped,
                                   km_analytics_phase(c.dropout_on, ${EFFS}) AS phase) x
        WHERE p_within IS NULL OR c.first_contact + p_within <= p_as_of
        GROUP BY 1, 2, 3 $$`);
    // Time to step: T and event per trajectory (step wins a same-day dropout), counted per day.
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[2]}
      RETURNS TABLE (municipality text, client_type text, month text, t integer, steps bigint, dropouts bigint, censored bigint) ${DEFINER} AS $$
        SELECT ${KEYS}, CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END, o.t,
               count(*) FILTER (WHERE o.kind = 1), count(*) FILTER (WHERE o.kind = 2), count(*) FILTER (WHERE o.kind = 0)
        FROM ${COHORT_CALL} c
        CROSS JOIN LATERAL (SELECT km_analytics_step(p_step, ${EFFS}) AS eff) s
        CROSS JOIN LATERAL (SELECT
            CASE WHEN s.eff IS NOT NULL AND (c.dropout_on IS NULL OR c.dropout_on >= s.eff) THEN s.eff - c.first_contact
                 WHEN c.dropout_on IS NOT NULL THEN c.dropout_on - c.first_contact ELSE p_as_of - c.first_contact END AS t,
            CASE WHEN s.eff IS NOT NULL AND (c.dropout_on IS NULL OR c.dropout_on >= s.eff) THEN 1
                 WHEN c.dropout_on IS NOT NULL THEN 2 ELSE 0 END AS kind) o
        GROUP BY 1, 2, 3, 4 $$`);
    // Experience: answers on or before asOf, in the phase of their date; only whole scores 1..5.
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[3]}
      RETURNS TABLE (municipality text, client_type text, month text, phase text, n bigint, total numeric) ${DEFINER} AS $$
        SELECT ${KEYS}, CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END,
               km_analytics_phase(r.responded_on, ${EFFS}), count(*), sum(a.v)
        FROM ${COHORT_CALL} c
        JOIN responses r ON r.trajectory_id = c.trajectory_id
        CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(r.answers -> p_item) = 'number' THEN (r.answers ->> p_item)::numeric END AS v) a
        WHERE r.responded_on <= p_as_of AND r.responded_on >= c.first_contact AND a.v IN (1, 2, 3, 4, 5)
        GROUP BY 1, 2, 3, 4 $$`);
    // Support: trajectories whose first 90 days are over on asOf; minutes were summed by the recompute.
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[4]}
      RETURNS TABLE (municipality text, client_type text, month text, n bigint, with_administrative bigint, minutes bigint[]) ${DEFINER} AS $$
        SELECT ${KEYS}, CASE WHEN p_by_month THEN to_char(c.first_contact, 'YYYY-MM') END,
               count(*), count(*) FILTER (WHERE c.sup_administrative > 0),
               ARRAY[sum(c.sup_administrative), sum(c.sup_financial_coaching), sum(c.sup_income_management), sum(c.sup_legal), sum(c.sup_psychosocial)]::bigint[]
        FROM ${COHORT_CALL} c
        WHERE c.first_contact + 90 <= p_as_of
        GROUP BY 1, 2, 3 $$`);
    // Response rate: invitations sent in the period (by month of sending), completed on or before their last day.
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[5]}
      RETURNS TABLE (municipality text, client_type text, month text, sent bigint, completed bigint, open bigint) ${DEFINER} AS $$
        SELECT ${KEYS}, CASE WHEN p_by_month THEN to_char(i.sent_on, 'YYYY-MM') END,
               count(*), count(*) FILTER (WHERE x.done), count(*) FILTER (WHERE NOT x.done AND i.expires_on >= p_as_of)
        FROM ${COHORT_CALL} c
        JOIN invitations i ON i.trajectory_id = c.trajectory_id AND i.sent_on IS NOT NULL
        CROSS JOIN LATERAL (SELECT coalesce((i.completed_at AT TIME ZONE 'Europe/Amsterdam')::date <= least(i.expires_on, p_as_of), false) AS done) x
        WHERE i.sent_on <= p_as_of AND (p_sent_from IS NULL OR i.sent_on >= p_sent_from) AND (p_sent_to IS NULL OR i.sent_on <= p_sent_to)
        GROUP BY 1, 2, 3 $$`);
    // Which municipalities take part, and whether the caller's organisation and others have data there.
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[6]}
      RETURNS TABLE (municipality_code text, own boolean, others boolean) ${DEFINER} AS $$
        SELECT x.m, bool_or(x.o = km_current_organisation_id()), bool_or(x.o IS DISTINCT FROM km_current_organisation_id())
        FROM (SELECT om.municipality_code, om.organisation_id FROM organisation_municipalities om
              UNION SELECT DISTINCT f.municipality_code, f.organisation_id FROM analytics_trajectories f) x (m, o)
        GROUP BY x.m $$`);
    await q.query(`
      CREATE FUNCTION ${PUBLIC_FUNCTIONS[7]}
      RETURNS TABLE (code text) ${DEFINER} AS $$
        SELECT 'unknown' UNION SELECT ct.code FROM client_types ct UNION SELECT DISTINCT f.client_type FROM analytics_trajectories f $$`);

    for (const fn of [
      'km_analytics_cohort(date, date, date, text[], text[])',
      'km_analytics_phase(date, date, date, date, date, date, date)',
      'km_analytics_step(text, date, date, date, date, date, date)',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    }
    for (const fn of PUBLIC_FUNCTIONS) {
      await q.query(`REVOKE ALL ON FUNCTION ${signature(fn)} FROM PUBLIC`);
      await q.query(
        `GRANT EXECUTE ON FUNCTION ${signature(fn)} TO klantmonitor_app`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      ...PUBLIC_FUNCTIONS.map(signature),
      'km_analytics_cohort(date, date, date, text[], text[])',
      'km_analytics_phase(date, date, date, date, date, date, date)',
      'km_analytics_step(text, date, date, date, date, date, date)',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    for (const table of [
      'analytics_results',
      'analytics_state',
      'analytics_recomputes',
      'analytics_trajectories',
    ])
      await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP INDEX ix_support_contacts_org`);
    await q.query(`DROP INDEX ix_assessments_org_client`);
  }
}
