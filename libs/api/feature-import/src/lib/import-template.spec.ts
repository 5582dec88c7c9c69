import ExcelJS from 'exceljs';
import {
  ASSESSMENT_SPEC,
  ImportContext,
  ImportSpec,
  intakeAnswersSpec,
  readImport,
  TRAJECTORY_SPEC,
} from '@klantmonitor/server/import';
import { canonicalImportColumn, DEFAULT_INTAKE_ITEM_CODES, dutchImportColumn } from '@klantmonitor/shared/domain';
import { templateColumns, templateFile, TEMPLATE_KINDS, TemplateKind } from './import-template';

const CTX = {
  municipalities: [
    { code: 'GM0193', name: 'Zwolle' },
    { code: 'GM0344', name: 'Utrecht' },
  ],
  clientTypes: [{ code: 'zelfstandige', name: 'De zelfstandige' }],
};
const SPECS: Record<TemplateKind, ImportSpec<unknown>> = {
  trajectories: TRAJECTORY_SPEC as ImportSpec<unknown>,
  assessments: ASSESSMENT_SPEC as ImportSpec<unknown>,
  'intake-answers': intakeAnswersSpec(DEFAULT_INTAKE_ITEM_CODES) as ImportSpec<unknown>,
};
const importCtx = (): ImportContext => ({
  today: '2026-11-30',
  servedMunicipalities: new Set(['GM0193', 'GM0344']),
  seenRefs: new Set(),
});

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}
async function readBack(kind: TemplateKind, body: Buffer) {
  const items = [];
  for await (const item of readImport(once(body), SPECS[kind], importCtx())) items.push(item);
  return items;
}

describe('import templates', () => {
  it.each(TEMPLATE_KINDS)('%s: the CSV and the XLSX read back through the importer with no problem', async (kind) => {
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await templateFile(kind, format, CTX);
      const items = await readBack(kind, file.body);
      expect(items).toHaveLength(1);
      expect(items[0]).not.toHaveProperty('problems');
      expect(file.filename).toBe(`klantmonitor-voorbeeld-${kind}.${format}`);
    }
  });

  it('names every column the importer knows, required ones first-class, and nothing else', () => {
    for (const kind of TEMPLATE_KINDS) {
      const columns = templateColumns(kind, CTX);
      const spec = SPECS[kind];
      // Named in Dutch (#25); each is the Dutch name of a column the importer knows.
      expect(columns.filter((c) => c.required).map((c) => canonicalImportColumn(c.name))).toEqual([...spec.required]);
      expect(columns.filter((c) => c.required).map((c) => c.name)).toEqual(spec.required.map(dutchImportColumn));
      const known = new Set([...spec.required, ...spec.optional]);
      for (const c of columns) expect(known.has(canonicalImportColumn(c.name)) || spec.extra?.test(c.name)).toBe(true);
      for (const c of columns) expect(c.explanation.length).toBeGreaterThan(10);
    }
  });

  it("CSV: a byte-order mark, ; between columns, the example uses the organisation's first municipality", async () => {
    const text = (await templateFile('trajectories', 'csv', CTX)).body.toString('utf8');
    expect(text.startsWith('\uFEFFcliëntnummer;gemeente;aangemeld_op;crisis;eerste_contact;doel_bekend;')).toBe(true);
    expect(text.split('\r\n')[1].startsWith('KL-0001;GM0193;2025-01-06;;2025-01-15;2025-02-01;')).toBe(true);
  });

  it('XLSX: the sheets Invullen, Uitleg (in Dutch) and Codes (municipalities and dropout reasons)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateFile('trajectories', 'xlsx', CTX)).body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Invullen', 'Uitleg', 'Codes']);
    const help = wb.getWorksheet('Uitleg')!;
    expect(help.getRow(1).values).toEqual([undefined, 'Kolom', 'Verplicht', 'Wat vul je in']);
    const municipalityRow = help.getRows(2, help.rowCount - 1)!.find((r) => r.getCell(1).value === 'gemeente')!;
    expect(municipalityRow.getCell(2).value).toBe('ja');
    expect(String(municipalityRow.getCell(3).value)).toContain('CBS-code');
    const codes: string[] = [];
    wb.getWorksheet('Codes')!.eachRow((r) => codes.push(`${r.getCell(1).value ?? ''}=${r.getCell(2).value ?? ''}`));
    expect(codes).toEqual(expect.arrayContaining(['GM0193=Zwolle', 'GM0344=Utrecht', 'no_show=Niet meer gekomen']));
  });
});

describe('template CSV (#22: formula injection)', () => {
  it('writes an example that a spreadsheet would run as a formula with a leading quote', async () => {
    // A client type whose code came from an import: the template shows it as the example.
    const file = await templateFile('assessments', 'csv', {
      ...CTX,
      clientTypes: [{ code: '=HYPERLINK("https://evil.example/","x")', name: 'x' }],
    });
    const [, example] = file.body
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(example.split(';').at(-1)).toBe(`"'=HYPERLINK(""https://evil.example/"",""x"")"`);
    // The other examples (a reference, a date) are left as they are.
    expect(example.split(';').slice(0, 2)).toEqual(['KL-0001', '2025-01-15']);
  });
});
