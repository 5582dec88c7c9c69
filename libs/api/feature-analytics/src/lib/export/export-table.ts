/**
 * An analytics answer as one flat table (docs/analytics.md "Exports"): first column `niveau` (`rij` for
 * a row, `totaal` for the total), then the group fields as grouped (with `municipalityName` beside
 * `municipality`), then the figures of the JSON rows in their JSON names (nested ones as
 * `byPhase.first_contact`, `curve.30`), `suppressed` last. A figure the JSON leaves null (a
 * suppressed one) is null here too: empty in CSV and XLSX, never 0. CSV and XLSX are both written
 * from this table, so they cannot disagree.
 */
import { STEP_CODES, SUPPORT_TYPES, type GroupKey } from '@klantmonitor/shared/domain';
import { DEFAULT_CURVE_DAYS } from '@klantmonitor/shared/metrics';
import type { AnalyticsEndpoint } from '@klantmonitor/server/analytics';

/** How a column is written: shares get a percent format in XLSX; counts stay whole. */
export type ColumnKind = 'text' | 'int' | 'number' | 'share' | 'yesno';

export interface ExportColumn {
  name: string;
  kind: ColumnKind;
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
}

interface Figure {
  name: string;
  kind: ColumnKind;
  read: (row: Record<string, unknown>) => unknown;
}

const plain = (name: string, kind: ColumnKind): Figure => ({
  name,
  kind,
  read: (r) => r[name],
});
const nested = (parent: string, key: string, kind: ColumnKind): Figure => ({
  name: `${parent}.${key}`,
  kind,
  read: (r) => (r[parent] as Record<string, unknown> | null)?.[key] ?? null,
});
const shares = ['share', 'ciLow', 'ciHigh'].map((n) => plain(n, 'share'));

function figuresOf(endpoint: AnalyticsEndpoint, answer: ExportAnswer): Figure[] {
  switch (endpoint) {
    case 'step-attainment': {
      const caseMix = [answer.total, ...answer.rows].some((r) => 'expected' in r);
      return [
        plain('eligible', 'int'),
        plain('reached', 'int'),
        ...shares,
        ...(caseMix ? [plain('expected', 'number'), plain('oe', 'number')] : []),
      ];
    }
    case 'dropout':
      return [
        plain('n', 'int'),
        plain('dropped', 'int'),
        ...shares,
        ...STEP_CODES.map((s) => nested('byPhase', s, 'int')),
        plain('momentOfTruth', 'share'),
      ];
    case 'time-to-step': {
      const days = answer.query.days ?? DEFAULT_CURVE_DAYS;
      return [
        plain('n', 'int'),
        plain('medianDays', 'int'),
        ...days.map((day) => ({
          name: `curve.${day}`,
          kind: 'share' as const,
          read: (r: Record<string, unknown>) =>
            (r['curve'] as { day: number; cif: number }[] | null)?.find((p) => p.day === day)?.cif ?? null,
        })),
      ];
    }
    case 'experience':
      return [plain('n', 'int'), plain('mean', 'number')];
    case 'support':
      return [
        plain('n', 'int'),
        plain('withAdministrative', 'int'),
        plain('administrativeShare', 'share'),
        plain('ciLow', 'share'),
        plain('ciHigh', 'share'),
        ...SUPPORT_TYPES.map((t) => nested('meanMinutes', t, 'number')),
      ];
    case 'response-rate':
      return [plain('sent', 'int'), plain('completed', 'int'), ...shares, plain('open', 'int')];
  }
}

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
  const columns: ExportColumn[] = [{ name: 'niveau', kind: 'text' }];
  const groupCols: Figure[] = [];
  for (const key of groupBy) {
    groupCols.push(plain(key, 'text'));
    if (key === 'municipality')
      groupCols.push({
        name: 'municipalityName',
        kind: 'text',
        read: (r) => (typeof r['municipality'] === 'string' ? (names.get(r['municipality']) ?? null) : null),
      });
  }
  if (endpoint === 'experience') groupCols.push(plain('phase', 'text'));
  const figures = figuresOf(endpoint, answer);
  const all = [...groupCols, ...figures, plain('suppressed', 'yesno')];
  columns.push(...all.map(({ name, kind }) => ({ name, kind })));

  const line = (level: 'rij' | 'totaal', r: Record<string, unknown>) => [level, ...all.map((c) => toCell(c.read(r)))];
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
