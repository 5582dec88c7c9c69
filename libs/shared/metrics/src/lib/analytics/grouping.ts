/**
 * Grouping and small-cell suppression (docs/metrics.md "Grouping, suppression, reference"). Every metric
 * is computed from cells: counts at the grain (municipality, client type, month of first contact).
 * SQL produces cells at national scale; the reference path makes one cell per trajectory. Both go
 * through the same aggregation here, so the api and the hand-computed tests share one definition.
 */
import type { GroupFields, GroupKey, PeriodUnit } from '@klantmonitor/shared/domain';

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
export function groupCells<C extends CellKey>(cells: Iterable<C>, g: Grouping): { fields: GroupFields; cells: C[] }[] {
  const groups = new Map<string, { fields: GroupFields; cells: C[] }>();
  for (const cell of cells) {
    const fields = groupFields(cell, g);
    const key = `${fields.municipality ?? ''}\u0000${fields.clientType ?? ''}\u0000${fields.period ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { fields, cells: [] }));
    group.cells.push(cell);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export function sum<C>(cells: C[], pick: (c: C) => number): number {
  let total = 0;
  for (const c of cells) total += pick(c);
  return total;
}

/** Threshold of a row: below it the row is suppressed. Never below 5 (docs/metrics.md). */
export type MinCellFor = (fields: GroupFields | null) => number;

/**
 * Which rows of a grouped answer are hidden (docs/metrics.md "Grouping, suppression, reference"):
 * 1. primary: a row whose denominator is below its own threshold;
 * 2. secondary: in every margin (the rows that share the values of all grouping fields but one,
 *    and all rows against the total), the number of hidden rows must be 0 or at least 2, so that
 *    no hidden row can be computed by subtraction, also not with the answer of another `groupBy`.
 *    Where a margin has exactly one, its smallest other row (ties: the first in the answer's
 *    order) is hidden too; repeated until no margin has exactly one.
 * `fixed` separates rows that are not parts of one whole (experience: one set per phase).
 * The one place both rules live: JSON, CSV, XLSX and PDF all go through here.
 */
export function suppressionMask<R extends GroupFields>(
  rows: R[],
  denominator: (row: R) => number,
  minCellFor: MinCellFor,
  fixed: (row: R) => string = () => '',
): boolean[] {
  const hidden = rows.map((r) => denominator(r) < minCellFor(r));
  const keys = (['municipality', 'clientType', 'period'] as const).filter((k) => rows.some((r) => r[k] !== undefined));
  const margins: number[][] = [];
  const addMargins = (keyOf: (row: R) => string) => {
    const byKey = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const k = keyOf(r);
      const m = byKey.get(k);
      if (m) m.push(i);
      else byKey.set(k, [i]);
    });
    for (const m of byKey.values()) if (m.length > 1) margins.push(m);
  };
  addMargins(fixed); // all rows against the total
  if (keys.length > 1)
    for (const f of keys)
      addMargins((r) => [fixed(r), ...keys.filter((k) => k !== f).map((k) => r[k] ?? '')].join('\u0000'));
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of margins) {
      let count = 0;
      for (const i of m) if (hidden[i]) count++;
      if (count !== 1) continue;
      let pick = -1;
      for (const i of m) if (!hidden[i] && (pick < 0 || denominator(rows[i]) < denominator(rows[pick]))) pick = i;
      if (pick >= 0) {
        hidden[pick] = true;
        changed = true;
      }
    }
  }
  return hidden;
}

/**
 * Rows and total suppressed: the total at its own threshold, the rows by suppressionMask.
 * `suppressRow(row, minCell)` hides a row whose denominator is below minCell (Infinity: always).
 * `secondary: false` applies the thresholds only (for storing answers without cells below the
 * floor; secondary suppression follows when an answer is served).
 */
export function suppressEach<R extends GroupFields>(
  a: { rows: R[]; total: R },
  minCellFor: MinCellFor,
  suppressRow: (row: R, minCell: number) => R,
  denominator: (row: R) => number,
  secondary = true,
): { rows: R[]; total: R } {
  const mask = secondary
    ? suppressionMask(a.rows, denominator, minCellFor)
    : a.rows.map((r) => denominator(r) < minCellFor(r));
  return {
    rows: a.rows.map((r, i) => (mask[i] ? suppressRow(r, Infinity) : r)),
    total: suppressRow(a.total, minCellFor(null)),
  };
}
