/**
 * CSV and XLSX files of an export table (docs/analytics.md "Exports"). CSV: UTF-8 with BOM, `;`,
 * decimal comma, so Dutch Excel opens it as is. XLSX: sheet "Cijfers" with numbers as numbers and
 * shares in a percent format, sheet "Toelichting" with the filters, computedAt, minCell and what
 * every column means.
 */
import { safeCsv } from '@klantmonitor/api/core';
import ExcelJS from 'exceljs';
import type { AnalyticsEndpoint } from '@klantmonitor/server/analytics';
import { STEP_LABELS_NL } from '@klantmonitor/shared/domain';
import { columnDefinition, ENDPOINT_TITLES, smallCellNote } from './definitions';
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
  rolling: 'de laatste vier complete kwartalen',
  ...STEP_LABELS_NL,
};

/** Filters as label/value lines; a filter that was not set says what that means. */
export function filterLines(query: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, label] of Object.entries(FILTER_LABELS)) {
    if (!(key in query)) continue;
    const v = query[key];
    let text: string;
    if (v === null || v === undefined)
      text = key === 'municipalities' ? 'alle' : key === 'clientTypes' ? 'alle' : 'niet ingesteld';
    else if (Array.isArray(v)) text = v.length ? v.join(', ') : key === 'groupBy' ? 'niets (alleen totaal)' : 'alle';
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
  sheet.columns = table.columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: Math.max(10, Math.min(28, c.name.length + 2)),
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
  for (const r of table.rows)
    sheet.addRow(r.map((v, i) => (v === null ? null : table.columns[i].kind === 'yesno' ? (v ? 'ja' : 'nee') : v)));

  const notes = wb.addWorksheet('Toelichting');
  notes.columns = [
    { header: 'Onderwerp', key: 'a', width: 32 },
    { header: 'Uitleg', key: 'b', width: 100 },
  ];
  notes.getRow(1).font = { bold: true };
  notes.addRow(['Cijfers', ENDPOINT_TITLES[ctx.endpoint]]);
  notes.addRow(['Organisatie', ctx.organisation]);
  notes.addRow(['Cijfers berekend op', dutchMoment(ctx.computedAt)]);
  notes.addRow(['computedAt', ctx.computedAt ?? '']);
  for (const [label, value] of filterLines(ctx.query)) notes.addRow([label, value]);
  notes.addRow(['minCell', ctx.minCell]);
  notes.addRow(['Kleine aantallen', smallCellNote(ctx.minCell)]);
  notes.addRow([]);
  const head = notes.addRow(['Kolom', 'Betekenis']);
  head.font = { bold: true };
  for (const c of table.columns) notes.addRow([c.name, columnDefinition(c.name)]);
  notes.getColumn('b').alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
