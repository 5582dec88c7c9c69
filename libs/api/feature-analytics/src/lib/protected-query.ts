import type { GroupFields } from '@klantmonitor/shared/domain';
import { NATIONAL, protectedWindow, type ProtectedWindow } from '@klantmonitor/shared/metrics';
import type { AnalyticsQuery } from '@klantmonitor/server/analytics';
import { paramError, type ParsedAnalyticsQuery } from './analytics-params';

/**
 * Which answers hold protected figures and in what form they may be asked (metrics.md "Protected
 * figures: other organisations' clients"). Pure: the service gives it the caller's municipalities
 * and today, and gets the query to compute or a 400 naming the parameter.
 *
 * Protected: any selected municipality (none selected: every one) where another organisation serves
 * or has clients. Then:
 * - the window is `cohort` (a quarter, a year, `rolling` = the default: the last four complete
 *   quarters); cohortFrom/cohortTo, month periods, several client types, sentFrom/sentTo refused;
 * - as of today only: an asOf of the caller's choosing moves the day the intake type and the steps
 *   are read on, which slices a window by days again;
 * - step attainment: every client of the window must have had withinDays (else its eligible clients
 *   are a slice of days chosen by withinDays);
 * - rows over several chosen municipalities together (no groupBy=municipality) are a total over a
 *   chosen set: refused (one municipality, per municipality, all of the caller's own, or the nation).
 */
export interface ProtectedPlan {
  /** The query to compute: the window's dates, asOf today, quarters for periods. */
  query: AnalyticsQuery;
  window: ProtectedWindow;
  /** The area of a row (its municipality, else the one selected, else the nation); null (the total): the nation. */
  areaOf: (row: GroupFields | null) => string;
}

const FORMS =
  'cohort=2025-Q3 (a quarter), cohort=2025 (a year) or cohort=rolling / left out (the last four complete quarters)';
const WHY = "for figures about other organisations' clients";

export function isProtectedAnswer(query: AnalyticsQuery, others: ReadonlyMap<string, number>): boolean {
  const selected = query.municipalities ?? [...others.keys()];
  return selected.some((m) => (others.get(m) ?? 1) > 0);
}

/** The window of a `cohort` for the caller's own municipalities: its dates (free answers take any window). */
export function ownCohort(parsed: ParsedAnalyticsQuery): AnalyticsQuery {
  if (parsed.cohort === null) return parsed.query;
  const w = protectedWindow(parsed.cohort, parsed.query.asOf, observedDays(parsed.query));
  if ('problem' in w) throw paramError(w.field ?? 'cohort', w.problem);
  return { ...parsed.query, cohortFrom: w.from, cohortTo: w.to };
}

const observedDays = (q: AnalyticsQuery) => (q.endpoint === 'step-attainment' ? (q.withinDays ?? 0) : 0);

/** The caller's organisation: its own municipalities together are a cell of the table (`group:<id>`). */
export interface Caller {
  organisationId: string;
  municipalities: readonly string[];
}

export const organisationArea = (organisationId: string) => `group:${organisationId}`;

export function planProtected(parsed: ParsedAnalyticsQuery, today: string, caller?: Caller): ProtectedPlan {
  const q = parsed.query;
  const given = parsed.given;
  for (const field of ['cohortFrom', 'cohortTo'] as const)
    if (given.has(field)) throw paramError(field, `cannot be used ${WHY}: use ${FORMS}`);
  if (given.has('asOf') && q.asOf !== today)
    throw paramError(
      'asOf',
      `must be today (${today}) or left out ${WHY}: a day of your choosing would slice a window`,
    );
  if ((q.clientTypes?.length ?? 0) > 1)
    throw paramError('clientTypes', `may name one client type ${WHY} (or use groupBy=clientType for one row per type)`);
  if (q.groupBy.includes('period') && given.has('periodUnit') && q.periodUnit === 'month')
    throw paramError('periodUnit', `must be quarter ${WHY}: periods are quarters there`);
  for (const field of ['sentFrom', 'sentTo'] as const)
    if (given.has(field)) throw paramError(field, `cannot be used ${WHY}: use ${FORMS}`);
  const munis = q.municipalities;
  // The total of the caller's own municipalities (all of them, exactly) is a cell of the table.
  const ownTotal =
    !!caller &&
    !!munis &&
    munis.length > 1 &&
    munis.length === caller.municipalities.length &&
    [...caller.municipalities].sort().every((m, i) => m === munis[i]);
  if (munis && munis.length > 1 && !q.groupBy.includes('municipality') && !ownTotal)
    throw paramError(
      'municipalities',
      `lists several municipalities, one of another organisation: ${WHY} there is no total over a chosen set; group by municipality, name one, list all of your own, or leave municipalities out (the nation)`,
    );
  const w = protectedWindow(parsed.cohort ?? undefined, today, observedDays(q));
  if ('problem' in w) throw paramError(w.field ?? 'cohort', w.problem);
  const query: AnalyticsQuery = {
    ...q,
    asOf: today,
    cohortFrom: w.from,
    cohortTo: w.to,
    periodUnit: q.groupBy.includes('period') ? 'quarter' : 'month',
  };
  const rowArea =
    munis?.length === 1 ? munis[0] : ownTotal && caller ? organisationArea(caller.organisationId) : NATIONAL;
  return {
    query,
    window: w,
    areaOf: (row) => (row === null ? NATIONAL : (row.municipality ?? rowArea)),
  };
}
