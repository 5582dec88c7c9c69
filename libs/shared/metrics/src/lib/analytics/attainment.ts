/** Step attainment within D days, with Wilson intervals and case-mix adjustment (docs/metrics.md). */
import type { StepAttainmentRow, StepCode } from '@klantmonitor/shared/domain';
import { addDays, type IsoDate } from '@klantmonitor/shared/domain';
import { groupCells, suppressEach, sum, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { daysFrom, keyOf, type PreparedTrajectory } from './trajectory';
import { shareWithInterval } from './wilson';

export interface AttainmentCell extends CellKey {
  eligible: number;
  reached: number;
}

/**
 * One trajectory's cell, or null when it is not eligible (its D-day window is not complete on
 * asOf). Reached: eff(step) defined, on or before asOf (prepare cut it) and days(eff) <= D; a
 * dropout after the step does not undo it, a dropout before it leaves eff undefined or later anyway.
 */
export function attainmentCell(
  t: PreparedTrajectory,
  step: StepCode,
  withinDays: number,
  asOf: IsoDate,
): AttainmentCell | null {
  if (addDays(t.firstContact, withinDays) > asOf) return null;
  const eff = t.eff[step];
  const reached = eff !== null && eff <= asOf && daysFrom(t, eff) <= withinDays ? 1 : 0;
  return { ...keyOf(t), eligible: 1, reached };
}

export interface AttainmentAnswerRaw {
  rows: StepAttainmentRow[];
  total: StepAttainmentRow;
}

function row(fields: object, cells: AttainmentCell[]): StepAttainmentRow {
  const eligible = sum(cells, (c) => c.eligible);
  const reached = sum(cells, (c) => c.reached);
  return {
    ...fields,
    eligible,
    reached,
    ...ciOf(reached, eligible),
    suppressed: false,
  };
}
const ciOf = (k: number, n: number) => shareWithInterval(k, n);

/**
 * Rows and total, unsuppressed. Cells must carry the client type (case-mix needs it). When grouped
 * by municipality and not by client type, rows carry expected = sum_t eligible(row, t) * share(total, t)
 * and oe = reached / expected (null when expected is 0).
 */
export function stepAttainment(cells: AttainmentCell[], g: Grouping): AttainmentAnswerRaw {
  const groups = groupCells(cells, g);
  const rows = groups.map((grp) => row(grp.fields, grp.cells));
  if (g.groupBy.includes('municipality') && !g.groupBy.includes('clientType')) {
    const byType = new Map<string, { eligible: number; reached: number }>();
    for (const c of cells) {
      const t = byType.get(c.clientType ?? '') ?? { eligible: 0, reached: 0 };
      t.eligible += c.eligible;
      t.reached += c.reached;
      byType.set(c.clientType ?? '', t);
    }
    groups.forEach((grp, i) => {
      let expected = 0;
      for (const c of grp.cells) {
        const ref = byType.get(c.clientType ?? '');
        if (ref && ref.eligible > 0) expected += c.eligible * (ref.reached / ref.eligible);
      }
      rows[i].expected = expected;
      rows[i].oe = expected > 0 ? (rows[i].reached as number) / expected : null;
    });
  }
  return { rows, total: row({}, cells) };
}

export function suppressAttainment(r: StepAttainmentRow, minCell: number): StepAttainmentRow {
  if ((r.eligible ?? 0) >= minCell) return r;
  const out: StepAttainmentRow = {
    ...r,
    eligible: null,
    reached: null,
    share: null,
    ciLow: null,
    ciHigh: null,
    suppressed: true,
  };
  if ('expected' in r) {
    out.expected = null;
    out.oe = null;
  }
  return out;
}

export const suppressAttainmentAnswer = (a: AttainmentAnswerRaw, minCellFor: MinCellFor, secondary = true) =>
  suppressEach(a, minCellFor, suppressAttainment, (r) => r.eligible ?? 0, secondary);
