import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { baseUrl, call, expectError, login, makeWorld, PASSWORD, PLATFORM, World } from '../support/http';

/**
 * Exports (docs/analytics.md "Exports"): CSV and XLSX of every analytics endpoint and the PDF report are
 * the JSON answer of the same caller written out: same figures, same suppression, same roles and
 * tenancy, and the same 400 naming the parameter. Three municipalities no other spec uses: M1 with
 * 12 trajectories (shown), M2 with 3 (suppressed: below 10), M3 with 10 (hidden with M2: the
 * smallest other row of the margin, so that M2 cannot be had by subtraction from the total).
 */
const ASOF = '2025-06-30';
const HEADER =
  'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';

async function raw(path: string, token?: string) {
  const res = await fetch(`${baseUrl()}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    status: res.status,
    headers: res.headers,
    body: Buffer.from(await res.arrayBuffer()),
  };
}

const nl = (v: unknown) => (v === null || v === undefined ? '' : String(v).replace('.', ','));

describe('analytics exports', () => {
  let world: World;
  let owner: Client;
  let M1: string, M2: string, M3: string;
  let advisor: string, otherAdvisor: string;
  const tag = randomUUID().slice(0, 6);
  let q: string;

  beforeAll(async () => {
    owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    const free: { code: string }[] = (
      await owner.query(
        `SELECT code FROM municipalities WHERE code NOT IN (SELECT municipality_code FROM organisation_municipalities) ORDER BY code LIMIT 3`,
      )
    ).rows;
    [M1, M2, M3] = free.map((f) => f.code);
    world = await makeWorld(`ex${tag}`);
    await owner.query(
      `INSERT INTO organisation_municipalities (organisation_id, municipality_code) VALUES ($1, $2), ($1, $3), ($1, $4)`,
      [world.orgA.id, M1, M2, M3],
    );
    advisor = world.tokens.policy_advisor;
    // A policy advisor of another organisation (org B of the world).
    const platform = await login(PLATFORM.email, PLATFORM.password);
    const email = `bpolicy-${tag}@example.nl`;
    await call('POST', `/api/v1/organisations/${world.orgB.id}/users`, {
      token: platform,
      body: { email, password: PASSWORD, role: 'policy_advisor', name: 'b' },
    });
    otherAdvisor = await login(email, PASSWORD);

    // M1: 12 trajectories from 2025-01-01; the first 6 in balance on day 30, 1 dropout on day 10. M2: 3.
    const lines = [HEADER];
    for (let i = 0; i < 12; i++)
      lines.push(
        `EX-${tag}-${i},${M1},2025-01-01,,,,${i < 6 ? '2025-01-31' : ''},,${i === 11 ? '2025-01-11' : ''},${i === 11 ? 'no_show' : ''}`,
      );
    for (let i = 0; i < 3; i++) lines.push(`EY-${tag}-${i},${M2},2025-01-01,,,,2025-01-20,,,`);
    for (let i = 0; i < 10; i++) lines.push(`EZ-${tag}-${i},${M3},2025-01-01,,,,,,,`);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(Buffer.from(lines.join('\n'), 'utf8'))]), 'export.csv');
    const imp = await fetch(`${baseUrl()}/api/v1/imports/trajectories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.tokens.org_admin}` },
      body: form,
    });
    expect(imp.status).toBe(200);
    const r = await call<{ jobId: string }>('POST', '/api/v1/analytics/recompute', { token: world.tokens.org_admin });
    expect(r.status).toBe(202);
    for (let t = 0; t < 200; t++) {
      const s = await call('GET', `/api/v1/jobs/${r.body.jobId}`, {
        token: world.tokens.org_admin,
      });
      if (s.body.state === 'completed') break;
      await new Promise((res) => setTimeout(res, 150));
    }
    q = `asOf=${ASOF}&municipalities=${M1},${M2},${M3}&groupBy=municipality`;
  }, 60_000);

  afterAll(async () => {
    await owner.end();
  });

  it('writes CSV as the JSON answer: BOM, semicolons, decimal comma, niveau first, suppressed figures empty', async () => {
    const json = await call('GET', `/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=60&${q}`, {
      token: advisor,
    });
    expect(json.status).toBe(200);
    const csv = await raw(
      `/api/v1/analytics/step-attainment?step=iu_in_balance&withinDays=60&${q}&format=csv`,
      advisor,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="klantmonitor-step-attainment-2025-06-30\.csv"$/,
    );
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.body.toString('utf8').slice(1).trim().split(/\r\n/);
    expect(lines[0]).toBe(
      'niveau;municipality;municipalityName;eligible;reached;share;ciLow;ciHigh;expected;oe;suppressed',
    );
    // M1: 12 eligible (first contact + 60 <= asOf), 6 reached on day 30: share 0,5.
    const m1 = json.body.rows.find((r: { municipality: string }) => r.municipality === M1);
    expect(m1).toMatchObject({
      eligible: 12,
      reached: 6,
      share: 0.5,
      suppressed: false,
    });
    const name = (await owner.query('SELECT name FROM municipalities WHERE code = $1', [M1])).rows[0].name;
    expect(lines[1]).toBe(
      ['rij', M1, name, 12, 6, '0,5', nl(m1.ciLow), nl(m1.ciHigh), nl(m1.expected), nl(m1.oe), 'nee'].join(';'),
    );
    // M2: 3 eligible < 10: suppressed; its figures are empty, never 0.
    const m2 = lines[2].split(';');
    expect(m2.slice(0, 2)).toEqual(['rij', M2]);
    expect(m2.slice(4, 10)).toEqual(['', '', '', '', '', '']);
    expect(m2.at(-1)).toBe('ja');
    // M3: 10, hidden with M2 (secondary suppression): no denominator either.
    const m3 = lines[3].split(';');
    expect(m3.slice(0, 2)).toEqual(['rij', M3]);
    expect(m3.slice(3, 10)).toEqual(['', '', '', '', '', '', '']);
    expect(m3.at(-1)).toBe('ja');
    // Total: 12 + 3 + 10 = 25 eligible, 6 + 3 = 9 reached.
    expect(lines.at(-1)?.startsWith('totaal;;;25;9;')).toBe(true);
    expect(lines).toHaveLength(5);
  });

  it('answers format=csv and format=xlsx on every analytics endpoint', async () => {
    const endpoints = [
      `step-attainment?step=iu_in_view&${q}`,
      `dropout?${q}`,
      `time-to-step?step=iu_in_view&days=0,30,60&${q}`,
      `experience?item=goed_geholpen&asOf=${ASOF}&groupBy=clientType&municipalities=${M1},${M2},${M3}`,
      `support?${q}`,
      `response-rate?asOf=${ASOF}&groupBy=municipality&municipalities=${M1},${M2},${M3}`,
      // Figures with other organisations' municipalities: in a window (a quarter here), as of today.
      `dropout?cohort=2025-Q1&groupBy=municipality`,
    ];
    for (const e of endpoints) {
      const json = await call('GET', `/api/v1/analytics/${e}`, {
        token: advisor,
      });
      expect(json.status).toBe(200);
      const csv = await raw(`/api/v1/analytics/${e}&format=csv`, advisor);
      expect(csv.status).toBe(200);
      const lines = csv.body.toString('utf8').slice(1).trim().split(/\r\n/);
      const rowCount = json.body.rows.length + 1 + (e.startsWith('experience') ? json.body.total.byPhase.length : 0);
      expect(lines.length - 1).toBe(rowCount);
      expect(lines[0].split(';').at(-1)).toBe('suppressed');
      const xlsx = await raw(`/api/v1/analytics/${e}&format=xlsx`, advisor);
      expect(xlsx.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Cijfers', 'Toelichting']);
      expect(wb.getWorksheet('Cijfers')?.rowCount).toBe(rowCount + 1);
    }
    const timeCsv = (
      await raw(`/api/v1/analytics/time-to-step?step=iu_in_view&days=0,30,60&${q}&format=csv`, advisor)
    ).body.toString('utf8');
    expect(timeCsv).toContain(';n;medianDays;medianCiLow;medianCiHigh;curve.0;curve.30;curve.60;suppressed');
  });

  it('writes XLSX with numbers as numbers, shares in percent format, and the Toelichting sheet', async () => {
    const json = await call('GET', `/api/v1/analytics/dropout?${q}`, {
      token: advisor,
    });
    const x = await raw(`/api/v1/analytics/dropout?${q}&format=xlsx`, advisor);
    expect(x.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as never);
    const sheet = wb.getWorksheet('Cijfers') as ExcelJS.Worksheet;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const m1 = json.body.rows.find((r: { municipality: string }) => r.municipality === M1);
    // M1: 12 trajectories, 1 dropout (day 10, phase first_contact): share 1/12.
    expect(m1).toMatchObject({ n: 12, dropped: 1, suppressed: false });
    const row = sheet.getRow(2);
    // Dutch headers for people (the CSV keeps the JSON names).
    expect(header).toContain('Gemeente');
    expect(header).not.toContain('share');
    expect(row.getCell(col('Cliënten')).value).toBe(12);
    expect(row.getCell(col('Uitval')).value).toBeCloseTo(1 / 12, 12);
    expect(row.getCell(col('Uitval')).numFmt).toBe('0.0%');
    expect(row.getCell(col('Uitgevallen na: eerste contact')).value).toBe(1);
    expect(sheet.getRow(3).getCell(col('Uitval')).value).toBeNull(); // M2 suppressed: empty
    expect(sheet.getRow(3).getCell(col('Te weinig cliënten')).value).toBe('ja');
    const notes = wb.getWorksheet('Toelichting') as ExcelJS.Worksheet;
    const text = notes
      .getSheetValues()
      .map((r) => (Array.isArray(r) ? r.slice(1).join(' | ') : ''))
      .join('\n');
    // Sentences, no JSON keys.
    expect(text).toContain('Kleinste groep die we laten zien | 10');
    expect(text).toContain('Peildatum | 2025-06-30');
    expect(text).toContain('Deel direct na eerste contact | Deel van de uitval direct na het eerste contact');
    expect(text).not.toMatch(/computedAt|minCell|suppressed/);
  });

  it("makes the Excel workbook for people: a sheet per chart, Dutch headers, names next to codes, the API's figures", async () => {
    const filters = `asOf=${ASOF}&municipalities=${M1},${M2},${M3}`;
    const x = await raw(`/api/v1/analytics/report?${filters}&format=xlsx`, advisor);
    expect(x.status).toBe(200);
    expect(x.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Samenvatting',
      'Gemeenten',
      'Snelheid per gemeente',
      'Stappen per soort cliënt',
      'Tijd tot stap',
      'Uitval per fase',
      'Wachttijd',
      'Ervaring per fase',
      'Ondersteuning',
      'Ontwikkeling',
      'Toelichting',
    ]);
    const names = new Map(
      (await owner.query('SELECT code, name FROM municipalities WHERE code = ANY($1)', [[M1, M2, M3]])).rows.map(
        (r: { code: string; name: string }) => [r.code, r.name],
      ),
    );
    /** The sheet's rows as objects by their Dutch header (row 2), from row 3 on. */
    const table = (name: string) => {
      const sheet = wb.getWorksheet(name) as ExcelJS.Worksheet;
      const header = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
      const out: Record<string, unknown>[] = [];
      for (let i = 3; i <= sheet.rowCount; i++) {
        const v = (sheet.getRow(i).values as unknown[]).slice(1);
        out.push(Object.fromEntries(header.map((h, k) => [h, v[k] ?? null])));
      }
      return { header, rows: out };
    };
    const api = async (path: string) =>
      (await call('GET', `/api/v1/analytics/${path}&${filters}`, { token: advisor })).body;
    const check = async (sheet: string, path: string, pairs: [string, (r: Record<string, unknown>) => unknown][]) => {
      const answer = await api(path);
      const t = table(sheet);
      expect(answer.rows.length).toBeGreaterThan(0);
      for (const r of answer.rows as Record<string, unknown>[]) {
        const line = t.rows.find((x) => x['CBS-code'] === r['municipality']);
        expect(line?.['Gemeente']).toBe(names.get(r['municipality'] as string));
        for (const [label, read] of pairs)
          expect([sheet, label, line?.[label] ?? null]).toEqual([sheet, label, read(r) ?? null]);
      }
      return t;
    };
    const att = await check('Gemeenten', 'step-attainment?step=iu_in_balance&withinDays=60&groupBy=municipality', [
      ['Cliënten', (r) => r['eligible']],
      ['Bereikt', (r) => r['reached']],
      ['Aandeel', (r) => r['share']],
      ['95%-interval ondergrens', (r) => r['ciLow']],
    ]);
    expect(att.header).not.toContain('share');
    expect(att.rows.at(-1)?.['Gemeente']).toBe('Totaal (alle gemeenten samen)');
    await check('Snelheid per gemeente', 'time-to-step?step=iu_in_balance&groupBy=municipality', [
      ['Cliënten', (r) => r['n']],
      ['Mediaan (dagen)', (r) => r['medianDays']],
      ['Mediaan: 95%-interval ondergrens (dagen)', (r) => r['medianCiLow']],
    ]);
    await check('Uitval per fase', 'dropout?groupBy=municipality', [
      ['Uitgevallen', (r) => r['dropped']],
      ['Uitval', (r) => r['share']],
      ['Uitgevallen na: eerste contact', (r) => (r['byPhase'] as Record<string, number> | null)?.['first_contact']],
    ]);
    await check('Ondersteuning', 'support?groupBy=municipality', [
      ['Cliënten', (r) => r['n']],
      ['Met administratieve hulp', (r) => r['withAdministrative']],
      ['Aandeel met administratieve hulp', (r) => r['administrativeShare']],
    ]);
    // The sheets per client type and per period: each row as the API answers it (all clients of this
    // world are untyped: one row "onbekend", then all clients).
    const time = await api('time-to-step?step=iu_in_balance&groupBy=clientType');
    const timeSheet = table('Tijd tot stap');
    expect(timeSheet.rows.map((r) => [r['Soort cliënt'], r['Cliënten'], r['Mediaan (dagen)'] ?? null])).toEqual([
      ...time.rows.map((r: Record<string, unknown>) => ['onbekend (niet getypeerd)', r['n'], r['medianDays']]),
      ['Alle cliënten', time.total.n, time.total.medianDays],
    ]);
    const ladder = table('Stappen per soort cliënt');
    const all = ladder.rows.find((r) => r['Soort cliënt'] === 'Alle cliënten') as Record<string, unknown>;
    for (const [step, label] of [
      ['goal_known', 'Doel bekend'],
      ['iu_in_balance', 'Inkomsten en uitgaven in balans'],
    ]) {
      const a = await api(`step-attainment?step=${step}&withinDays=60&groupBy=clientType`);
      expect([step, all[label] ?? null]).toEqual([step, a.total.suppressed ? null : a.total.share]);
    }
    const trendAnswer = await api('step-attainment?step=iu_in_balance&withinDays=60&groupBy=period&periodUnit=month');
    const trendSheet = table('Ontwikkeling');
    for (const r of trendAnswer.rows as Record<string, unknown>[]) {
      const line = trendSheet.rows.find((x) => x['Periode'] === r['period']);
      expect([r['period'], line?.['Inkomsten en uitgaven in balans binnen 60 dagen'] ?? null]).toEqual([
        r['period'],
        r['suppressed'] ? null : r['share'],
      ]);
    }
    let experienceRows = 0;
    for (const item of ['onrust_financien', 'geloof_in_oplossing', 'geluisterd', 'goed_geholpen', 'weet_wat_te_doen']) {
      const e = await api(`experience?item=${item}&groupBy=clientType`);
      experienceRows += e.rows.length + e.total.byPhase.length;
    }
    expect(table('Ervaring per fase').rows.length).toBe(experienceRows);
    // Shares are percent cells; the notes are sentences without JSON words.
    const g = wb.getWorksheet('Gemeenten') as ExcelJS.Worksheet;
    expect(g.getColumn(att.header.indexOf('Aandeel') + 1).numFmt).toBe('0.0%');
    const words = wb.worksheets
      .flatMap((w) => w.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1).join(' ') : '')))
      .join('\n');
    expect(words).not.toMatch(/\b(computedAt|minCell|suppressed|eligible|medianDays|municipality|clientType)\b/);
    expect(words).toContain('Antwoord in het kort');
    expect(words).toContain(`${names.get(M1)}`);
  });

  it('makes an A4 PDF report with real text: title page, every section, the funnel verdicts, definitions', async () => {
    const pdf = await raw(`/api/v1/analytics/report?asOf=${ASOF}&municipalities=${M1},${M2},${M3}&format=pdf`, advisor);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'km-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), pdf.body);
    const info = execFileSync('pdfinfo', [join(dir, 'r.pdf')]).toString();
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString();
    const name = (await owner.query('SELECT name FROM municipalities WHERE code = $1', [M1])).rows[0].name;
    for (const s of [
      'Gemeenten vergelijken',
      `Organisatie: ${world.orgA.name}`,
      'Peildatum: 2025-06-30',
      '1. Gemeenten naast elkaar',
      '2. Trechterdiagram',
      '3. Stappen binnen 60 dagen',
      '4. Tijd tot de stap',
      '5. Uitval per fase',
      '6. Ervaring van cliënten per fase',
      '7. Ondersteuning en resultaat',
      '8. Ontwikkeling in de tijd',
      'Begrippen',
      'Kleine aantallen',
      'minder dan 10 cliënten',
      // Other organisations' figures: why they come per quarter or year.
      'terugrekenen',
      // A hyphen the PDF font has (U+2212 printed as a quote mark).
      '(1 - totaal)',
      name,
      '50,0%',
    ])
      expect(text).toContain(s);
    // The first page answers the question and names municipalities, not codes (#24).
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', join(dir, 'r.pdf'), '-']).toString();
    expect(first).toContain('Antwoord in het kort');
    expect(first).toContain(`Gemeenten: `);
    expect(first).toContain(name);
    expect(first).not.toContain(M1);
    expect(first).not.toMatch(/\bsuppressed\b|"ja"/);
  });

  it('keeps the JSON rules: roles, other organisations, bad parameters named', async () => {
    const csvPath = `/api/v1/analytics/dropout?${q}&format=csv`;
    expect((await raw(csvPath)).status).toBe(401);
    expect((await raw(csvPath, world.tokens.counselor)).status).toBe(403);
    expect((await raw(`/api/v1/analytics/report?format=pdf`, world.tokens.counselor)).status).toBe(403);
    expect((await raw(`/api/v1/analytics/report?format=pdf`)).status).toBe(401);
    // Another organisation's advisor sees M1 and M2 only in a window (not with A's asOf: 400 naming
    // it), and only as cells of at least 10, even asking for 5 (M2: 3 clients in 2025-Q1).
    const refused = await raw(`/api/v1/analytics/dropout?${q}&minCell=5&format=csv`, otherAdvisor);
    expect(refused.status).toBe(400);
    const other = await raw(
      `/api/v1/analytics/dropout?cohort=2025-Q1&municipalities=${M1},${M2},${M3}&groupBy=municipality&minCell=5&format=csv`,
      otherAdvisor,
    );
    expect(other.status).toBe(200);
    const lines = other.body.toString('utf8').slice(1).trim().split(/\r\n/);
    expect(lines.find((l) => l.startsWith(`rij;${M2};`))?.endsWith(';ja')).toBe(true);
    const own = await raw(`/api/v1/analytics/dropout?${q}&minCell=5&format=csv`, advisor);
    expect(
      own.body
        .toString('utf8')
        .split(/\r\n/)
        .find((l) => l.startsWith(`rij;${M2};`))
        ?.endsWith(';ja'),
    ).toBe(true);

    const bad: [string, string][] = [
      [`/api/v1/analytics/dropout?${q}&format=docx`, 'format'],
      [`/api/v1/analytics/dropout?${q}&format=csv&format=xlsx`, 'format'],
      [`/api/v1/analytics/dropout?${q}&withinDays=-1&format=csv`, 'withinDays'],
      [`/api/v1/analytics/dropout?asOf=${ASOF}&municipalities=GM9999&format=xlsx`, 'municipalities'],
      [`/api/v1/analytics/step-attainment?format=csv`, 'step'],
      [`/api/v1/analytics/report?format=csv`, 'format'],
      [`/api/v1/analytics/report?format=pdf&groupBy=municipality`, 'groupBy'],
      [`/api/v1/analytics/report?format=pdf&step=first_kontakt`, 'step'],
      [`/api/v1/analytics/report?format=pdf&asOf=2025-02-30x`, 'asOf'],
      [`/api/v1/analytics/report?format=pdf&clientTypes=${'x'.repeat(9000)}`, 'query'],
    ];
    for (const [path, field] of bad) {
      const a = await call('GET', path, { token: advisor });
      const e = expectError(a, 400);
      expect(e.details?.[0]?.field).toBe(field);
    }
  });

  it('lists what the filters offer: municipalities with names and own, client types, items', async () => {
    const o = await call('GET', '/api/v1/analytics/options', {
      token: advisor,
    });
    expect(o.status).toBe(200);
    const m1 = o.body.municipalities.find((m: { code: string }) => m.code === M1);
    expect(m1).toMatchObject({ own: true });
    expect(typeof m1.name).toBe('string');
    expect(o.body.items).toContain('goed_geholpen');
    expect(o.body.minCell).toBe(10);
    const b = await call('GET', '/api/v1/analytics/options', {
      token: otherAdvisor,
    });
    expect(b.body.municipalities.find((m: { code: string }) => m.code === M1)).toMatchObject({ own: false });

    // Client types by each organisation's own name (#25); another organisation's names never come along.
    await owner.query(
      `INSERT INTO client_types (organisation_id, code, name) VALUES ($1, 'ex_zelf', 'De zelfstandige'), ($2, 'ex_zelf', 'Zelfredzaam (B)'), ($2, 'ex_b_only', 'Alleen bij B')
       ON CONFLICT DO NOTHING`,
      [world.orgA.id, world.orgB.id],
    );
    const named = async (token: string) =>
      (await call('GET', '/api/v1/analytics/options', { token })).body.clientTypeNames as Record<string, string>;
    expect(await named(advisor)).toEqual({ ex_zelf: 'De zelfstandige' });
    expect(await named(otherAdvisor)).toEqual({ ex_b_only: 'Alleen bij B', ex_zelf: 'Zelfredzaam (B)' });
    expect(
      (
        await call('GET', '/api/v1/analytics/options', {
          token: world.tokens.counselor,
        })
      ).status,
    ).toBe(403);
  });

  describe('comparison groups and saved views (#24)', () => {
    const field = (e: { details?: { field: string }[] }) => e.details?.[0]?.field;
    let ownGroup: string;
    let platformGroup: string;
    let platform: string;

    beforeAll(async () => {
      platform = await login(PLATFORM.email, PLATFORM.password);
    });

    it("an organisation's own group holds only its municipalities; others never see or use it", async () => {
      const made = await call('POST', '/api/v1/comparison-groups', {
        token: advisor,
        body: { name: `Eigen drie ${tag}`, municipalities: [M3, M1, M2, M1] },
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ scope: 'organisation', municipalities: [M1, M2, M3].sort() });
      ownGroup = made.body.id;
      expect(
        (await call('GET', '/api/v1/comparison-groups', { token: advisor })).body.map((g: { id: string }) => g.id),
      ).toContain(ownGroup);
      const seenByB = (await call('GET', '/api/v1/comparison-groups', { token: otherAdvisor })).body as {
        id: string;
      }[];
      expect(seenByB.map((g) => g.id)).not.toContain(ownGroup);
      // Another organisation: not found, whatever it tries.
      expectError(
        await call('GET', `/api/v1/analytics/dropout?cohort=2025-Q1&compareTo=${ownGroup}`, { token: otherAdvisor }),
        404,
      );
      expectError(
        await call('PUT', `/api/v1/comparison-groups/${ownGroup}`, {
          token: otherAdvisor,
          body: { name: 'x', municipalities: [M1] },
        }),
        404,
      );
      expectError(await call('DELETE', `/api/v1/comparison-groups/${ownGroup}`, { token: otherAdvisor }), 404);
      // B may not make a group of A's municipalities (it could difference A's figures): 400 naming municipalities.
      const foreign = expectError(
        await call('POST', '/api/v1/comparison-groups', {
          token: otherAdvisor,
          body: { name: 'A', municipalities: [M1] },
        }),
        400,
      );
      expect(field(foreign)).toBe('municipalities');
      expect(foreign.message).toContain(M1);
    });

    it('refuses bad groups with the field named: unknown code, too many, long or empty name, missing, a counselor, a taken name', async () => {
      const post = (body: unknown, token = advisor) => call('POST', '/api/v1/comparison-groups', { token, body });
      expect(field(expectError(await post({ name: 'x', municipalities: ['GM9999'] }), 400))).toBe('municipalities');
      const many = Array.from({ length: 401 }, (_, i) => `GM${String(i).padStart(4, '0')}`);
      expect(field(expectError(await post({ name: 'x', municipalities: many }), 400))).toBe('municipalities');
      expect(field(expectError(await post({ name: 'x'.repeat(101), municipalities: [M1] }), 400))).toBe('name');
      expect(field(expectError(await post({ name: '   ', municipalities: [M1] }), 400))).toBe('name');
      expect(field(expectError(await post({ municipalities: [M1] }), 400))).toBe('name');
      expect(field(expectError(await post({ name: 'x', municipalities: 'GM0001' }), 400))).toBe('municipalities');
      expectError(await post({ name: 'x', municipalities: [M1] }, world.tokens.counselor), 403);
      expect(expectError(await post({ name: `Eigen drie ${tag}`, municipalities: [M1] }), 409).code).toBe('name_taken');
      expectError(
        await call('PUT', '/api/v1/comparison-groups/not-a-uuid', {
          token: advisor,
          body: { name: 'x', municipalities: [M1] },
        }),
        400,
      );
    });

    it("compareTo gives the own group's total beside the answer, the same as asking for those municipalities", async () => {
      const plain = await call('GET', `/api/v1/analytics/dropout?asOf=${ASOF}&municipalities=${M1},${M2},${M3}`, {
        token: advisor,
      });
      const withGroup = await call('GET', `/api/v1/analytics/dropout?${q}&compareTo=${ownGroup}`, { token: advisor });
      expect(withGroup.status).toBe(200);
      // By hand: 12 + 3 + 10 = 25 clients, 1 dropout (M1's last).
      expect(withGroup.body.reference.total).toMatchObject({ n: 25, dropped: 1 });
      expect(withGroup.body.reference.total).toEqual(plain.body.total);
      expect(withGroup.body.reference.group).toMatchObject({ id: ownGroup, scope: 'organisation' });
      // The answer itself is unchanged by the reference.
      const without = await call('GET', `/api/v1/analytics/dropout?${q}`, { token: advisor });
      expect(withGroup.body.rows).toEqual(without.body.rows);
      expectError(
        await call('GET', `/api/v1/analytics/dropout?${q}&compareTo=${randomUUID()}`, { token: advisor }),
        404,
      );
      expect(
        field(expectError(await call('GET', `/api/v1/analytics/dropout?${q}&compareTo=abc`, { token: advisor }), 400)),
      ).toBe('compareTo');
    });

    it("a platform group is everyone's, a cell of the protected table, changed by a platform admin only", async () => {
      const made = await call('POST', '/api/v1/comparison-groups', {
        token: platform,
        body: { name: `Platform ${tag}`, municipalities: [M1, M2, M3] },
      });
      expect(made.status).toBe(201);
      expect(made.body.scope).toBe('platform');
      platformGroup = made.body.id;
      for (const token of [advisor, otherAdvisor])
        expect(
          (await call('GET', '/api/v1/comparison-groups', { token })).body.map((g: { id: string }) => g.id),
        ).toContain(platformGroup);
      // B compares with it: the group's 2025-Q1 cell (25 clients: shown, M2's 3 and M3's 10 hidden as parts).
      const b = await call(
        'GET',
        `/api/v1/analytics/dropout?cohort=2025-Q1&groupBy=municipality&compareTo=${platformGroup}`,
        { token: otherAdvisor },
      );
      expect(b.status).toBe(200);
      expect(b.body.reference.total).toMatchObject({ n: 25, dropped: 1, suppressed: false });
      expect(b.body.reference.window.quarters).toEqual(['2025-Q1']);
      // Others' figures in it: free dates are refused, naming them.
      expect(
        field(
          expectError(
            await call('GET', `/api/v1/analytics/dropout?${q}&compareTo=${platformGroup}`, { token: advisor }),
            400,
          ),
        ),
      ).toBe('asOf');
      // Only the platform admin changes it; an organisation may not touch it.
      expect(
        expectError(
          await call('PUT', `/api/v1/comparison-groups/${platformGroup}`, {
            token: advisor,
            body: { name: 'x', municipalities: [M1] },
          }),
          403,
        ).code,
      ).toBe('group_not_yours');
      expectError(await call('DELETE', `/api/v1/comparison-groups/${platformGroup}`, { token: otherAdvisor }), 403);
      const renamed = await call('PUT', `/api/v1/comparison-groups/${platformGroup}`, {
        token: platform,
        body: { name: `Platform ${tag} (2)`, municipalities: [M1, M2, M3] },
      });
      expect(renamed.status).toBe(200);
      expect((await call('DELETE', `/api/v1/comparison-groups/${platformGroup}`, { token: platform })).status).toBe(
        204,
      );
      expectError(
        await call('GET', `/api/v1/analytics/dropout?cohort=2025-Q1&compareTo=${platformGroup}`, {
          token: otherAdvisor,
        }),
        404,
      );
      expect((await call('DELETE', `/api/v1/comparison-groups/${ownGroup}`, { token: advisor })).status).toBe(204);
    });

    it("saved views are a person's own: named, read back, refused when the query is not the page's", async () => {
      const post = (body: unknown, token = advisor) => call('POST', '/api/v1/saved-views', { token, body });
      const made = await post({ name: 'Raadsrapportage Q3', query: 'cohort=2025&clientTypes=zelfstandige' });
      expect(made.status).toBe(201);
      const mine = (await call('GET', '/api/v1/saved-views', { token: advisor })).body as {
        id: string;
        query: string;
      }[];
      expect(mine.find((v) => v.id === made.body.id)?.query).toBe('cohort=2025&clientTypes=zelfstandige');
      // A colleague in the same organisation neither sees nor removes it.
      const colleague = (await call('GET', '/api/v1/saved-views', { token: world.tokens.org_admin })).body as {
        id: string;
      }[];
      expect(colleague.map((v) => v.id)).not.toContain(made.body.id);
      expectError(await call('DELETE', `/api/v1/saved-views/${made.body.id}`, { token: world.tokens.org_admin }), 404);
      expect(field(expectError(await post({ name: 'x'.repeat(101), query: '' }), 400))).toBe('name');
      expect(field(expectError(await post({ name: 'x', query: 'foo=1' }), 400))).toBe('query');
      expect(field(expectError(await post({ name: 'x', query: 'withinDays=abc' }), 400))).toBe('query');
      expect(field(expectError(await post({ name: 'x', query: 'a'.repeat(2001) }), 400))).toBe('query');
      expect(expectError(await post({ name: 'Raadsrapportage Q3', query: '' }), 409).code).toBe('name_taken');
      expectError(await post({ name: 'x', query: '' }, world.tokens.counselor), 403);
      expect((await call('DELETE', `/api/v1/saved-views/${made.body.id}`, { token: advisor })).status).toBe(204);
    });
  });
});
