/**
 * Reads an uploaded table as a stream of rows (arrays of cell text), whatever its form: CSV with
 * `,` or `;` (sniffed from the header line), UTF-8 with or without BOM, quoted fields; or the first
 * sheet of an XLSX workbook. A CSV is never held in memory beyond the current chunk; an XLSX is held
 * compressed (its directory is at the end), and its sheet is parsed row by row.
 */
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import unzipper from 'unzipper';

export type TableFormat = 'csv' | 'xlsx';

export class UnreadableFileError extends Error {}

/** XLSX is a zip (PK\x03\x04); text with NUL bytes is neither CSV nor XLSX. */
export function detectFormat(head: Buffer): TableFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head.includes(0)) throw new UnreadableFileError('The file is not a CSV or XLSX file');
  return 'csv';
}

/** The separator of the header line: the more frequent of `;` and `,` outside quotes. */
export function sniffDelimiter(text: string): ',' | ';' {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Cell value of ExcelJS as text: dates as YYYY-MM-DD, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { result?: unknown; text?: unknown; richText?: { text: string }[]; error?: string };
    if ('result' in v) return cellText(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return cellText(v.text);
    if (v.error) return '';
    return '';
  }
  return String(value).trim();
}

async function* csvRows(source: AsyncIterable<Buffer>, first: Buffer): AsyncGenerator<string[]> {
  const delimiter = sniffDelimiter(first.toString('utf8'));
  const rest = source[Symbol.asyncIterator]();
  const input = Readable.from(
    (async function* () {
      yield first;
      for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
    })(),
  );
  const parser = input.pipe(
    parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 64 * 1024 }),
  );
  input.on('error', (e) => parser.destroy(e));
  try {
    for await (const record of parser) yield record as string[];
  } catch (e) {
    // Errors of the upload itself (such as "file too large") keep their own status.
    if (typeof (e as { statusCode?: unknown }).statusCode === 'number') throw e;
    throw new UnreadableFileError(`The CSV file cannot be read: ${(e as Error).message}`);
  }
}

/**
 * ExcelJS's streaming reader, driven part by part. Its own `parse()` reads the zip in one streaming
 * pass and intermittently loses the last entry (`xl/workbook.xml` in files ExcelJS writes), which
 * throws "Cannot read properties of undefined (reading 'sheets')" (exceljs#3064). We read the zip
 * through its central directory instead and hand ExcelJS the parts in the order it needs; the sheet
 * itself is still parsed row by row. These are ExcelJS internals, pinned by the exact version in
 * package.json and guarded by the XLSX round-trip property test.
 */
interface ExcelStreamInternals {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string }[] };
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(rows: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: unknown }>;
}

async function* streamChunks(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
}

async function* xlsxRows(source: AsyncIterable<Buffer>, first: Buffer): AsyncGenerator<string[]> {
  // The zip's directory is at its end, so the (size-limited) upload is held compressed in memory.
  const parts = [first];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  try {
    const zip = await unzipper.Open.buffer(Buffer.concat(parts));
    const entry = (path: string) => zip.files.find((f) => f.path === path && f.type === 'File');
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'ignore',
    }) as unknown as ExcelStreamInternals;
    const rels = entry('xl/_rels/workbook.xml.rels');
    const book = entry('xl/workbook.xml');
    if (!rels || !book) throw new UnreadableFileError('The XLSX file has no workbook');
    await reader._parseRels(rels.stream());
    await reader._parseWorkbook(book.stream());
    const strings = entry('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings.stream())) void _;
    const styles = entry('xl/styles.xml');
    if (styles) await reader._parseStyles(styles.stream());
    // The first sheet in the workbook's own order, wherever its part is stored.
    const rId = reader.model?.sheets?.[0]?.rId;
    const target = reader.workbookRels?.find((r) => r.Id === rId)?.Target.replace(/^\/?(xl\/)?/, '');
    const sheetNo = target?.match(/^worksheets\/sheet(\d+)\.xml$/)?.[1];
    const sheet = target && entry(`xl/${target}`);
    if (!sheet || !sheetNo) throw new UnreadableFileError('The XLSX file has no worksheet');
    for (const { eventType, value } of reader._parseWorksheet(streamChunks(sheet.stream()), sheetNo)) {
      if (eventType !== 'worksheet') continue;
      for await (const row of value as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as unknown[]).slice(1).map(cellText);
        if (values.some((v) => v !== '')) yield values;
      }
    }
  } catch (e) {
    if (e instanceof UnreadableFileError || typeof (e as { statusCode?: unknown }).statusCode === 'number') throw e;
    throw new UnreadableFileError(`The XLSX file cannot be read: ${(e as Error).message}`);
  }
}

/** Rows of a CSV or XLSX stream; an empty stream yields nothing. */
export async function* readRows(source: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const it = source[Symbol.asyncIterator]();
  let first = Buffer.alloc(0);
  // Enough bytes to recognise the format and the header's separator.
  while (first.length < 4096) {
    const r = await it.next();
    if (r.done) break;
    first = Buffer.concat([first, Buffer.from(r.value)]);
  }
  if (first.length === 0) return;
  const remaining = { [Symbol.asyncIterator]: () => it };
  if (detectFormat(first) === 'xlsx') yield* xlsxRows(remaining, first);
  else yield* csvRows(remaining, first);
}
