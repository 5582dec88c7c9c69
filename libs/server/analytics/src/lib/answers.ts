import type { EntityManager } from 'typeorm';
import { DEFAULT_MIN_CELL, MIN_CELL_FLOOR } from '@klantmonitor/shared/domain';
import type { MinCellFor } from '@klantmonitor/shared/metrics';
import { cacheKey, type AnalyticsEndpoint, type AnalyticsQuery } from './analytics-query';
import { attainmentCellsBySteps, BATCH_STEPS, experienceCellsByItems } from './cells';
import { METRICS } from './metric-registry';

/** Rows and total before suppression. */
export interface RawAnswer {
  rows: object[];
  total: unknown;
}

export interface StoredAnswer {
  answer: RawAnswer;
  computedAt: string | null;
  version: number;
  fromCache: boolean;
}

/**
 * Small cells suppressed, per row threshold. `secondary: false`: the thresholds only (protected
 * answers: their pattern, stored for the whole table, already holds the secondary rule).
 */
export function suppressAnswer(
  endpoint: AnalyticsEndpoint,
  answer: RawAnswer,
  minCellFor: MinCellFor,
  secondary = true,
): RawAnswer {
  return METRICS[endpoint].suppress(answer, minCellFor, secondary);
}

/**
 * The answer as it is kept in analytics_results: rows below the floor no caller can go under
 * (MIN_CELL_FLOOR) already hidden, so the table holds no such small cells (security review, #11).
 * Nothing is lost: those rows are hidden for everyone, and secondary suppression, applied when an
 * answer is served, only needs the denominators of rows that may be shown.
 */
export function floorAnswer(endpoint: AnalyticsEndpoint, answer: RawAnswer): RawAnswer {
  return METRICS[endpoint].suppress(answer, () => MIN_CELL_FLOOR, false);
}

/**
 * The answer suppressed at the default minCell, as the JSON members `"rows":...,"total":...`. The
 * same for every caller: other organisations' rows never go below the default anyway.
 */
export function defaultJson(endpoint: AnalyticsEndpoint, answer: RawAnswer): string {
  const s = suppressAnswer(endpoint, answer, () => DEFAULT_MIN_CELL);
  return `"rows":${JSON.stringify(s.rows)},"total":${JSON.stringify(s.total)}`;
}

/** One stored column of the answer to `q`, with the current data version (one round trip). */
async function readStored<T>(
  em: EntityManager,
  q: AnalyticsQuery,
  column: 'default_json' | 'body',
): Promise<{ version: number; computedAt: string | null; value: T | null }> {
  const [row]: {
    version: string;
    computed_at: Date | null;
    value: T | null;
  }[] = await em.query(
    `SELECT s.version, s.computed_at, r.${column} AS value FROM analytics_state s LEFT JOIN analytics_results r ON r.key = $1 AND r.version = s.version WHERE s.id = 1`,
    [cacheKey(q)],
  );
  return {
    version: Number(row.version),
    computedAt: row.computed_at ? new Date(row.computed_at).toISOString() : null,
    value: row.value,
  };
}

/** A stored answer ready to send, or null when there is none for the current data version. */
export async function readDefaultAnswer(
  em: EntityManager,
  q: AnalyticsQuery,
): Promise<{
  version: number;
  computedAt: string | null;
  json: string | null;
}> {
  const s = await readStored<string>(em, q, 'default_json');
  return { version: s.version, computedAt: s.computedAt, json: s.value };
}

/*
 * Per endpoint its cells and figures come from the registry (METRICS). The cells may be finer than the
 * query groups by (a municipality and a client type where it groups by one of them): every figure is
 * made of sums of counts over a row's cells, so the answer is the same.
 */
const cellsOf = (em: EntityManager, q: AnalyticsQuery) => METRICS[q.endpoint].cells(em, q);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const answerFromCells = (q: AnalyticsQuery, cells: any[]): RawAnswer =>
  METRICS[q.endpoint].compute(cells, { groupBy: q.groupBy, periodUnit: q.periodUnit }, q) as RawAnswer;

