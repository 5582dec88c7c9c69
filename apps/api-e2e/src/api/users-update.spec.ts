import { randomUUID } from 'node:crypto';
import { call, expectError, login, makeWorld, newColleague, PASSWORD, World } from '../support/http';

/**
 * PATCH /organisations/:id/users/:userId (#13): an admin changes a colleague's role, name or
 * whether they may sign in. A new role or a deactivation ends their sessions at once.
 */
describe("changing a colleague's account", () => {
  let world: World;
  const tag = randomUUID().slice(0, 8);
  const path = (userId: string, org = world.orgA.id) => `/api/v1/organisations/${org}/users/${userId}`;
  const colleague = (key: string) => newColleague(world, `${key}-${tag}@example.nl`, key);

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('changes the role and the name; the old session ends, a new one has the new role', async () => {
    const c = await colleague('rol');
    const r = await call('PATCH', path(c.id), {
      token: world.tokens.org_admin,
      body: { role: 'policy_advisor', name: 'Beleid Collega' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: c.id,
      role: 'policy_advisor',
      name: 'Beleid Collega',
      active: true,
    });
    expectError(await call('GET', '/api/v1/me', { token: c.token }), 401);
    expect(
      (
        await call('GET', '/api/v1/me', {
          token: await login(c.email, PASSWORD),
        })
      ).body.role,
    ).toBe('policy_advisor');
    // A name alone ends nothing.
    const fresh = await login(c.email, PASSWORD);
    expect(
      (
        await call('PATCH', path(c.id), {
          token: world.tokens.org_admin,
          body: { name: 'Nieuwe Naam' },
        })
      ).status,
    ).toBe(200);
    expect((await call('GET', '/api/v1/me', { token: fresh })).status).toBe(200);
  });

  it('deactivates (sessions end, sign-in refused) and reactivates; the list shows it', async () => {
    const c = await colleague('uit');
    const off = await call('PATCH', path(c.id), {
      token: world.tokens.org_admin,
      body: { active: false },
    });
    expect(off.body.active).toBe(false);
    expectError(await call('GET', '/api/v1/me', { token: c.token }), 401);
    expectError(
      await call('POST', '/api/v1/auth/login', {
        body: { email: c.email, password: PASSWORD },
      }),
      401,
    );
    const listed = (
      await call('GET', `/api/v1/organisations/${world.orgA.id}/users`, {
        token: world.tokens.org_admin,
      })
    ).body;
    expect(listed.find((u: { id: string }) => u.id === c.id).active).toBe(false);
    expect(
      (
        await call('PATCH', path(c.id), {
          token: world.tokens.platform_admin,
          body: { active: true },
        })
      ).body.active,
    ).toBe(true);
    expect(
      (
        await call('GET', '/api/v1/me', {
          token: await login(c.email, PASSWORD),
        })
      ).status,
    ).toBe(200);
  });

  it('names what is wrong, and keeps admins from locking themselves out', async () => {
    const c = await colleague('fout');
    const field = async (body: unknown, token = world.tokens.org_admin, userId = c.id) =>
      expectError(await call('PATCH', path(userId), { token, body }), 400).details?.[0]?.field;
    expect(await field({})).toBe('role');
    expect(await field({ role: 'platform_admin' })).toBe('role');
    expect(await field({ active: 'nee' })).toBe('active');
    expect(await field({ name: 'x'.repeat(121) })).toBe('name');
    expect(await field({ name: 42 })).toBe('name');
    expect(await field({ email: 'ander@example.nl' })).toBe('email');
    expect(await field({ role: 'counselor' }, world.tokens.org_admin, world.users.aAdmin)).toBe('role');
    expect(await field({ active: false }, world.tokens.org_admin, world.users.aAdmin)).toBe('active');
    expect(
      expectError(
        await call('PATCH', path('geen-id'), {
          token: world.tokens.org_admin,
          body: { active: true },
        }),
        400,
      ).details?.[0].field,
    ).toBe('userId');
    expect(
      expectError(
        await call('PATCH', path(c.id), {
          token: world.tokens.org_admin,
          body: '{"active":',
        }),
        400,
      ).message,
    ).toMatch(/JSON/);
    expectError(
      await call('PATCH', path(c.id), {
        token: world.tokens.org_admin,
        body: { name: 'x'.repeat(400_000) },
      }),
      413,
    );
    // Nothing of it changed the colleague.
    expect((await call('GET', '/api/v1/me', { token: c.token })).body.role).toBe('counselor');
  });

  it("keeps other organisations' accounts and other roles out", async () => {
    const c = await colleague('ander');
    const body = { active: false };
    expectError(await call('PATCH', path(c.id), { token: world.tokens.orgBAdmin, body }), 404);
    expectError(
      await call('PATCH', path(c.id, world.orgB.id), {
        token: world.tokens.orgBAdmin,
        body,
      }),
      404,
    );
    expectError(
      await call('PATCH', path(randomUUID()), {
        token: world.tokens.org_admin,
        body,
      }),
      404,
    );
    expectError(await call('PATCH', path(c.id), { token: world.tokens.counselor, body }), 403);
    expectError(await call('PATCH', path(c.id), { body }), 401);
    expect((await call('GET', '/api/v1/me', { token: c.token })).status).toBe(200);
  });
});
