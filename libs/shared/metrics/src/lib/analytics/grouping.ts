/**
 * Grouping and small-cell suppression (metrics.md "Grouping, suppression, reference"). Every metric
 * is computed from cells: counts at the grain (municipality, client type, month of first contact).
 * SQL produces cells at national scale; the reference path makes one cell per trajectory. Both go
 * through the same aggregation here, so the api and the hand-computed tests share one definition.
 */
import type {
  GroupFields,
  GroupKey,
  PeriodUnit,
} from '@klantmonitor/shared/domain';

export interface CellKey {
  /** Null when the query does not need it (SQL leaves out keys it does not group by). */
  municipality: string | null;
  clientType: string | null;
  /** Month of first contact, `YYYY-MM` (response rate: month of sending). */
  month: string | null;
}

export interface Grouping {
  groupBy: GroupKey[];
  periodUnit: PeriodUnit;
}

/** `2025-03` as a month stays `2025-03`; as a quarter it is `2025-Q1`. */
export function periodOf(month: string, unit: PeriodUnit): string {
  if (unit === 'month') return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

export function groupFields(cell: CellKey, g: Grouping): GroupFields {
  const fields: GroupFields = {};
  for (const key of g.groupBy) {
    if (key === 'municipality') fields.municipality = cell.municipality ?? '';
    else if (key === 'clientType') fields.clientType = cell.clientType ?? '';
    else fields.period = cell.month ? periodOf(cell.month, g.periodUnit) : '';
  }
  return fields;
}

/**
 * Cells grouped by the query's keys, in a stable order (municipality, client type, period), so the
 * same data always gives the same rows in the same order, whatever order the cells came in.
 */
export function groupCells<C extends CellKey>(
  cells: Iterable<C>,
  g: Grouping,
): { fields: GroupFields; cells: C[] }[] {
  const groups = new Map<string, { fields: GroupFields; cells: C[] }>();
  for (const cell of cells) {
    const fields = groupFields(cell, g);
    const key = `${fields.municipality ?? ''}\u0000${fields.clientType ?? ''}\u0000${fields.period ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { fields, cells: [] }));
    group.cells.push(cell);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v);
}

export function sum<C>(cells: C[], pick: (c: C) => number): number {
  let total = 0;
  for (const c of cells) total += pick(c);
  return total;
}

/** Threshold of a row: below it the row is suppressed. Never below 5 (metrics.md). */
export type MinCellFor = (fields: GroupFields | null) => number;

/** Every row and the total suppressed at its own threshold (rows and total have the same shape). */
export function suppressEach<R extends object>(
  a: { rows: R[]; total: R },
  minCellFor: MinCellFor,
  suppressRow: (row: R, minCell: number) => R,
): { rows: R[]; total: R } {
  return {
    rows: a.rows.map((r) => suppressRow(r, minCellFor(r))),
    total: suppressRow(a.total, minCellFor(null)),
  };
}
