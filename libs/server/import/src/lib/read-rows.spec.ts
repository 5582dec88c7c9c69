import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { IMPORT_LIMITS, ImportLimitError, ImportLimits, readRows } from './read-rows';

/**
 * Decompression bombs and oversized tables (security review, #11): each limit is checked while
 * the file streams. The limits are lowered here so that each bomb is small; the api-e2e import
 * tests send real-size bombs against the real limits.
 */
const small: ImportLimits = {
  rows: 50,
  columns: 20,
  unpackedBytes: 256 * 1024,
  entries: 40,
  sharedStringsBytes: 64 * 1024,
  sharedStrings: 500,
};

async function* chunks(buf: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function drain(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) {
    void _;
    n++;
  }
  return n;
}
async function limitOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImportLimitError) return e.limit;
    throw e;
  }
  return 'none';
}

/** A real two-row workbook from ExcelJS, as a JSZip to tamper with. */
async function workbookZip(): Promise<JSZip> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Trajecten');
  ws.addRow(['client_ref', 'municipality']);
  ws.addRow(['KL-1', 'GM0344']);
  return JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
}
const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
const zipped = async (zip: JSZip) =>
  Buffer.from(await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));

/**
 * Rewrites every declared uncompressed size (local headers and central directory) to 1 byte, as a
 * hostile file would, so that only the counting while inflating can catch it.
 */
function understateSizes(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt32LE(1, i + 22);
    else if (sig === 0x02014b50) out.writeUInt32LE(1, i + 24);
  }
  return out;
}

describe('import limits while streaming', () => {
  it('the real limits allow a large organisation with room to spare', () => {
    expect(IMPORT_LIMITS.rows).toBeGreaterThanOrEqual(100_000);
    expect(IMPORT_LIMITS.columns).toBeGreaterThanOrEqual(30);
  });

  it('a CSV with more rows than allowed is refused at the first row too many, without reading on', async () => {
    let produced = 0;
    // An endless CSV: only a reader that stops at the limit ever returns.
    const endless = (async function* () {
      yield Buffer.from('a,b\n');
      for (;;) {
        produced++;
        yield Buffer.from('1,2\n'.repeat(10));
      }
    })();
    expect(await limitOf(drain(readRows(endless, small)))).toBe('rows');
    // Stream buffers read ahead some 64 KB (1,640 chunks here); an unbounded reader never returns.
    expect(produced).toBeLessThan(5000);
  });

  it('exactly the row limit is fine; one more is not', async () => {
    const csv = (n: number) => Buffer.from(`a,b\n${'1,2\n'.repeat(n)}`);
    expect(await drain(readRows(chunks(csv(small.rows)), small))).toBe(small.rows + 1);
    expect(await limitOf(drain(readRows(chunks(csv(small.rows + 1)), small)))).toBe('rows');
  });

  it('a CSV row with more cells than allowed is refused', async () => {
    const wide = Buffer.from(`a,b\n${Array.from({ length: 21 }, () => 'x').join(',')}\n`);
    expect(await limitOf(drain(readRows(chunks(wide), small)))).toBe('columns');
  });

  it('an XLSX sheet that unpacks past the budget is refused, also when the zip understates its sizes', async () => {
    const zip = await workbookZip();
    // ~1 MB of identical rows compresses to a few KB.
    zip.file(
      'xl/worksheets/sheet1.xml',
      sheetXml(
        Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>1</v></c></row>`).join(''),
      ),
    );
    const bomb = await zipped(zip);
    expect(bomb.length).toBeLessThan(small.unpackedBytes / 2);
    const roomy = { ...small, rows: 1_000_000 };
    expect(await limitOf(drain(readRows(chunks(bomb), roomy)))).toBe('unpackedBytes');
    expect(await limitOf(drain(readRows(chunks(understateSizes(bomb)), roomy)))).toBe('unpackedBytes');
  });

  it('a shared-strings table over its byte cap is refused before the sheet is read, also when understated', async () => {
    const zip = await workbookZip();
    zip.file(
      'xl/sharedStrings.xml',
      `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'A'.repeat(200_000)}</t></si></sst>`,
    );
    const bomb = await zipped(zip);
    expect(await limitOf(drain(readRows(chunks(bomb), small)))).toBe('sharedStringsBytes');
    expect(await limitOf(drain(readRows(chunks(understateSizes(bomb)), small)))).toBe('sharedStringsBytes');
  });

  it('a shared-strings table with too many entries is refused', async () => {
    const zip = await workbookZip();
    zip.file(
      'xl/sharedStrings.xml',
      `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>a</t></si>'.repeat(2000)}</sst>`,
    );
    expect(await limitOf(drain(readRows(chunks(await zipped(zip)), small)))).toBe('sharedStrings');
  });

  it('a zip with too many parts is refused', async () => {
    const zip = await workbookZip();
    for (let i = 0; i < 50; i++) zip.file(`xl/media/image${i}.bin`, 'x');
    expect(await limitOf(drain(readRows(chunks(await zipped(zip)), small)))).toBe('entries');
  });

  it('an XLSX row that reaches the last column is refused', async () => {
    const zip = await workbookZip();
    zip.file(
      'xl/worksheets/sheet1.xml',
      sheetXml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="XFD1" t="inlineStr"><is><t>z</t></is></c></row>',
      ),
    );
    expect(await limitOf(drain(readRows(chunks(await zipped(zip)), small)))).toBe('columns');
  });

  it('a workbook within every limit reads as before', async () => {
    const zip = await workbookZip();
    expect(await drain(readRows(chunks(await zipped(zip)), small))).toBe(2);
  });
});
