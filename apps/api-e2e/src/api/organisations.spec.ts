import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { call, expectError, login, makeWorld, PASSWORD, World } from '../support/http';

describe('organisations and users', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });

  it('lets a platform admin create an organisation with its municipalities', async () => {
    const name = `Kredietbank ${randomUUID().slice(0, 6)}`;
    const a = await call('POST', '/api/v1/organisations', {
      token: world.tokens.platform_admin,
      body: { name: `  ${name}  `, municipalities: ['GM0193', 'GM0200'] },
    });
    expect(a.status).toBe(201);
    expect(a.body.name).toBe(name);
    expect(a.body.municipalities).toEqual([
      { code: 'GM0200', name: 'Apeldoorn' },
      { code: 'GM0193', name: 'Zwolle' },
    ]);
    const list = await call('GET', '/api/v1/organisations', { token: world.tokens.platform_admin });
    expect(list.body.map((o: { id: string }) => o.id)).toEqual(
      expect.arrayContaining([a.body.id, world.orgA.id, world.orgB.id]),
    );
  });

  it('names unknown and malformed municipality codes, empty lists and repeats', async () => {
    const token = world.tokens.platform_admin;
    const unknown = expectError(
      await call('POST', '/api/v1/organisations', {
        token,
        body: { name: 'X org', municipalities: ['GM0344', 'GM9999'] },
      }),
      400,
    );
    expect(unknown.details).toEqual([
      { field: 'municipalities[1]', message: 'GM9999 is not a current CBS municipality code' },
    ]);
    const malformed = expectError(
      await call('POST', '/api/v1/organisations', { token, body: { name: 'X org', municipalities: ['Utrecht'] } }),
      400,
    );
    expect(malformed.details?.[0].field).toBe('municipalities');
    expectError(
      await call('POST', '/api/v1/organisations', { token, body: { name: 'X org', municipalities: [] } }),
      400,
    );
    expectError(
      await call('POST', '/api/v1/organisations', {
        token,
        body: { name: 'X org', municipalities: ['GM0344', 'GM0344'] },
      }),
      400,
    );
    const long = expectError(
      await call('POST', '/api/v1/organisations', {
        token,
        body: { name: 'x'.repeat(201), municipalities: ['GM0344'] },
      }),
      400,
    );
    expect(long.details?.[0].field).toBe('name');
    const missing = expectError(await call('POST', '/api/v1/organisations', { token, body: {} }), 400);
    expect(missing.details?.map((d) => d.field).sort()).toEqual(['municipalities', 'name']);
  });

  it('answers 409 for a name that exists, and writes nothing', async () => {
    const before = await call('GET', '/api/v1/organisations', { token: world.tokens.platform_admin });
    const dup = expectError(
      await call('POST', '/api/v1/organisations', {
        token: world.tokens.platform_admin,
        body: { name: world.orgA.name, municipalities: ['GM0344'] },
      }),
      409,
    );
    expect(dup.details).toEqual([{ field: 'name', message: 'is already in use' }]);
    const after = await call('GET', '/api/v1/organisations', { token: world.tokens.platform_admin });
    expect(after.body).toHaveLength(before.body.length);
  });

  it('shows other roles only their own organisation; another organisation is 404', async () => {
    const list = await call('GET', '/api/v1/organisations', { token: world.tokens.counselor });
    expect(list.body.map((o: { id: string }) => o.id)).toEqual([world.orgA.id]);
    expect(
      (await call('GET', `/api/v1/organisations/${world.orgA.id}`, { token: world.tokens.policy_advisor })).status,
    ).toBe(200);
    expectError(await call('GET', `/api/v1/organisations/${world.orgB.id}`, { token: world.tokens.org_admin }), 404);
    expectError(
      await call('GET', `/api/v1/organisations/${randomUUID()}`, { token: world.tokens.platform_admin }),
      404,
    );
    const bad = expectError(
      await call('GET', '/api/v1/organisations/not-a-uuid', { token: world.tokens.org_admin }),
      400,
    );
    expect(bad.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('lets an organisation admin add users to their own organisation only', async () => {
    const email = `new-${randomUUID().slice(0, 6)}@example.nl`;
    const created = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
      token: world.tokens.org_admin,
      body: { email: email.toUpperCase(), password: PASSWORD, role: 'policy_advisor', name: 'Nieuw' },
    });
    expect(created.status).toBe(201);
    const token = await login(email, PASSWORD);
    expect((await call('GET', '/api/v1/me', { token })).body).toMatchObject({ email, role: 'policy_advisor' });

    const users = await call('GET', `/api/v1/organisations/${world.orgA.id}/users`, { token: world.tokens.org_admin });
    expect(users.body.map((u: { email: string }) => u.email)).toContain(email);
    expect(users.body.every((u: { passwordHash?: string }) => u.passwordHash === undefined)).toBe(true);

    expectError(
      await call('POST', `/api/v1/organisations/${world.orgB.id}/users`, {
        token: world.tokens.org_admin,
        body: { email: `x-${email}`, password: PASSWORD, role: 'counselor' },
      }),
      404,
    );
    expectError(
      await call('GET', `/api/v1/organisations/${world.orgB.id}/users`, { token: world.tokens.org_admin }),
      404,
    );
  });

  it('validates new users: e-mail, password length, role, unknown fields, duplicates', async () => {
    const path = `/api/v1/organisations/${world.orgA.id}/users`;
    const token = world.tokens.org_admin;
    const short = expectError(
      await call('POST', path, { token, body: { email: 'a@b.nl', password: 'short', role: 'counselor' } }),
      400,
    );
    expect(short.details).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
    // The same password rules as everywhere: not the e-mail address, not a common one.
    expect(
      expectError(
        await call('POST', path, {
          token,
          body: { email: 'wachtwoord1234@b.nl', password: 'wachtwoord1234', role: 'counselor' },
        }),
        400,
      ).details?.[0],
    ).toEqual({
      field: 'password',
      message: 'must not be your e-mail address',
    });
    const role = expectError(
      await call('POST', path, { token, body: { email: 'a@b.nl', password: PASSWORD, role: 'platform_admin' } }),
      400,
    );
    expect(role.details?.[0].field).toBe('role');
    const email = expectError(
      await call('POST', path, { token, body: { email: 'not-an-email', password: PASSWORD, role: 'counselor' } }),
      400,
    );
    expect(email.details?.[0].field).toBe('email');
    const extra = expectError(
      await call('POST', path, {
        token,
        body: { email: 'a@b.nl', password: PASSWORD, role: 'counselor', organisationId: world.orgB.id },
      }),
      400,
    );
    expect(extra.details?.[0].field).toBe('organisationId');
    const me = await call('GET', '/api/v1/me', { token: world.tokens.counselor });
    const dup = expectError(
      await call('POST', path, { token, body: { email: me.body.email, password: PASSWORD, role: 'counselor' } }),
      409,
    );
    expect(dup.details).toEqual([{ field: 'email', message: 'cannot be used for a new account' }]);
  });

  // Security review (#11): creating a user with another organisation's e-mail answered "already
  // has an account", so an admin could find out who works where.
  it('answers an address in use elsewhere exactly as one in use here, audits it and limits it', async () => {
    const admin = world.tokens.org_admin;
    const path = `/api/v1/organisations/${world.orgA.id}/users`;
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    const refusals = async () =>
      (
        await owner.query(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.create_refused' AND actor_user_id = $1`,
          [world.users['aAdmin']],
        )
      ).rows[0].n as number;
    try {
      const before = await refusals(); // the test above had one
      const own = (await call('GET', '/api/v1/me', { token: world.tokens.counselor })).body.email;
      const elsewhere = (await call('GET', '/api/v1/me', { token: world.tokens.orgBCounselor })).body.email;
      const a = await call('POST', path, { token: admin, body: { email: own, password: PASSWORD, role: 'counselor' } });
      const b = await call('POST', path, {
        token: admin,
        body: { email: elsewhere, password: PASSWORD, role: 'counselor' },
      });
      expect([a.status, b.status]).toEqual([409, 409]);
      expect(b.body).toEqual(a.body);
      expect(b.body.message).not.toMatch(/account already|already has/i);
      expect(await refusals()).toBe(before + 2);
      // 20 refusals an hour per admin, then 429.
      const left = 20 - (before + 2);
      const statuses: number[] = [];
      for (let i = 0; i <= left; i++)
        statuses.push(
          (
            await call('POST', path, {
              token: admin,
              body: { email: elsewhere, password: PASSWORD, role: 'counselor' },
            })
          ).status,
        );
      expect(statuses).toEqual([...Array(left).fill(409), 429]);
    } finally {
      await owner.end();
    }
  });

  it('lists all 342 current municipalities', async () => {
    const a = await call('GET', '/api/v1/municipalities', { token: world.tokens.counselor });
    expect(a.status).toBe(200);
    expect(a.body).toHaveLength(342);
    expect(a.body).toContainEqual({ code: 'GM0344', name: 'Utrecht' });
    expect(a.body).toContainEqual({ code: 'GM1992', name: 'Voorne aan Zee' });
  });
});
