/** Dropout, its phase and the "moment of truth" (docs/metrics.md). */
import { STEP_CODES, type DropoutRow, type StepCode } from '@klantmonitor/shared/domain';
import { addDays, type IsoDate } from '@klantmonitor/shared/domain';
import { phaseOn } from '../effective-steps';
import { groupCells, suppressEach, sum, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { daysFrom, keyOf, type PreparedTrajectory } from './trajectory';
import { shareWithInterval } from './wilson';

export interface DropoutCell extends CellKey {
  n: number;
  dropped: number;
  /** Dropouts per phase, in STEP_CODES order. */
  byPhase: number[];
}

/**
 * One trajectory's cell. Without D: every cohort trajectory counts in n, and dropped when its
 * dropout is on or before asOf. With D: only eligible ones (first_contact + D <= asOf), dropped when
 * days(dropout) <= D. The phase is the last step with eff(s) <= dropout date.
 */
export function dropoutCell(t: PreparedTrajectory, asOf: IsoDate, withinDays?: number | null): DropoutCell | null {
  if (withinDays !== undefined && withinDays !== null && addDays(t.firstContact, withinDays) > asOf) return null;
  const byPhase = STEP_CODES.map(() => 0);
  let dropped = 0;
  if (
    t.dropoutOn !== null &&
    (withinDays === undefined || withinDays === null || daysFrom(t, t.dropoutOn) <= withinDays)
  ) {
    dropped = 1;
    byPhase[STEP_CODES.indexOf(phaseOn(t.eff, t.dropoutOn))] = 1;
  }
  return { ...keyOf(t), n: 1, dropped, byPhase };
}

function row(fields: object, cells: DropoutCell[]): DropoutRow {
  const n = sum(cells, (c) => c.n);
  const dropped = sum(cells, (c) => c.dropped);
  const byPhase = {} as Record<StepCode, number>;
  STEP_CODES.forEach((s, i) => (byPhase[s] = sum(cells, (c) => c.byPhase[i])));
  return {
    ...fields,
    n,
    dropped,
    ...shareWithInterval(dropped, n),
    byPhase,
    momentOfTruth: dropped > 0 ? byPhase.first_contact / dropped : null,
    suppressed: false,
  };
}

export function dropout(cells: DropoutCell[], g: Grouping): { rows: DropoutRow[]; total: DropoutRow } {
  return {
    rows: groupCells(cells, g).map((grp) => row(grp.fields, grp.cells)),
    total: row({}, cells),
  };
}

export function suppressDropout(r: DropoutRow, minCell: number): DropoutRow {
  if ((r.n ?? 0) >= minCell) return r;
  return {
    ...r,
    n: null,
    dropped: null,
    share: null,
    ciLow: null,
    ciHigh: null,
    byPhase: null,
    momentOfTruth: null,
    suppressed: true,
  };
}

export const suppressDropoutAnswer = (
  a: { rows: DropoutRow[]; total: DropoutRow },
  minCellFor: MinCellFor,
  secondary = true,
) => suppressEach(a, minCellFor, suppressDropout, (r) => r.n ?? 0, secondary);
