import type { EntityManager } from 'typeorm';
import { DEFAULT_MIN_CELL, MIN_CELL_FLOOR } from '@klantmonitor/shared/domain';
import {
  suppressAttainmentAnswer,
  suppressDropoutAnswer,
  suppressExperienceAnswer,
  suppressResponseRateAnswer,
  suppressSupportAnswer,
  suppressTimeToStepAnswer,
  type MinCellFor,
  dropout,
  experience,
  responseRate,
  stepAttainment,
  support,
  timeToStep,
  DEFAULT_CURVE_DAYS,
  type Grouping,
} from '@klantmonitor/shared/metrics';
import { cacheKey, type AnalyticsEndpoint, type AnalyticsQuery } from './analytics-query';
import {
  attainmentCells,
  dropoutCells,
  experienceCellsOf,
  responseRateCellsOf,
  supportCells,
  timeCells,
} from './cells';

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const SUPPRESS: Record<AnalyticsEndpoint, (a: any, f: MinCellFor, secondary?: boolean) => RawAnswer> = {
  'step-attainment': suppressAttainmentAnswer,
  dropout: suppressDropoutAnswer,
  'time-to-step': suppressTimeToStepAnswer,
  experience: suppressExperienceAnswer,
  support: suppressSupportAnswer,
  'response-rate': suppressResponseRateAnswer,
};

/** Small cells suppressed, per row threshold. */
export function suppressAnswer(endpoint: AnalyticsEndpoint, answer: RawAnswer, minCellFor: MinCellFor): RawAnswer {
  return SUPPRESS[endpoint](answer, minCellFor);
}

/**
 * The answer as it is kept in analytics_results: rows below the floor no caller can go under
 * (MIN_CELL_FLOOR) already hidden, so the table holds no such small cells (security review, #11).
 * Nothing is lost: those rows are hidden for everyone, and secondary suppression, applied when an
 * answer is served, only needs the denominators of rows that may be shown.
 */
export function floorAnswer(endpoint: AnalyticsEndpoint, answer: RawAnswer): RawAnswer {
  return SUPPRESS[endpoint](answer, () => MIN_CELL_FLOOR, false);
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

/** The figures of one query from the aggregate functions and the metrics library. */
export async function computeAnswer(em: EntityManager, q: AnalyticsQuery): Promise<RawAnswer> {
  const g: Grouping = { groupBy: q.groupBy, periodUnit: q.periodUnit };
  switch (q.endpoint) {
    case 'step-attainment':
      return stepAttainment(await attainmentCells(em, q), g) as unknown as RawAnswer;
    case 'dropout':
      return dropout(await dropoutCells(em, q), g) as unknown as RawAnswer;
    case 'time-to-step':
      return timeToStep(await timeCells(em, q), g, q.days ?? DEFAULT_CURVE_DAYS) as unknown as RawAnswer;
    case 'experience':
      return experience(await experienceCellsOf(em, q), g) as unknown as RawAnswer;
    case 'support':
      return support(await supportCells(em, q), g) as unknown as RawAnswer;
    case 'response-rate':
      return responseRate(await responseRateCellsOf(em, q), g) as unknown as RawAnswer;
  }
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
