import type { EntityManager } from 'typeorm';
import { STEP_CODES } from '@klantmonitor/shared/domain';
import type {
  AttainmentCell,
  DropoutCell,
  ExperienceCell,
  ResponseRateCell,
  SupportCell,
  TimeCell,
  WaitingCell,
} from '@klantmonitor/shared/metrics';
import type { AnalyticsQuery } from './analytics-query';

/**
 * Cells from the aggregate functions of the Analytics migration. Keys the query does not group by
 * come back null, so the rows sent from PostgreSQL stay few (grouping happens there). Attainment
 * always comes per client type: its case-mix adjustment needs it.
 */
function cohortArgs(q: AnalyticsQuery): unknown[] {
  return [q.asOf, q.cohortFrom, q.cohortTo, q.municipalities, q.clientTypes];
}
const by = (q: AnalyticsQuery) => ({
  muni: q.groupBy.includes('municipality'),
  type: q.groupBy.includes('clientType'),
  month: q.groupBy.includes('period'),
});
const COHORT = '$1::date, $2::date, $3::date, $4::text[], $5::text[]';

interface Row {
  municipality: string | null;
  client_type: string | null;
  month: string | null;
}
const key = (r: Row) => ({
  municipality: r.municipality,
  clientType: r.client_type,
  month: r.month,
});

export async function attainmentCells(em: EntityManager, q: AnalyticsQuery): Promise<AttainmentCell[]> {
  const b = by(q);
  const rows: (Row & { eligible: string; reached: string })[] = await em.query(
    `SELECT * FROM km_analytics_attainment(${COHORT}, $6, $7, $8, $9)`,
    [...cohortArgs(q), b.muni, b.month, q.step, q.withinDays],
  );
  return rows.map((r) => ({
    ...key(r),
    eligible: Number(r.eligible),
    reached: Number(r.reached),
  }));
}

export async function dropoutCells(em: EntityManager, q: AnalyticsQuery): Promise<DropoutCell[]> {
  const b = by(q);
  const rows: (Row & { n: string; dropped: string; phases: string[] })[] = await em.query(
    `SELECT * FROM km_analytics_dropout(${COHORT}, $6, $7, $8, $9)`,
    [...cohortArgs(q), b.muni, b.type, b.month, q.withinDays ?? null],
  );
  return rows.map((r) => ({
    ...key(r),
    n: Number(r.n),
    dropped: Number(r.dropped),
    byPhase: STEP_CODES.map((_, i) => Number(r.phases[i])),
  }));
}

export async function timeCells(em: EntityManager, q: AnalyticsQuery): Promise<TimeCell[]> {
  const b = by(q);
  const rows: (Row & {
    t: number;
    steps: string;
    dropouts: string;
    censored: string;
  })[] = await em.query(`SELECT * FROM km_analytics_time_to_step(${COHORT}, $6, $7, $8, $9)`, [
    ...cohortArgs(q),
    b.muni,
    b.type,
    b.month,
    q.step,
  ]);
  return rows.map((r) => ({
    ...key(r),
    t: Number(r.t),
    steps: Number(r.steps),
    dropouts: Number(r.dropouts),
    censored: Number(r.censored),
  }));
}

export async function experienceCellsOf(em: EntityManager, q: AnalyticsQuery): Promise<ExperienceCell[]> {
  const b = by(q);
  const rows: (Row & {
    phase: ExperienceCell['phase'];
    n: string;
    total: string;
  })[] = await em.query(`SELECT * FROM km_analytics_experience(${COHORT}, $6, $7, $8, $9)`, [
    ...cohortArgs(q),
    b.muni,
    b.type,
    b.month,
    q.item,
  ]);
  return rows.map((r) => ({
    ...key(r),
    phase: r.phase,
    n: Number(r.n),
    sum: Number(r.total),
  }));
}

