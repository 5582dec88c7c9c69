import type { EntityManager } from 'typeorm';
import { DEFAULT_MIN_CELL } from '@klantmonitor/shared/domain';
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
import {
  cacheKey,
  type AnalyticsEndpoint,
  type AnalyticsQuery,
} from './analytics-query';
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
const SUPPRESS: Record<
  AnalyticsEndpoint,
  (a: any, f: MinCellFor) => RawAnswer
> = {
  'step-attainment': suppressAttainmentAnswer,
  dropout: suppressDropoutAnswer,
  'time-to-step': suppressTimeToStepAnswer,
  experience: suppressExperienceAnswer,
  support: suppressSupportAnswer,
  'response-rate': suppressResponseRateAnswer,
};

/** Small cells suppressed, per row threshold. */
export function suppressAnswer(
  endpoint: AnalyticsEndpoint,
  answer: RawAnswer,
  minCellFor: MinCellFor,
): RawAnswer {
  return SUPPRESS[endpoint](answer, minCellFor);
}

/**
 * The answer suppressed at the default minCell, as the JSON members `"rows":...,"total":...`. The
 * same for every caller: other organisations' rows never go below the default anyway.
 */
export function defaultJson(
  endpoint: AnalyticsEndpoint,
  answer: RawAnswer,
): string {
  const s = suppressAnswer(endpoint, answer, () => DEFAULT_MIN_CELL);
  return `"rows":${JSON.stringify(s.rows)},"total":${JSON.stringify(s.total)}`;
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
  const [row]: {
    version: string;
    computed_at: Date | null;
    default_json: string | null;
  }[] = await em.query(
    `SELECT s.version, s.computed_at, r.default_json FROM analytics_state s LEFT JOIN analytics_results r ON r.key = $1 AND r.version = s.version WHERE s.id = 1`,
    [cacheKey(q)],
  );
  return {
    version: Number(row.version),
    computedAt: row.computed_at
      ? new Date(row.computed_at).toISOString()
      : null,
    json: row.default_json,
  };
}

/** The figures of one query from the aggregate functions and the metrics library. */
export async function computeAnswer(
  em: EntityManager,
  q: AnalyticsQuery,
): Promise<RawAnswer> {
  const g: Grouping = { groupBy: q.groupBy, periodUnit: q.periodUnit };
  switch (q.endpoint) {
    case 'step-attainment':
      return stepAttainment(
        await attainmentCells(em, q),
        g,
      ) as unknown as RawAnswer;
    case 'dropout':
      return dropout(await dropoutCells(em, q), g) as unknown as RawAnswer;
    case 'time-to-step':
      return timeToStep(
        await timeCells(em, q),
        g,
        q.days ?? DEFAULT_CURVE_DAYS,
      ) as unknown as RawAnswer;
    case 'experience':
      return experience(
        await experienceCellsOf(em, q),
        g,
      ) as unknown as RawAnswer;
    case 'support':
      return support(await supportCells(em, q), g) as unknown as RawAnswer;
    case 'response-rate':
      return responseRate(
        await responseRateCellsOf(em, q),
        g,
      ) as unknown as RawAnswer;
  }
}

/**
 * The answer for the current data version: one round trip when it was computed before (the
 * dashboards' usual questions are computed ahead by the worker), else computed and kept. The
 * version is read before computing, so an answer is never stored under a newer version than its data.
 */
export async function answerFor(
  em: EntityManager,
  q: AnalyticsQuery,
): Promise<StoredAnswer> {
  const key = cacheKey(q);
  const [state]: {
    version: string;
    computed_at: Date | null;
    body: RawAnswer | null;
  }[] = await em.query(
    `SELECT s.version, s.computed_at, r.body FROM analytics_state s LEFT JOIN analytics_results r ON r.key = $1 AND r.version = s.version WHERE s.id = 1`,
    [key],
  );
  const version = Number(state.version);
  const computedAt = state.computed_at
    ? new Date(state.computed_at).toISOString()
    : null;
  if (state.body)
    return { answer: state.body, computedAt, version, fromCache: true };
  const answer = await computeAnswer(em, q);
  await storeAnswer(em, key, q, version, answer);
  return { answer, computedAt, version, fromCache: false };
}

export async function storeAnswer(
  em: EntityManager,
  key: string,
  q: AnalyticsQuery,
  version: number,
  answer: RawAnswer,
): Promise<void> {
  await em.query(
    `INSERT INTO analytics_results (key, version, endpoint, query, body, default_json) VALUES ($1, $2, $3, $6, $4, $5)
     ON CONFLICT (key) DO UPDATE SET version = excluded.version, body = excluded.body, default_json = excluded.default_json, created_at = now()
     WHERE analytics_results.version < excluded.version`,
    [
      key,
      version,
      q.endpoint,
      JSON.stringify(answer),
      defaultJson(q.endpoint, answer),
      JSON.stringify(q),
    ],
  );
}

/** Answers of older data versions are never read again. */
export async function pruneAnswers(em: EntityManager): Promise<number> {
  const [, count] = await em.query(
    `DELETE FROM analytics_results WHERE version < (SELECT version FROM analytics_state WHERE id = 1)`,
  );
  return Number(count ?? 0);
}
