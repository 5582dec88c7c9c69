import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  cohortOf,
  experience,
  experienceCells,
  responseRate,
  responseRateCells,
  support,
  supportCell,
  suppressionMask,
  timeCell,
  timeToStep,
  type SupportCell,
  type TrajectoryRecord,
} from '@klantmonitor/shared/metrics';
import { ATTAINMENT_CASE } from '@klantmonitor/shared/metrics/testing';
import { call, expectError, login, makeWorld, PASSWORD, PLATFORM, waitFor, World, uploadCsv } from '../support/http';

/**
 * Analytics through the api, against hand-worked figures. The SQL path (facts, aggregate functions)
 * must give exactly what docs/metrics.md defines: step attainment and dropout are checked against numbers
 * worked out below; the other figures against the metrics library's reference path on the same
 * records (that path is hand-checked in libs/shared/metrics). Uses municipalities no other spec uses.
 */
const ASOF = '2025-06-30';
const HEADER =
  'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';

const upload = (path: string, token: string, csv: string) => uploadCsv(path, token, csv, 'export.csv');

interface Rec extends TrajectoryRecord {
  ref: string;
}

describe('analytics', () => {
  let world: World;
  let owner: Client;
  let X1: string, X2: string, Y1: string;
  let advisor: string, admin: string, yAdmin: string, yOrg: string;
  const tag = randomUUID().slice(0, 6);
  let records: Rec[];

  /*
   * ATTAINMENT_CASE of libs/shared/metrics (hand-cases.ts), every trajectory twice, its GM1 in X1 and GM2 in X2.
   * asOf 2025-06-30, iu_in_balance within 60 days, doubled:
   *   eligible 16, reached 10, share 0.625; Wilson n = 16: z^2/n = 0.240091, centre = (0.625 + 0.120046) / 1.240091 = 0.600800,
   *   half = 1.580500 * sqrt(0.625 * 0.375 / 16 + 3.841459 / 1024) = 1.580500 * 0.135646 = 0.214389 -> [0.386411, 0.815189].
   *   X1: 8 eligible, 6 reached, expected 5 (2 * 2.5), oe 1.2; X2: 8 eligible, 4 reached, expected 5, oe 0.8.
   * Dropout (no withinDays): cohort = A..H and J (I starts after asOf) = 18; dropped: F (02-10, before any step: phase
   *   first_contact) and G (03-20, after iu_in_balance 03-01: phase iu_in_balance), twice = 4; moment of truth 2 / 4 = 0.5.
   */
  const base = ATTAINMENT_CASE;

  const q = (path: string, token = advisor) => call('GET', `/api/v1/analytics/${path}`, { token });
  const mine = () => `asOf=${ASOF}&municipalities=${X1},${X2}&minCell=5`;

  async function recompute(token: string) {
    const r = await call<{ jobId: string }>('POST', '/api/v1/analytics/recompute', { token });
    expect(r.status).toBe(202);
    return waitFor(`recompute ${r.body.jobId}`, async () => {
      const s = await call('GET', `/api/v1/jobs/${r.body.jobId}`, { token });
      return s.body.state === 'completed' && s.body;
    });
  }

  beforeAll(async () => {
    owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    const free: { code: string }[] = (
      await owner.query(
        `SELECT code FROM municipalities WHERE code NOT IN (SELECT municipality_code FROM organisation_municipalities) ORDER BY code DESC LIMIT 3`,
      )
    ).rows;
    [X1, X2, Y1] = free.map((f) => f.code);
    world = await makeWorld(`an${tag}`);
    const platform = await login(PLATFORM.email, PLATFORM.password);
    // Org A of the world also serves X1 and X2 here (the organisation in makeWorld has other municipalities).
    await owner.query(
      `INSERT INTO organisation_municipalities (organisation_id, municipality_code) VALUES ($1, $2), ($1, $3)`,
      [world.orgA.id, X1, X2],
    );
    const y = await call<{ id: string }>('POST', '/api/v1/organisations', {
      token: platform,
      body: { name: `Org Y ${tag}`, municipalities: [Y1] },
    });
    yOrg = y.body.id;
    await call('POST', `/api/v1/organisations/${yOrg}/users`, {
      token: platform,
      body: {
        email: `yadmin-${tag}@example.nl`,
        password: PASSWORD,
        role: 'org_admin',
        name: 'y',
      },
    });
    yAdmin = await login(`yadmin-${tag}@example.nl`, PASSWORD);
    advisor = world.tokens.policy_advisor;
    admin = world.tokens.org_admin;

    records = [0, 1].flatMap((copy) =>
      base.map((r, i) => ({
        ...r,
        municipality: r.municipality === 'GM1' ? X1 : X2,
        ref: `AN-${tag}-${copy}-${i}`,
      })),
    );
    // Support in the first 90 days (day 0 and day 90 count, day 91 not), for the first copy of A, B and F.
    records[0].support = [
      { occurredOn: '2025-01-01', type: 'administrative', minutes: 30 },
      { occurredOn: '2025-04-01', type: 'administrative', minutes: 20 },
      { occurredOn: '2025-04-02', type: 'legal', minutes: 60 },
    ];
    records[1].support = [{ occurredOn: '2025-02-01', type: 'psychosocial', minutes: 45 }];
    records[5].support = [{ occurredOn: '2025-02-05', type: 'administrative', minutes: 15 }];
    // Answers and invitations for A and C (first copy): phases, an answer after asOf, one too late, one open.
    records[0].responses = [
      { respondedOn: '2025-01-01', answers: { geloof_in_oplossing: 2 } },
      { respondedOn: '2025-02-20', answers: { geloof_in_oplossing: 5 } },
      { respondedOn: '2025-07-05', answers: { geloof_in_oplossing: 1 } },
    ];
    records[0].invitations = [
      {
        sentOn: '2025-01-01',
        expiresOn: '2025-01-15',
        completedOn: '2025-01-01',
      },
      {
        sentOn: '2025-02-18',
        expiresOn: '2025-03-04',
        completedOn: '2025-02-20',
      },
      {
        sentOn: '2025-06-20',
        expiresOn: '2025-07-04',
        completedOn: '2025-07-05',
      },
    ];
    records[2].responses = [{ respondedOn: '2025-03-20', answers: { geloof_in_oplossing: 3 } }];
    records[2].invitations = [
      {
        sentOn: '2025-03-20',
        expiresOn: '2025-04-03',
        completedOn: '2025-03-20',
      },
      { sentOn: '2025-05-01', expiresOn: '2025-05-15', completedOn: null },
    ];

    const csv = [
      HEADER,
      ...records.map((r) =>
        [
          r.ref,
          r.municipality,
          r.firstContact,
          r.steps?.goal_known ?? '',
          r.steps?.approach_set ?? '',
          r.steps?.iu_in_view ?? '',
          r.steps?.iu_in_balance ?? '',
          r.steps?.settlement_ready ?? '',
          r.dropoutOn ?? '',
          r.dropoutOn ? 'no_show' : '',
        ].join(','),
      ),
    ].join('\n');
    // Imports refuse dates in the future; the one trajectory starting after asOf (2025-07-01) is still in the past today.
    const imported = await upload('/api/v1/imports/trajectories', admin, csv);
    expect(imported.status).toBe(200);
    const assessments = [
      'client_ref,assessed_on,client_type',
      ...records.flatMap((r) => (r.assessments ?? []).map((a) => `${r.ref},${a.assessedOn},${a.clientType}`)),
    ].join('\n');
    expect((await upload('/api/v1/imports/assessments', admin, assessments)).status).toBe(200);

    // Support, invitations and answers of the past cannot come in through the api: written as the owner.
    const ids = new Map<string, string>(
      (
        await owner.query(
          `SELECT c.client_ref, t.id FROM trajectories t JOIN clients c ON c.id = t.client_id WHERE c.client_ref LIKE $1`,
          [`AN-${tag}-%`],
        )
      ).rows.map((r: { client_ref: string; id: string }) => [r.client_ref, r.id]),
    );
    const template: string = (await owner.query(`SELECT id FROM questionnaire_templates ORDER BY version LIMIT 1`))
      .rows[0].id;
    for (const r of records) {
      const tid = ids.get(r.ref);
      for (const s of r.support ?? []) {
        await owner.query(
          `INSERT INTO support_contacts (organisation_id, trajectory_id, occurred_on, type, minutes, channel) VALUES ($1, $2, $3, $4, $5, 'phone')`,
          [world.orgA.id, tid, s.occurredOn, s.type, s.minutes],
        );
      }
      for (const [i, inv] of (r.invitations ?? []).entries()) {
        const invitation = await owner.query(
          `INSERT INTO invitations (organisation_id, trajectory_id, wave_key, wave_kind, due_on, planned_on, outcome, template_id, channel,
                                    delivery_status, sent_at, sent_on, expires_on, completed_at)
           VALUES ($1, $2, $3, 'periodic', $4, $4, 'invited', $5, 'email', 'sent', $4::date + time '10:00', $4, $6,
                   CASE WHEN $7::date IS NULL THEN NULL ELSE ($7::date + time '12:00') AT TIME ZONE 'Europe/Amsterdam' END)
           RETURNING id`,
          [world.orgA.id, tid, `an-${i}`, inv.sentOn, template, inv.expiresOn, inv.completedOn],
        );
        const answer = r.responses?.find((x) => x.respondedOn === inv.completedOn);
        if (answer) {
          await owner.query(
            `INSERT INTO responses (organisation_id, invitation_id, trajectory_id, template_id, answers, phase, responded_on) VALUES ($1, $2, $3, $4, $5, 'first_contact', $6)`,
            [world.orgA.id, invitation.rows[0].id, tid, template, JSON.stringify(answer.answers), answer.respondedOn],
          );
        }
      }
    }
    // Org Y: 6 trajectories in Y1, imported (its recompute comes from the import, through the outbox).
    const yCsv = [HEADER, ...Array.from({ length: 6 }, (_, i) => `Y-${tag}-${i},${Y1},2025-01-01,,,,,,,`)].join('\n');
    expect((await upload('/api/v1/imports/trajectories', yAdmin, yCsv)).status).toBe(200);
    await recompute(admin);
  });

  afterAll(async () => {
    await owner.end();
  });

  const reference = () => cohortOf(records, { asOf: ASOF, municipalities: [X1, X2] });

  it('serves step attainment equal to the hand-worked case, with case-mix per municipality', async () => {
    const a = await q(`step-attainment?step=iu_in_balance&withinDays=60&groupBy=municipality&${mine()}`);
    expect(a.status).toBe(200);
    expect(a.body.total).toMatchObject({
      eligible: 16,
      reached: 10,
      share: 0.625,
      suppressed: false,
    });
    expect(a.body.total.ciLow).toBeCloseTo(0.386411, 5);
    expect(a.body.total.ciHigh).toBeCloseTo(0.815189, 5);
    expect(a.body.rows.map((r: any) => [r.municipality, r.eligible, r.reached, r.share])).toEqual(
      [
        [X2, 8, 4, 0.5],
        [X1, 8, 6, 0.75],
      ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
    );
    const x1 = a.body.rows.find((r: any) => r.municipality === X1);
    expect(x1.expected).toBeCloseTo(5, 12);
    expect(x1.oe).toBeCloseTo(1.2, 12);
    expect(typeof a.body.computedAt).toBe('string');
    expect(a.body.query).toMatchObject({
      asOf: ASOF,
      step: 'iu_in_balance',
      withinDays: 60,
      groupBy: ['municipality'],
      minCell: 5,
    });
  });

  it('serves dropout with phases and the moment of truth', async () => {
    const a = await q(`dropout?${mine()}`);
    expect(a.status).toBe(200);
    expect(a.body.total).toMatchObject({
      n: 18,
      dropped: 4,
      momentOfTruth: 0.5,
    });
    expect(a.body.total.byPhase).toEqual({
      first_contact: 2,
      goal_known: 0,
      approach_set: 0,
      iu_in_view: 0,
      iu_in_balance: 2,
      settlement_ready: 0,
    });
    expect(a.body.total.share).toBeCloseTo(4 / 18, 15);
  });

  it('serves time to step, experience, support and response rate exactly as the reference path', async () => {
    const G = (groupBy: ('municipality' | 'clientType')[]) => ({
      groupBy,
      periodUnit: 'month' as const,
    });
    const t = await q(`time-to-step?step=iu_in_balance&days=0,30,45,60,90&groupBy=clientType&${mine()}`);
    expect(t.status).toBe(200);
    const tRef = timeToStep(
      reference().map((x) => timeCell(x, 'iu_in_balance', ASOF)),
      G(['clientType']),
      [0, 30, 45, 60, 90],
    );
    expect(t.body.rows.length).toBe(tRef.rows.length);
    expect(t.body.total.medianDays).toBe(tRef.total.medianDays);
    // The median's 95% interval (#24 groundwork): the SQL path gives the reference's.
    expect([t.body.total.medianCiLow, t.body.total.medianCiHigh]).toEqual([
      tRef.total.medianCiLow,
      tRef.total.medianCiHigh,
    ]);
    expect(tRef.total.medianCiLow).not.toBeUndefined();
    t.body.total.curve.forEach((p: any, i: number) =>
      expect(p.cif).toBeCloseTo(tRef.total.curve?.[i].cif as number, 12),
    );
    // Rows under minCell (5), and those secondary suppression adds (shared/metrics, tested by hand
    // there), lose n and everything else; every row under 5 is among them.
    const hidden = suppressionMask(
      tRef.rows,
      (r) => r.n ?? 0,
      () => 5,
    );
    t.body.rows.forEach((r: any, i: number) =>
      expect([r.clientType, r.n, r.medianDays]).toEqual([
        tRef.rows[i].clientType,
        hidden[i] ? null : tRef.rows[i].n,
        hidden[i] ? null : tRef.rows[i].medianDays,
      ]),
    );
    expect(t.body.rows.filter((r: any) => r.suppressed).map((r: any) => r.clientType)).toEqual(
      tRef.rows.filter((_, i) => hidden[i]).map((r) => r.clientType),
    );
    for (const r of tRef.rows.filter((x) => (x.n ?? 0) < 5)) expect(hidden[tRef.rows.indexOf(r)]).toBe(true);

    const e = await q(`experience?item=geloof_in_oplossing&${mine()}`);
    const eRef = experience(
      reference().flatMap((x) => experienceCells(x, 'geloof_in_oplossing', ASOF)),
      G([]),
    );
    // By hand: A answered 2 on day 0 (first_contact) and 5 on 02-20 (iu_in_balance from 02-15), its 07-05 answer is after asOf;
    // C answered 3 on 03-20 (iu_in_balance from 03-15). first_contact: n 1, mean 2; iu_in_balance: n 2, mean 4. minCell 5: suppressed.
    expect(e.body.rows.map((r: any) => [r.phase, r.n, r.suppressed])).toEqual(
      eRef.rows.map((r) => [r.phase, null, true]),
    );
    expect(eRef.rows.map((r) => [r.phase, r.n, r.mean])).toEqual([
      ['first_contact', 1, 2],
      ['iu_in_balance', 2, 4],
    ]);

    const s = await q(`support?${mine()}`);
    const sRef = support(
      reference()
        .map((x) => supportCell(x, ASOF))
        .filter((c): c is SupportCell => c !== null),
      G([]),
    );
    // By hand: first 90 days complete for all but E (fc 05-15): n = 16; administrative: A (50 min) and F (15 min) = 2.
    expect(s.body.total).toMatchObject({ n: 16, withAdministrative: 2 });
    expect(s.body.total).toEqual(sRef.total);

    const rr = await q(`response-rate?groupBy=municipality&${mine()}`);
    const rrRef = responseRate(
      reference().flatMap((x) => responseRateCells(x, { asOf: ASOF })),
      G(['municipality']),
    );
    // By hand: 5 sent; completed in time: A 01-01 and 02-20, C 03-20 = 3 (A's 06-20 one was answered after asOf); open on asOf: A's 06-20 one.
    expect(rr.body.total).toMatchObject({
      sent: 5,
      completed: 3,
      share: 0.6,
      open: 1,
    });
    expect(rr.body.total).toEqual(rrRef.total);
  });

  // Figures about other organisations' clients are protected (metrics.md "Protected figures", #23):
  // a quarter, a year or the last four complete quarters, as of today, one stored suppression
  // pattern. X1 in 2025-Q1: A B C D twice = 8; X2: F G H J twice = 8; Y1: 6 (all 2025-01-01).
  const Q1 = 'cohort=2025-Q1';
  it('never shows another organisation below the platform minCell, and each organisation its own', async () => {
    const ask = `step-attainment?step=goal_known&withinDays=30&groupBy=municipality&${Q1}&municipalities=${X1},${X2},${Y1}`;
    const y = await waitFor('the import recompute of org Y', async () => {
      const a = await q(`${ask}&minCell=5`);
      return a.body.rows?.find((r: any) => r.municipality === Y1) as any;
    });
    // Y1 has 6 trajectories: under 10, so suppressed for org A whatever minCell it asks.
    expect(y).toMatchObject({
      eligible: null,
      reached: null,
      share: null,
      suppressed: true,
      expected: null,
      oe: null,
    });
    // A's own X1 and X2 are free, at A's asked 5: 8 each (every 2025-Q1 client had its 30 days).
    const a5 = await q(`${ask}&minCell=5`);
    expect(a5.body.rows.map((r: any) => [r.municipality, r.eligible, r.suppressed])).toEqual([
      [Y1, null, true],
      [X2, 8, false],
      [X1, 8, false],
    ]);
    // The total is the nation's (every organisation of this database), never one over the chosen three.
    expect(a5.body.protected).toMatchObject({ total: 'national', window: { kind: 'quarter', quarters: ['2025-Q1'] } });
    // Y sees its own Y1 at its own 5 when asked on its own (free: any dates, any asOf)...
    const own = await q(
      `step-attainment?step=goal_known&withinDays=30&groupBy=municipality&asOf=${ASOF}&municipalities=${Y1}&minCell=5`,
      yAdmin,
    );
    expect(own.body.rows.find((r: any) => r.municipality === Y1)).toMatchObject({
      eligible: 6,
      reached: 0,
      share: 0,
      suppressed: false,
    });
    expect(own.body.protected).toBeUndefined();
    // ...and beside A's X1 and X2 (8 each: hidden from Y, under 10). Y1 shown does not give them
    // away: the total is national, and the stored pattern keeps at least two cells Y does not
    // know hidden in every relation (the test below checks every relation).
    const beside = await q(`${ask}&minCell=5`, yAdmin);
    expect(beside.body.rows.map((r: any) => [r.municipality, r.eligible, r.suppressed])).toEqual([
      [Y1, 6, false],
      [X2, null, true],
      [X1, null, true],
    ]);
    const sums = await q(ask);
    expect(sums.body.query.minCell).toBe(10);
    expect(sums.headers.get('content-type')).toMatch(/^application\/json/);
    // Asked again, the same answer, to the byte.
    const again = await q(ask);
    expect(again.text).toBe(sums.text);
    expect(sums.body.rows.every((r: any) => r.suppressed === r.eligible < 10)).toBe(true);
  });

  it("applies each organisation's own small-cell setting, to its own callers and towards everyone else", async () => {
    const settings = (token: string, body?: unknown) =>
      call(body === undefined ? 'GET' : 'PUT', '/api/v1/analytics/settings', { token, body });
    expect((await settings(advisor)).body).toEqual({ minCell: 10 });
    // Bad input names the problem; only an organisation admin may change it.
    for (const [body, field] of [
      [{}, 'minCell'],
      [{ minCell: 4 }, 'minCell'],
      [{ minCell: 1001 }, 'minCell'],
      [{ minCell: 10.5 }, 'minCell'],
      [{ minCell: '8' }, 'minCell'],
      [{ minCell: 8, maxCell: 9 }, 'maxCell'],
      [[8], 'body'],
    ] as const) {
      expect(expectError(await settings(admin, body), 400).details?.[0].field).toBe(field);
    }
    expectError(await settings(admin, '{"minCell":'), 400);
    expectError(await settings(advisor, { minCell: 5 }), 403);
    expectError(await settings(world.tokens.counselor), 403);
    expect((await settings(advisor)).body).toEqual({ minCell: 10 });

    // A at 5: its callers get minCell 5 for their own municipalities without asking, exactly as when they ask.
    const attainment = `step-attainment?step=goal_known&withinDays=30&groupBy=municipality&${Q1}&municipalities=${X1},${X2},${Y1}`;
    const atDefault = await q(attainment);
    expect((await settings(admin, { minCell: 5 })).body).toEqual({ minCell: 5 });
    try {
      const atFive = await q(attainment);
      const asked = await q(`${attainment}&minCell=5`);
      expect({ rows: atFive.body.rows, total: atFive.body.total }).toEqual({
        rows: asked.body.rows,
        total: asked.body.total,
      });
      // 2025-Q1, 30 days: X1 8, X2 8 (A's own: free at A's setting); Y1 6 (Y's: at least 10 for A).
      const shown = (a: typeof atFive) => a.body.rows.map((r: any) => [r.municipality, r.eligible, r.suppressed]);
      expect(shown(atDefault)).toEqual([
        [Y1, null, true],
        [X2, null, true],
        [X1, null, true],
      ]);
      expect(shown(atFive)).toEqual([
        [Y1, null, true],
        [X2, 8, false],
        [X1, 8, false],
      ]);
      // Without Y1 in the question the figures are free: any dates, asOf and minCell of A's.
      const onlyX = await q(
        `step-attainment?step=goal_known&withinDays=30&groupBy=municipality&asOf=${ASOF}&municipalities=${X1},${X2}`,
      );
      expect(onlyX.body.rows.map((r: any) => [r.municipality, r.eligible, r.suppressed])).toEqual([
        [X2, 8, false],
        [X1, 10, false],
      ]);
      // Y asks for 30: Y's own Y1 follows it for Y's callers; for A it stays hidden anyway (6).
      expect((await settings(yAdmin, { minCell: 30 })).body).toEqual({ minCell: 30 });
      const yOwn = await q(attainment, yAdmin);
      expect(yOwn.body.query.minCell).toBe(30);
      expect(yOwn.body.rows.find((r: any) => r.municipality === Y1)).toMatchObject({
        eligible: null,
        suppressed: true,
      });
      // A's own rows follow A's setting, whatever Y's is.
      expect(shown(await q(attainment))).toEqual(shown(atFive));
    } finally {
      await settings(admin, { minCell: 10 });
      await settings(yAdmin, { minCell: 10 });
    }
    // Back at 10 everywhere: the same answer again, to the byte.
    expect((await q(attainment)).text).toBe(atDefault.text);
    const audit = await owner.query(
      `SELECT details FROM audit_events WHERE organisation_id = $1 AND action = 'analytics.settings.update' ORDER BY occurred_at`,
      [world.orgA.id],
    );
    expect(audit.rows.map((r) => r.details)).toEqual([
      { minCell: 5, previous: 10 },
      { minCell: 10, previous: 5 },
    ]);
  });

  it("refuses every window of the review's attack on another organisation's municipality, naming the parameter", async () => {
    // The review (#23): cohortTo 2026-09-01 and 2026-09-02 on another organisation's municipality
    // differed by one client. Every free form is refused where an answer holds Y1 (Y's).
    const attack = `step-attainment?step=goal_known&withinDays=90&municipalities=${Y1}`;
    const cases: [string, string][] = [
      [`${attack}&cohortFrom=2020-01-01&cohortTo=2025-01-01`, 'cohortFrom'],
      [`${attack}&cohortTo=2025-01-02`, 'cohortTo'],
      [`${attack}&asOf=${ASOF}`, 'asOf'],
      [`${attack}&groupBy=period&periodUnit=month`, 'periodUnit'],
      [`${attack}&clientTypes=zelf,unknown`, 'clientTypes'],
      [`${attack}&cohort=2025-07`, 'cohort'],
      [`${attack}&cohort=2099-Q1`, 'cohort'],
      [`${attack}&cohort=2025-Q1&cohortFrom=2025-01-01`, 'cohort'],
      [`step-attainment?step=goal_known&withinDays=3000&${Q1}&municipalities=${Y1}`, 'withinDays'],
      [`step-attainment?step=goal_known&municipalities=${X1},${Y1}`, 'municipalities'],
      [`dropout?cohortFrom=2025-01-01`, 'cohortFrom'],
      [`response-rate?sentFrom=2025-01-01&municipalities=${Y1}`, 'sentFrom'],
      [`experience?item=geloof_in_oplossing&municipalities=${Y1}&cohortTo=2025-03-01`, 'cohortTo'],
    ];
    for (const [path, field] of cases) {
      const e = expectError(await q(path), 400);
      expect([path, e.details?.[0]?.field]).toEqual([path, field]);
      if (field !== 'cohort' && field !== 'withinDays') expect(e.message).toMatch(/other organisations/);
    }
    // The same forms on A's own municipalities stay free.
    for (const path of [
      `${attack.replace(Y1, `${X1},${X2}`)}&cohortFrom=2020-01-01&cohortTo=2025-01-01&asOf=${ASOF}`,
      `step-attainment?step=goal_known&municipalities=${X1},${X2}&groupBy=period&periodUnit=month&clientTypes=zelf,unknown`,
      `response-rate?sentFrom=2025-01-01&municipalities=${X1}`,
    ])
      expect([path, (await q(path)).status]).toEqual([path, 200]);
    // The total of all of A's own municipalities together is allowed (a cell of the table), even
    // where another organisation also serves one of them; a part of them beside Y1 is not.
    const options = (await q('options')).body;
    const ownAll = options.municipalities
      .filter((m: { own: boolean }) => m.own)
      .map((m: { code: string }) => m.code)
      .sort();
    expect(ownAll).toEqual(expect.arrayContaining([X1, X2]));
    expect((await q(`dropout?groupBy=clientType&municipalities=${ownAll.join(',')}`)).status).toBe(200);
    expect(expectError(await q(`dropout?groupBy=clientType&municipalities=${X1},${Y1}`), 400).details?.[0]?.field).toBe(
      'municipalities',
    );
    // The allowed forms answer: a quarter, a year, the default.
    for (const cohort of ['cohort=2025-Q1', 'cohort=2025', 'cohort=rolling', ''])
      expect((await q(`step-attainment?step=goal_known&withinDays=30&municipalities=${Y1}&${cohort}`)).status).toBe(
        200,
      );
  });

  it('leaves no hidden cell computable from shown ones, over every window, client type and municipality (as organisation A)', async () => {
    // Every cell A can see: per window (the quarters of 2025 and 2026 that ended, both years, the
    // default), area (each municipality, the nation) and type (each, all): groupBy municipality,
    // clientType and both. Then every relation of the table (a year or the rolling window = its
    // quarters; all types = the types; the nation = the municipalities) is solved with exactly the
    // shown parts: where the total is shown and exactly one part is hidden (not counting A's own
    // municipalities, which A sees anyway), that part's eligible and reached could be computed.
    const today = new Date().toISOString().slice(0, 10);
    const ended = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'].filter(
      (qq) => {
        const [y, n] = [Number(qq.slice(0, 4)), Number(qq.slice(6))];
        return new Date(Date.UTC(y, n * 3, 0)).toISOString().slice(0, 10) <= today;
      },
    );
    type Cell = { shown: boolean; eligible: number | null; reached: number | null };
    const cells = new Map<string, Cell>();
    const windows = new Map<string, string[]>();
    const put = (area: string, w: string, t: string, r: any) => {
      const c = { shown: !r.suppressed, eligible: r.eligible, reached: r.reached };
      const k = `${area}|${w}|${t}`;
      const before = cells.get(k);
      // The same cell in two answers: shown or hidden alike, with the same figures.
      if (before) expect([k, before]).toEqual([k, c]);
      cells.set(k, c);
    };
    const own = new Set([X1, X2]);
    const years = [...new Set(ended.map((x) => x.slice(0, 4)))];
    for (const cohort of [...ended, ...years, 'rolling']) {
      const base = `step-attainment?step=iu_in_balance&withinDays=0&cohort=${cohort}`;
      const byMt = await q(`${base}&groupBy=municipality,clientType`);
      expect(byMt.status).toBe(200);
      windows.set(cohort, byMt.body.protected.window.quarters);
      for (const r of byMt.body.rows) put(r.municipality, cohort, r.clientType, r);
      put('*', cohort, '*', byMt.body.total);
      for (const r of (await q(`${base}&groupBy=municipality`)).body.rows) put(r.municipality, cohort, '*', r);
      for (const r of (await q(`${base}&groupBy=clientType`)).body.rows) put('*', cohort, r.clientType, r);
    }
    const areas = [...new Set([...cells.keys()].map((k) => k.split('|')[0]))];
    const types = [...new Set([...cells.keys()].map((k) => k.split('|')[2]))].filter((t) => t !== '*');
    // An absent cell has no clients: shown as 0.
    const get = (a: string, w: string, t: string): Cell =>
      cells.get(`${a}|${w}|${t}`) ?? { shown: true, eligible: 0, reached: 0 };
    const problems: string[] = [];
    let solved = 0;
    const check = (total: [string, string, string], parts: [string, string, string][]) => {
      if (!get(...total).shown) return;
      const unknown = parts.filter((p) => !get(...p).shown && !own.has(p[0]));
      solved++;
      if (unknown.length === 1) problems.push(`${unknown[0].join('|')} = ${total.join('|')} - the rest`);
    };
    for (const [cohort, quarters] of windows) {
      if (quarters.length > 1 && windows.has(quarters[0]))
        for (const a of areas)
          for (const t of [...types, '*'])
            check(
              [a, cohort, t],
              quarters.map((qq) => [a, qq, t]),
            );
      for (const a of areas)
        check(
          [a, cohort, '*'],
          types.map((t) => [a, cohort, t]),
        );
      for (const t of [...types, '*'])
        check(
          ['*', cohort, t],
          areas.filter((a) => a !== '*').map((a) => [a, cohort, t]),
        );
    }
    expect(solved).toBeGreaterThan(50);
    // Something is hidden at all (Y1's 6 in 2025-Q1), so the check has something to find.
    expect(get(Y1, '2025-Q1', '*').shown).toBe(false);
    expect(problems).toEqual([]);
  });

  it('follows cohorts, client types and periods', async () => {
    // Cohort of January only: A B C D twice = 8 eligible, 6 reached.
    const jan = await q(`step-attainment?step=iu_in_balance&cohortFrom=2025-01-01&cohortTo=2025-01-31&${mine()}`);
    expect(jan.body.total).toMatchObject({ eligible: 8, reached: 6 });
    const types = await q(
      `step-attainment?step=iu_in_balance&clientTypes=zelf,unknown&groupBy=clientType,period&periodUnit=quarter&${mine()}`,
    );
    // zelf: A B G H (x2) = 8 eligible, 6 reached; unknown: D J (x2) = 4 eligible (under minCell 5:
    // suppressed); all in 2025-Q1. The two are the client types of one period against a total of
    // 12 (reached 10: D and J reached it too): zelf alone would give unknown away (12 - 8 = 4,
    // 10 - 6 = 4), so it is hidden too (secondary suppression).
    expect(types.body.total).toMatchObject({ eligible: 12, reached: 10 });
    expect(types.body.rows.map((r: any) => [r.clientType, r.period, r.eligible, r.reached, r.suppressed])).toEqual([
      ['unknown', '2025-Q1', null, null, true],
      ['zelf', '2025-Q1', null, null, true],
    ]);
    expect(types.body.rows[0].expected).toBeUndefined();
  });

  // Security review (#11): analytics_results held unsuppressed small cells for anyone who could
  // read the table. Rows below the floor (5) are now hidden before they are stored.
  it('keeps no row below the floor of 5 in the stored answers', async () => {
    const stored = await owner.query(
      `SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE coalesce(x->>'n', x->>'eligible', x->>'sent')::int < 5)::int AS small,
              count(*) FILTER (WHERE (x->>'suppressed')::boolean)::int AS hidden
       FROM analytics_results r, jsonb_array_elements(r.body->'rows') x`,
    );
    expect(stored.rows[0].rows).toBeGreaterThan(0);
    expect(stored.rows[0].hidden).toBeGreaterThan(0); // this suite's data has rows of 3 and 4
    expect(stored.rows[0].small).toBe(0);
  });

  it('sends a large stored answer gzipped, equal to the answer computed on request', async () => {
    // 400 curve points for the total, X1 and X2 (10 each, A's own): over 16 kB.
    const days = Array.from({ length: 400 }, (_, i) => i).join(',');
    const path = `time-to-step?step=iu_in_view&groupBy=municipality&days=${days}&municipalities=${X1},${X2}`;
    const first = await q(path); // computed now (and kept)
    const second = await call('GET', `/api/v1/analytics/${path}`, {
      token: advisor,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(first.text.length).toBeGreaterThan(16 * 1024);
    expect(first.headers.get('content-encoding')).toBeNull();
    expect(second.headers.get('content-encoding')).toBe('gzip');
    expect(second.text.length).toBeGreaterThan(16 * 1024);
    expect(second.text).toBe(first.text);
  });

  it('answers bad input with a 400 that names the parameter', async () => {
    const cases: [string, string][] = [
      ['step-attainment?step=nope', 'step'],
      ['step-attainment', 'step'],
      ['step-attainment?step=goal_known&withinDays=3651', 'withinDays'],
      ['step-attainment?step=goal_known&withinDays=1.5', 'withinDays'],
      ['step-attainment?step=goal_known&withinDays=-1', 'withinDays'],
      ['dropout?cohortFrom=2025-03-01&cohortTo=2025-02-01', 'cohortFrom'],
      ['dropout?asOf=2025-02-30', 'asOf'],
      ['dropout?asOf=2999-01-01', 'asOf'],
      ['dropout?cohortFrom=yesterday', 'cohortFrom'],
      ['dropout?minCell=4', 'minCell'],
      ['dropout?groupBy=municipality,colour', 'groupBy'],
      ['dropout?periodUnit=week', 'periodUnit'],
      ['dropout?municipalities=GM9999', 'municipalities'],
      ['dropout?municipalities=Utrecht', 'municipalities'],
      ['dropout?clientTypes=nobody_has_this', 'clientTypes'],
      ['dropout?colour=red', 'colour'],
      ['dropout?minCell=5&minCell=6', 'minCell'],
      ['experience?item=nope_no_item', 'item'],
      ['experience', 'item'],
      ['time-to-step?step=goal_known&days=1,x', 'days'],
      ['response-rate?sentFrom=2025-03-01&sentTo=2025-01-01', 'sentFrom'],
      [
        `dropout?municipalities=${Array.from({ length: 401 }, (_, i) => `GM${String(i).padStart(4, '0')}`).join(',')}`,
        'municipalities',
      ],
      [`dropout?clientTypes=${'a,'.repeat(5000)}`, 'query'],
    ];
    for (const [path, field] of cases) {
      const a = await q(path);
      const e = expectError(a, 400);
      expect([path, e.details?.[0]?.field]).toEqual([path, field]);
    }
  });

  it('is for policy advisors and organisation admins only; recompute for admins', async () => {
    expectError(await q('dropout', world.tokens.counselor), 403);
    expectError(await q('dropout', world.tokens.platform_admin), 403);
    expectError(await call('GET', '/api/v1/analytics/dropout'), 401);
    expectError(await call('POST', '/api/v1/analytics/recompute', { token: advisor }), 403);
    expect((await q('dropout', admin)).status).toBe(200);
  });

  it('reports job progress to its own organisation only, and is safe to run twice', async () => {
    const first = await call<{ jobId: string }>('POST', '/api/v1/analytics/recompute', { token: admin });
    expectError(await call('GET', `/api/v1/jobs/${first.body.jobId}`, { token: yAdmin }), 404);
    expectError(await call('GET', `/api/v1/jobs/no such job`, { token: admin }), 400);
    expectError(await call('GET', `/api/v1/jobs/999999999`, { token: admin }), 404);
    const before = (await q(`dropout?${mine()}`)).body;
    const done = await recompute(admin);
    expect(done).toMatchObject({ state: 'completed', progress: 100 });
    expect((done as any).result).toMatchObject({ trajectories: 20 });
    const after = (await q(`dropout?${mine()}`)).body;
    expect(after.total).toEqual(before.total);
    expect(Date.parse(after.computedAt)).toBeGreaterThanOrEqual(Date.parse(before.computedAt));
    const facts = await owner.query(
      `SELECT count(*)::int AS n FROM analytics_trajectories WHERE organisation_id = $1`,
      [world.orgA.id],
    );
    expect(facts.rows[0].n).toBe(20);
  });

  it('keeps facts of other organisations out of reach of the app role', async () => {
    const app = new Client({
      connectionString: process.env['KM_E2E_APP_DB_URL'],
    });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.organisation_id', $1, true)`, [yOrg]);
      const rows = await app.query(`SELECT DISTINCT organisation_id FROM analytics_trajectories`);
      expect(rows.rows.map((r) => r.organisation_id)).toEqual([yOrg]);
      const answers = await app.query(`SELECT count(*)::int AS n FROM analytics_responses`);
      expect(answers.rows[0].n).toBe(0); // Y has answers in no trajectory; X's are out of sight
      await app.query('SAVEPOINT foreign_insert');
      await expect(
        app.query(`INSERT INTO analytics_responses (organisation_id, trajectory_id, municipality_code, client_type,
          first_contact, responded_on, phase, scores) VALUES ('${world.orgA.id}', gen_random_uuid(), 'GM0000', 'x', now(), now(), 'first_contact', '{}')`),
      ).rejects.toThrow(/row-level security/);
      await app.query('ROLLBACK TO SAVEPOINT foreign_insert');
      await expect(
        app.query(`SELECT * FROM km_analytics_cohort('2025-06-30', NULL, NULL, NULL, NULL)`),
      ).rejects.toThrow(/permission denied/);
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
  });
  it('keeps only whole scores 1..5 in the answer facts, and forgets a deleted trajectory at once', async () => {
    const item = async (code: string) =>
      (await owner.query(`SELECT idx FROM analytics_items WHERE code = $1`, [code])).rows[0].idx as number;
    const [geloof, geluisterd, goed] = [
      await item('geloof_in_oplossing'),
      await item('geluisterd'),
      await item('goed_geholpen'),
    ];
    const answered = (
      await owner.query(
        `SELECT r.id, r.trajectory_id, r.answers FROM responses r JOIN trajectories t ON t.id = r.trajectory_id
         WHERE r.organisation_id = $1 AND r.responded_on >= t.first_contact ORDER BY r.responded_on LIMIT 1`,
        [world.orgA.id],
      )
    ).rows[0];
    // 2.5 is not a whole score, "4" is text, 7 is off the scale, 1 counts.
    await owner.query(`UPDATE responses SET answers = $2 WHERE id = $1`, [
      answered.id,
      JSON.stringify({ geloof_in_oplossing: 2.5, geluisterd: '4', goed_geholpen: 1, weet_wat_te_doen: 7 }),
    ]);
    try {
      await recompute(admin);
      const facts = await owner.query(
        `SELECT scores FROM analytics_responses WHERE trajectory_id = $1 ORDER BY responded_on`,
        [answered.trajectory_id],
      );
      const scores: (number | null)[] = facts.rows[0].scores;
      expect([scores[geloof - 1], scores[geluisterd - 1], scores[goed - 1]]).toEqual([null, null, 1]);
      expect(scores.filter((v) => v !== null)).toEqual([1]);
    } finally {
      await owner.query(`UPDATE responses SET answers = $2 WHERE id = $1`, [answered.id, answered.answers]);
    }
    const count = async (table: string) =>
      (await owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE trajectory_id = $1`, [answered.trajectory_id]))
        .rows[0].n;
    expect(await count('analytics_trajectories')).toBe(1);
    expect(await count('analytics_responses')).toBeGreaterThan(0);
    await owner.query(`DELETE FROM trajectories WHERE id = $1`, [answered.trajectory_id]);
    expect([await count('analytics_trajectories'), await count('analytics_responses')]).toEqual([0, 0]);
  });
});
