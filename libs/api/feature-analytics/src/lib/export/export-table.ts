/**
 * An analytics answer as one flat table (docs/analytics.md "Exports"): first column `niveau` (`rij` for
 * a row, `totaal` for the total), then the group fields as grouped (with `municipalityName` beside
 * `municipality`), then the figures of the JSON rows in their JSON names (nested ones as
 * `byPhase.first_contact`, `curve.30`), `suppressed` last. A figure the JSON leaves null (a
 * suppressed one) is null here too: empty in CSV and XLSX, never 0. CSV and XLSX are both written
 * from this table, so they cannot disagree. Which figures an endpoint has, and what they are called in
 * Dutch, is the metric registry's (server/analytics METRICS).
 */
import type { GroupKey } from '@klantmonitor/shared/domain';
import {
  FRAME_COLUMNS,
  METRICS,
  type AnalyticsEndpoint,
  type ColumnKind,
  type MetricColumn,
} from '@klantmonitor/server/analytics';

export type { ColumnKind } from '@klantmonitor/server/analytics';

export interface ExportColumn {
  name: string;
  /** The Dutch header (the people's files). */
  label: string;
  kind: ColumnKind;
  definition: string;
}

export type ExportCell = string | number | boolean | null;

export interface ExportTable {
  columns: ExportColumn[];
  rows: ExportCell[][];
}

/** The answer as the JSON endpoint sends it (suppressed for this caller). */
export interface ExportAnswer {
  computedAt: string | null;
  query: Record<string, unknown> & { groupBy?: GroupKey[]; days?: number[] };
  rows: Record<string, unknown>[];
  total: Record<string, unknown>;
  /** With compareTo: the comparison group's total (the workbook writes it as a row). */
  reference?: { group: { name: string }; total: Record<string, unknown> };
}

const frame = (name: keyof typeof FRAME_COLUMNS, read: MetricColumn['read'] = (r) => r[name]): MetricColumn => ({
  name,
  ...FRAME_COLUMNS[name],
  read,
});

/**
 * The table of one answer. `names` maps CBS codes to municipality names. Experience rows are per
 * phase; its total is written as one `totaal` row per phase and one over all phases (phase empty).
 */
export function exportTable(
  endpoint: AnalyticsEndpoint,
  answer: ExportAnswer,
  names: ReadonlyMap<string, string>,
): ExportTable {
  const groupBy = answer.query.groupBy ?? [];
  const groupCols: MetricColumn[] = [];
  for (const key of groupBy) {
    groupCols.push(frame(key));
    if (key === 'municipality')
      groupCols.push(
        frame('municipalityName', (r) =>
          typeof r['municipality'] === 'string' ? (names.get(r['municipality']) ?? null) : null,
        ),
      );
  }
  if (endpoint === 'experience') groupCols.push(frame('phase'));
  const all = [frame('niveau'), ...groupCols, ...METRICS[endpoint].columns(answer), frame('suppressed')];
  const columns = all.map(({ name, label, kind, definition }) => ({ name, label, kind, definition }));
  const figures = all.slice(1);
  const line = (level: 'rij' | 'totaal', r: Record<string, unknown>) => [
    level,
    ...figures.map((c) => toCell(c.read(r))),
  ];
  const rows: ExportCell[][] = answer.rows.map((r) => line('rij', r));
  if (endpoint === 'experience') {
    for (const r of (answer.total['byPhase'] as Record<string, unknown>[]) ?? []) rows.push(line('totaal', r));
  }
  rows.push(line('totaal', answer.total));
  return { columns, rows };
}

function toCell(v: unknown): ExportCell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
