import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { JOBS, QUEUES } from '@klantmonitor/server/queues';
import { call, expectError, login, makeWorld, PASSWORD, waitFor, World } from '../support/http';

/**
 * PATCH /organisations/:id (#13): a platform admin renames an organisation, changes the
 * municipalities it serves, or deactivates it: a deactivated organisation signs nobody in (open
 * sessions end at once), sends no account e-mails and drops out of the benchmark facts.
 */
describe('editing and deactivating an organisation', () => {
  let world: World;
  let owner: Client;
  const tag = randomUUID().slice(0, 8);
  const path = (id: string) => `/api/v1/organisations/${id}`;
  const patch = (id: string, body: unknown, token = world.tokens.platform_admin) =>
    call('PATCH', path(id), { token, body });

  beforeAll(async () => {
    world = await makeWorld(`ou${tag}`);
    owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
  });
  afterAll(() => owner.end());

  it('renames and sets the municipalities served; audited with what changed', async () => {
    const r = await patch(world.orgA.id, {
      name: `  Org A nieuw ${tag} `,
      municipalities: ['GM0344', 'GM0363'],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: world.orgA.id,
      name: `Org A nieuw ${tag}`,
      active: true,
    });
    expect(r.body.municipalities.map((m: { code: string }) => m.code).sort()).toEqual(['GM0344', 'GM0363']);
    const got = await call('GET', path(world.orgA.id), {
      token: world.tokens.org_admin,
    });
    expect(got.body.name).toBe(`Org A nieuw ${tag}`);
    const { rows } = await owner.query(
      `SELECT details FROM audit_events WHERE organisation_id = $1 AND action = 'organisation.update' ORDER BY occurred_at DESC LIMIT 1`,
      [world.orgA.id],
    );
    // GM0546 (Leiden) was served and is left out; GM0363 (Amsterdam) is new.
    expect(rows[0].details).toEqual({
      name: { from: world.orgA.name, to: `Org A nieuw ${tag}` },
      municipalities: { added: ['GM0363'], removed: ['GM0546'] },
    });
  });

  it('refuses bad input by field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: 'x' }, 'name'],
      [{ name: 'y'.repeat(201) }, 'name'],
      [{ name: 12 }, 'name'],
      [{ municipalities: 'GM0344' }, 'municipalities'],
      [{ municipalities: [] }, 'municipalities'],
      [{ municipalities: ['Utrecht'] }, 'municipalities'],
      [{ municipalities: ['GM0344', 'GM0344'] }, 'municipalities'],
      [{ municipalities: ['GM9999'] }, 'municipalities[0]'],
      [{ active: 'no' }, 'active'],
    ];
    for (const [body, field] of cases) {
      const e = expectError(await patch(world.orgB.id, body), 400);
      expect(e.details?.map((d) => d.field)).toContain(field);
    }
    expect(expectError(await patch(world.orgB.id, { name: 'z'.repeat(100_000) }), 400).details?.[0].field).toBe('name');
    const still = await call('GET', path(world.orgB.id), {
      token: world.tokens.orgBAdmin,
    });
    expect(still.body).toMatchObject({
      name: world.orgB.name,
      active: true,
      municipalities: [{ code: 'GM0080' }],
    });
  });

  it('is for platform admins only; an unknown or malformed id is 404 / 400', async () => {
    for (const token of [world.tokens.org_admin, world.tokens.counselor, world.tokens.policy_advisor]) {
      expectError(await patch(world.orgA.id, { name: 'Mijn eigen naam' }, token), 403);
      expectError(await patch(world.orgB.id, { active: false }, token), 403);
    }
    expectError(
      await call('PATCH', path(world.orgA.id), {
        body: { name: 'Zonder token' },
      }),
      401,
    );
    expectError(await patch(randomUUID(), { name: 'Bestaat niet' }), 404);
    expect(expectError(await patch('not-a-uuid', { name: 'Kapot' }), 400).details?.[0].field).toBe('id');
  });

  it('refuses a name in use and leaving out a municipality that still has trajectories (409, by code)', async () => {
    const taken = expectError(await patch(world.orgA.id, { name: world.orgB.name }), 409);
    expect(taken.details?.[0].field).toBe('name');
    const c = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: {
        clientRef: `ou-${tag}`,
        municipality: 'GM0344',
        firstContact: '2026-01-05',
      },
    });
    expect(c.status).toBe(201);
    const inUse = expectError(await patch(world.orgA.id, { municipalities: ['GM0363'] }), 409) as {
      code?: string;
      details?: { field: string; code?: string }[];
    };
    expect(inUse.code).toBe('municipality_in_use');
    expect(inUse.details).toEqual([expect.objectContaining({ field: 'municipalities', code: 'GM0344' })]);
    const served = await call('GET', path(world.orgA.id), {
      token: world.tokens.org_admin,
    });
    expect(served.body.municipalities.map((m: { code: string }) => m.code).sort()).toEqual(['GM0344', 'GM0363']);
  });

  it('deactivated: sessions end, nobody signs in, no reset e-mail, out of the benchmark facts; reactivated: all back', async () => {
    const b = world.orgB.id;
    const facts = async () =>
      (await owner.query(`SELECT count(*)::int AS n FROM analytics_trajectories WHERE organisation_id = $1`, [b]))
        .rows[0].n as number;
    const client = await call('POST', '/api/v1/clients', {
      token: world.tokens.orgBCounselor,
      body: {
        clientRef: `ob-${tag}`,
        municipality: 'GM0080',
        firstContact: '2026-02-02',
      },
    });
    expect(client.status).toBe(201);
    expect(
      (
        await call('POST', '/api/v1/analytics/recompute', {
          token: world.tokens.orgBAdmin,
        })
      ).status,
    ).toBe(202);
    await waitFor('the facts of org B', async () => (await facts()) === 1);
    // A municipality only org B serves: the benchmark offers it while B is active.
    const [{ code: onlyB }] = (
      await owner.query(
        `SELECT code FROM municipalities WHERE active AND code NOT IN (SELECT municipality_code FROM organisation_municipalities) ORDER BY code LIMIT 1`,
      )
    ).rows;
    await owner.query(`INSERT INTO organisation_municipalities (organisation_id, municipality_code) VALUES ($1, $2)`, [
      b,
      onlyB,
    ]);
    const offered = async () =>
      (await call('GET', '/api/v1/analytics/options', { token: world.tokens.policy_advisor })).body.municipalities.some(
        (m: { code: string }) => m.code === onlyB,
      );
    await owner.query('UPDATE analytics_state SET settings_version = settings_version + 1 WHERE id = 1');
    expect(await offered()).toBe(true);

    const off = await patch(b, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    // Open sessions end at once, sign-in is refused as for a deactivated account.
    expectError(await call('GET', '/api/v1/me', { token: world.tokens.orgBAdmin }), 401);
    expectError(
      await call('GET', '/api/v1/clients', {
        token: world.tokens.orgBCounselor,
      }),
      401,
    );
    const adminEmail = `bAdmin-ou${tag}@example.nl`.toLowerCase();
    expectError(
      await call('POST', '/api/v1/auth/login', {
        body: { email: adminEmail, password: PASSWORD },
      }),
      401,
    );
    // A forgotten-password request is answered as always (202), but no link is made.
    expect(
      (
        await call('POST', '/api/v1/auth/password/forgot', {
          body: { email: adminEmail },
        })
      ).status,
    ).toBe(202);
    const links = await owner.query(
      `SELECT count(*)::int AS n FROM account_links l JOIN users u ON u.id = l.user_id WHERE u.email = $1`,
      [adminEmail],
    );
    expect(links.rows[0].n).toBe(0);
    // The nightly planning of questionnaire waves passes over it: it plans for the active ones only.
    const connection = { url: process.env['KM_E2E_REDIS_URL'] as string };
    const queue = new Queue(QUEUES.questionnaires, { connection });
    const events = new QueueEvents(QUEUES.questionnaires, { connection });
    try {
      await events.waitUntilReady();
      const planned = await (await queue.add(JOBS.planInvitations, {})).waitUntilFinished(events, 20_000);
      const active = (await owner.query(`SELECT count(*)::int AS n FROM organisations WHERE deactivated_at IS NULL`))
        .rows[0].n;
      const all = (await owner.query(`SELECT count(*)::int AS n FROM organisations`)).rows[0].n;
      expect(active).toBeLessThan(all);
      expect(planned.organisations).toBe(active);
    } finally {
      await events.close();
      await queue.close();
    }
    // The benchmark: the recompute the deactivation asked for leaves its facts empty.
    await waitFor('the facts of org B to go', async () => (await facts()) === 0);
    // ...and its municipalities leave the benchmark's choices (the recompute made a new data version).
    expect(await offered()).toBe(false);
    const listed = await call('GET', '/api/v1/organisations', {
      token: world.tokens.platform_admin,
    });
    expect(listed.body.find((o: { id: string }) => o.id === b)).toMatchObject({
      active: false,
    });
    // Deactivating twice changes nothing (the first moment stays).
    const before = (await owner.query(`SELECT deactivated_at FROM organisations WHERE id = $1`, [b])).rows[0]
      .deactivated_at;
    expect((await patch(b, { active: false })).status).toBe(200);
    expect(
      (await owner.query(`SELECT deactivated_at FROM organisations WHERE id = $1`, [b])).rows[0].deactivated_at,
    ).toEqual(before);

    const on = await patch(b, { active: true });
    expect(on.body.active).toBe(true);
    // Old sessions stay ended; signing in works again and the facts come back.
    expectError(await call('GET', '/api/v1/me', { token: world.tokens.orgBAdmin }), 401);
    const again = await login(adminEmail, PASSWORD);
    expect((await call('GET', '/api/v1/me', { token: again })).status).toBe(200);
    await waitFor('the facts of org B to return', async () => (await facts()) === 1);
    expect(await offered()).toBe(true);
    const { rows } = await owner.query(
      `SELECT details FROM audit_events WHERE organisation_id = $1 AND action = 'organisation.update' ORDER BY occurred_at`,
      [b],
    );
    expect(rows.map((r) => r.details)).toEqual([{ active: false }, {}, { active: true }]);
  });

  it("another organisation's admin cannot reach it through any organisation endpoint", async () => {
    expectError(await call('GET', path(world.orgB.id), { token: world.tokens.org_admin }), 404);
  });
});