export async function supportCells(em: EntityManager, q: AnalyticsQuery): Promise<SupportCell[]> {
  const b = by(q);
  const rows: (Row & {
    n: string;
    with_administrative: string;
    minutes: string[];
  })[] = await em.query(`SELECT * FROM km_analytics_support(${COHORT}, $6, $7, $8)`, [
    ...cohortArgs(q),
    b.muni,
    b.type,
    b.month,
  ]);
  return rows.map((r) => ({
    ...key(r),
    n: Number(r.n),
    withAdministrative: Number(r.with_administrative),
    minutes: r.minutes.map(Number),
  }));
}

export async function responseRateCellsOf(em: EntityManager, q: AnalyticsQuery): Promise<ResponseRateCell[]> {
  const b = by(q);
  const rows: (Row & { sent: string; completed: string; open: string })[] = await em.query(
    `SELECT * FROM km_analytics_response_rate(${COHORT}, $6, $7, $8, $9::date, $10::date)`,
    [...cohortArgs(q), b.muni, b.type, b.month, q.sentFrom ?? null, q.sentTo ?? null],
  );
  return rows.map((r) => ({
    ...key(r),
    sent: Number(r.sent),
    completed: Number(r.completed),
    open: Number(r.open),
  }));
}

/** Waiting time (#26): per group and day, requests seen and censored, and their term counts (cohort by request date). */
export async function waitingCells(em: EntityManager, q: AnalyticsQuery): Promise<WaitingCell[]> {
  const b = by(q);
  const rows: (Row & {
    t: number;
    seen: string;
    censored: string;
    term_due: string;
    term_met: string;
    crisis: string;
  })[] = await em.query(`SELECT * FROM km_analytics_waiting(${COHORT}, $6, $7, $8)`, [
    ...cohortArgs(q),
    b.muni,
    b.type,
    b.month,
  ]);
  return rows.map((r) => ({
    ...key(r),
    t: Number(r.t),
    seen: Number(r.seen),
    censored: Number(r.censored),
    termDue: Number(r.term_due),
    termMet: Number(r.term_met),
    crisis: Number(r.crisis),
  }));
}

/** The steps of km_analytics_attainment_steps, in the order of its `reached` array. */
export const BATCH_STEPS = ['goal_known', 'approach_set', 'iu_in_view', 'iu_in_balance', 'settlement_ready'] as const;

/**
 * Attainment cells of every step after first contact from one scan (the same counts as
 * `attainmentCells` per step; sql/analytics/batch-answers-v1.sql). `q.step` is not used.
 */
export async function attainmentCellsBySteps(
  em: EntityManager,
  q: AnalyticsQuery,
): Promise<Map<string, AttainmentCell[]>> {
  const b = by(q);
  const rows: (Row & { eligible: string; reached: string[] })[] = await em.query(
    `SELECT * FROM km_analytics_attainment_steps(${COHORT}, $6, $7, $8)`,
    [...cohortArgs(q), b.muni, b.month, q.withinDays],
  );
  return new Map(
    BATCH_STEPS.map((step, i) => [
      step,
      rows.map((r) => ({ ...key(r), eligible: Number(r.eligible), reached: Number(r.reached[i]) })),
    ]),
  );
}

/** Experience cells of several items from one scan (the same counts as `experienceCellsOf` per item). */
export async function experienceCellsByItems(
  em: EntityManager,
  q: AnalyticsQuery,
  items: string[],
): Promise<Map<string, ExperienceCell[]>> {
  const b = by(q);
  const rows: (Row & { item: string; phase: ExperienceCell['phase']; n: string; total: string })[] = await em.query(
    `SELECT * FROM km_analytics_experience_items(${COHORT}, $6, $7, $8, $9)`,
    [...cohortArgs(q), b.muni, b.type, b.month, items],
  );
  const out = new Map<string, ExperienceCell[]>(items.map((i) => [i, []]));
  for (const r of rows) out.get(r.item)?.push({ ...key(r), phase: r.phase, n: Number(r.n), sum: Number(r.total) });
  return out;
}
