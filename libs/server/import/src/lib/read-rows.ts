/**
 * Reads an uploaded table as a stream of rows (arrays of cell text), whatever its form: CSV with
 * `,` or `;` (sniffed from the header line), UTF-8 with or without BOM, quoted fields; or the first
 * sheet of an XLSX workbook. A CSV is never held in memory beyond the current chunk; an XLSX is held
 * compressed (its directory is at the end), and its sheet is parsed row by row. IMPORT_LIMITS caps
 * what a file may unpack to, checked while it streams.
 */
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import unzipper from 'unzipper';

export type TableFormat = 'csv' | 'xlsx';

export class UnreadableFileError extends Error {}

/**
 * What one import may unpack to. A 10 MB XLSX can unpack to gigabytes (a "zip bomb"); these caps
 * are checked while the file streams, so a bomb is refused after at most the work the caps allow
 * (seconds), never after reading all of it, and the api's memory stays bounded. An organisation's
 * real export (tens of thousands of clients, about 15 columns) stays far below each.
 */
export const IMPORT_LIMITS = {
  /** Data rows (the header not counted). */
  rows: 200_000,
  /** Cells per row, up to the last filled one. */
  columns: 100,
  /** Bytes all parts of an XLSX unpack to together. */
  unpackedBytes: 256 * 1024 * 1024,
  /** Files inside an XLSX (a real workbook has about ten). */
  entries: 1000,
  /** Bytes the shared strings part unpacks to: it is held in memory while the sheet is read. */
  sharedStringsBytes: 64 * 1024 * 1024,
  /** Entries of the shared strings table. */
  sharedStrings: 1_000_000,
} as const;
export type ImportLimit = keyof typeof IMPORT_LIMITS;

/** The file goes over one of IMPORT_LIMITS; `limit` names which, `max` is its value. */
export class ImportLimitError extends Error {
  constructor(
    readonly limit: ImportLimit,
    readonly max: number,
    message: string,
  ) {
    super(message);
  }
}

const MB = 1024 * 1024;
const limitMessages: Record<ImportLimit, (max: number) => string> = {
  rows: (max) => `The file has more than ${max} data rows`,
  columns: (max) => `A row has more than ${max} cells`,
  unpackedBytes: (max) => `The XLSX file unpacks to more than ${max / MB} MB`,
  entries: (max) => `The XLSX file holds more than ${max} parts`,
  sharedStringsBytes: (max) => `The XLSX file's text table unpacks to more than ${max / MB} MB`,
  sharedStrings: (max) => `The XLSX file's text table has more than ${max} entries`,
};
function overLimit(limit: ImportLimit, limits: ImportLimits): ImportLimitError {
  return new ImportLimitError(limit, limits[limit], limitMessages[limit](limits[limit]));
}
export type ImportLimits = Record<ImportLimit, number>;

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

async function* csvRows(source: AsyncIterable<Buffer>, first: Buffer, limits: ImportLimits): AsyncGenerator<string[]> {
  const delimiter = sniffDelimiter(first.toString('utf8'));
  const rest = source[Symbol.asyncIterator]();
  const input = Readable.from(
    (async function* () {
      yield first;
      for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
    })(),
  );
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 64 * 1024,
    }),
  );
  input.on('error', (e) => parser.destroy(e));
  try {
    for await (const record of parser) {
      if ((record as string[]).length > limits.columns) throw overLimit('columns', limits);
      yield record as string[];
    }
  } catch (e) {
    // Errors of the upload itself (such as "file too large") and our limits keep their own status.
    if (e instanceof ImportLimitError || typeof (e as { statusCode?: unknown }).statusCode === 'number') throw e;
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
  sharedStrings?: unknown[];
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(rows: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: unknown }>;
}

/**
 * The bytes of one zip entry as it unpacks, counted against `budget` (shared by all parts) and, for
 * one part, against its own cap: the stream ends with ImportLimitError the moment either is passed.
 */
async function* countedEntry(
  stream: NodeJS.ReadableStream,
  budget: { left: number },
  limits: ImportLimits,
  own?: { limit: ImportLimit; max: number; check?: () => void },
): AsyncGenerator<Buffer> {
  let seen = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.left -= chunk.length;
      seen += chunk.length;
      if (budget.left < 0) throw overLimit('unpackedBytes', limits);
      if (own && seen > own.max) throw overLimit(own.limit, limits);
      own?.check?.();
      yield chunk;
    }
  } finally {
    // Stop inflating at once when the reader gives up (a limit, a parse error).
    (stream as unknown as { destroy?: () => void }).destroy?.();
  }
}

