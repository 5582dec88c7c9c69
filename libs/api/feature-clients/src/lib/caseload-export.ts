/**
 * The caseload as a file for Dutch Excel: CSV (UTF-8 with BOM, `;`, dates as dd-mm-jjjj) and XLSX
 * (real dates, the header frozen). One row per client, the columns of the caseload page.
 */
import { safeCsv } from '@klantmonitor/api/core';
import ExcelJS from 'exceljs';
import {
  STEP_CODES,
  DROPOUT_REASON_LABELS_NL,
  STEP_LABELS_NL,
  CRISIS_LABELS_NL,
  type CaseloadItem,
  type ServiceKind,
  type TrajectoryStatus,
} from '@klantmonitor/shared/domain';

/** Rows in one export: a caseload larger than this is narrowed first (422 names the limit). */
export const CASELOAD_EXPORT_LIMIT = 20_000;

export interface CaseloadFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

const STATUS_NL: Record<TrajectoryStatus, string> = {
  open: 'Loopt',
  closed: 'Afgesloten',
  dropped_out: 'Uitgevallen',
};
const SERVICE_NL: Record<ServiceKind, string> = {
  budget_management: 'Budgetbeheer',
  protection: 'Beschermingsbewind',
  budget_coaching: 'Budgetcoaching',
  other: 'Ander instrument',
};

type Cell = string | number | Date | null;
interface Column {
  name: string;
  kind: 'text' | 'date' | 'int';
  value: (c: CaseloadItem) => string | number | null;
}

const COLUMNS: Column[] = [
  { name: 'Cliëntnummer', kind: 'text', value: (c) => c.clientRef },
  { name: 'Gemeente', kind: 'text', value: (c) => c.municipality.name },
  { name: 'CBS-code', kind: 'text', value: (c) => c.municipality.code },
  { name: 'Status', kind: 'text', value: (c) => STATUS_NL[c.status] },
  { name: 'Aangemeld op', kind: 'date', value: (c) => c.registeredOn },
  { name: 'Crisis', kind: 'text', value: (c) => (c.crisis ? CRISIS_LABELS_NL[c.crisis] : null) },
  { name: 'Eerste gesprek uiterlijk', kind: 'date', value: (c) => c.firstMeetingDue },
  ...STEP_CODES.map(
    (s): Column => ({
      name: STEP_LABELS_NL[s],
      kind: 'date',
      value: (c) => c.steps[s] ?? null,
    }),
  ),
  {
    name: 'Huidige stap',
    kind: 'text',
    value: (c) => (c.currentStep ? STEP_LABELS_NL[c.currentStep] : 'Wacht op eerste gesprek'),
  },
  { name: 'Klanttype', kind: 'text', value: (c) => c.clientType?.name ?? null },
  { name: 'Open signalen', kind: 'int', value: (c) => c.openAlerts },
  { name: 'Vastgelopen sinds', kind: 'date', value: (c) => c.stalledSince },
  { name: 'Laatste activiteit', kind: 'date', value: (c) => c.lastActivityOn },
  { name: 'Casehouder', kind: 'text', value: (c) => c.counselor?.name ?? null },
  {
    name: 'Diensten',
    kind: 'text',
    value: (c) => c.services.map((s) => SERVICE_NL[s]).join(', ') || null,
  },
  {
    name: 'Uitgevallen op',
    kind: 'date',
    value: (c) => c.dropout?.date ?? null,
  },
  {
    name: 'Reden van uitval',
    kind: 'text',
    value: (c) => (c.dropout?.reason ? DROPOUT_REASON_LABELS_NL[c.dropout.reason] : null),
  },
];

/** 2025-03-01 -> 01-03-2025 (how Dutch Excel reads a date in a CSV). */
const dutchDate = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;

export async function caseloadFile(items: CaseloadItem[], format: 'csv' | 'xlsx'): Promise<CaseloadFile> {
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === 'csv') {
    const text = safeCsv(
      items.map((c) =>
        COLUMNS.map((col) => {
          const v = col.value(c);
          return v === null ? '' : col.kind === 'date' ? dutchDate(String(v)) : String(v);
        }),
      ),
      {
        bom: true,
        delimiter: ';',
        header: true,
        columns: COLUMNS.map((c) => c.name),
        record_delimiter: 'windows',
      },
    );
    return {
      body: Buffer.from(text, 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      filename: `klantmonitor-clienten-${stamp}.csv`,
    };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Klantmonitor';
  const sheet = wb.addWorksheet('Cliënten', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = COLUMNS.map((c) => ({
    header: c.name,
    key: c.name,
    width: c.kind === 'date' ? 12 : Math.max(12, Math.min(30, c.name.length + 2)),
    style: c.kind === 'date' ? { numFmt: 'dd-mm-yyyy' } : c.kind === 'int' ? { numFmt: '0' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const c of items)
    sheet.addRow(
      COLUMNS.map((col): Cell => {
        const v = col.value(c);
        return v !== null && col.kind === 'date' ? new Date(`${v}T00:00:00Z`) : v;
      }),
    );
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    body,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `klantmonitor-clienten-${stamp}.xlsx`,
  };
}
