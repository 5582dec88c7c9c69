/**
 * Time to step as a cumulative incidence with dropout as competing risk: the Aalen-Johansen
 * estimator of docs/metrics.md. Plain averages would ignore the many trajectories still running
 * (censored at asOf) and treat dropouts as if they could still reach the step.
 */
import type { CurvePoint, StepCode, TimeToStepRow } from '@klantmonitor/shared/domain';
import { type IsoDate } from '@klantmonitor/shared/domain';
import { groupCells, suppressEach, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { daysFrom, keyOf, type PreparedTrajectory } from './trajectory';

export type Outcome = { t: number; kind: 'step' | 'dropout' | 'censored' };

/**
 * T and the event of one trajectory. Reached when eff(step) <= asOf and there was no dropout before
 * it (a dropout on the same day counts as the step); else dropout when on or before asOf; else
 * censored at days(asOf).
 */
export function timeToStepOutcome(t: PreparedTrajectory, step: StepCode, asOf: IsoDate): Outcome {
  const eff = t.eff[step];
  if (eff !== null && eff <= asOf && (t.dropoutOn === null || t.dropoutOn >= eff))
    return { t: daysFrom(t, eff), kind: 'step' };
  if (t.dropoutOn !== null) return { t: daysFrom(t, t.dropoutOn), kind: 'dropout' };
  return { t: daysFrom(t, asOf), kind: 'censored' };
}

/** A histogram line: how many trajectories ended (event or censoring) at day t. */
export interface TimeCell extends CellKey {
  t: number;
  steps: number;
  dropouts: number;
  censored: number;
}

export function timeCell(t: PreparedTrajectory, step: StepCode, asOf: IsoDate): TimeCell {
  const o = timeToStepOutcome(t, step, asOf);
  return {
    ...keyOf(t),
    t: o.t,
    steps: o.kind === 'step' ? 1 : 0,
    dropouts: o.kind === 'dropout' ? 1 : 0,
    censored: o.kind === 'censored' ? 1 : 0,
  };
}

/** The estimator's steps: at each distinct event time, CIF of the step and of dropout after it. */
export interface IncidenceCurve {
  n: number;
  times: number[];
  cif: number[];
  dropoutCif: number[];
  /** Standard error of the step's CIF at each event time (delta method, docs/metrics.md). */
  se: number[];
}

/**
 * Aalen-Johansen over the distinct event times t_1 < t_2 < ...: n_j at risk (T >= t_j), d_j steps,
 * c_j dropouts; S(t) = prod (1 - (d_j + c_j) / n_j); CIF(t) = sum S(t_{j-1}) * d_j / n_j. Censored
 * trajectories only leave the risk set. Input may be in any order and have repeated times.
 */
export function aalenJohansen(
  cells: Iterable<{
    t: number;
    steps: number;
    dropouts: number;
    censored: number;
  }>,
): IncidenceCurve {
  const byTime = new Map<number, { d: number; c: number; all: number }>();
  let n = 0;
  for (const cell of cells) {
    const all = cell.steps + cell.dropouts + cell.censored;
    if (all === 0) continue;
    const e = byTime.get(cell.t) ?? { d: 0, c: 0, all: 0 };
    e.d += cell.steps;
    e.c += cell.dropouts;
    e.all += all;
    byTime.set(cell.t, e);
    n += all;
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const curve: IncidenceCurve = { n, times: [], cif: [], dropoutCif: [], se: [] };
  let atRisk = n;
  let s = 1;
  let cif = 0;
  let dropoutCif = 0;
  // The variance's sums (docs/metrics.md), expanded so each time costs O(1):
  // Var F(t) = sum a_j (F(t) - F_j)^2 + sum b_j - 2 sum c_j (F(t) - F_j).
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let b = 0;
  let c0 = 0;
  let c1 = 0;
  for (const t of times) {
    const e = byTime.get(t) as { d: number; c: number; all: number };
    if (e.d + e.c > 0) {
      const events = e.d + e.c;
      const sBefore = s;
      cif += (s * e.d) / atRisk;
      dropoutCif += (s * e.c) / atRisk;
      s *= 1 - events / atRisk;
      // a_j: infinite when everyone at risk had an event, but then F never moves again (its weight is 0).
      const a = atRisk > events ? events / (atRisk * (atRisk - events)) : 0;
      a0 += a;
      a1 += a * cif;
      a2 += a * cif * cif;
      b += (sBefore * sBefore * e.d * (atRisk - e.d)) / atRisk ** 3;
      const c = (sBefore * e.d) / atRisk ** 2;
      c0 += c;
      c1 += c * cif;
      const variance = cif * cif * a0 - 2 * cif * a1 + a2 + b - 2 * (cif * c0 - c1);
      curve.times.push(t);
      curve.cif.push(cif);
      curve.dropoutCif.push(dropoutCif);
      curve.se.push(Math.sqrt(Math.max(0, variance)));
    }
    atRisk -= e.all;
  }
  return curve;
}

/** The curve's value on a day: at the last event time on or before it (0 before the first). */
export function incidenceAt(curve: IncidenceCurve, day: number): { cif: number; dropoutCif: number } {
  let lo = 0;
  let hi = curve.times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (curve.times[mid] <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? { cif: 0, dropoutCif: 0 } : { cif: curve.cif[found], dropoutCif: curve.dropoutCif[found] };
}

/**
 * Tolerance of the median (docs/metrics.md): before the first censoring the CIF is a count over n, often
 * exactly 1/2, and the float sum of S * d / n lands on either side of it (5 steps of 10 sum to
 * 0.49999999999999994).
 */
export const MEDIAN_TOLERANCE = 1e-9;

/** The smallest event time with CIF >= 0.5 - 1e-9; null when the curve never gets there. */
export function medianDays(curve: IncidenceCurve): number | null {
  for (let j = 0; j < curve.times.length; j++) if (curve.cif[j] >= 0.5 - MEDIAN_TOLERANCE) return curve.times[j];
  return null;
}

/** z of a two-sided 95% interval. */
const Z95 = 1.959964;

/**
 * The median's 95% interval (docs/metrics.md): the first event time where the curve's upper 95%
 * bound reaches 1/2 (low), and where its lower bound does (high); null when a bound never gets
 * there within the followed period ("langer dan de gevolgde periode").
 */
export function medianInterval(curve: IncidenceCurve): { low: number | null; high: number | null } {
  let low: number | null = null;
  let high: number | null = null;
  for (let j = 0; j < curve.times.length; j++) {
    if (low === null && curve.cif[j] + Z95 * curve.se[j] >= 0.5 - MEDIAN_TOLERANCE) low = curve.times[j];
    if (high === null && curve.cif[j] - Z95 * curve.se[j] >= 0.5 - MEDIAN_TOLERANCE) high = curve.times[j];
  }
  return { low, high };
}

/** Default curve days: 0, 7, 14, ..., 364 (docs/metrics.md). */
export const DEFAULT_CURVE_DAYS: readonly number[] = Array.from({ length: 53 }, (_, i) => i * 7);

function row(fields: object, cells: TimeCell[], days: readonly number[]): TimeToStepRow {
  const curve = aalenJohansen(cells);
  // The wire carries the step's curve only (docs/api.md); the dropout curve stays in IncidenceCurve.
  const points: CurvePoint[] = days.map((day) => ({
    day,
    cif: incidenceAt(curve, day).cif,
  }));
  const interval = medianInterval(curve);
  return {
    ...fields,
    n: curve.n,
    medianDays: medianDays(curve),
    medianCiLow: interval.low,
    medianCiHigh: interval.high,
    curve: points,
    suppressed: false,
  };
}

export function timeToStep(
  cells: TimeCell[],
  g: Grouping,
  days: readonly number[] = DEFAULT_CURVE_DAYS,
): { rows: TimeToStepRow[]; total: TimeToStepRow } {
  return {
    rows: groupCells(cells, g).map((grp) => row(grp.fields, grp.cells, days)),
    total: row({}, cells, days),
  };
}

export function suppressTimeToStep(r: TimeToStepRow, minCell: number): TimeToStepRow {
  return (r.n ?? 0) >= minCell
    ? r
    : { ...r, n: null, medianDays: null, medianCiLow: null, medianCiHigh: null, curve: null, suppressed: true };
}

export const suppressTimeToStepAnswer = (
  a: { rows: TimeToStepRow[]; total: TimeToStepRow },
  minCellFor: MinCellFor,
  secondary = true,
) => suppressEach(a, minCellFor, suppressTimeToStep, (r) => r.n ?? 0, secondary);