/** The figures of one query from the aggregate functions and the metrics library. */
export async function computeAnswer(em: EntityManager, q: AnalyticsQuery): Promise<RawAnswer> {
  return answerFromCells(q, await cellsOf(em, q));
}

/**
 * Queries whose answers come from one SQL scan (#27: the answers computed ahead after a recompute
 * were one scan of the national facts each, half of the recompute):
 *   - `steps`: step attainment of several steps (and by municipality and by client type), one
 *     call of km_analytics_attainment_steps;
 *   - `items`: experience of several items, one call of km_analytics_experience_items;
 *   - `groupings`: dropout, support or response rate by municipality and by client type, one call
 *     that counts per municipality and client type;
 *   - `single`: everything else (time to step: its cells per day would multiply).
 */
export interface AnswerBatch {
  kind: 'single' | 'steps' | 'items' | 'groupings';
  queries: AnalyticsQuery[];
}

const ONE_OF = (g: readonly string[]) => g.length === 1 && (g[0] === 'municipality' || g[0] === 'clientType');
const ADDITIVE: AnalyticsEndpoint[] = ['dropout', 'support', 'response-rate', 'waiting-time'];

/** What of a query a batch may vary; the rest must be equal. Null: the query is computed alone. */
function batchOf(q: AnalyticsQuery): { kind: AnswerBatch['kind']; same: string } | null {
  const rest = (omit: (keyof AnalyticsQuery)[]) =>
    JSON.stringify(
      Object.entries(q)
        .filter(([k, v]) => !omit.includes(k as keyof AnalyticsQuery) && v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  if (
    q.endpoint === 'step-attainment' &&
    ONE_OF(q.groupBy) &&
    (BATCH_STEPS as readonly string[]).includes(q.step ?? '')
  )
    return { kind: 'steps', same: rest(['step', 'groupBy']) };
  if (q.endpoint === 'experience' && q.item !== undefined) return { kind: 'items', same: rest(['item']) };
  if (ADDITIVE.includes(q.endpoint) && ONE_OF(q.groupBy)) return { kind: 'groupings', same: rest(['groupBy']) };
  return null;
}

/** The queries in batches (pure; order kept: a batch stands where its first query stood). */
export function planBatches(queries: AnalyticsQuery[]): AnswerBatch[] {
  const out: AnswerBatch[] = [];
  const open = new Map<string, AnswerBatch>();
  for (const q of queries) {
    const b = batchOf(q);
    if (!b) {
      out.push({ kind: 'single', queries: [q] });
      continue;
    }
    const key = `${b.kind}\u0000${b.same}`;
    const batch = open.get(key);
    if (batch) batch.queries.push(q);
    else {
      const created: AnswerBatch = { kind: b.kind, queries: [q] };
      open.set(key, created);
      out.push(created);
    }
  }
  return out.map((b) => (b.queries.length === 1 ? { kind: 'single', queries: b.queries } : b));
}

/** The answers of a batch's queries, in its order, from one aggregate call. */
export async function computeBatch(em: EntityManager, batch: AnswerBatch): Promise<RawAnswer[]> {
  const [first] = batch.queries;
  switch (batch.kind) {
    case 'single':
      return [await computeAnswer(em, first)];
    case 'steps': {
      const byMuni = batch.queries.some((q) => q.groupBy.includes('municipality'));
      const cells = await attainmentCellsBySteps(em, { ...first, groupBy: [byMuni ? 'municipality' : 'clientType'] });
      return batch.queries.map((q) => answerFromCells(q, cells.get(q.step as string) ?? []));
    }
    case 'items': {
      const cells = await experienceCellsByItems(
        em,
        first,
        batch.queries.map((q) => q.item as string),
      );
      return batch.queries.map((q) => answerFromCells(q, cells.get(q.item as string) ?? []));
    }
    case 'groupings': {
      const cells = await cellsOf(em, { ...first, groupBy: ['municipality', 'clientType'] });
      return batch.queries.map((q) => answerFromCells(q, cells));
    }
  }
}

/** The current data version and which of these answers are stored for it (keys only: bodies are up to 1 MB). */
async function storedFor(
  em: EntityManager,
  queries: AnalyticsQuery[],
): Promise<{ version: number; stored: Set<string> }> {
  const [state]: { version: string; stored: string[] }[] = await em.query(
    `SELECT s.version, coalesce(array_agg(r.key) FILTER (WHERE r.key IS NOT NULL), '{}') AS stored
     FROM analytics_state s LEFT JOIN analytics_results r ON r.key = ANY ($1::text[]) AND r.version = s.version
     WHERE s.id = 1 GROUP BY s.version`,
    [[...new Set(queries.map((q) => cacheKey(q)))]],
  );
  return { version: Number(state.version), stored: new Set(state.stored) };
}

/** How many of these answers are not stored for the current data version. */
export async function missingAnswers(em: EntityManager, queries: AnalyticsQuery[]): Promise<number> {
  const { stored } = await storedFor(em, queries);
  return queries.filter((q) => !stored.has(cacheKey(q))).length;
}

/**
 * The answers of a batch for the current data version: those not stored yet are computed together
 * and stored. Returns how many were computed (0 when all were stored already).
 */
export async function warmBatch(em: EntityManager, batch: AnswerBatch): Promise<number> {
  const { version, stored } = await storedFor(em, batch.queries);
  const missing = batch.queries.filter((q) => !stored.has(cacheKey(q)));
  if (missing.length === 0) return 0;
  const answers = await computeBatch(em, { kind: batch.kind, queries: missing });
  for (const [i, q] of missing.entries()) {
    const answer = floorAnswer(q.endpoint, answers[i]);
    await storeAnswer(em, cacheKey(q), q, version, answer, defaultJson(q.endpoint, answer));
  }
  return missing.length;
}

/**
 * Computes the answer and keeps it under `version`, which the caller read before computing: an
 * answer is never stored under a newer version than its data. Returns it and its ready JSON.
 */
export async function computeAndStore(
  em: EntityManager,
  q: AnalyticsQuery,
  version: number,
): Promise<{ answer: RawAnswer; json: string }> {
  const answer = floorAnswer(q.endpoint, await computeAnswer(em, q));
  const json = defaultJson(q.endpoint, answer);
  await storeAnswer(em, cacheKey(q), q, version, answer, json);
  return { answer, json };
}

/**
 * The raw answer for the current data version: one round trip when it was computed before (the
 * dashboards' usual questions are computed ahead by the worker), else computed and kept.
 */
export async function answerFor(em: EntityManager, q: AnalyticsQuery): Promise<StoredAnswer> {
  const s = await readStored<RawAnswer>(em, q, 'body');
  if (s.value)
    return {
      answer: s.value,
      computedAt: s.computedAt,
      version: s.version,
      fromCache: true,
    };
  const { answer } = await computeAndStore(em, q, s.version);
  return {
    answer,
    computedAt: s.computedAt,
    version: s.version,
    fromCache: false,
  };
}

async function storeAnswer(
  em: EntityManager,
  key: string,
  q: AnalyticsQuery,
  version: number,
  answer: RawAnswer,
  json: string,
): Promise<void> {
  await em.query(
    `INSERT INTO analytics_results (key, version, endpoint, query, body, default_json) VALUES ($1, $2, $3, $6, $4, $5)
     ON CONFLICT (key) DO UPDATE SET version = excluded.version, body = excluded.body, default_json = excluded.default_json, created_at = now()
     WHERE analytics_results.version < excluded.version`,
    [key, version, q.endpoint, JSON.stringify(answer), json, JSON.stringify(q)],
  );
}

/** Answers of older data versions are never read again. */
export async function pruneAnswers(em: EntityManager): Promise<number> {
  const [, count] = await em.query(
    `DELETE FROM analytics_results WHERE version < (SELECT version FROM analytics_state WHERE id = 1)`,
  );
  return Number(count ?? 0);
}
