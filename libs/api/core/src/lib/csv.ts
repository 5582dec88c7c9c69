import { stringify, type Options } from 'csv-stringify/sync';

/** What a spreadsheet may read as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number as the product writes it (decimal comma or point, optional minus): never a formula. */
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

/**
 * A cell that Excel or LibreOffice could take for a formula gets a leading `'` (shown as text, the
 * `'` itself hidden): `=HYPERLINK(...)`, `+1+1`, `-2+3`, `@SUM(...)`, a tab or carriage return first.
 * A plain negative number (`-0,5`) stays a number: it computes nothing.
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/**
 * Every CSV the product writes (caseload, analytics, import templates) goes through here: the rows and
 * the header are neutralised cell by cell, then written by csv-stringify.
 */
export function safeCsv(rows: string[][], options: Options & { header?: boolean; columns?: string[] } = {}): string {
  const { columns, ...rest } = options;
  return stringify(
    rows.map((r) => r.map(neutraliseFormula)),
    columns ? { ...rest, columns: columns.map(neutraliseFormula) } : rest,
  );
}
