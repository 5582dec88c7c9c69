import type { EntityManager } from 'typeorm';
import { INTAKE_ASSESSMENT_DAYS } from '@klantmonitor/shared/metrics';
import { SUPPORT_WINDOW_DAYS } from '@klantmonitor/shared/domain';

export interface RefreshResult {
  trajectories: number;
  version: number;
  durationMs: number;
}

/**
 * Rewrites the current organisation's analytics facts (run inside TenantDb.run for that
 * organisation: row-level security scopes every statement). One transaction: readers see the old
 * facts or the new ones, never a mix, and running it twice gives the same rows.
 * The intake type follows metrics.md: the earliest assessment, if it is within 30 days of first
 * contact (the asOf cut happens at query time, through type_assessed_on).
 */
export async function refreshFacts(em: EntityManager): Promise<RefreshResult> {
  const started = Date.now();
  await em.query(
    `DELETE FROM analytics_trajectories WHERE organisation_id = km_current_organisation_id()`,
  );
  const inserted: { n: number }[] = await em.query(
    `WITH first_assessment AS (
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
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    [INTAKE_ASSESSMENT_DAYS, SUPPORT_WINDOW_DAYS],
  );
  const trajectories = inserted[0].n;
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
  return { trajectories, version: Number(rows[0].version), durationMs };
}
