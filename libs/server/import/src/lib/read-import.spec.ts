import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { STEP_CODES, addDays } from '@klantmonitor/shared/domain';
import { parseDateCell } from './dates';
import { ImportHeaderError, ImportItem, readImport } from './read-import';
import { readRows, sniffDelimiter, UnreadableFileError } from './read-rows';
import { ASSESSMENT_SPEC, ImportContext, intakeAnswersSpec, TRAJECTORY_SPEC, TrajectoryRow } from './specs';

const HEADER = [
  'client_ref',
  'municipality',
  'first_contact',
  'goal_known',
  'approach_set',
  'iu_in_view',
  'iu_in_balance',
  'settlement_ready',
  'dropout_date',
  'dropout_reason',
];
const ctx = (): ImportContext => ({
  today: '2025-06-30',
  servedMunicipalities: new Set(['GM0344', 'GM0546']),
  seenRefs: new Set(),
});

async function* chunks(text: string | Buffer, size = 7): AsyncGenerator<Buffer> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const rowsOf = (text: string) => all(readImport(chunks(text), TRAJECTORY_SPEC, ctx()));

describe('reading CSV and XLSX', () => {
  it('reads , and ; files, with and without BOM, with quoted fields', async () => {
    const comma = 'a,b,c\r\n1,"x, y",3\n';
    const semi = '\uFEFFa;b;c\n1;"x; ""y""";3\n';
    expect(await all(readRows(chunks(comma)))).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', '3'],
    ]);
    expect(await all(readRows(chunks(semi)))).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x; "y"', '3'],
    ]);
    expect(sniffDelimiter('"a;b",c,d')).toBe(',');
    expect(sniffDelimiter('a;b;c')).toBe(';');
  });

  it('reads the first sheet of an XLSX workbook, dates as YYYY-MM-DD', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Trajecten');
    ws.addRow(['client_ref', 'municipality', 'first_contact']);
    ws.addRow(['KL-1', 'GM0344', new Date(Date.UTC(2025, 2, 1))]);
    wb.addWorksheet('Other').addRow(['ignored']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await all(readRows(chunks(buffer, 1000)))).toEqual([
      ['client_ref', 'municipality', 'first_contact'],
      ['KL-1', 'GM0344', '2025-03-01'],
    ]);
  });

  it('refuses binary files and broken workbooks with a readable error', async () => {
    await expect(all(readRows(chunks(Buffer.from([1, 0, 2, 3]))))).rejects.toBeInstanceOf(UnreadableFileError);
    await expect(all(readRows(chunks(Buffer.from('PK\u0003\u0004garbage-that-is-not-a-zip'))))).rejects.toBeInstanceOf(
      UnreadableFileError,
    );
    expect(await all(readRows(chunks('')))).toEqual([]);
  });
});

