import { addDays, TEXT_LIMITS, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { call, expectError, makeWorld, uploadCsv, World } from '../support/http';

/**
 * #25: every text field has a maximum (TEXT_LIMITS, the same number the page shows) and every date a
 * plausible range. Too long or implausible is a 400 naming the field; nothing is cut and nothing is
 * half-written; exactly the limit is taken whole.
 */
describe('input limits: refused, never cut', () => {
  let world: World;
  const today = todayInAmsterdam();
  const tomorrow = addDays(today, 1);
  const long = (n: number, ch = 'a') => ch.repeat(n);
  let client: { id: string; trajectoryId: string; clientRef: string };

  beforeAll(async () => {
    world = await makeWorld();
    const ref = `LIM-${randomUUID().slice(0, 8)}`;
    const c = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: { clientRef: ref, municipality: 'GM0344', firstContact: addDays(today, -40) },
    });
    expect(c.status).toBe(201);
    client = { ...c.body, clientRef: ref };
  });

  type Case = {
    what: string;
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    path: () => string;
    token: () => string;
    body: () => Record<string, unknown>;
    field: string;
    /** The API's message says the limit (text fields) or the allowed range (dates). */
    says: RegExp;
  };
  const counselor = () => world.tokens.counselor;
  const admin = () => world.tokens.org_admin;
  const platform = () => world.tokens.platform_admin;
  const firstContact = (d: string) => ({
    clientRef: `LIM-${randomUUID().slice(0, 8)}`,
    municipality: 'GM0344',
    firstContact: d,
  });
  const traj = (tail: string) => () => `/api/v1/trajectories/${client.trajectoryId}/${tail}`;
  const support = (over: Record<string, unknown>) => ({
    date: addDays(today, -1),
    type: 'administrative',
    minutes: 30,
    channel: 'in_person',
    ...over,
  });
  const cases: Case[] = [
    // clients
    {
      what: 'client number of 65',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => ({ ...firstContact(addDays(today, -1)), clientRef: long(65) }),
      field: 'clientRef',
      says: /at most 64 characters/,
    },
    {
      what: 'client number of 100',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => ({ ...firstContact(addDays(today, -1)), clientRef: long(100, '7') }),
      field: 'clientRef',
      says: /at most 64 characters/,
    },
    {
      what: 'e-mail of 255',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => ({ ...firstContact(addDays(today, -1)), email: `${long(245)}@example.nl` }),
      field: 'email',
      says: /at most 254 characters/,
    },
    {
      what: 'phone of 30',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => ({ ...firstContact(addDays(today, -1)), phone: `06${long(28, '1')}` }),
      field: 'phone',
      says: /at most 24 characters|Dutch phone number/,
    },
    {
      what: 'first contact 1999-12-31',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => firstContact('1999-12-31'),
      field: 'firstContact',
      says: /from 2000-01-01 on/,
    },
    {
      what: 'first contact 1900-01-01',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => firstContact('1900-01-01'),
      field: 'firstContact',
      says: /from 2000-01-01 on/,
    },
    {
      what: 'first contact tomorrow',
      method: 'POST',
      path: () => '/api/v1/clients',
      token: counselor,
      body: () => firstContact(tomorrow),
      field: 'firstContact',
      says: /today|future/,
    },
    {
      what: 'update: e-mail of 255',
      method: 'PATCH',
      path: () => `/api/v1/clients/${client.id}`,
      token: counselor,
      body: () => ({ email: `${long(245)}@example.nl` }),
      field: 'email',
      says: /at most 254 characters/,
    },
    // trajectories
    {
      what: 'step dated 1999',
      method: 'POST',
      path: traj('steps'),
      token: counselor,
      body: () => ({ step: 'goal_known', date: '1999-06-01' }),
      field: 'date',
      says: /from 2000-01-01 on/,
    },
    {
      what: 'step tomorrow',
      method: 'POST',
      path: traj('steps'),
      token: counselor,
      body: () => ({ step: 'goal_known', date: tomorrow }),
      field: 'date',
      says: /today|future/,
    },
    {
      what: 'support dated 1999',
      method: 'POST',
      path: traj('support'),
      token: counselor,
      body: () => support({ date: '1999-06-01' }),
      field: 'date',
      says: /from 2000-01-01 on/,
    },
    {
      what: 'support note of 1001',
      method: 'POST',
      path: traj('support'),
      token: counselor,
      body: () => support({ note: long(1001) }),
      field: 'note',
      says: /at most 1000 characters/,
    },
    {
      what: 'dropout note of 1001',
      method: 'POST',
      path: traj('dropout'),
      token: counselor,
      body: () => ({ date: today, reason: 'no_show', note: long(1001) }),
      field: 'note',
      says: /at most 1000 characters/,
    },
    {
      what: 'dropout dated 1999',
      method: 'POST',
      path: traj('dropout'),
      token: counselor,
      body: () => ({ date: '1999-06-01', reason: 'no_show' }),
      field: 'date',
      says: /from 2000-01-01 on/,
    },
    {
      what: 'close dated 1999',
      method: 'POST',
      path: traj('close'),
      token: counselor,
      body: () => ({ date: '1999-06-01', reason: 'completed' }),
      field: 'date',
      says: /from 2000-01-01 on/,
    },
    {
      what: 'close tomorrow',
      method: 'POST',
      path: traj('close'),
      token: counselor,
      body: () => ({ date: tomorrow, reason: 'completed' }),
      field: 'date',
      says: /today|future/,
    },
    {
      what: 'withdraw note of 1001',
      method: 'DELETE',
      path: traj('steps/approach_set'),
      token: counselor,
      body: () => ({ note: long(1001) }),
      field: 'note',
      says: /at most 1000 characters/,
    },
    // organisations and users
    {
      what: 'organisation name of 201',
      method: 'POST',
      path: () => '/api/v1/organisations',
      token: platform,
      body: () => ({ name: long(201), municipalities: ['GM0344'] }),
      field: 'name',
      says: /at most 200 characters/,
    },
    {
      what: 'organisation name of 300',
      method: 'PATCH',
      path: () => `/api/v1/organisations/${world.orgA.id}`,
      token: platform,
      body: () => ({ name: long(300) }),
      field: 'name',
      says: /at most 200 characters/,
    },
    {
      what: 'invite: name of 121',
      method: 'POST',
      path: () => `/api/v1/organisations/${world.orgA.id}/users`,
      token: admin,
      body: () => ({ email: `lim-${randomUUID().slice(0, 6)}@example.nl`, role: 'counselor', name: long(121) }),
      field: 'name',
      says: /at most 120 characters/,
    },
    {
      what: 'invite: e-mail of 255',
      method: 'POST',
      path: () => `/api/v1/organisations/${world.orgA.id}/users`,
      token: admin,
      body: () => ({ email: `${long(245)}@example.nl`, role: 'counselor' }),
      field: 'email',
      says: /at most 254 characters/,
    },
    {
      what: 'rename colleague to 121',
      method: 'PATCH',
      path: () => `/api/v1/organisations/${world.orgA.id}/users/${world.users['aCounselor']}`,
      token: admin,
      body: () => ({ name: long(121) }),
      field: 'name',
      says: /at most 120 characters/,
    },
  ];

  it.each(cases.map((c) => [c.what, c] as const))('%s: 400 naming the field', async (_what, c) => {
    const a = await call(c.method, c.path(), { token: c.token(), body: c.body() });
    const e = expectError(a, 400);
    const detail = e.details?.find((d) => d.field === c.field);
    expect(detail).toBeDefined();
    expect(detail?.message).toMatch(c.says);
  });

  it('wrote nothing for any refusal: no client, no step, no note, no name changed', async () => {
    const detail = await call('GET', `/api/v1/clients/${client.id}`, { token: counselor() });
    expect(detail.status).toBe(200);
    // Only first contact (the registration); no support, no dropout, not closed.
    expect(Object.entries(detail.body.trajectory.steps).filter(([, d]) => d)).toEqual([
      ['first_contact', addDays(today, -40)],
    ]);
    expect(detail.body.support).toEqual([]);
    expect(detail.body.trajectory.status).toBe('open');
    expect(detail.body.email).toBeNull();
    // The refused registrations are nowhere in the caseload (every refused one had 1900..tomorrow or a long field).
    const list = await call('GET', `/api/v1/clients?q=${encodeURIComponent('aaaaaaaaaa')}&pageSize=200`, {
      token: counselor(),
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const org = await call('GET', `/api/v1/organisations/${world.orgA.id}`, { token: platform() });
    expect(org.body.name).toBe(world.orgA.name);
    const users = await call('GET', `/api/v1/organisations/${world.orgA.id}/users`, { token: admin() });
    expect(users.body.map((u: { name: string | null }) => u.name)).not.toContain(long(121));
    expect(users.body.find((u: { id: string }) => u.id === world.users['aCounselor'])?.name).toBe('aCounselor');
  });

  it('takes exactly the limit whole: nothing is cut', async () => {
    const ref = `L${randomUUID().replace(/-/g, '')}`.padEnd(TEXT_LIMITS.clientRef, '9');
    expect(ref).toHaveLength(64);
    const c = await call('POST', '/api/v1/clients', {
      token: counselor(),
      body: { ...firstContact(addDays(today, -3)), clientRef: ref },
    });
    expect(c.status).toBe(201);
    const d = await call('GET', `/api/v1/clients/${c.body.id}`, { token: counselor() });
    expect(d.body.clientRef).toBe(ref);

    const note = `${long(TEXT_LIMITS.note - 4)}eind`;
    const s = await call('POST', `/api/v1/trajectories/${c.body.trajectoryId}/support`, {
      token: counselor(),
      body: support({ note }),
    });
    expect(s.status).toBe(201);
    const after = await call('GET', `/api/v1/clients/${c.body.id}`, { token: counselor() });
    expect(after.body.support[0].note).toBe(note);

    const name = `${long(TEXT_LIMITS.personName - 4)}eind`;
    const u = await call('PATCH', `/api/v1/organisations/${world.orgA.id}/users/${world.users['aPolicy']}`, {
      token: admin(),
      body: { name },
    });
    expect(u.status).toBe(200);
    const users = await call('GET', `/api/v1/organisations/${world.orgA.id}/users`, { token: admin() });
    expect(users.body.find((x: { id: string }) => x.id === world.users['aPolicy'])?.name).toBe(name);

    const orgName = `Org ${randomUUID()} ${long(TEXT_LIMITS.organisationName)}`.slice(0, TEXT_LIMITS.organisationName);
    const o = await call('POST', '/api/v1/organisations', {
      token: platform(),
      body: { name: orgName, municipalities: ['GM0344'] },
    });
    expect(o.status).toBe(201);
    expect(o.body.name).toBe(orgName);
  });

  it('contact settings for clients: refused when too long, taken whole at the limit, shown nowhere cut', async () => {
    const schedule = await call('GET', '/api/v1/questionnaire-schedule', { token: admin() });
    expect(schedule.status).toBe(200);
    const base = {
      intervalWeeks: schedule.body.intervalWeeks,
      delayAfterStepDays: schedule.body.delayAfterStepDays,
      reminderAfterDays: schedule.body.reminderAfterDays,
      expiryDays: schedule.body.expiryDays,
      creditPerResponse: schedule.body.creditPerResponse,
      channels: schedule.body.channels,
    };
    for (const [field, value, says] of [
      ['contactPhone', `030 ${'1'.repeat(25)}`, /at most 24 characters/],
      ['contactPhone', 'bel ons maar', /phone number/],
      ['openingHours', long(201), /at most 200 characters/],
      ['spaartegoedPayout', long(501), /at most 500 characters/],
    ] as const) {
      const e = expectError(
        await call('PUT', '/api/v1/questionnaire-schedule', { token: admin(), body: { ...base, [field]: value } }),
        400,
      );
      expect(e.details?.find((d) => d.field === field)?.message).toMatch(says);
    }
    const unchanged = await call('GET', '/api/v1/questionnaire-schedule', { token: admin() });
    expect(unchanged.body).toEqual(schedule.body);

    const hours = `${long(TEXT_LIMITS.openingHours - 4)}eind`;
    const ok = await call('PUT', '/api/v1/questionnaire-schedule', {
      token: admin(),
      body: {
        ...base,
        contactPhone: '+31 (0)30 123 45 67',
        openingHours: hours,
        spaartegoedPayout: 'Elk kwartaal op je rekening.',
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      contactPhone: '+31 (0)30 123 45 67',
      openingHours: hours,
      spaartegoedPayout: 'Elk kwartaal op je rekening.',
    });
    // Left out: unchanged; null: removed.
    const kept = await call('PUT', '/api/v1/questionnaire-schedule', { token: admin(), body: base });
    expect(kept.body.openingHours).toBe(hours);
    const removed = await call('PUT', '/api/v1/questionnaire-schedule', {
      token: admin(),
      body: { ...base, contactPhone: null, openingHours: null },
    });
    expect(removed.body).toMatchObject({
      contactPhone: null,
      openingHours: null,
      spaartegoedPayout: 'Elk kwartaal op je rekening.',
    });
    // Another organisation's settings are its own.
    const other = await call('GET', '/api/v1/questionnaire-schedule', { token: world.tokens.orgBAdmin });
    expect(other.body).toMatchObject({ contactPhone: null, openingHours: null, spaartegoedPayout: null });
  });

  it('imports: a client number that is too long or a date before 2000 is a row error, the file writes nothing', async () => {
    const header = 'client_ref,municipality,first_contact';
    const good = `LIMIMP-${randomUUID().slice(0, 6)}`;
    const csv = [
      header,
      `${good},GM0344,${addDays(today, -5)}`,
      `${long(65, 'B')},GM0344,${addDays(today, -5)}`,
      `LIMIMP-old,GM0344,1999-12-31`,
    ].join('\n');
    const a = await uploadCsv('/api/v1/imports/trajectories', admin(), csv);
    expect(a.status).toBe(422);
    const fields = (a.body.errors as { row: number; column: string }[]).map((e) => `${e.row}:${e.column}`).sort();
    expect(fields).toEqual(['3:client_ref', '4:first_contact']);
    const list = await call('GET', `/api/v1/clients?q=${encodeURIComponent(good)}`, { token: admin() });
    expect(list.body.items).toEqual([]);
  });
});
