import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, login, makeWorld, newColleague, PASSWORD, World } from '../support/http';

/**
 * POST /auth/password (#13): one's own password, with the current one first and the password
 * rules for the new one. Afterwards every session of the account has ended, this one too.
 */
describe('changing your own password', () => {
  let world: World;
  const tag = randomUUID().slice(0, 8);
  const newUser = (key: string) => newColleague(world, `${key}-${tag}@example.nl`);

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('changes it, ends every session, and the new password signs in', async () => {
    const u = await newUser('change');
    const second = await login(u.email, PASSWORD);
    const r = await call('POST', '/api/v1/auth/password', {
      token: u.token,
      body: {
        currentPassword: PASSWORD,
        newPassword: 'paars-fiets-op-de-dijk',
      },
    });
    expect(r.status).toBe(204);
    for (const t of [u.token, second])
      expect(expectError(await call('GET', '/api/v1/me', { token: t }), 401).error).toBeDefined();
    expectError(
      await call('POST', '/api/v1/auth/login', {
        body: { email: u.email, password: PASSWORD },
      }),
      401,
    );
    expect(
      (
        await call('GET', '/api/v1/me', {
          token: await login(u.email, 'paars-fiets-op-de-dijk'),
        })
      ).status,
    ).toBe(200);
    const owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    try {
      const audit = await owner.query(
        `SELECT action FROM audit_events WHERE actor_user_id = $1 AND action LIKE 'auth.password%'`,
        [u.id],
      );
      expect(audit.rows.map((a) => a.action)).toEqual(['auth.password_changed']);
    } finally {
      await owner.end();
    }
  });

  it('names what is wrong: current password, rules, malformed, missing, oversized input', async () => {
    const u = await newUser('rules');
    const field = async (body: unknown, status = 400) =>
      expectError(await call('POST', '/api/v1/auth/password', { token: u.token, body }), status).details?.[0]?.field;
    expect(
      await field({
        currentPassword: 'not-my-password',
        newPassword: 'paars-fiets-op-de-dijk',
      }),
    ).toBe('currentPassword');
    expect(await field({ currentPassword: PASSWORD, newPassword: 'te-kort' })).toBe('newPassword');
    expect(await field({ currentPassword: PASSWORD, newPassword: u.email })).toBe('newPassword');
    expect(await field({ currentPassword: PASSWORD, newPassword: 'Wachtwoord1234' })).toBe('newPassword');
    expect(await field({ currentPassword: PASSWORD, newPassword: PASSWORD })).toBe('newPassword');
    expect(await field({ newPassword: 'paars-fiets-op-de-dijk' })).toBe('currentPassword');
    expect(await field({ currentPassword: PASSWORD })).toBe('newPassword');
    expect(await field({ currentPassword: PASSWORD, newPassword: 42 })).toBe('newPassword');
    expect(
      await field({
        currentPassword: PASSWORD,
        newPassword: 'paars-fiets-op-de-dijk',
        userId: world.users.aAdmin,
      }),
    ).toBe('userId');
    expect(
      expectError(
        await call('POST', '/api/v1/auth/password', {
          token: u.token,
          body: '{"currentPassword":',
        }),
        400,
      ).message,
    ).toMatch(/JSON/);
    expectError(
      await call('POST', '/api/v1/auth/password', {
        token: u.token,
        body: { currentPassword: PASSWORD, newPassword: 'x'.repeat(400_000) },
      }),
      413,
    );
    expectError(
      await call('POST', '/api/v1/auth/password', {
        body: {
          currentPassword: PASSWORD,
          newPassword: 'paars-fiets-op-de-dijk',
        },
      }),
      401,
    );
    // None of it changed anything: the old password still signs in.
    expect(
      (
        await call('GET', '/api/v1/me', {
          token: await login(u.email, PASSWORD),
        })
      ).status,
    ).toBe(200);
  });

  it('stops guessing the current password after 10 wrong ones for the account', async () => {
    const u = await newUser('guess');
    for (let i = 0; i < 10; i++)
      expectError(
        await call('POST', '/api/v1/auth/password', {
          token: u.token,
          body: {
            currentPassword: `wrong-${i}`,
            newPassword: 'paars-fiets-op-de-dijk',
          },
        }),
        400,
      );
    // The right one is refused too while the window lasts.
    expectError(
      await call('POST', '/api/v1/auth/password', {
        token: u.token,
        body: {
          currentPassword: PASSWORD,
          newPassword: 'paars-fiets-op-de-dijk',
        },
      }),
      429,
    );
  });
});