describe('trajectory rows', () => {
  it('accepts a complete row and normalises it', async () => {
    const items = await rowsOf(`${HEADER.join(',')}\nKL-1,gm0344,2025-01-10,,2025-02-01,15-03-2025,,,,\n`);
    expect(items).toEqual([
      {
        row: 2,
        value: {
          clientRef: 'KL-1',
          municipality: 'GM0344',
          registeredOn: '2025-01-10',
          crisis: null,
          firstContact: '2025-01-10',
          steps: { approach_set: '2025-02-01', iu_in_view: '2025-03-15' },
          dropoutDate: null,
          dropoutReason: null,
        },
      },
    ]);
  });

  it('reports every problem with its row and column', async () => {
    const text = [
      'client_ref;municipality;first_contact;goal_known;dropout_date;dropout_reason',
      'KL-1;GM0080;2025-01-10;;;', // unserved municipality
      'KL-2;GM0344;2025-02-30;;;', // not a date
      'KL-3;GM0344;2025-01-10;2025-01-05;;', // before first contact
      'KL-4;GM0344;2025-01-10;2025-07-01;;', // future
      'KL-5;GM0344;2025-01-10;;;moved', // reason without date
      'KL-1;GM0344;2025-01-10;;;', // duplicate client_ref
      'KL-7;GM0344;2025-01-10;;2025-03-01;bored', // unknown reason
      '111222333;GM0344;2025-01-10;;;', // BSN
      'KL-10;GM0344;1900-01-01;;;', // too early (#25: a typing error, never saved)
    ].join('\n');
    const items = await rowsOf(text);
    const problems = items.flatMap((i) =>
      'problems' in i ? i.problems.map((p) => `${i.row} ${p.column}: ${p.message}`) : [],
    );
    // Each problem also carries a code and its values, so the dashboard can say it in Dutch.
    expect(items.flatMap((i) => ('problems' in i ? i.problems.map((p) => [p.code, p.params]) : []))).toEqual([
      ['municipality_unserved', { code: 'GM0080' }],
      ['not_a_date', { value: '2025-02-30' }],
      ['before_first_contact', { date: '2025-01-05', firstContact: '2025-01-10' }],
      ['future', { date: '2025-07-01' }],
      ['reason_without_date', undefined],
      ['duplicate_ref', { ref: 'KL-1' }],
      ['unknown_reason', { value: 'bored' }],
      ['bsn', undefined],
      ['too_early', { date: '1900-01-01', earliest: '2000-01-01' }],
    ]);
    expect(problems).toEqual([
      '2 municipality: GM0080 is unknown or not served by your organisation',
      '3 first_contact: "2025-02-30" is not a date (use YYYY-MM-DD)',
      '4 goal_known: 2025-01-05 is before first_contact 2025-01-10',
      '5 goal_known: 2025-07-01 is in the future',
      '6 dropout_date: is required when dropout_reason is given',
      '7 client_ref: KL-1 appears more than once in this file',
      '8 dropout_reason: "bored" is not one of moved, deceased, no_show, lost_motivation, terms_not_accepted, organisation_reputation, other',
      '9 client_ref: looks like a BSN; use your own client number',
      '10 first_contact: 1900-01-01 is before 2000-01-01',
    ]);
  });

  it('refuses a header with missing, unknown or repeated columns', async () => {
    await expect(rowsOf('client_ref,first_contact,colour,first_contact\n')).rejects.toEqual(
      new ImportHeaderError([
        { column: 'municipality', code: 'missing_column', message: 'required column is missing' },
        { column: 'colour', code: 'unknown_column', message: 'unknown column' },
        { column: 'first_contact', code: 'repeated_column', message: 'column appears twice' },
      ]),
    );
    expect(await rowsOf('Client Ref,Municipality,First Contact\n')).toEqual([]);
  });

  it('flags rows with more cells than the header', async () => {
    const items = await rowsOf('client_ref,municipality,first_contact\nKL-1,GM0344,2025-01-01,extra\n');
    expect(items).toEqual([
      {
        row: 2,
        problems: [
          {
            column: '(row)',
            code: 'extra_cells',
            message: '1 more cells than the header has columns',
            params: { count: '1' },
          },
        ],
      },
    ]);
  });
});

describe('other imports', () => {
  it('checks assessments', async () => {
    const items = await all(
      readImport(
        chunks('client_ref,assessed_on,client_type\nKL-1,2025-01-05,Zelfstandige\nKL-2,,x y\n'),
        ASSESSMENT_SPEC,
        ctx(),
      ),
    );
    expect(items).toEqual([
      { row: 2, value: { clientRef: 'KL-1', assessedOn: '2025-01-05', clientType: 'zelfstandige' } },
      {
        row: 3,
        problems: [
          { column: 'assessed_on', code: 'required', message: 'is required' },
          { column: 'client_type', code: 'client_type_format', message: 'must be a code of letters, digits, - or _' },
        ],
      },
    ]);
  });

  it('checks intake answers: integers 1..5 or empty', async () => {
    const spec = intakeAnswersSpec(['motivatie_zelf_aan_de_slag', 'netwerk_steun']);
    const items = await all(
      readImport(
        chunks(
          'client_ref,answered_on,motivatie_zelf_aan_de_slag,netwerk_steun\nKL-1,2025-01-05,4,\nKL-2,2025-01-05,6,2.5\n',
        ),
        spec,
        ctx(),
      ),
    );
    expect(items[0]).toEqual({
      row: 2,
      value: {
        clientRef: 'KL-1',
        answeredOn: '2025-01-05',
        answers: { motivatie_zelf_aan_de_slag: 4, netwerk_steun: null },
      },
    });
    expect('problems' in items[1] && items[1].problems.map((p) => p.column)).toEqual([
      'motivatie_zelf_aan_de_slag',
      'netwerk_steun',
    ]);
  });

  it('parses ISO and Dutch dates only when they are real', () => {
    expect(parseDateCell('2025-03-01')).toBe('2025-03-01');
    expect(parseDateCell('1-3-2025')).toBe('2025-03-01');
    expect(parseDateCell('01/03/2025')).toBe('2025-03-01');
    expect(parseDateCell('31-02-2025')).toBeUndefined();
    expect(parseDateCell('2025-3-1')).toBeUndefined();
    expect(parseDateCell('  ')).toBeNull();
  });
});

