import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { WaitingTimeRow } from '@klantmonitor/shared/domain';
import { call, expectError, login, makeWorld, PASSWORD, PLATFORM, uploadCsv, waitFor, World } from '../support/http';

/**
 * GET /analytics/waiting-time (#26) through the api, against figures worked out by hand
 * (docs/metrics.md "Waiting time and the legal first-meeting term"). asOf 2025-06-30. Each request
 * below three times (so W2's 6 requests pass minCell 5):
 *   W1  R1 registered Mon 2025-03-03, seen 03-10        t 7   due 03-31 passed, met
 *       R2 registered 2025-03-03, seen 04-14             t 42  due 03-31 passed, not met
 *       R3 registered Wed 2025-03-05, eviction, seen 03-07  t 2  due Mon 03-10 (Thu 1, Fri 2, Mon 3) passed, met
 *       R4 registered 2025-06-20, waiting                t 10 censored, due 07-18 not passed
 *   W2  R5 registered 2025-04-01, waiting                t 90 censored, due 04-29 passed, not met
 *       R6 registered 2025-04-01, seen 04-11             t 10  due 04-29 passed, met
 * All 18: t=2 at risk 18, 3 seen: S 15/18; t=7 at risk 15, 3 seen: S 12/18; t=10 at risk 12, 3 seen (3 more
 *   censored there): S 9/18 = 1/2 -> medianDays 10. seen 12; termDue 15, termMet 9 -> withinTerm 0.6; crisis 3/18.
 * W1 (12): t=2 S 9/12, t=7 S 6/12 -> median 7; termDue 9, met 6 -> 2/3; crisis 3/12 = 0.25.
 * W2 (6): t=10 at risk 6, 3 seen -> S 1/2 -> median 10; termDue 6, met 3 -> 0.5; crisis 0.
 * Organisation Z serves Z1 with 3 waiting requests of 2025-02-03: other organisations' figures, protected.
 */
const ASOF = '2025-06-30';
const CASES: [string, 'W1' | 'W2', string, string, string][] = [
  ['R1', 'W1', '2025-03-03', '', '2025-03-10'],
  ['R2', 'W1', '2025-03-03', '', '2025-04-14'],
  ['R3', 'W1', '2025-03-05', 'eviction', '2025-03-07'],
  ['R4', 'W1', '2025-06-20', '', ''],
  ['R5', 'W2', '2025-04-01', '', ''],
  ['R6', 'W2', '2025-04-01', '', '2025-04-11'],
];

