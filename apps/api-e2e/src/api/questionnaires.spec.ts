import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { JOBS, QUEUES } from '@klantmonitor/server/queues';
import { call, expectError, makeWorld, World } from '../support/http';
import { linkToken, mailsTo, waitForMails, waitForSms } from '../support/mail';

const today = todayInAmsterdam();
const GOOD = { onrust_financien: 2, geloof_in_oplossing: 4, geluisterd: 5, goed_geholpen: 4, weet_wat_te_doen: 4 };

describe('questionnaires: invitation by e-mail and SMS, answering, spaartegoed, alerts', () => {
  let world: World;
  let queue: Queue;
  let events: QueueEvents;
  const connection = () => ({ url: process.env['KM_E2E_REDIS_URL'] as string });

  beforeAll(async () => {
    world = await makeWorld();
    queue = new Queue(QUEUES.questionnaires, { connection: connection() });
    events = new QueueEvents(QUEUES.questionnaires, { connection: connection() });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events.close();
    await queue.close();
  });

  const runJob = async (name: string, data: Record<string, unknown>) =>
    (await queue.add(name, data)).waitUntilFinished(events, 20_000);

  const register = async (
    contact: { email?: string; phone?: string },
    firstContact = today,
    token = world.tokens.counselor,
  ) => {
    const a = await call('POST', '/api/v1/clients', {
      token,
      body: {
        clientRef: `Q-${randomUUID().slice(0, 8)}`,
        municipality: token === world.tokens.orgBCounselor ? 'GM0080' : 'GM0344',
        firstContact,
        ...contact,
      },
    });
    expect(a.status).toBe(201);
    return a.body as { id: string; trajectoryId: string };
  };
  const detail = async (id: string, token = world.tokens.counselor) =>
    (await call('GET', `/api/v1/clients/${id}`, { token })).body;

  it('a new client gets the intake questionnaire by e-mail, answers it once, and earns spaartegoed', async () => {
    const email = `client-${randomUUID().slice(0, 8)}@example.nl`;
    const client = await register({ email });
    const [mail] = await waitForMails(email);
    expect(mail.subject).toContain(world.orgA.name);
    expect(mail.text).toMatch(/Je krijgt €\s2,50 spaartegoed/);
    expect(mail.html).toContain('Vragen invullen');
    const token = linkToken(mail.text);
    expect(mail.html).toContain(`/v/${token}`);

    const view = await call('GET', `/api/v1/respond/${token}`);
    expect(view.status).toBe(200);
    expect(view.headers.get('referrer-policy')).toBe('no-referrer');
    expect(view.headers.get('cache-control')).toBe('no-store');
    expect(view.body).toMatchObject({
      organisation: { name: world.orgA.name },
      spaartegoed: { perResponse: 2.5, balance: 0 },
      expiresAt: addDays(today, 14),
      questionnaire: { title: 'Hoe gaat het met de hulp?', version: 1 },
    });
    expect(view.body.questionnaire.items.map((i: { code: string }) => i.code)).toEqual(Object.keys(GOOD));
    const en = await call('GET', `/api/v1/respond/${token}?lang=en`);
    expect(en.body.questionnaire.items[3].text).toBe('Are you being helped well?');
    expectError(await call('GET', `/api/v1/respond/${token}?lang=de`), 400);

    // Bad answers: 400 naming the item; nothing stored, the link keeps working.
    const outOfScale = expectError(
      await call('POST', `/api/v1/respond/${token}`, { body: { answers: { ...GOOD, goed_geholpen: 6 } } }),
      400,
    );
    expect(outOfScale.details).toEqual([
      { field: 'answers.goed_geholpen', message: 'must be a whole number from 1 to 5' },
    ]);
    const unknown = expectError(
      await call('POST', `/api/v1/respond/${token}`, { body: { answers: { ...GOOD, shoe_size: 3 } } }),
      400,
    );
    expect(unknown.details).toEqual([{ field: 'answers.shoe_size', message: 'is not an item of this questionnaire' }]);
    const { geluisterd: _g, ...missing } = GOOD;
    expect(
      expectError(await call('POST', `/api/v1/respond/${token}`, { body: { answers: missing } }), 400).details,
    ).toEqual([{ field: 'answers.geluisterd', message: 'is required' }]);
    expect(
      expectError(await call('POST', `/api/v1/respond/${token}`, { body: { answers: GOOD, extra: 1 } }), 400).details,
    ).toEqual([{ field: 'extra', message: 'is not a field of an answer' }]);
    expectError(
      await call('POST', `/api/v1/respond/${token}`, { body: { answers: { ...GOOD, onrust_financien: '2' } } }),
      400,
    );
    expectError(await call('POST', `/api/v1/respond/${token}`, { body: '{"answers": ' }), 400);
    expectError(await call('POST', `/api/v1/respond/${token}`, { body: [] }), 400);
    expect(
      expectError(
        await call('POST', `/api/v1/respond/${token}`, { body: { answers: GOOD, comment: 'x'.repeat(1001) } }),
        400,
      ).details,
    ).toEqual([{ field: 'comment', message: 'must be at most 1000 characters' }]);
    expectError(
      await call('POST', `/api/v1/respond/${token}`, { body: { answers: GOOD, comment: 'x'.repeat(300_000) } }),
      413,
    );
    expect((await call('GET', `/api/v1/respond/${token}`)).status).toBe(200);
    expect((await detail(client.id)).questionnaires.responses).toEqual([]);

    // A double submit: both arrive together, one is booked.
    const answers = { ...GOOD, goed_geholpen: 2 };
    const both = await Promise.all(
      [1, 2, 3].map(() =>
        call('POST', `/api/v1/respond/${token}`, { body: { answers, comment: 'Fijn dat er iemand meedenkt.' } }),
      ),
    );
    expect(both.map((a) => a.status).sort()).toEqual([200, 410, 410]);
    expect(both.find((a) => a.status === 200)?.body).toEqual({
      spaartegoed: { credited: 2.5, balance: 2.5, payout: null },
      // #15: the thank-you screen links to the client's own page.
      portalUrl: expect.stringMatching(/^\/mijn\/[A-Za-z0-9_-]{43}$/),
    });
    expect(both.find((a) => a.status === 410)?.body).toMatchObject({ reason: 'completed' });
    expect(expectError(await call('GET', `/api/v1/respond/${token}`), 410)).toMatchObject({ reason: 'completed' });

    const d = await detail(client.id);
    expect(d.spaartegoed).toEqual({ balance: 2.5 });
    expect(d.questionnaires.responses).toEqual([
      {
        id: expect.any(String),
        invitationId: d.questionnaires.invitations[0].id,
        respondedOn: today,
        phase: 'first_contact',
        template: { code: 'klantbeleving', version: 1 },
        answers,
        comment: 'Fijn dat er iemand meedenkt.',
      },
    ]);
    expect(d.questionnaires.invitations).toEqual([
      expect.objectContaining({
        wave: 'intake',
        state: 'completed',
        channel: 'email',
        deliveryStatus: 'sent',
        sentOn: today,
        expiresOn: addDays(today, 14),
      }),
    ]);
    // "Word je goed geholpen?" at 2: an alert for the counselor.
    expect(d.alerts).toEqual([
      expect.objectContaining({
        kind: 'low_experience',
        raisedOn: today,
        details: expect.objectContaining({ signals: ['badly_helped'] }),
      }),
    ]);
    // Another organisation cannot see or touch it; a policy advisor handles no alerts.
    expectError(
      await call('POST', `/api/v1/alerts/${d.alerts[0].id}/resolve`, { token: world.tokens.orgBCounselor }),
      404,
    );
    expectError(
      await call('POST', `/api/v1/alerts/${d.alerts[0].id}/resolve`, { token: world.tokens.policy_advisor }),
      403,
    );
    expectError(await call('POST', '/api/v1/alerts/not-a-uuid/resolve', { token: world.tokens.counselor }), 400);
    expectError(await call('GET', `/api/v1/clients/${client.id}`, { token: world.tokens.orgBCounselor }), 404);
    const resolved = await call('POST', `/api/v1/alerts/${d.alerts[0].id}/resolve`, { token: world.tokens.counselor });
    expect(resolved.status).toBe(200);
    expect((await detail(client.id)).alerts).toEqual([]);
    expectError(await call('POST', `/api/v1/alerts/${d.alerts[0].id}/resolve`, { token: world.tokens.counselor }), 404);

    // Running the planner again on the same day sends nothing new.
    await runJob(JOBS.planInvitations, { organisationId: world.orgA.id });
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo(email)).toHaveLength(1);

    // The database keeps only the token's SHA-256.
    const db = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT encode(token_hash, 'hex') AS h FROM invitation_tokens WHERE invitation_id = $1`,
        [d.questionnaires.invitations[0].id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].h).toBe(require('node:crypto').createHash('sha256').update(token).digest('hex'));
      const found = await db.query(
        `SELECT count(*)::int AS n FROM invitation_tokens WHERE encode(token_hash, 'escape') LIKE $1`,
        [`%${token}%`],
      );
      expect(found.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('sends by SMS when the client only has a phone, and records a client without contact data as not delivered', async () => {
    const phone = `06${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await register({ phone });
    const [sms] = await waitForSms(phone);
    expect(sms.text).toMatch(/^Org A .*: hoe gaat het met de hulp\? .*€\s2,50 spaartegoed: http/);
    const token = linkToken(sms.text);
    expect((await call('GET', `/api/v1/respond/${token}`)).status).toBe(200);

    const silent = await register({});
    await runJob(JOBS.planInvitations, { organisationId: world.orgA.id, trajectoryIds: [silent.trajectoryId] });
    expect((await detail(silent.id)).questionnaires.invitations).toEqual([
      expect.objectContaining({
        wave: 'intake',
        state: 'failed',
        deliveryStatus: 'failed',
        failedReason: 'no_contact',
        channel: null,
      }),
    ]);
  });

  it('reminds once on the reminder day, expires after the last day, and flags two unanswered in a row', async () => {
    // An organisation of its own, so the sweep counts below are this client's alone.
    world = await makeWorld();
    const email = `late-${randomUUID().slice(0, 8)}@example.nl`;
    const firstContact = addDays(today, -42);
    const client = await register({ email }, firstContact);
    // First contact 42 days ago: the intake wave is long missed, periodic:1 (day 42) is due today.
    const [first] = await waitForMails(email);
    let d = await detail(client.id);
    expect(d.questionnaires.invitations.map((i: { wave: string; state: string }) => [i.wave, i.state])).toEqual([
      ['periodic:1', 'open'],
    ]);

    // Day 3 after sending: no reminder yet; day 4: one reminder with its own working link; again: none.
    expect(
      await runJob(JOBS.sweepInvitations, { organisationId: world.orgA.id, today: addDays(today, 3) }),
    ).toMatchObject({ reminders: 0 });
    expect(
      await runJob(JOBS.sweepInvitations, { organisationId: world.orgA.id, today: addDays(today, 4) }),
    ).toMatchObject({ reminders: 1 });
    const mails = await waitForMails(email, 2);
    expect(mails[1].subject).toMatch(/^Herinnering/);
    const reminderToken = linkToken(mails[1].text);
    expect(reminderToken).not.toBe(linkToken(first.text));
    expect((await call('GET', `/api/v1/respond/${reminderToken}`)).status).toBe(200);
    expect((await call('GET', `/api/v1/respond/${linkToken(first.text)}`)).status).toBe(200);
    expect(
      await runJob(JOBS.sweepInvitations, { organisationId: world.orgA.id, today: addDays(today, 5) }),
    ).toMatchObject({ reminders: 0 });

    // A step marked today: its wave (3 days later) comes within 7 days of the last invitation, so it is skipped.
    expect(
      (
        await call('POST', `/api/v1/trajectories/${client.trajectoryId}/steps`, {
          token: world.tokens.counselor,
          body: { step: 'goal_known', date: today },
        })
      ).status,
    ).toBe(200);
    await runJob(JOBS.planInvitations, {
      organisationId: world.orgA.id,
      trajectoryIds: [client.trajectoryId],
      today: addDays(today, 3),
    });
    d = await detail(client.id);
    expect(
      d.questionnaires.invitations.map((i: { wave: string; state: string; skipReason: string | null }) => [
        i.wave,
        i.state,
        i.skipReason,
      ]),
    ).toEqual([
      ['periodic:1', 'open', null],
      ['step:goal_known', 'skipped', 'too_soon'],
    ]);

    // Day 14 is the last day; on day 15 the link has expired.
    expect(
      await runJob(JOBS.sweepInvitations, { organisationId: world.orgA.id, today: addDays(today, 14) }),
    ).toMatchObject({ expired: 0 });
    expect(
      await runJob(JOBS.sweepInvitations, { organisationId: world.orgA.id, today: addDays(today, 15) }),
    ).toMatchObject({ expired: 1, unansweredAlerts: 0 });
    expect(expectError(await call('GET', `/api/v1/respond/${reminderToken}`), 410)).toMatchObject({
      reason: 'expired',
    });
    expect(
      expectError(await call('POST', `/api/v1/respond/${reminderToken}`, { body: { answers: GOOD } }), 410),
    ).toMatchObject({ reason: 'expired' });

    // The next periodic wave (day 84 after first contact) is planned as of that day and also expires: two in a row.
    const ledgerBefore = (await detail(client.id)).spaartegoed.balance;
    await runJob(JOBS.planInvitations, {
      organisationId: world.orgA.id,
      trajectoryIds: [client.trajectoryId],
      today: addDays(firstContact, 84),
    });
    await waitForMails(email, 3);
    // Sent today (the real clock): last day today + 14.
    const swept = await runJob(JOBS.sweepInvitations, { organisationId: world.orgA.id, today: addDays(today, 15) });
    expect(swept).toMatchObject({ expired: 1, unansweredAlerts: 1 });
    d = await detail(client.id);
    expect(d.alerts).toEqual([expect.objectContaining({ kind: 'unanswered' })]);
    expect(d.spaartegoed.balance).toBe(ledgerBefore);
  });

  it('unknown and malformed links are 404, and many from one address are 429; a valid link from that address still opens', async () => {
    const redis = new Redis(process.env['KM_E2E_REDIS_URL'] as string);
    const email = `shared-wifi-${randomUUID().slice(0, 8)}@example.nl`;
    await register({ email });
    const token = linkToken((await waitForMails(email))[0].text);
    try {
      await redis.del('km:rl:respond:127.0.0.1', 'km:rl:respond:::ffff:127.0.0.1');
      expect(expectError(await call('GET', `/api/v1/respond/${'A'.repeat(43)}`), 404).message).toBe(
        'This questionnaire link is not known',
      );
      expectError(await call('GET', '/api/v1/respond/short'), 404);
      expectError(await call('POST', `/api/v1/respond/${'B'.repeat(43)}`, { body: { answers: GOOD } }), 404);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push((await call('GET', `/api/v1/respond/${randomUUID().replace(/-/g, '').padEnd(43, 'x')}`)).status);
      expect(statuses.slice(0, 17).every((s) => s === 404)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      const blocked = await call('GET', `/api/v1/respond/${'C'.repeat(43)}`);
      expectError(blocked, 429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // A client behind the same address (a library's wifi) opens and answers their own link.
      expect((await call('GET', `/api/v1/respond/${token}`)).status).toBe(200);
      expect((await call('POST', `/api/v1/respond/${token}`, { body: { answers: GOOD } })).status).toBe(200);
      expectError(await call('GET', `/api/v1/respond/${'D'.repeat(43)}`), 429);
    } finally {
      const keys = await redis.keys('km:rl:respond:*');
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});

describe('questionnaire schedule and templates', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });

  const valid = {
    intervalWeeks: 4,
    delayAfterStepDays: 2,
    reminderAfterDays: 5,
    expiryDays: 21,
    creditPerResponse: 3,
    channels: ['sms', 'email'],
  };

  it('starts on the defaults and takes changes from an organisation admin only', async () => {
    const before = await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.org_admin });
    expect(before.body).toMatchObject({
      intervalWeeks: 6,
      delayAfterStepDays: 3,
      reminderAfterDays: 4,
      expiryDays: 14,
      creditPerResponse: 2.5,
      channels: ['email', 'sms'],
      template: { code: 'klantbeleving', version: 1 },
      customised: false,
      smsAvailable: true,
    });
    const put = await call('PUT', '/api/v1/questionnaire-schedule', { token: world.tokens.org_admin, body: valid });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...valid, customised: true });
    expect((await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.counselor })).body).toMatchObject(
      valid,
    );
    // Another organisation keeps its own (default) schedule.
    expect((await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.orgBAdmin })).body).toMatchObject(
      { intervalWeeks: 6, customised: false },
    );
    expectError(
      await call('PUT', '/api/v1/questionnaire-schedule', { token: world.tokens.counselor, body: valid }),
      403,
    );
    expectError(
      await call('PUT', '/api/v1/questionnaire-schedule', { token: world.tokens.policy_advisor, body: valid }),
      403,
    );
    expectError(await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.policy_advisor }), 403);
    expectError(await call('PUT', '/api/v1/questionnaire-schedule', { body: valid }), 401);
  });

  it.each([
    [{ intervalWeeks: 0 }, 'intervalWeeks'],
    [{ expiryDays: 91 }, 'expiryDays'],
    [{ creditPerResponse: -1 }, 'creditPerResponse'],
    [{ creditPerResponse: 2.505 }, 'creditPerResponse'],
    [{ reminderAfterDays: 21 }, 'reminderAfterDays'],
    [{ channels: ['fax'] }, 'channels'],
    [{ channels: [] }, 'channels'],
    [{ intervalWeeks: 'six' }, 'intervalWeeks'],
    [{ templateId: randomUUID() }, 'templateId'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %j with a 400 naming %s, and changes nothing', async (change, field) => {
    const before = (await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.org_admin })).body;
    const a = await call('PUT', '/api/v1/questionnaire-schedule', {
      token: world.tokens.org_admin,
      body: { ...valid, ...change },
    });
    const e = expectError(a, 400);
    expect(JSON.stringify(e.details ?? e.message)).toContain(field);
    expect((await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.org_admin })).body).toEqual(
      before,
    );
  });

  it('refuses malformed and missing bodies', async () => {
    expectError(
      await call('PUT', '/api/v1/questionnaire-schedule', { token: world.tokens.org_admin, body: '{"intervalWeeks":' }),
      400,
    );
    const { expiryDays: _e, ...noExpiry } = valid;
    expectError(
      await call('PUT', '/api/v1/questionnaire-schedule', { token: world.tokens.org_admin, body: noExpiry }),
      400,
    );
    expectError(
      await call('PUT', '/api/v1/questionnaire-schedule', {
        token: world.tokens.org_admin,
        body: { ...valid, channels: 'x'.repeat(300_000) },
      }),
      413,
    );
  });

  it('lets the platform admin publish a new template version; others may read only', async () => {
    const list = await call('GET', '/api/v1/questionnaire-templates', { token: world.tokens.org_admin });
    expect(list.status).toBe(200);
    const v1 = list.body.find((t: { code: string; version: number }) => t.code === 'klantbeleving' && t.version === 1);
    expect(v1.items).toHaveLength(5);
    const code = `test_${randomUUID().slice(0, 8)}`;
    const body = { code, title: v1.title, items: v1.items.slice(0, 2), commentMaxLength: 200 };
    const first = await call('POST', '/api/v1/questionnaire-templates', { token: world.tokens.platform_admin, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ code, version: 1, commentMaxLength: 200 });
    const second = await call('POST', '/api/v1/questionnaire-templates', { token: world.tokens.platform_admin, body });
    expect(second.body).toMatchObject({ code, version: 2 });
    expectError(await call('POST', '/api/v1/questionnaire-templates', { token: world.tokens.org_admin, body }), 403);
    const broken = expectError(
      await call('POST', '/api/v1/questionnaire-templates', {
        token: world.tokens.platform_admin,
        body: { ...body, items: [] },
      }),
      400,
    );
    expect(broken.details).toEqual([{ field: 'items', message: 'must be a list of 1 to 30 items' }]);

    // An organisation can pick it; its answers are checked against that version.
    const put = await call('PUT', '/api/v1/questionnaire-schedule', {
      token: world.tokens.orgBAdmin,
      body: { ...valid, templateId: second.body.id },
    });
    expect(put.body.template).toEqual({ id: second.body.id, code, version: 2 });
  });
});
