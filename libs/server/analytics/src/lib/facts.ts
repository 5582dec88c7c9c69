import type { EntityManager } from 'typeorm';
import { INTAKE_ASSESSMENT_DAYS } from '@klantmonitor/shared/metrics';
import { SUPPORT_WINDOW_DAYS } from '@klantmonitor/shared/domain';

export interface RefreshResult {
  trajectories: number;
  responses: number;
  version: number;
  durationMs: number;
}

/**
 * The facts of the current organisation (row-level security scopes every table it reads): one row
 * per trajectory with its municipality, intake client type, effective step dates, dropout and support
 * minutes in the first 90 days. Every join is a hash join over the organisation's own rows, each
 * scanned once: the plan is checked by apps/api-e2e analytics-plan.spec.ts (every node runs once).
 * Parameters: FACTS_PARAMS.
 */
export const FACTS_SQL = `WITH first_assessment AS (
       SELECT DISTINCT ON (a.client_id) a.client_id, a.assessed_on, ct.code
       FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
       ORDER BY a.client_id, a.assessed_on
     ), support AS (
       SELECT sc.trajectory_id,
              sum(sc.minutes) FILTER (WHERE sc.type = 'administrative') AS adm,
              sum(sc.minutes) FILTER (WHERE sc.type = 'financial_coaching') AS fin,
              sum(sc.minutes) FILTER (WHERE sc.type = 'income_management') AS inc,
              sum(sc.minutes) FILTER (WHERE sc.type = 'legal') AS leg,
              sum(sc.minutes) FILTER (WHERE sc.type = 'psychosocial') AS psy
       FROM support_contacts sc JOIN trajectories t2 ON t2.id = sc.trajectory_id
       WHERE sc.occurred_on BETWEEN t2.first_contact AND t2.first_contact + $2::int
       GROUP BY sc.trajectory_id
     ), ins AS (
       INSERT INTO analytics_trajectories (trajectory_id, organisation_id, municipality_code, client_type, type_assessed_on, first_contact,
         eff_goal_known, eff_approach_set, eff_iu_in_view, eff_iu_in_balance, eff_settlement_ready, dropout_on,
         sup_administrative, sup_financial_coaching, sup_income_management, sup_legal, sup_psychosocial)
       SELECT t.id, t.organisation_id, t.municipality_code,
              CASE WHEN fa.assessed_on <= t.first_contact + $1::int THEN fa.code ELSE 'unknown' END,
              CASE WHEN fa.assessed_on <= t.first_contact + $1::int THEN fa.assessed_on END,
              t.first_contact,
              (t.effective_steps ->> 'goal_known')::date, (t.effective_steps ->> 'approach_set')::date,
              (t.effective_steps ->> 'iu_in_view')::date, (t.effective_steps ->> 'iu_in_balance')::date,
              (t.effective_steps ->> 'settlement_ready')::date, t.dropout_on,
              coalesce(s.adm, 0), coalesce(s.fin, 0), coalesce(s.inc, 0), coalesce(s.leg, 0), coalesce(s.psy, 0)
       FROM trajectories t
       LEFT JOIN first_assessment fa ON fa.client_id = t.client_id
       LEFT JOIN support s ON s.trajectory_id = t.id
       WHERE t.first_contact IS NOT NULL
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`;

/**
 * The request facts (#26): one row per request of the organisation, seen or not, with its due date
 * (stored on the trajectory by the one pure function of the term). The client type as for
 * FACTS_SQL, from the first contact, or from the request while it waits. Parameter: the intake window.
 */
export const REQUEST_FACTS_SQL = `WITH first_assessment AS (
       SELECT DISTINCT ON (a.client_id) a.client_id, a.assessed_on, ct.code
       FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
       ORDER BY a.client_id, a.assessed_on
     ), ins AS (
       INSERT INTO analytics_requests (trajectory_id, organisation_id, municipality_code, client_type, type_assessed_on,
         registered_on, first_contact, crisis, due_on)
       SELECT t.id, t.organisation_id, t.municipality_code,
              CASE WHEN fa.assessed_on <= t.started_on + $1::int THEN fa.code ELSE 'unknown' END,
              CASE WHEN fa.assessed_on <= t.started_on + $1::int THEN fa.assessed_on END,
              t.registered_on, t.first_contact, t.crisis IS NOT NULL, t.first_meeting_due
       FROM trajectories t
       LEFT JOIN first_assessment fa ON fa.client_id = t.client_id
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`;

/** The parameters of FACTS_SQL: the intake window and the support window, in days. */
export const FACTS_PARAMS = [INTAKE_ASSESSMENT_DAYS, SUPPORT_WINDOW_DAYS];

/** When the figures were last recomputed (null: never, a fresh install). */
export async function lastRecomputedAt(em: Pick<EntityManager, 'query'>): Promise<Date | null> {
  const [state]: { computed_at: Date | null }[] = await em.query(
    'SELECT computed_at FROM analytics_state WHERE id = 1',
  );
  return state?.computed_at ?? null;
}

