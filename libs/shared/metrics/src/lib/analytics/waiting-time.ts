/**
 * Waiting time from the request for help to the first contact, and the share seen within the legal
 * term (docs/metrics.md "Waiting time and the legal first-meeting term", #26). The wait is a
 * Kaplan-Meier curve: requests not seen by asOf are censored there (their wait so far). It is the
 * Aalen-Johansen estimator of time-to-step without a competing event, so the median and its 95%
 * interval come from the same functions.
 */
import { daysBetween, type IsoDate, type WaitingTimeRow } from '@klantmonitor/shared/domain';
import { groupCells, suppressEach, sum, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { aalenJohansen, medianDays, medianInterval } from './time-to-step';
import { wilson } from './wilson';

/** Requests of one group that ended (were seen) or are censored at day t, with their term counts. */
export interface WaitingCell extends CellKey {
  /** Days from the request: to the first contact when seen, else to asOf. */
  t: number;
  seen: number;
  censored: number;
  /** Of these requests, those whose due date is on or before asOf. */
  termDue: number;
  /** Of termDue, those seen on or before their due date. */
  termMet: number;
  crisis: number;
}

/** A request as the facts hold it (analytics_requests). */
export interface RequestFact extends CellKey {
  registeredOn: IsoDate;
  firstContact: IsoDate | null;
  dueOn: IsoDate;
  crisis: boolean;
}

/**
 * One request's cell on asOf (the SQL of km_analytics_waiting does the same per group): seen when
 * the first contact is on or before asOf, its wait then ends there; else censored at asOf. Its term
 * counts when the due date is on or before asOf, met when seen on or before the due date.
 */
export function waitingCell(r: RequestFact, asOf: IsoDate): WaitingCell {
  const fc = r.firstContact !== null && r.firstContact <= asOf ? r.firstContact : null;
  const due = r.dueOn <= asOf;
  return {
    municipality: r.municipality,
    clientType: r.clientType,
    month: r.month,
    t: daysBetween(r.registeredOn, fc ?? asOf),
    seen: fc ? 1 : 0,
    censored: fc ? 0 : 1,
    termDue: due ? 1 : 0,
    termMet: due && fc !== null && fc <= r.dueOn ? 1 : 0,
    crisis: r.crisis ? 1 : 0,
  };
}

function row(fields: object, cells: WaitingCell[]): WaitingTimeRow {
  const curve = aalenJohansen(cells.map((c) => ({ t: c.t, steps: c.seen, dropouts: 0, censored: c.censored })));
  const interval = medianInterval(curve);
  const n = curve.n;
  const termDue = sum(cells, (c) => c.termDue);
  const termMet = sum(cells, (c) => c.termMet);
  const ci = wilson(termMet, termDue);
  return {
    ...fields,
    n,
    seen: sum(cells, (c) => c.seen),
    medianDays: medianDays(curve),
    medianCiLow: interval.low,
    medianCiHigh: interval.high,
    termDue,
    termMet,
    withinTerm: termDue > 0 ? termMet / termDue : null,
    withinTermCiLow: ci?.low ?? null,
    withinTermCiHigh: ci?.high ?? null,
    crisisShare: n > 0 ? sum(cells, (c) => c.crisis) / n : null,
    suppressed: false,
  };
}

export function waitingTime(cells: WaitingCell[], g: Grouping): { rows: WaitingTimeRow[]; total: WaitingTimeRow } {
  return {
    rows: groupCells(cells, g).map((grp) => row(grp.fields, grp.cells)),
    total: row({}, cells),
  };
}

/**
 * A row below minCell requests is hidden whole. A shown row whose passed terms are fewer than
 * minCell keeps its wait but not its term figures: a share of two requests says what happened to
 * those two.
 */
export function suppressWaitingTime(r: WaitingTimeRow, minCell: number): WaitingTimeRow {
  if ((r.n ?? 0) < minCell)
    return {
      ...r,
      n: null,
      seen: null,
      medianDays: null,
      medianCiLow: null,
      medianCiHigh: null,
      termDue: null,
      termMet: null,
      withinTerm: null,
      withinTermCiLow: null,
      withinTermCiHigh: null,
      crisisShare: null,
      suppressed: true,
    };
  if ((r.termDue ?? 0) < minCell)
    return { ...r, termMet: null, withinTerm: null, withinTermCiLow: null, withinTermCiHigh: null };
  return r;
}

export const suppressWaitingTimeAnswer = (
  a: { rows: WaitingTimeRow[]; total: WaitingTimeRow },
  minCellFor: MinCellFor,
  secondary = true,
) => suppressEach(a, minCellFor, suppressWaitingTime, (r) => r.n ?? 0, secondary);