async function* xlsxRows(source: AsyncIterable<Buffer>, first: Buffer, limits: ImportLimits): AsyncGenerator<string[]> {
  // The zip's directory is at its end, so the (size-limited) upload is held compressed in memory.
  const parts = [first];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  try {
    const zip = await unzipper.Open.buffer(Buffer.concat(parts));
    if (zip.files.length > limits.entries) throw overLimit('entries', limits);
    // The sizes the directory declares refuse most bombs before any inflating; the counting below
    // catches a directory that understates them.
    const declared = zip.files.reduce((sum, f) => sum + (f.uncompressedSize ?? 0), 0);
    if (declared > limits.unpackedBytes) throw overLimit('unpackedBytes', limits);
    const budget = { left: limits.unpackedBytes };
    const entry = (path: string) => zip.files.find((f) => f.path === path && f.type === 'File');
    const open = (file: unzipper.File, own?: { limit: ImportLimit; max: number; check?: () => void }) =>
      Readable.from(countedEntry(file.stream(), budget, limits, own));
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
    await reader._parseRels(open(rels));
    await reader._parseWorkbook(open(book));
    const strings = entry('xl/sharedStrings.xml');
    if (strings) {
      if ((strings.uncompressedSize ?? 0) > limits.sharedStringsBytes) throw overLimit('sharedStringsBytes', limits);
      // The reader caches the strings without yielding them; their count is checked per chunk.
      const check = () => {
        if ((reader.sharedStrings?.length ?? 0) > limits.sharedStrings) throw overLimit('sharedStrings', limits);
      };
      for await (const _ of reader._parseSharedStrings(
        open(strings, { limit: 'sharedStringsBytes', max: limits.sharedStringsBytes, check }),
      ))
        void _;
      check();
    }
    const styles = entry('xl/styles.xml');
    if (styles) await reader._parseStyles(open(styles));
    // The first sheet in the workbook's own order, wherever its part is stored.
    const rId = reader.model?.sheets?.[0]?.rId;
    const target = reader.workbookRels?.find((r) => r.Id === rId)?.Target.replace(/^\/?(xl\/)?/, '');
    const sheetNo = target?.match(/^worksheets\/sheet(\d+)\.xml$/)?.[1];
    const sheet = target && entry(`xl/${target}`);
    if (!sheet || !sheetNo) throw new UnreadableFileError('The XLSX file has no worksheet');
    for (const { eventType, value } of reader._parseWorksheet(countedEntry(sheet.stream(), budget, limits), sheetNo)) {
      if (eventType !== 'worksheet') continue;
      for await (const row of value as AsyncIterable<ExcelJS.Row>) {
        const raw = row.values as unknown[];
        // values[0] is unused; its length is the last filled column + 1.
        if (raw.length - 1 > limits.columns) throw overLimit('columns', limits);
        const values = raw.slice(1).map(cellText);
        if (values.some((v) => v !== '')) yield values;
      }
    }
  } catch (e) {
    if (
      e instanceof UnreadableFileError ||
      e instanceof ImportLimitError ||
      typeof (e as { statusCode?: unknown }).statusCode === 'number'
    )
      throw e;
    throw new UnreadableFileError(`The XLSX file cannot be read: ${(e as Error).message}`);
  }
}

/**
 * Rows of a CSV or XLSX stream; an empty stream yields nothing. Throws ImportLimitError as soon as
 * the file goes over one of `limits` (the header row plus `limits.rows` data rows, and so on).
 */
export async function* readRows(
  source: AsyncIterable<Buffer>,
  limits: ImportLimits = IMPORT_LIMITS,
): AsyncGenerator<string[]> {
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
  const rows = detectFormat(first) === 'xlsx' ? xlsxRows(remaining, first, limits) : csvRows(remaining, first, limits);
  let count = 0;
  for await (const row of rows) {
    if (++count > limits.rows + 1) throw overLimit('rows', limits);
    yield row;
  }
}
