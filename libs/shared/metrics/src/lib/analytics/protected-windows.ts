import { addDays, daysBetween, type IsoDate } from '@klantmonitor/shared/domain';
import { windowName } from './protected-table';

/**
 * The windows of first contact that protected figures come in (metrics.md "Protected figures"): one
 * calendar quarter (`cohort=2025-Q3`), one calendar year (`cohort=2025`, its quarters that ended on or
 * before asOf), or, by default, the last four complete quarters before asOf. Only quarters that ended
 * on or before asOf count.
 */
export interface ProtectedWindow {
  kind: 'quarter' | 'year' | 'rolling';
  /** The window's name in the protected table's cell keys (windowName of its quarters). */
  name: string;
  /** Its quarters, earliest first. */
  quarters: string[];
  /** First and last day of first contact. */
  from: IsoDate;
  to: IsoDate;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^\d{4}$/;

/** `2025-Q3` of a date. */
export function quarterOf(date: IsoDate): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** First and last day of a quarter. */
export function quarterDays(quarter: string): { from: IsoDate; to: IsoDate } {
  const [, y, q] = QUARTER.exec(quarter) ?? [];
  const firstMonth = (Number(q) - 1) * 3 + 1;
  const from = `${y}-${String(firstMonth).padStart(2, '0')}-01`;
  const next = Number(q) === 4 ? `${Number(y) + 1}-01-01` : `${y}-${String(firstMonth + 3).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1) };
}

/** The quarter before. */
function previousQuarter(quarter: string): string {
  const [, y, q] = QUARTER.exec(quarter) ?? [];
  return Number(q) === 1 ? `${Number(y) - 1}-Q4` : `${y}-Q${Number(q) - 1}`;
}

/** The last complete quarter on asOf (asOf's own quarter when asOf is its last day). */
export function lastCompleteQuarter(asOf: IsoDate): string {
  const own = quarterOf(asOf);
  return quarterDays(own).to === asOf ? own : previousQuarter(own);
}

const FORMS = 'a quarter such as 2025-Q3, a year such as 2025, or left out (the last four complete quarters)';

/** Every quarter from `first` to `last`, in order (empty when first is after last). */
export function quartersFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let q = last; q >= first; q = previousQuarter(q)) out.unshift(q);
  return out;
}

/** The four quarters ending with `last`. */
export function rollingQuarters(last: string): string[] {
  const quarters = [last];
  while (quarters.length < 4) quarters.unshift(previousQuarter(quarters[0]));
  return quarters;
}

/**
 * The window of `cohort` on asOf, or the problem with it (for a 400 naming `cohort`). `observedDays`
 * (step attainment's withinDays): every client of the window must have had that many days by asOf,
 * else the window's eligible clients would be a slice of days of the caller's choosing. The default
 * window is then the last four complete quarters whose days have passed; a chosen quarter or year
 * whose days have not passed is a problem with `withinDays` (`field`).
 */
export function protectedWindow(
  cohort: string | undefined,
  asOf: IsoDate,
  observedDays = 0,
): ProtectedWindow | { problem: string; field?: 'withinDays' } {
  const observedBy = addDays(asOf, -observedDays);
  if (cohort === undefined || cohort === '' || cohort === 'rolling') {
    const quarters = rollingQuarters(lastCompleteQuarter(observedBy));
    return {
      kind: 'rolling',
      name: windowName(quarters),
      quarters,
      from: quarterDays(quarters[0]).from,
      to: quarterDays(quarters[3]).to,
    };
  }
  const w = protectedWindowOn(cohort, asOf);
  if ('problem' in w || w.to <= observedBy) return w;
  return {
    field: 'withinDays',
    problem: `must be at most ${daysBetween(w.to, asOf)} for ${cohort} on ${asOf} (every client of the window must have had the days: ${w.to} is its last day), or choose an earlier quarter or year`,
  };
}

function protectedWindowOn(cohort: string, asOf: IsoDate): ProtectedWindow | { problem: string } {
  const last = lastCompleteQuarter(asOf);
  const span = (quarters: string[]) => ({
    quarters,
    name: windowName(quarters),
    from: quarterDays(quarters[0]).from,
    to: quarterDays(quarters[quarters.length - 1]).to,
  });
  if (QUARTER.test(cohort)) {
    if (cohort > last) return { problem: `${cohort} has not ended on ${asOf}: ${FORMS}` };
    return { kind: 'quarter', ...span([cohort]) };
  }
  if (YEAR.test(cohort)) {
    const quarters = [1, 2, 3, 4].map((q) => `${cohort}-Q${q}`).filter((q) => q <= last);
    if (quarters.length === 0) return { problem: `no quarter of ${cohort} has ended on ${asOf}: ${FORMS}` };
    return { kind: 'year', ...span(quarters) };
  }
  return { problem: `must be ${FORMS}` };
}