describe('waiting time (GET /analytics/waiting-time)', () => {
  let world: World;
  let owner: Client;
  let W1: string, W2: string, Z1: string;
  let advisor: string, admin: string, zAdmin: string;
  const tag = randomUUID().slice(0, 6);

  const q = (params: string, token = advisor) => call('GET', `/api/v1/analytics/waiting-time?${params}`, { token });
  const own = () => `asOf=${ASOF}&municipalities=${W1},${W2}&minCell=5`;

  async function recompute(token: string) {
    const r = await call<{ jobId: string }>('POST', '/api/v1/analytics/recompute', { token });
    expect(r.status).toBe(202);
    return waitFor(`recompute ${r.body.jobId}`, async () => {
      const s = await call('GET', `/api/v1/jobs/${r.body.jobId}`, { token });
      return s.body.state === 'completed' && s.body;
    });
  }

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    const free: { code: string }[] = (
      await owner.query(
        `SELECT code FROM municipalities WHERE code NOT IN (SELECT municipality_code FROM organisation_municipalities) ORDER BY code LIMIT 3`,
      )
    ).rows;
    [W1, W2, Z1] = free.map((f) => f.code);
    world = await makeWorld(`wt${tag}`);
    await owner.query(
      `INSERT INTO organisation_municipalities (organisation_id, municipality_code) VALUES ($1, $2), ($1, $3)`,
      [world.orgA.id, W1, W2],
    );
    const platform = await login(PLATFORM.email, PLATFORM.password);
    const z = await call<{ id: string }>('POST', '/api/v1/organisations', {
      token: platform,
      body: { name: `Org Z ${tag}`, municipalities: [Z1] },
    });
    await call('POST', `/api/v1/organisations/${z.body.id}/users`, {
      token: platform,
      body: { email: `zadmin-${tag}@example.nl`, password: PASSWORD, role: 'org_admin', name: 'z' },
    });
    zAdmin = await login(`zadmin-${tag}@example.nl`, PASSWORD);
    advisor = world.tokens.policy_advisor;
    admin = world.tokens.org_admin;
    const municipality = { W1, W2 };
    const csv = [
      'cliëntnummer;gemeente;aangemeld_op;crisis;eerste_contact',
      ...[0, 1, 2].flatMap((copy) =>
        CASES.map(([name, m, registered, crisis, first]) =>
          [`WT-${tag}-${name}-${copy}`, municipality[m], registered, crisis, first].join(';'),
        ),
      ),
    ].join('\n');
    expect((await uploadCsv('/api/v1/imports/trajectories', admin, csv, 'aanmeldingen.csv')).status).toBe(200);
    const zCsv = [
      'client_ref;municipality;registered_on',
      ...[0, 1, 2].map((i) => `WZ-${tag}-${i};${Z1};2025-02-03`),
    ].join('\n');
    expect((await uploadCsv('/api/v1/imports/trajectories', zAdmin, zCsv, 'z.csv')).status).toBe(200);
    await recompute(admin);
    await recompute(zAdmin);
  });
  afterAll(async () => {
    await owner.end();
  });

  it('gives the hand-worked figures for the total and per municipality (own municipalities: free)', async () => {
    const a = await q(`${own()}&groupBy=municipality`);
    expect(a.status).toBe(200);
    const total = a.body.total as WaitingTimeRow;
    expect(total).toMatchObject({
      n: 18,
      seen: 12,
      medianDays: 10,
      termDue: 15,
      termMet: 9,
      withinTerm: 0.6,
      suppressed: false,
    });
    expect(total.crisisShare).toBeCloseTo(1 / 6, 12);
    // Wilson(9, 15): centre (0.6 + 0.128049) / 1.256097 = 0.579612; half 1.560359 * sqrt(0.016 + 0.004268) = 0.222144.
    expect(total.withinTermCiLow).toBeCloseTo(0.3575, 3);
    expect(total.withinTermCiHigh).toBeCloseTo(0.8018, 3);
    expect(total.medianCiLow).not.toBeNull();
    const rows = Object.fromEntries((a.body.rows as WaitingTimeRow[]).map((r) => [r.municipality, r]));
    expect(rows[W1]).toMatchObject({ n: 12, seen: 9, medianDays: 7, termDue: 9, termMet: 6, crisisShare: 0.25 });
    expect(rows[W1].withinTerm).toBeCloseTo(2 / 3, 12);
    expect(rows[W2]).toMatchObject({
      n: 6,
      seen: 3,
      medianDays: 10,
      termDue: 6,
      termMet: 3,
      withinTerm: 0.5,
      crisisShare: 0,
    });
    // A cohort by request date: only March leaves R1-R3 (9 requests), all seen.
    const march = await q(`${own()}&cohortFrom=2025-03-01&cohortTo=2025-03-31`);
    expect(march.body.total).toMatchObject({ n: 9, seen: 9, termDue: 9, termMet: 6 });
    // Per month of the request: 2025-03 9, 2025-04 6, 2025-06 3. June (3) is under 5, so hidden; then
    // exactly one hidden row against the total would give it away: the smallest other (April, 6) too.
    const months = await q(`${own()}&groupBy=period`);
    expect((months.body.rows as WaitingTimeRow[]).map((r) => [r.period, r.n, r.suppressed])).toEqual([
      ['2025-03', 9, false],
      ['2025-04', null, true],
      ['2025-06', null, true],
    ]);
  });

  it("leaves the existing metrics as they were: waiting requests are no trajectories' starts", async () => {
    // Dropout counts trajectories with a first contact only: R1, R2, R3, R6 three times = 12.
    const d = await call('GET', `/api/v1/analytics/dropout?${own()}`, { token: advisor });
    expect(d.body.total.n).toBe(12);
  });

  it("protects other organisations' figures: Z1 hidden, free windows refused", async () => {
    const a = await q(`cohort=2025&groupBy=municipality&municipalities=${W1},${W2},${Z1}`);
    expect(a.status).toBe(200);
    expect(a.body.protected).toMatchObject({ total: 'national', window: { kind: 'year' } });
    const z = (a.body.rows as WaitingTimeRow[]).find((r) => r.municipality === Z1);
    expect(z).toMatchObject({ suppressed: true, n: null, medianDays: null, withinTerm: null });
    for (const [params, field] of [
      [`municipalities=${Z1}&cohortFrom=2025-01-01`, 'cohortFrom'],
      [`municipalities=${Z1}&cohortTo=2025-03-01`, 'cohortTo'],
      [`municipalities=${Z1}&asOf=2025-06-30`, 'asOf'],
      [`municipalities=${Z1}&groupBy=period&periodUnit=month`, 'periodUnit'],
      [`municipalities=${Z1}&clientTypes=unknown,zelfstandige`, 'clientTypes'],
      [`municipalities=${W1},${Z1}`, 'municipalities'],
    ] as const) {
      const e = expectError(await q(params), 400);
      expect(e.details?.[0]?.field).toBe(field);
    }
    // Z sees its own Z1 free at its own setting when asked on its own: 3 requests, under 5 anyway.
    const zOwn = await q(`asOf=${ASOF}&municipalities=${Z1}&minCell=5`, zAdmin);
    expect(zOwn.body.total).toMatchObject({ suppressed: true, n: null });
    // Per municipality over the nation: Z1 hidden, and never alone against a shown total (else the
    // total minus the shown rows would give Z1's requests): the requests' own pattern holds (metrics.md).
    const national = await q(`cohort=2025&groupBy=municipality`);
    const rows = national.body.rows as WaitingTimeRow[];
    expect(rows.find((r) => r.municipality === Z1)?.suppressed).toBe(true);
    if (!(national.body.total as WaitingTimeRow).suppressed)
      expect(rows.filter((r) => r.suppressed).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses every bad filter with a 400 naming it', async () => {
    const bad: [string, string][] = [
      ['groupBy=colour', 'groupBy'],
      ['asOf=2025-02-30', 'asOf'],
      ['asOf=2999-01-01', 'asOf'],
      ['cohortFrom=2025-05-01&cohortTo=2025-04-01', 'cohortFrom'],
      ['minCell=3', 'minCell'],
      ['municipalities=0344', 'municipalities'],
      ['municipalities=GM9999', 'municipalities'],
      ['cohort=2025-Q5', 'cohort'],
      ['periodUnit=week&groupBy=period', 'periodUnit'],
      [`municipalities=${'GM0001,'.repeat(400)}GM0002`, 'municipalities'],
    ];
    for (const [params, field] of bad) {
      const e = expectError(await q(params), 400);
      expect(e.details?.map((d) => d.field)).toContain(field);
    }
    // A counselor may not read the benchmark.
    expect((await q(own(), world.tokens.counselor)).status).toBe(403);
  });

  it('exports the figures as CSV with the JSON names and as XLSX', async () => {
    const csv = await call('GET', `/api/v1/analytics/waiting-time?${own()}&groupBy=municipality&format=csv`, {
      token: advisor,
    });
    expect(csv.status).toBe(200);
    const text = String(csv.text);
    const header = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    for (const col of ['n', 'seen', 'medianDays', 'termDue', 'termMet', 'withinTerm', 'crisisShare'])
      expect(header.split(/[;,]/)).toContain(col);
    expect(text).toContain(W1);
  });
});