/**
 * Rewrites the current organisation's analytics facts (run inside TenantDb.run for that
 * organisation: row-level security scopes every statement). One transaction: readers see the old
 * facts or the new ones, never a mix, and running it twice gives the same rows.
 * The intake type follows docs/metrics.md: the earliest assessment, if it is within 30 days of first
 * contact (the asOf cut happens at query time, through type_assessed_on).
 */
export async function refreshFacts(em: EntityManager): Promise<RefreshResult> {
  const started = Date.now();
  // The joins and sorts of one organisation fit in memory instead of spilling to disk.
  await em.query(`SET LOCAL work_mem = '32MB'`);
  await em.query(`DELETE FROM analytics_trajectories WHERE organisation_id = km_current_organisation_id()`);
  // A deactivated organisation drops out of the benchmark: its facts stay empty until reactivated.
  // Asked here, once, and not as a NOT EXISTS in the statement below: there the planner estimated
  // the anti-join at 1 row and joined the assessments and support per trajectory (quadratic in the
  // organisation's size: 3.6 s instead of 0.1 s for 4,000 trajectories; docs/analytics.md).
  const [org]: { deactivated: boolean }[] = await em.query(
    `SELECT deactivated_at IS NOT NULL AS deactivated FROM organisations WHERE id = km_current_organisation_id()`,
  );
  const inserted: { n: number }[] = org && !org.deactivated ? await em.query(FACTS_SQL, FACTS_PARAMS) : [{ n: 0 }];
  const trajectories = inserted[0].n;
  await em.query(`DELETE FROM analytics_requests WHERE organisation_id = km_current_organisation_id()`);
  if (org && !org.deactivated) await em.query(REQUEST_FACTS_SQL, [INTAKE_ASSESSMENT_DAYS]);
  const responses = await refreshResponseFacts(em);
  const durationMs = Date.now() - started;
  await em.query(
    `INSERT INTO analytics_recomputes (organisation_id, computed_at, trajectories, duration_ms)
     VALUES (km_current_organisation_id(), now(), $1, $2)
     ON CONFLICT (organisation_id) DO UPDATE SET computed_at = excluded.computed_at, trajectories = excluded.trajectories, duration_ms = excluded.duration_ms`,
    [trajectories, durationMs],
  );
  const [rows] = await em.query(
    `UPDATE analytics_state SET version = version + 1, computed_at = now() WHERE id = 1 RETURNING version`,
  );
  return {
    trajectories,
    responses,
    version: Number(rows[0].version),
    durationMs,
  };
}

/**
 * One row per answer of the organisation's trajectories (on or after first contact), with the
 * trajectory's cohort fields, the phase on the answer date and the item scores at the positions of
 * `analytics_items`: a score is kept only when it is a whole number 1..5 (docs/metrics.md), else null.
 * Runs after the trajectory facts, in the same transaction. Call `km_analytics_sync_items()` first
 * (in its own transaction) so new item codes have a position.
 */
async function refreshResponseFacts(em: EntityManager): Promise<number> {
  await em.query(`DELETE FROM analytics_responses WHERE organisation_id = km_current_organisation_id()`);
  const items: { code: string; idx: number }[] = await em.query(`SELECT code, idx FROM analytics_items ORDER BY idx`);
  if (items.length === 0) return 0;
  // Array position = idx (positions without an item, if any, stay null).
  const byIdx = new Map(items.map((i, n) => [i.idx, n + 1]));
  const positions = Array.from({ length: items[items.length - 1].idx }, (_, k) => byIdx.get(k + 1));
  const score = (p: number) =>
    `CASE WHEN jsonb_typeof(r.answers -> $${p}::text) = 'number' THEN ` +
    `CASE WHEN (r.answers ->> $${p}::text)::numeric IN (1, 2, 3, 4, 5) THEN (r.answers ->> $${p}::text)::smallint END END`;
  const inserted: { n: number }[] = await em.query(
    `WITH ins AS (
       INSERT INTO analytics_responses (organisation_id, trajectory_id, municipality_code, client_type, type_assessed_on,
         first_contact, responded_on, phase, scores)
       SELECT f.organisation_id, f.trajectory_id, f.municipality_code, f.client_type, f.type_assessed_on,
              f.first_contact, r.responded_on,
              km_analytics_phase(r.responded_on, f.first_contact, f.eff_goal_known, f.eff_approach_set,
                                 f.eff_iu_in_view, f.eff_iu_in_balance, f.eff_settlement_ready),
              ARRAY[${positions.map((p) => (p ? score(p) : 'NULL')).join(', ')}]::smallint[]
       FROM analytics_trajectories f
       JOIN responses r ON r.trajectory_id = f.trajectory_id
       WHERE r.responded_on >= f.first_contact
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    items.map((i) => i.code),
  );
  return inserted[0].n;
}