describe('properties', () => {
  it('never fails on random input with anything but a readable error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
        ),
        async (bytes) => {
          try {
            await all(readImport(chunks(Buffer.from(bytes), 13), TRAJECTORY_SPEC, ctx()));
          } catch (e) {
            expect(e instanceof ImportHeaderError || e instanceof UnreadableFileError).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random cells under the right header', async () => {
    const cell = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('2025-01-01', 'GM0344', 'moved', '31-12-2024'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 10, maxLength: 10 }), { maxLength: 20 }), async (rows) => {
        const csv = [HEADER, ...rows].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n');
        const items = await all(readImport(chunks(csv), TRAJECTORY_SPEC, ctx()));
        for (const item of items) expect('value' in item || item.problems.length > 0).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips valid rows through CSV (either separator, BOM or not, quoted or not) and XLSX', async () => {
    const day = (min: number, max: number) => fc.integer({ min, max });
    const validRow = fc
      .record({
        n: fc.integer({ min: 0, max: 1e6 }),
        municipality: fc.constantFrom('GM0344', 'GM0546'),
        start: day(0, 300),
        offsets: fc.array(fc.option(day(0, 60), { nil: null }), { minLength: 5, maxLength: 5 }),
        dropout: fc.option(fc.record({ after: day(0, 60), reason: fc.constantFrom('moved', 'no_show', 'other') }), {
          nil: null,
        }),
      })
      .map(({ n, municipality, start, offsets, dropout }): TrajectoryRow => {
        const firstContact = addDays('2024-01-01', start);
        const steps = Object.fromEntries(
          STEP_CODES.slice(1).flatMap((s, i) =>
            offsets[i] === null ? [] : [[s, addDays(firstContact, offsets[i] as number)]],
          ),
        );
        return {
          clientRef: `KL-${n}`,
          municipality,
          registeredOn: firstContact,
          crisis: null,
          firstContact,
          steps,
          dropoutDate: dropout ? addDays(firstContact, dropout.after) : null,
          dropoutReason: dropout ? (dropout.reason as TrajectoryRow['dropoutReason']) : null,
        };
      });
    const toCells = (r: TrajectoryRow) => [
      r.clientRef,
      r.municipality,
      r.firstContact ?? '',
      ...STEP_CODES.slice(1).map((s) => r.steps[s] ?? ''),
      r.dropoutDate ?? '',
      r.dropoutReason ?? '',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(validRow, { selector: (r) => r.clientRef, maxLength: 15 }),
        fc.constantFrom(',', ';'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (rows, sep, bom, quote, xlsx) => {
          let bytes: Buffer;
          if (xlsx) {
            const wb = new ExcelJS.Workbook();
            const ws = wb.addWorksheet('Sheet1');
            ws.addRow(HEADER);
            for (const r of rows) ws.addRow(toCells(r));
            bytes = Buffer.from(await wb.xlsx.writeBuffer());
          } else {
            const q = (c: string) => (quote ? `"${c}"` : c);
            bytes = Buffer.from(
              (bom ? '\uFEFF' : '') + [HEADER, ...rows.map(toCells)].map((r) => r.map(q).join(sep)).join('\r\n'),
              'utf8',
            );
          }
          const items: ImportItem<TrajectoryRow>[] = await all(readImport(chunks(bytes, 64), TRAJECTORY_SPEC, ctx()));
          expect(items).toEqual(rows.map((value, i) => ({ row: i + 2, value })));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('a municipality given by name', () => {
  const named = (): ImportContext => ({
    ...ctx(),
    servedNames: new Map([
      ['utrecht', 'GM0344'],
      ['zeist', 'GM0546'],
    ]),
  });
  let n = 0;
  const cells = (municipality: string) => ({ client_ref: `K-${++n}`, municipality, first_contact: '2025-03-01' });

  it('reads the exact name of a served municipality as its code, and counts it', () => {
    const c = named();
    // "Utrecht" and " zeist " name served municipalities: read as GM0344 and GM0546, 2 counted;
    // "GM0344" is a code, not counted.
    const a = TRAJECTORY_SPEC.validate(cells('Utrecht'), c);
    const b = TRAJECTORY_SPEC.validate(cells(' zeist '), c);
    const d = TRAJECTORY_SPEC.validate(cells('GM0344'), c);
    expect([a, b, d].map((r) => ('value' in r ? r.value.municipality : r.problems))).toEqual([
      'GM0344',
      'GM0546',
      'GM0344',
    ]);
    expect(c.municipalityNames).toBe(2);
  });

  it('refuses any other text: an unserved or partial name, a name with a typo', () => {
    const c = named();
    for (const text of ['Amsterdam', 'Utrech', 'Utrecht (stad)']) {
      const r = TRAJECTORY_SPEC.validate(cells(text), c);
      expect('problems' in r && r.problems.map((p) => [p.column, p.code])).toEqual([
        ['municipality', 'municipality_format'],
      ]);
    }
    expect(c.municipalityNames).toBeUndefined();
  });
});

describe('Dutch column names (#25)', () => {
  it('reads the Dutch names as the English ones, written any way people write headers', async () => {
    // "Cliëntnummer" and "Eerste contact" normalise to cliëntnummer / eerste_contact; doel_bekend
    // and uitval_reden as the templates write them; one English name among them is fine too.
    const text =
      'Cliëntnummer;Gemeente;Eerste contact;doel_bekend;iu_in_view;uitval_datum;uitval_reden\nKL-1;GM0344;2025-01-10;2025-02-01;;2025-03-01;no_show\n';
    const items = await rowsOf(text);
    expect(items).toEqual([
      {
        row: 2,
        value: {
          clientRef: 'KL-1',
          municipality: 'GM0344',
          registeredOn: '2025-01-10',
          crisis: null,
          firstContact: '2025-01-10',
          steps: { goal_known: '2025-02-01' },
          dropoutDate: '2025-03-01',
          dropoutReason: 'no_show',
        },
      },
    ]);
  });

  it('reads waiting requests (#26): registered_on and crisis, first_contact empty; problems name both columns', async () => {
    const items = await rowsOf(
      [
        'cliëntnummer;gemeente;aangemeld_op;crisis;eerste_contact;doel_bekend;uitval_datum;uitval_reden',
        'KL-1;GM0344;2025-03-04;eviction;;;;', // waiting, with a crisis
        'KL-2;GM0344;2025-03-04;;2025-03-20;;;', // seen 16 days after the request
        'KL-3;GM0344;2025-03-10;;2025-03-01;;;', // the request after the first contact
        'KL-4;GM0344;;;;;;', // neither date
        'KL-5;GM0344;2025-03-04;flood;;;;', // unknown crisis
        'KL-6;GM0344;2025-03-04;;;2025-03-10;;', // a step without a first contact
        'KL-7;GM0344;2025-03-04;;;;2025-03-01;no_show', // dropout before the request
      ].join('\n'),
    );
    expect(items[0]).toEqual({
      row: 2,
      value: {
        clientRef: 'KL-1',
        municipality: 'GM0344',
        registeredOn: '2025-03-04',
        crisis: 'eviction',
        firstContact: null,
        steps: {},
        dropoutDate: null,
        dropoutReason: null,
      },
    });
    expect(items[1]).toEqual({
      row: 3,
      value: expect.objectContaining({ registeredOn: '2025-03-04', firstContact: '2025-03-20' }),
    });
    const problems = items
      .slice(2)
      .flatMap((i) => ('problems' in i ? i.problems.map((p) => `${i.row} ${p.column} ${p.code}: ${p.message}`) : []));
    expect(problems).toEqual([
      '4 aangemeld_op registered_after_first_contact: registered_on 2025-03-10 is after first_contact 2025-03-01: the request comes first',
      '5 eerste_contact first_contact_or_registered: is required, or registered_on for a client who waits for the first meeting',
      '6 crisis unknown_crisis: "flood" is not one of eviction, energy_water, health_insurance',
      '7 doel_bekend step_without_first_contact: 2025-03-10 is given but first_contact is empty',
      '8 uitval_datum before_registered: 2025-03-01 is before registered_on 2025-03-04',
    ]);
  });

  it('names a column in a problem as the file did, and a missing one in Dutch when the file is Dutch', async () => {
    const items = await rowsOf('cliëntnummer,gemeente,eerste_contact\nKL-2,GM0344,1999-12-31\n');
    expect(items).toEqual([
      { row: 2, problems: [expect.objectContaining({ column: 'eerste_contact', code: 'too_early' })] },
    ]);
    await expect(rowsOf('cliëntnummer,gemeente\nKL-3,GM0344\n')).rejects.toThrow(
      new ImportHeaderError([
        {
          column: 'eerste_contact',
          code: 'missing_column',
          message: 'required column is missing (or aangemeld_op)',
        },
      ]),
    );
    // A column given in both languages is one column twice.
    await expect(rowsOf('client_ref,cliëntnummer,municipality,first_contact\n')).rejects.toThrow(
      /cliëntnummer: column appears twice/,
    );
  });
});
