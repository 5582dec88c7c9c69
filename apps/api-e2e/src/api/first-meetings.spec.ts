import {
  addDays,
  firstMeetingDue,
  previousWorkingDay,
  todayInAmsterdam,
  type CaseloadResponse,
  type ClientDetail,
} from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { MarkStalledPayload } from '@klantmonitor/server/queues';
import { caseloadJob, type CaseloadJob } from '../support/caseload-job';
import { baseUrl, call, expectError, makeWorld, World } from '../support/http';

/**
 * Requests before the first meeting (#26): registration, the legal term on the worklist and in the
 * caseload, the daily alert, the first meeting marked, imports. The cases, by hand (today = T):
 *   LATE    registered T-40, no crisis          -> due T-12, 12 days over the term
 *   CRISIS  registered T-10, eviction           -> due = 3rd working day after T-10 (before T): overdue
 *   SOON    registered T-2, no crisis           -> due T+26, 0 days over
 *   SEEN    registered T-20, first contact T-5  -> not waiting
 *   OTHER   a waiting request of organisation B -> never in A's lists
 */
describe('requests before the first meeting (#26)', () => {
  let world: World;
  const today = todayInAmsterdam();
  const tag = randomUUID().slice(0, 6);
  const ids: Record<string, { id: string; trajectoryId: string }> = {};
  let job: CaseloadJob;

  const create = (body: Record<string, unknown>, token = world.tokens.counselor) =>
    call('POST', '/api/v1/clients', { token, body: { municipality: 'GM0344', ...body } });

  beforeAll(async () => {
    world = await makeWorld();
    job = await caseloadJob();
    const cases: [string, Record<string, unknown>][] = [
      ['LATE', { registeredOn: addDays(today, -40) }],
      ['CRISIS', { registeredOn: addDays(today, -10), crisis: 'eviction' }],
      ['SOON', { registeredOn: addDays(today, -2), crisis: null }],
      ['SEEN', { registeredOn: addDays(today, -20), firstContact: addDays(today, -5) }],
    ];
    for (const [name, body] of cases) {
      const r = await create({ clientRef: `FM-${tag}-${name}`, ...body });
      expect(r.status).toBe(201);
      ids[name] = r.body;
    }
    const other = await create(
      { clientRef: `FM-${tag}-OTHER`, municipality: 'GM0080', registeredOn: addDays(today, -40) },
      world.tokens.orgBCounselor,
    );
    expect(other.status).toBe(201);
    ids['OTHER'] = other.body;
  });
  afterAll(() => job.close());

  it('a client without a first contact is registered and waits; the record says until when', async () => {
    const r = await call<ClientDetail>('GET', `/api/v1/clients/${ids.CRISIS.id}`, { token: world.tokens.counselor });
    expect(r.status).toBe(200);
    const t = r.body.trajectory;
    expect(t).toMatchObject({
      registeredOn: addDays(today, -10),
      crisis: 'eviction',
      firstMeetingDue: firstMeetingDue(addDays(today, -10), 'eviction'),
      firstContact: null,
      currentStep: null,
      status: 'open',
      stalledSince: null,
      lastActivityOn: addDays(today, -10),
    });
    expect(Object.values(t.steps).every((d) => d === null)).toBe(true);
    const seen = await call<ClientDetail>('GET', `/api/v1/clients/${ids.SEEN.id}`, { token: world.tokens.counselor });
    expect(seen.body.trajectory).toMatchObject({
      registeredOn: addDays(today, -20),
      crisis: null,
      firstMeetingDue: addDays(today, 8),
      firstContact: addDays(today, -5),
      currentStep: 'first_contact',
    });
    // registeredOn defaults to the first contact.
    const plain = await create({ clientRef: `FM-${tag}-PLAIN`, firstContact: addDays(today, -3) });
    const detail = await call<ClientDetail>('GET', `/api/v1/clients/${plain.body.id}`, {
      token: world.tokens.counselor,
    });
    expect(detail.body.trajectory.registeredOn).toBe(addDays(today, -3));
  });

  it('refuses a bad request, naming the field, and writes nothing', async () => {
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [
        { registeredOn: addDays(today, -5), firstContact: addDays(today, -6) },
        'registeredOn',
        /after the first contact/,
      ],
      [{ registeredOn: addDays(today, 1) }, 'registeredOn', /future/],
      [{ registeredOn: '1999-12-31' }, 'registeredOn', /from 2000-01-01/],
      [{ registeredOn: '2025-02-30' }, 'registeredOn', /YYYY-MM-DD/],
      [{ registeredOn: addDays(today, -1), crisis: 'flood' }, 'crisis', /eviction, energy_water, health_insurance/],
      [{ registeredOn: addDays(today, -1), crisis: 7 }, 'crisis', /one of/],
      [{}, 'registeredOn', /required when there is no firstContact/],
    ];
    for (const [body, field, message] of bad) {
      const ref = `FM-${tag}-BAD-${randomUUID().slice(0, 4)}`;
      const e = expectError(await create({ clientRef: ref, ...body }), 400);
      expect(e.details?.map((d) => d.field)).toContain(field);
      expect(e.details?.find((d) => d.field === field)?.message).toMatch(message);
      const list = await call<CaseloadResponse>('GET', `/api/v1/clients?q=${ref}`, { token: world.tokens.counselor });
      expect(list.body.items).toEqual([]);
    }
  });

  it('the worklist lists waiting requests, overdue first, with the days over the term; not another organisation', async () => {
    const r = await call('GET', '/api/v1/worklist?scope=mine', { token: world.tokens.counselor });
    expect(r.status).toBe(200);
    const mine = (r.body.firstMeetings as { clientRef: string }[]).filter((l) => l.clientRef.startsWith(`FM-${tag}`));
    const crisisDue = firstMeetingDue(addDays(today, -10), 'eviction');
    // By hand: LATE due T-12 (12 over), CRISIS due within 3-5 days of T-10 (overdue), SOON due T+26.
    expect(mine).toEqual([
      {
        clientId: ids.LATE.id,
        clientRef: `FM-${tag}-LATE`,
        counselorName: expect.any(String),
        registeredOn: addDays(today, -40),
        crisis: null,
        dueOn: addDays(today, -12),
        overdueDays: 12,
      },
      expect.objectContaining({ clientRef: `FM-${tag}-CRISIS`, crisis: 'eviction', dueOn: crisisDue }),
      expect.objectContaining({ clientRef: `FM-${tag}-SOON`, dueOn: addDays(today, 26), overdueDays: 0 }),
    ]);
    expect(mine[1]).toMatchObject({ overdueDays: expect.any(Number) });
    expect((mine[1] as unknown as { overdueDays: number }).overdueDays).toBeGreaterThanOrEqual(5);
    const team = await call('GET', '/api/v1/worklist?scope=team', { token: world.tokens.org_admin });
    expect(JSON.stringify(team.body.firstMeetings)).not.toContain(`FM-${tag}-OTHER`);
    expect(JSON.stringify(team.body.firstMeetings)).toContain(`FM-${tag}-LATE`);
  });

  it('the caseload filters waiting and overdue requests; every row carries the term', async () => {
    const waiting = await call<CaseloadResponse>('GET', `/api/v1/clients?waiting=true&q=FM-${tag}&pageSize=50`, {
      token: world.tokens.counselor,
    });
    expect(waiting.status).toBe(200);
    expect(waiting.body.items.map((i) => i.clientRef).sort()).toEqual(
      ['CRISIS', 'LATE', 'SOON'].map((n) => `FM-${tag}-${n}`),
    );
    expect(waiting.body.total).toBe(3);
    const overdue = await call<CaseloadResponse>('GET', `/api/v1/clients?overdue=true&q=FM-${tag}`, {
      token: world.tokens.counselor,
    });
    expect(overdue.body.items.map((i) => i.clientRef).sort()).toEqual([`FM-${tag}-CRISIS`, `FM-${tag}-LATE`]);
    const all = await call<CaseloadResponse>('GET', `/api/v1/clients?q=FM-${tag}&sort=firstContact:desc`, {
      token: world.tokens.counselor,
    });
    const late = all.body.items.find((i) => i.clientRef === `FM-${tag}-LATE`);
    expect(late).toMatchObject({
      registeredOn: addDays(today, -40),
      crisis: null,
      firstMeetingDue: addDays(today, -12),
      firstContact: null,
      currentStep: null,
    });
    // The default order puts a waiting request at its request date, between the others.
    const order = all.body.items.map((i) => i.clientRef.split('-').at(-1));
    expect(order.indexOf('SOON')).toBeLessThan(order.indexOf('SEEN'));
    expect(order.indexOf('SEEN')).toBeLessThan(order.indexOf('CRISIS'));
    expect(order.indexOf('CRISIS')).toBeLessThan(order.indexOf('LATE'));
    for (const q of ['waiting=maybe', 'overdue=1']) {
      const e = expectError(await call('GET', `/api/v1/clients?${q}`, { token: world.tokens.counselor }), 400);
      expect(e.details?.[0].field).toBe(q.split('=')[0]);
    }
    // Organisation B's overdue request is not in A's list, and B sees only its own.
    const b = await call<CaseloadResponse>('GET', `/api/v1/clients?overdue=true`, {
      token: world.tokens.orgBCounselor,
    });
    expect(b.body.items.map((i) => i.clientRef)).toEqual([`FM-${tag}-OTHER`]);
  });

  it('the daily job raises the first-meeting alert on the last working day before the term, once', async () => {
    const run = (payload: MarkStalledPayload) => job.run(payload);
    const soonDue = addDays(today, 26);
    const alertDay = previousWorkingDay(soonDue);
    // Before the alert day: LATE and CRISIS (overdue) get theirs, SOON none yet.
    const first = await run({ organisationId: world.orgA.id, today: addDays(alertDay, -1) });
    expect(first).toMatchObject({ firstMeetingAlerts: 2 });
    expect(await run({ organisationId: world.orgA.id, today: addDays(alertDay, -1) })).toMatchObject({
      firstMeetingAlerts: 0,
    });
    expect(await run({ organisationId: world.orgA.id, today: alertDay })).toMatchObject({ firstMeetingAlerts: 1 });
    const soon = await call<ClientDetail>('GET', `/api/v1/clients/${ids.SOON.id}`, { token: world.tokens.counselor });
    expect(soon.body.alerts).toEqual([
      expect.objectContaining({
        kind: 'first_meeting',
        raisedOn: alertDay,
        details: { registeredOn: addDays(today, -2), dueOn: soonDue, crisis: null },
      }),
    ]);
  });

  it('steps wait for the first meeting; marking it starts the trajectory and handles the alert', async () => {
    const path = `/api/v1/trajectories/${ids.LATE.trajectoryId}`;
    const token = world.tokens.counselor;
    const waitingStep = expectError(
      await call('POST', `${path}/steps`, { token, body: { step: 'goal_known', date: today } }),
      409,
    );
    expect(waitingStep.details).toEqual([{ field: 'status', message: 'waiting' }]);
    expect(
      expectError(
        await call('POST', `${path}/support`, {
          token,
          body: { date: today, type: 'administrative', minutes: 10, channel: 'phone' },
        }),
        409,
      ).details?.[0].message,
    ).toBe('waiting');
    expect(
      expectError(
        await call('POST', `${path}/steps`, { token, body: { step: 'first_contact', date: addDays(today, -41) } }),
        400,
      ).details?.[0].message,
    ).toMatch(/before the request for help/);
    // Another organisation cannot mark it.
    expectError(
      await call('POST', `${path}/steps`, {
        token: world.tokens.orgBCounselor,
        body: { step: 'first_contact', date: today },
      }),
      404,
    );
    const marked = await call('POST', `${path}/steps`, {
      token,
      body: { step: 'first_contact', date: addDays(today, -1) },
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ currentStep: 'first_contact', lastActivityOn: addDays(today, -1) });
    expect(marked.body.steps.first_contact).toBe(addDays(today, -1));
    const after = await call<ClientDetail>('GET', `/api/v1/clients/${ids.LATE.id}`, { token });
    expect(after.body.alerts.filter((a) => a.kind === 'first_meeting')).toEqual([]);
    expect(after.body.activity.length + after.body.trajectory.stepEvents.length).toBeGreaterThanOrEqual(1);
    const wl = await call('GET', '/api/v1/worklist?scope=mine', { token });
    expect(JSON.stringify(wl.body.firstMeetings)).not.toContain(`FM-${tag}-LATE`);
    // The audit log has the mark (step.mark, first_contact).
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const a = await owner.query(
        `SELECT action, details->>'step' AS step FROM audit_events WHERE entity_id = $1 AND action LIKE 'step.%'`,
        [ids.LATE.id],
      );
      expect(a.rows).toEqual([{ action: 'step.mark', step: 'first_contact' }]);
    } finally {
      await owner.end();
    }
    // A waiting request may also end without a meeting: a dropout from its request date on.
    const drop = await call('POST', `/api/v1/trajectories/${ids.SOON.trajectoryId}/dropout`, {
      token,
      body: { date: addDays(today, -2), reason: 'no_show' },
    });
    expect(drop.status).toBe(200);
    expect(drop.body.status).toBe('dropped_out');
  });

  it('imports waiting requests with registered_on and crisis (Dutch columns too); a first contact before the request is a row error naming both', async () => {
    const upload = async (csv: string, dry = false) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(csv, 'utf8')]), 'aanmeldingen.csv');
      const res = await fetch(`${baseUrl()}/api/v1/imports/trajectories${dry ? '?dryRun=true' : ''}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.tokens.org_admin}` },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    const bad = await upload(
      [
        'cliëntnummer;gemeente;aangemeld_op;crisis;eerste_contact',
        `FI-${tag}-1;GM0344;${addDays(today, -3)};energy_water;`,
        `FI-${tag}-2;GM0344;${addDays(today, -3)};;${addDays(today, -4)}`,
        `FI-${tag}-3;GM0344;${addDays(today, -3)};storm;`,
      ].join('\n'),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'aangemeld_op', code: 'registered_after_first_contact' }),
      expect.objectContaining({ row: 4, column: 'crisis', code: 'unknown_crisis' }),
    ]);
    expect(bad.body.errors[0].message).toMatch(/registered_on .* first_contact/);
    const none = await call<CaseloadResponse>('GET', `/api/v1/clients?q=FI-${tag}`, { token: world.tokens.counselor });
    expect(none.body.items).toEqual([]);
    const ok = await upload(
      [
        'cliëntnummer;gemeente;aangemeld_op;crisis;eerste_contact',
        `FI-${tag}-1;GM0344;${addDays(today, -3)};energy_water;`,
        `FI-${tag}-2;GM0344;${addDays(today, -30)};;${addDays(today, -4)}`,
      ].join('\n'),
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ created: 2 });
    const list = await call<CaseloadResponse>('GET', `/api/v1/clients?q=FI-${tag}&sort=clientRef:asc`, {
      token: world.tokens.org_admin,
    });
    expect(
      list.body.items.map((i) => [i.registeredOn, i.crisis, i.firstMeetingDue, i.firstContact, i.currentStep]),
    ).toEqual([
      [addDays(today, -3), 'energy_water', firstMeetingDue(addDays(today, -3), 'energy_water'), null, null],
      [addDays(today, -30), null, addDays(today, -2), addDays(today, -4), 'first_contact'],
    ]);
  });

  describe('correcting the request (PUT /trajectories/:id/registration)', () => {
    const put = (trajectoryId: string, body: unknown, token = world.tokens.counselor) =>
      call('PUT', `/api/v1/trajectories/${trajectoryId}/registration`, { token, body });
    const detail = async (id: string) =>
      (await call<ClientDetail>('GET', `/api/v1/clients/${id}`, { token: world.tokens.counselor })).body;
    const audits = async (clientId: string) => {
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        return (
          await owner.query(
            `SELECT details FROM audit_events WHERE action = 'trajectory.registration' AND entity_id = $1 ORDER BY occurred_at, id`,
            [clientId],
          )
        ).rows.map((r) => r.details);
      } finally {
        await owner.end();
      }
    };

    it('moves the term with the date and the crisis, the alert with the term, audited with both values', async () => {
      // Registered T-2 without a crisis: due T+26, its alert day still to come (no alert).
      const c = (await create({ clientRef: `FM-${tag}-FIX`, registeredOn: addDays(today, -2) })).body;
      expect((await detail(c.id)).alerts).toEqual([]);
      // Really registered T-40: due T-12 (28 days), 12 days over; the alert of its last working day
      // before the term (past) is raised at once, with the new dates.
      const late = await put(c.trajectoryId, { registeredOn: addDays(today, -40), crisis: null });
      expect(late.status).toBe(200);
      expect(late.body).toMatchObject({ status: 'open', currentStep: null, lastActivityOn: addDays(today, -40) });
      let d = await detail(c.id);
      expect(d.trajectory).toMatchObject({
        registeredOn: addDays(today, -40),
        crisis: null,
        firstMeetingDue: addDays(today, -12),
      });
      expect(d.alerts).toEqual([
        expect.objectContaining({
          kind: 'first_meeting',
          raisedOn: previousWorkingDay(addDays(today, -12)),
          details: { registeredOn: addDays(today, -40), dueOn: addDays(today, -12), crisis: null },
        }),
      ]);
      // Back to T+0 with an eviction: 3 working days (firstMeetingDue, tested by hand in
      // first-meeting-term.spec.ts); the alert day is the working day before, at the earliest T+1 or
      // later: the old alert ends and no new one stands yet.
      const crisisDue = firstMeetingDue(today, 'eviction');
      expect(previousWorkingDay(crisisDue) > today).toBe(true);
      expect((await put(c.trajectoryId, { registeredOn: today, crisis: 'eviction' })).status).toBe(200);
      d = await detail(c.id);
      expect(d.trajectory).toMatchObject({ registeredOn: today, crisis: 'eviction', firstMeetingDue: crisisDue });
      expect(d.alerts).toEqual([]);
      // The same again changes nothing and is not audited twice.
      expect((await put(c.trajectoryId, { registeredOn: today, crisis: 'eviction' })).status).toBe(200);
      expect(await audits(c.id)).toEqual([
        {
          trajectoryId: c.trajectoryId,
          from: { registeredOn: addDays(today, -2), crisis: null },
          to: { registeredOn: addDays(today, -40), crisis: null, firstMeetingDue: addDays(today, -12) },
        },
        {
          trajectoryId: c.trajectoryId,
          from: { registeredOn: addDays(today, -40), crisis: null },
          to: { registeredOn: today, crisis: 'eviction', firstMeetingDue: crisisDue },
        },
      ]);
      // The worklist follows: due in the future, not overdue.
      const worklist = await call<{ firstMeetings: { clientId: string; dueOn: string; crisis: string | null }[] }>(
        'GET',
        '/api/v1/worklist',
        { token: world.tokens.counselor },
      );
      expect(worklist.body.firstMeetings.find((l) => l.clientId === c.id)).toMatchObject({
        dueOn: crisisDue,
        crisis: 'eviction',
      });
    });

    it('refuses a bad correction naming the field, and changes nothing', async () => {
      // SEEN: registered T-20, first contact T-5.
      const seen = ids.SEEN;
      const before = await detail(seen.id);
      const bad: [unknown, string, RegExp][] = [
        [{ registeredOn: addDays(today, -4), crisis: null }, 'registeredOn', /after the first contact/],
        [{ registeredOn: addDays(today, 1), crisis: null }, 'registeredOn', /future/],
        [{ registeredOn: '1999-12-31', crisis: null }, 'registeredOn', /from 2000-01-01/],
        [{ registeredOn: '2025-02-30', crisis: null }, 'registeredOn', /YYYY-MM-DD/],
        [{ registeredOn: 'x'.repeat(10_000), crisis: null }, 'registeredOn', /YYYY-MM-DD/],
        [{ crisis: null }, 'registeredOn', /YYYY-MM-DD/],
        [{ registeredOn: addDays(today, -30) }, 'crisis', /null or one of eviction, energy_water, health_insurance/],
        [{ registeredOn: addDays(today, -30), crisis: 'flood' }, 'crisis', /null or one of/],
        [{ registeredOn: addDays(today, -30), crisis: null, note: 'x' }, 'note', /should not exist/],
        [[addDays(today, -30)], 'body', /JSON object/],
      ];
      for (const [body, field, message] of bad) {
        const e = expectError(await put(seen.trajectoryId, body), 400);
        expect(e.details?.find((x) => x.field === field)?.message).toMatch(message);
      }
      const malformed = await fetch(`${baseUrl()}/api/v1/trajectories/${seen.trajectoryId}/registration`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${world.tokens.counselor}`, 'content-type': 'application/json' },
        body: '{"registeredOn": ',
      });
      expect(malformed.status).toBe(400);
      expectError(await put('not-a-uuid', { registeredOn: addDays(today, -30), crisis: null }), 400);
      // Another organisation's request is not found; a policy advisor may not correct one.
      expectError(await put(ids.OTHER.trajectoryId, { registeredOn: addDays(today, -30), crisis: null }), 404);
      expectError(
        await put(seen.trajectoryId, { registeredOn: addDays(today, -30), crisis: null }, world.tokens.policy_advisor),
        403,
      );
      expect((await detail(seen.id)).trajectory).toEqual(before.trajectory);
      expect(await audits(seen.id)).toEqual([]);
      // A correction within the bounds is fine for a seen client: the term moves, no alert comes.
      expect((await put(seen.trajectoryId, { registeredOn: addDays(today, -30), crisis: null })).status).toBe(200);
      const after = await detail(seen.id);
      expect(after.trajectory).toMatchObject({
        registeredOn: addDays(today, -30),
        firstMeetingDue: addDays(today, -2),
      });
      expect(after.alerts.filter((a) => a.kind === 'first_meeting')).toEqual([]);
    });
  });
});
