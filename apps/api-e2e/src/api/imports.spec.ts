import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { baseUrl, call, expectError, makeWorld, World } from '../support/http';
import { repeated, sheetClose, sheetOpen, workbookParts, zipOf } from '../support/zip';

const today = todayInAmsterdam();
const HEADER =
  'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';

async function upload(path: string, token: string, content: Buffer | string, filename = 'export.csv', field = 'file') {
  const form = new FormData();
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  form.append(field, new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

describe('imports', () => {
  let world: World;
  let admin: string;
  let tag: string;
  const refs = (...n: number[]) => n.map((i) => `IMP-${tag}-${i}`);
  const caseload = async (q: string) =>
    (await call('GET', `/api/v1/clients?q=${encodeURIComponent(q)}&pageSize=200`, { token: admin })).body;

  beforeAll(async () => {
    world = await makeWorld();
    admin = world.tokens.org_admin;
  });
  beforeEach(() => {
    tag = randomUUID().slice(0, 6);
  });

  const validCsv = () => {
    const [a, b, c] = refs(1, 2, 3);
    return [
      HEADER,
      `${a},GM0344,${addDays(today, -100)},,${addDays(today, -80)},${addDays(today, -60)},,,,`,
      `${b},GM0546,${addDays(today, -50)},${addDays(today, -45)},,,,,${addDays(today, -40)},no_show`,
      `"${c}","GM0344","${addDays(today, -10)}",,,,,,,`,
    ].join('\n');
  };

  it('validates only on a dry run and writes nothing', async () => {
    const a = await upload('/api/v1/imports/trajectories?dryRun=true', admin, validCsv());
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ dryRun: true, rows: 3, imported: 0, created: 0, updated: 0, errors: [], errorCount: 0 });
    expect((await caseload(`IMP-${tag}`)).total).toBe(0);
  });

  it('imports trajectories with their steps, and a re-import updates without duplicates', async () => {
    const first = await upload('/api/v1/imports/trajectories', admin, validCsv());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ dryRun: false, rows: 3, imported: 3, created: 3, updated: 0 });
    const list = await caseload(`IMP-${tag}`);
    expect(list.total).toBe(3);
    const [a, b] = refs(1, 2);
    const rowA = list.items.find((i: { clientRef: string }) => i.clientRef === a);
    // approach_set recorded, goal_known not: the closure fills goal_known with approach_set's date.
    expect(rowA.steps).toMatchObject({
      goal_known: addDays(today, -80),
      approach_set: addDays(today, -80),
      iu_in_view: addDays(today, -60),
      iu_in_balance: null,
    });
    expect(rowA.currentStep).toBe('iu_in_view');
    const rowB = list.items.find((i: { clientRef: string }) => i.clientRef === b);
    expect(rowB).toMatchObject({ status: 'dropped_out', dropout: { date: addDays(today, -40), reason: 'no_show' } });

    // The same file again: nothing new.
    const again = await upload('/api/v1/imports/trajectories', admin, validCsv());
    expect(again.body).toMatchObject({ rows: 3, imported: 3, created: 0, updated: 3 });
    const detail = await call('GET', `/api/v1/clients/${rowA.id}`, { token: admin });
    expect(
      detail.body.trajectory.stepEvents.map((e: { step: string; source: string; withdrawnAt: string | null }) => [
        e.step,
        e.source,
        e.withdrawnAt,
      ]),
    ).toEqual([
      ['approach_set', 'import', null],
      ['iu_in_view', 'import', null],
    ]);

    // A changed file updates the trajectory; the replaced step stays in the history, withdrawn.
    const changed = [HEADER, `${a},GM0546,${addDays(today, -100)},,${addDays(today, -70)},,,,,`].join('\n');
    expect((await upload('/api/v1/imports/trajectories', admin, changed)).body).toMatchObject({
      created: 0,
      updated: 1,
    });
    const after = await call('GET', `/api/v1/clients/${rowA.id}`, { token: admin });
    expect(after.body.trajectory.municipality.code).toBe('GM0546');
    expect(after.body.trajectory.steps.iu_in_view).toBeNull();
    expect(
      after.body.trajectory.stepEvents.filter((e: { withdrawnAt: string | null }) => e.withdrawnAt !== null),
    ).toHaveLength(2);
    expect((await caseload(`IMP-${tag}`)).total).toBe(3);
  });

  it('a large import refreshes the statistics of every table a caseload page reads, its alerts included', async () => {
    // #26, session 22: the import raised stalled alerts without refreshing their statistics, and the
    // caseload's plan then joined each page against every open alert (100-180 ms a page). 1,000 rows
    // (the threshold) whose first contact was 200 days ago and nothing since: each one stalled.
    const rows = Array.from({ length: 1000 }, (_, i) => `IMP-${tag}-S${i},GM0344,${addDays(today, -200)},,,,,,,`);
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const [{ now: before }] = (await owner.query('SELECT clock_timestamp() AS now')).rows;
      const res = await upload('/api/v1/imports/trajectories', admin, [HEADER, ...rows].join('\n'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 1000, errorCount: 0 });
      const alerts = await owner.query(
        `SELECT count(*)::int AS n FROM alerts a JOIN trajectories t ON t.id = a.trajectory_id JOIN clients c ON c.id = t.client_id
         WHERE c.client_ref LIKE $1 AND a.kind = 'stalled' AND a.resolved_at IS NULL`,
        [`IMP-${tag}-S%`],
      );
      expect(alerts.rows[0].n).toBe(1000);
      const analyzed = await owner.query(
        `SELECT relname FROM pg_stat_user_tables WHERE last_analyze >= $1 ORDER BY relname`,
        [before],
      );
      expect(analyzed.rows.map((r) => r.relname)).toEqual(
        expect.arrayContaining(['alerts', 'clients', 'step_events', 'trajectories']),
      );
    } finally {
      await owner.end();
    }
  });

  it('may refresh the statistics of every table an import analyzes (MAINTAIN, PostgreSQL 17+)', async () => {
    // The tables named by analyzeIfLarge in libs/api/feature-import import.repository.ts: without the
    // privilege PostgreSQL skips the ANALYZE with a warning only (alerts and intake_answers were).
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const tables = [
        'clients',
        'trajectories',
        'step_events',
        'alerts',
        'intake_answers',
        'assessments',
        'client_types',
      ];
      const { rows } = await owner.query(
        `SELECT t AS table, has_table_privilege('klantmonitor_app', t, 'MAINTAIN') AS maintain FROM unnest($1::text[]) t`,
        [tables],
      );
      expect(rows).toEqual(tables.map((t) => ({ table: t, maintain: true })));
    } finally {
      await owner.end();
    }
  });

  it('reports every row error with row and column, answers 422 and imports nothing', async () => {
    const [a, b, c, d] = refs(1, 2, 3, 4);
    const csv = [
      HEADER.replace(/,/g, ';'),
      `${a};GM0080;${addDays(today, -10)};;;;;;;`,
      `${b};GM0344;2025-13-01;;;;;;;`,
      `${c};GM0344;${addDays(today, -10)};${addDays(today, -20)};;;;;;`,
      `${d};GM0344;${addDays(today, -10)};;;;;;;moved`,
      `${a};GM0344;${addDays(today, 5)};;;;;;;`,
    ].join('\r\n');
    const r = await upload('/api/v1/imports/trajectories', admin, `\uFEFF${csv}`);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      dryRun: false,
      rows: 5,
      imported: 0,
      errorCount: 6,
    });
    expect(r.body.message).toBe('6 problems in the file; nothing was imported');
    expect(r.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual([
      '2:municipality',
      '3:first_contact',
      '4:goal_known',
      '5:dropout_date',
      '6:client_ref',
      '6:first_contact',
    ]);
    expect(r.body.details[0]).toEqual({
      field: 'row 2, municipality',
      message: 'GM0080 is unknown or not served by your organisation',
    });
    expect((await caseload(`IMP-${tag}`)).total).toBe(0);
  });

  it('reads the first sheet of an XLSX export', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(HEADER.split(','));
    const [a] = refs(1);
    ws.addRow([
      a,
      'GM0344',
      new Date(`${addDays(today, -30)}T00:00:00Z`),
      new Date(`${addDays(today, -20)}T00:00:00Z`),
    ]);
    const r = await upload(
      '/api/v1/imports/trajectories',
      admin,
      Buffer.from(await wb.xlsx.writeBuffer()),
      'export.xlsx',
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 1, created: 1 });
    expect((await caseload(a)).items[0].steps.goal_known).toBe(addDays(today, -20));
  });

  it('answers bad files with a clear 4xx and never 500', async () => {
    const path = '/api/v1/imports/trajectories';
    expect((await upload(path, admin, '')).status).toBe(400);
    const headerOnly = await upload(path, admin, `${HEADER}\n`);
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.message).toMatch(/no data rows/);
    const random = await upload(
      path,
      admin,
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)),
      'x.bin',
    );
    expect(random.status).toBe(400);
    expect(random.body.message).toMatch(/not a CSV or XLSX file/);
    const zip = await upload(
      path,
      admin,
      Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 1)]),
      'x.xlsx',
    );
    expect(zip.status).toBe(400);
    const header = await upload(path, admin, 'client_ref,first_contact,colour\nX-1,2025-01-01,red\n');
    expect(header.status).toBe(422);
    expect(header.body.errors).toEqual([
      { row: 1, column: 'municipality', code: 'missing_column', message: 'required column is missing' },
      { row: 1, column: 'colour', code: 'unknown_column', message: 'unknown column' },
    ]);
    expect((await upload(path, admin, validCsv(), 'a.csv', 'upload')).status).toBe(400);
    const json = await call('POST', path, { token: admin, body: { file: 'x' } });
    expectError(json, 415);
    const line = `X-1,GM0344,${today},,,,,,,\n`;
    const huge = await upload(
      path,
      admin,
      HEADER + '\n' + line.repeat(Math.ceil((26 * 1024 * 1024) / line.length)),
      'big.csv',
    );
    expect(huge.status).toBe(413);
    expect(huge.body.message).toMatch(/larger than 25 MB/);
    expect((await caseload(`IMP-${tag}`)).total).toBe(0);
    expect(expectError(await call('POST', `${path}?dryRun=maybe`, { token: admin }), 400).details?.[0].field).toBe(
      'dryRun',
    );
  });

  it('is for organisation admins, and stays within the organisation', async () => {
    expectError(await call('POST', '/api/v1/imports/trajectories', { token: world.tokens.counselor }), 403);
    expectError(await call('POST', '/api/v1/imports/trajectories', { token: world.tokens.policy_advisor }), 403);
    expectError(await call('POST', '/api/v1/imports/trajectories'), 401);
    await upload('/api/v1/imports/trajectories', admin, validCsv());
    // Organisation B imports the same references into its own municipality: its own clients.
    const [a] = refs(1);
    const b = await upload(
      '/api/v1/imports/trajectories',
      world.tokens.orgBAdmin,
      `${HEADER}\n${a},GM0080,${addDays(today, -5)},,,,,,,\n`,
    );
    expect(b.body).toMatchObject({ created: 1 });
    const aList = await caseload(a);
    expect(aList.items[0].municipality.code).toBe('GM0344');
    // B cannot use A's municipality.
    const c = await upload(
      '/api/v1/imports/trajectories',
      world.tokens.orgBAdmin,
      `${HEADER}\nX-${tag},GM0344,${addDays(today, -5)},,,,,,,\n`,
    );
    expect(c.status).toBe(422);
  });

  it('reports progress under the id the caller chose', async () => {
    const id = randomUUID();
    expect((await upload(`/api/v1/imports/trajectories?progressId=${id}`, admin, validCsv())).status).toBe(200);
    const p = await call('GET', `/api/v1/imports/progress/${id}`, { token: admin });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ phase: 'done', rowsRead: 3 });
    expect(p.body.bytesRead).toBeGreaterThan(100);
    expectError(await call('GET', `/api/v1/imports/progress/${id}`, { token: world.tokens.orgBAdmin }), 404);
    expectError(await call('GET', `/api/v1/imports/progress/${randomUUID()}`, { token: admin }), 404);
  });

  it('imports assessments, creating client types on first use', async () => {
    await upload('/api/v1/imports/trajectories', admin, validCsv());
    const [a, b] = refs(1, 2);
    const ok = await upload(
      '/api/v1/imports/assessments',
      admin,
      `client_ref,assessed_on,client_type\n${a},${addDays(today, -99)},zelfstandige\n${b},${addDays(today, -49)},kwetsbare\n`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ rows: 2, created: 2, updated: 0 });
    const again = await upload(
      '/api/v1/imports/assessments',
      admin,
      `client_ref,assessed_on,client_type\n${a},${addDays(today, -99)},afhankelijke\n`,
    );
    expect(again.body).toMatchObject({ created: 0, updated: 1 });
    const list = await caseload(a);
    expect(list.items[0].clientType).toEqual({ code: 'afhankelijke', name: 'Afhankelijke' });
    const bad = await upload(
      '/api/v1/imports/assessments',
      admin,
      `client_ref,assessed_on,client_type\nNOBODY-${tag},${today},x\n${a},${today},x\n${a},${today},y\n`,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual([
      '2:client_ref',
      '4:assessed_on',
    ]);
  });

  // #12: intake answers of the default instrument, for segmentation.
  it('imports intake answers: dry run, every row problem named, atomic, a re-import of a client and day replaces them', async () => {
    await upload('/api/v1/imports/trajectories', admin, validCsv());
    const [a, b] = refs(1, 2);
    const path = '/api/v1/imports/intake-answers';
    const header = 'client_ref,answered_on,privacy_veilig,slow_persoon,zelf_oplossen,taal_moeilijke_woorden';
    const good = `${header}\n${a},${addDays(today, -90)},5,4,,2\n${b},${addDays(today, -40)},1,1,5,5\n`;
    const dry = await upload(`${path}?dryRun=true`, admin, good);
    expect(dry.body).toEqual({ dryRun: true, rows: 2, imported: 0, created: 0, updated: 0, errors: [], errorCount: 0 });
    // Row problems: a value off the scale, an unknown column, an unknown client, a client and day twice.
    const unknownColumn = await upload(path, admin, `${header},kleur\n${a},${today},1,1,1,1,rood\n`);
    expect(unknownColumn.status).toBe(422);
    expect(unknownColumn.body.errors).toEqual([
      { row: 1, column: 'kleur', code: 'unknown_column', message: 'unknown column' },
    ]);
    const bad = await upload(
      path,
      admin,
      `${header}\n${a},${today},6,1,1,1\nNOBODY-${tag},${today},1,1,1,1\n${b},${today},1,1,1,1\n${b},${today},2,2,2,2\n`,
    );
    expect(bad.status).toBe(422);
    expect(
      bad.body.errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`),
    ).toEqual(['2:privacy_veilig:not_on_scale']);
    const twiceFile = `${header}\nNOBODY-${tag},${today},1,1,1,1\n${b},${today},1,1,1,1\n${b},${today},2,2,2,2\n`;
    // A dry run finds what only the database can see too (unknown client, a client and day twice).
    const dryBad = await upload(`${path}?dryRun=true`, admin, twiceFile);
    expect([dryBad.status, dryBad.body.dryRun, dryBad.body.errorCount]).toEqual([422, true, 2]);
    const bad2 = await upload(path, admin, twiceFile);
    expect(
      bad2.body.errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`),
    ).toEqual(['2:client_ref:unknown_client', '4:answered_on:duplicate_intake']);
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const stored = async () =>
        (
          await owner.query(
            `SELECT c.client_ref, i.answered_on::text AS day, i.answers FROM intake_answers i JOIN clients c ON c.id = i.client_id WHERE c.client_ref = ANY($1) ORDER BY 1, 2`,
            [[a, b]],
          )
        ).rows;
      expect(await stored()).toEqual([]); // nothing of the refused files, nothing of the dry run
      const ok = await upload(path, admin, good);
      expect(ok.body).toMatchObject({ rows: 2, created: 2, updated: 0 });
      // Only the answers given are kept; a missing one is absent, not 0.
      expect(await stored()).toEqual([
        {
          client_ref: a,
          day: addDays(today, -90),
          answers: { privacy_veilig: 5, slow_persoon: 4, taal_moeilijke_woorden: 2 },
        },
        {
          client_ref: b,
          day: addDays(today, -40),
          answers: { privacy_veilig: 1, slow_persoon: 1, zelf_oplossen: 5, taal_moeilijke_woorden: 5 },
        },
      ]);
      const again = await upload(path, admin, `${header}\n${a},${addDays(today, -90)},3,3,3,3\n`);
      expect(again.body).toMatchObject({ created: 0, updated: 1 });
      expect((await stored())[0].answers).toEqual({
        privacy_veilig: 3,
        slow_persoon: 3,
        zelf_oplossen: 3,
        taal_moeilijke_woorden: 3,
      });
      const audit = await owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'intake.import' AND organisation_id = $1`,
        [world.orgA.id],
      );
      expect(audit.rows[0].n).toBeGreaterThanOrEqual(3);
    } finally {
      await owner.end();
    }
    // Organisation B cannot put answers on A's clients, nor may a counselor import.
    const other = await upload(path, world.tokens.orgBAdmin, `${header}\n${a},${today},1,1,1,1\n`);
    expect(other.body.errors?.[0]).toMatchObject({ column: 'client_ref', code: 'unknown_client' });
    expectError(await call('POST', path, { token: world.tokens.counselor }), 403);
  });

  // Security review (#11): a 10.7 MB XLSX whose text table unpacked to 5 GB ended the api (out of
  // memory); a 4.2 MB one whose sheet unpacked to 1.1 GB took 92 s to refuse with a transaction
  // open all that time. Each limit is now checked while the file streams; 413 names it.
  describe('files that unpack too far', () => {
    const path = '/api/v1/imports/trajectories';
    const MB = 1024 * 1024;
    const refused = async (file: Buffer, name: string, limit: string) => {
      const started = Date.now();
      const res = await upload(path, admin, file, name);
      console.log(
        `${name}: ${(file.length / MB).toFixed(2)} MB refused (${res.body.limit}) in ${Date.now() - started} ms`,
      );
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'import_limit', limit, details: [{ field: 'file' }] });
      expect(res.body.message).toMatch(/nothing was imported/);
      expect(typeof res.body.max).toBe('number');
      // The api is still there and well.
      expect((await call('GET', '/api/health')).status).toBe(200);
      return res;
    };
    const row = '<row r="1"><c r="A1"><v>1</v></c></row>';

    it('an XLSX sheet of 300 MB: refused on the sizes its directory declares', async () => {
      const bomb = zipOf(workbookParts(repeated(sheetOpen, row, sheetClose, 300 * MB)));
      const res = await refused(bomb, 'sheet-bomb.xlsx', 'unpackedBytes');
      expect(res.body.message).toMatch(/unpacks to more than 256 MB/);
    });

    it('the same sheet with a lying directory: refused at the first row over the limit', async () => {
      // A proper header first, so that reading goes on to the rows (as the review's 6.5 M-row file did).
      const header = `<row r="1">${HEADER.split(',')
        .map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`)
        .join('')}</row>`;
      const sheet = repeated(
        sheetOpen + header,
        row.replace(/"1"|A1/g, (m) => (m === 'A1' ? 'A2' : '"2"')),
        sheetClose,
        300 * MB,
      );
      await refused(zipOf(workbookParts(sheet), { understateSizes: true }), 'sheet-bomb-lying.xlsx', 'rows');
    });

    it('a text table of 100 MB with a lying directory: refused at its own cap, before the sheet', async () => {
      const si = `<si><t>${'A'.repeat(90)}</t></si>`;
      const strings = repeated(
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        si,
        '</sst>',
        100 * MB,
      );
      const sheet = Buffer.from(`${sheetOpen}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${sheetClose}`);
      const res = await refused(
        zipOf(workbookParts(sheet, strings), { understateSizes: true }),
        'strings-bomb.xlsx',
        'sharedStringsBytes',
      );
      expect(res.body.message).toMatch(/text table unpacks to more than 64 MB/);
    });

    it('a CSV with more rows than allowed, and nothing of it is written', async () => {
      const lines = Array.from({ length: 200_001 }, (_, i) => `BIG-${tag}-${i},GM0344,${today},,,,,,,`);
      const res = await refused(Buffer.from(`${HEADER}\n${lines.join('\n')}\n`), 'many-rows.csv', 'rows');
      expect(res.body.max).toBe(200_000);
      expect((await caseload(`BIG-${tag}`)).total).toBe(0);
    });

    it('a slow upload holds no database transaction while it streams', async () => {
      // Before, the import's transaction opened before the first byte was read: a slow or hostile
      // upload kept a pool connection "idle in transaction" for as long as it liked.
      const boundary = `----km${tag}`;
      const encoder = new TextEncoder();
      const [a] = refs(1);
      const parts = [
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\n`,
        `${a},GM0344,${addDays(today, -3)},,,,,,,\n`,
        `\r\n--${boundary}--\r\n`,
      ];
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = parts.shift();
          if (next === undefined) return controller.close();
          controller.enqueue(encoder.encode(next));
          await new Promise((r) => setTimeout(r, 1500));
        },
      });
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const pending = fetch(`${baseUrl()}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body,
          duplex: 'half',
        } as RequestInit);
        const seen: number[] = [];
        for (let i = 0; i < 8; i++) {
          await new Promise((r) => setTimeout(r, 400));
          const [{ n }] = (
            await owner.query(
              // Idle in a transaction for longer than a statement gap: the upload's pauses are 1.5 s. (Any
              // transaction of the worker is idle for milliseconds between its statements; counting
              // those made this test fail at random.)
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'
                 AND state_change < now() - interval '700 milliseconds' AND pid <> pg_backend_pid()`,
            )
          ).rows;
          seen.push(n);
        }
        const res = await pending;
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ imported: 1 });
        expect(seen).toEqual(seen.map(() => 0));
      } finally {
        await owner.end();
      }
    }, 30_000);
  });
});
