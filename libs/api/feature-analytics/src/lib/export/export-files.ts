/**
 * CSV and XLSX files of an export table (docs/analytics.md "Exports"). CSV: UTF-8 with BOM, `;`,
 * decimal comma, so Dutch Excel opens it as is; headers are the JSON names (partners read them). XLSX,
 * for people: sheet "Cijfers" with Dutch headers, numbers as numbers and shares in a percent format,
 * sheet "Toelichting" with the filters in words, the date of the figures and what every column means.
 */
import { safeCsv } from '@klantmonitor/api/core';
import ExcelJS from 'exceljs';
import type { AnalyticsEndpoint } from '@klantmonitor/server/analytics';
import { STEP_LABELS_NL } from '@klantmonitor/shared/domain';
import { ENDPOINT_TITLES, smallCellNote } from './definitions';
import type { ExportCell, ExportColumn, ExportTable } from './export-table';

/** A number with a decimal comma, never in exponent notation. */
export function dutchDecimal(v: number): string {
  const text = Number.isInteger(v) || Math.abs(v) >= 1e-6 ? String(v) : v.toFixed(12).replace(/0+$/, '');
  return text.replace('.', ',');
}

function csvCell(v: ExportCell, column: ExportColumn): string {
  if (v === null) return '';
  if (column.kind === 'yesno') return v ? 'ja' : 'nee';
  if (typeof v === 'number') return dutchDecimal(v);
  return String(v);
}

export function toCsv(table: ExportTable): Buffer {
  const text = safeCsv(
    table.rows.map((r) => r.map((v, i) => csvCell(v, table.columns[i]))),
    {
      bom: true,
      delimiter: ';',
      header: true,
      columns: table.columns.map((c) => c.name),
      record_delimiter: 'windows',
    },
  );
  return Buffer.from(text, 'utf8');
}

export interface ExportContext {
  endpoint: AnalyticsEndpoint;
  organisation: string;
  computedAt: string | null;
  /** The resolved query of the answer (defaults filled in), minCell included. */
  query: Record<string, unknown>;
  minCell: number;
  /** CBS codes to names, so the filters name municipalities. */
  names?: ReadonlyMap<string, string>;
}

const FILTER_LABELS: Record<string, string> = {
  cohort: 'Kwartaal of jaar van eerste contact',
  asOf: 'Peildatum',
  cohortFrom: 'Eerste contact vanaf',
  cohortTo: 'Eerste contact tot en met',
  municipalities: 'Gemeenten',
  clientTypes: 'Soorten cliënten',
  groupBy: 'Ingedeeld naar',
  periodUnit: 'Periode',
  step: 'Stap',
  withinDays: 'Binnen aantal dagen',
  days: 'Dagen van de curve',
  item: 'Vraag',
  sentFrom: 'Verstuurd vanaf',
  sentTo: 'Verstuurd tot en met',
  minCell: 'Kleinste groep die we laten zien',
};

const VALUE_LABELS: Record<string, string> = {
  month: 'maand',
  quarter: 'kwartaal',
  municipality: 'gemeente',
  clientType: 'soort cliënt',
  period: 'periode',
  unknown: 'onbekend (niet getypeerd)',
  rolling: 'de laatste vier complete kwartalen',
  ...STEP_LABELS_NL,
};

/**
 * Filters as label/value lines in words; a filter that was not set says what that means.
 * Municipalities by name when `names` is given (names where people read names).
 */
export function filterLines(
  query: Record<string, unknown>,
  names: ReadonlyMap<string, string> = new Map(),
): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, label] of Object.entries(FILTER_LABELS)) {
    if (!(key in query)) continue;
    const v = query[key];
    let text: string;
    if (v === null || v === undefined)
      text = key === 'municipalities' ? 'alle' : key === 'clientTypes' ? 'alle' : 'niet ingesteld';
    else if (Array.isArray(v))
      text = v.length
        ? v.map((x) => names.get(String(x)) ?? VALUE_LABELS[String(x)] ?? String(x)).join(', ')
        : key === 'groupBy'
          ? 'niets (alleen totaal)'
          : 'alle';
    else text = VALUE_LABELS[String(v)] ?? String(v);
    out.push([label, text]);
  }
  return out;
}

/** "30 november 2026, 02:30" in Amsterdam time. */
export function dutchMoment(iso: string | null): string {
  if (!iso) return 'nog niet berekend';
  return new Intl.DateTimeFormat('nl-NL', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso));
}

export async function toXlsx(table: ExportTable, ctx: ExportContext): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Klantmonitor';
  wb.created = ctx.computedAt ? new Date(ctx.computedAt) : new Date();
  const sheet = wb.addWorksheet('Cijfers', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  // For people: Dutch headers (the registry's labels); the CSV keeps the JSON names for machines.
  sheet.columns = table.columns.map((c) => ({
    header: c.label,
    key: c.name,
    width: Math.max(10, Math.min(28, c.label.length + 2)),
    style:
      c.kind === 'share'
        ? { numFmt: '0.0%' }
        : c.kind === 'number'
          ? { numFmt: '0.00' }
          : c.kind === 'int'
            ? { numFmt: '0' }
            : {},
  }));
  sheet.getRow(1).font = { bold: true };
  // For people: yes/no in Dutch, and the type of clients without a type as "onbekend" (the CSV says unknown).
  const cellFor = (v: ExportCell, c: ExportColumn) =>
    v === null
      ? null
      : c.kind === 'yesno'
        ? v
          ? 'ja'
          : 'nee'
        : c.name === 'clientType' && v === 'unknown'
          ? 'onbekend'
          : v;
  for (const r of table.rows) sheet.addRow(r.map((v, i) => cellFor(v, table.columns[i])));

  const notes = wb.addWorksheet('Toelichting');
  notes.columns = [
    { header: 'Onderwerp', key: 'a', width: 32 },
    { header: 'Uitleg', key: 'b', width: 100 },
  ];
  notes.getRow(1).font = { bold: true };
  notes.addRow(['Cijfers', ENDPOINT_TITLES[ctx.endpoint]]);
  notes.addRow(['Organisatie', ctx.organisation]);
  notes.addRow(['Cijfers berekend op', dutchMoment(ctx.computedAt)]);
  for (const [label, value] of filterLines(ctx.query, ctx.names)) notes.addRow([label, value]);
  notes.addRow(['Kleine aantallen', smallCellNote(ctx.minCell)]);
  notes.addRow([]);
  const head = notes.addRow(['Kolom', 'Betekenis']);
  head.font = { bold: true };
  for (const c of table.columns) notes.addRow([c.label, c.definition]);
  notes.getColumn('b').alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
