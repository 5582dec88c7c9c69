/** Support intensity in the first 90 days (docs/metrics.md). */
import { SUPPORT_TYPES, SUPPORT_WINDOW_DAYS, type SupportRow, type SupportType } from '@klantmonitor/shared/domain';
import { addDays, type IsoDate } from '@klantmonitor/shared/domain';
import { groupCells, suppressEach, sum, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { daysFrom, keyOf, type PreparedTrajectory } from './trajectory';
import { shareWithInterval } from './wilson';

export interface SupportCell extends CellKey {
  n: number;
  withAdministrative: number;
  /** Minutes per type, in SUPPORT_TYPES order. */
  minutes: number[];
}

/**
 * One trajectory's cell, or null while its first 90 days are not over on asOf (decision: only
 * complete windows, like step attainment, so recent clients do not pull the means down). Contacts
 * count when 0 <= days(contact) <= 90.
 */
export function supportCell(t: PreparedTrajectory, asOf: IsoDate): SupportCell | null {
  if (addDays(t.firstContact, SUPPORT_WINDOW_DAYS) > asOf) return null;
  const minutes = SUPPORT_TYPES.map(() => 0);
  for (const c of t.record.support ?? []) {
    const d = daysFrom(t, c.occurredOn);
    if (d < 0 || d > SUPPORT_WINDOW_DAYS) continue;
    minutes[SUPPORT_TYPES.indexOf(c.type)] += c.minutes;
  }
  return {
    ...keyOf(t),
    n: 1,
    withAdministrative: minutes[0] > 0 ? 1 : 0,
    minutes,
  };
}

function row(fields: object, cells: SupportCell[]): SupportRow {
  const n = sum(cells, (c) => c.n);
  const withAdministrative = sum(cells, (c) => c.withAdministrative);
  const ci = shareWithInterval(withAdministrative, n);
  const meanMinutes = {} as Record<SupportType, number>;
  SUPPORT_TYPES.forEach((type, i) => (meanMinutes[type] = n > 0 ? sum(cells, (c) => c.minutes[i]) / n : 0));
  return {
    ...fields,
    n,
    withAdministrative,
    administrativeShare: ci.share,
    ciLow: ci.ciLow,
    ciHigh: ci.ciHigh,
    meanMinutes,
    suppressed: false,
  };
}

export function support(cells: SupportCell[], g: Grouping): { rows: SupportRow[]; total: SupportRow } {
  return {
    rows: groupCells(cells, g).map((grp) => row(grp.fields, grp.cells)),
    total: row({}, cells),
  };
}

export function suppressSupport(r: SupportRow, minCell: number): SupportRow {
  if ((r.n ?? 0) >= minCell) return r;
  return {
    ...r,
    n: null,
    withAdministrative: null,
    administrativeShare: null,
    ciLow: null,
    ciHigh: null,
    meanMinutes: null,
    suppressed: true,
  };
}

export const suppressSupportAnswer = (
  a: { rows: SupportRow[]; total: SupportRow },
  minCellFor: MinCellFor,
  secondary = true,
) => suppressEach(a, minCellFor, suppressSupport, (r) => r.n ?? 0, secondary);
