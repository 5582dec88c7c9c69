/** Response rate: invitations sent in a period, completed before expiry (docs/metrics.md). */
import type { ResponseRateRow } from '@klantmonitor/shared/domain';
import { type IsoDate } from '@klantmonitor/shared/domain';
import { groupCells, suppressEach, sum, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { keyOf, type PreparedTrajectory } from './trajectory';
import { shareWithInterval } from './wilson';

export interface ResponseRateCell extends CellKey {
  sent: number;
  completed: number;
  open: number;
}

export interface SentPeriod {
  asOf: IsoDate;
  sentFrom?: IsoDate | null;
  sentTo?: IsoDate | null;
}

/**
 * Cells of one trajectory's invitations sent in the period (and on or before asOf). Completed: answered
 * on or before its last day and on or before asOf. Open: not completed and its last day not yet past
 * on asOf. The period key of these cells is the month of sending, not of first contact.
 */
export function responseRateCells(t: PreparedTrajectory, p: SentPeriod): ResponseRateCell[] {
  const out: ResponseRateCell[] = [];
  for (const inv of t.record.invitations ?? []) {
    if (inv.sentOn > p.asOf || (p.sentFrom && inv.sentOn < p.sentFrom) || (p.sentTo && inv.sentOn > p.sentTo)) continue;
    const completed = inv.completedOn !== null && inv.completedOn <= inv.expiresOn && inv.completedOn <= p.asOf ? 1 : 0;
    out.push({
      ...keyOf(t),
      month: inv.sentOn.slice(0, 7),
      sent: 1,
      completed,
      open: !completed && inv.expiresOn >= p.asOf ? 1 : 0,
    });
  }
  return out;
}

function row(fields: object, cells: ResponseRateCell[]): ResponseRateRow {
  const sent = sum(cells, (c) => c.sent);
  const completed = sum(cells, (c) => c.completed);
  return {
    ...fields,
    sent,
    completed,
    ...shareWithInterval(completed, sent),
    open: sum(cells, (c) => c.open),
    suppressed: false,
  };
}

export function responseRate(
  cells: ResponseRateCell[],
  g: Grouping,
): { rows: ResponseRateRow[]; total: ResponseRateRow } {
  return {
    rows: groupCells(cells, g).map((grp) => row(grp.fields, grp.cells)),
    total: row({}, cells),
  };
}

export function suppressResponseRate(r: ResponseRateRow, minCell: number): ResponseRateRow {
  return (r.sent ?? 0) >= minCell
    ? r
    : {
        ...r,
        sent: null,
        completed: null,
        share: null,
        ciLow: null,
        ciHigh: null,
        open: null,
        suppressed: true,
      };
}

export const suppressResponseRateAnswer = (
  a: { rows: ResponseRateRow[]; total: ResponseRateRow },
  minCellFor: MinCellFor,
  secondary = true,
) => suppressEach(a, minCellFor, suppressResponseRate, (r) => r.sent ?? 0, secondary);
