import { Client } from 'pg';
import { TOTP_PERIOD_SECONDS, totpCode } from '@klantmonitor/server/crypto';
import { call, expectError, login, makeWorld, newColleague, PASSWORD, type World } from '../support/http';

/**
 * Staff two-step verification (TOTP): set up, turn on with a first code, sign in with a code
 * (each code once), turn off. The test plays the authenticator app with the secret it is given.
 */
describe('two-step verification (TOTP)', () => {
  let world: World;
  let owner: Client;

  beforeAll(async () => {
    world = await makeWorld();
    owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
  });

  it('is set up, turned on, asked at sign-in (each code once) and turned off', async () => {
    let token = world.tokens.counselor;
    const address: string = (await call('GET', '/api/v1/me', { token })).body.email;
    expect((await call('GET', '/api/v1/me', { token })).body.totpEnabled).toBe(false);
    // Nothing to turn on or off yet.
    expectError(
      await call('POST', '/api/v1/auth/totp/enable', {
        token,
        body: { totp: '123456' },
      }),
      409,
    );
    expectError(
      await call('POST', '/api/v1/auth/totp/disable', {
        token,
        body: { password: PASSWORD, totp: '123456' },
      }),
      409,
    );

    // Setting up asks for the password again (security review, #11): missing or wrong, 400 naming it.
    expect(
      expectError(await call('POST', '/api/v1/auth/totp/setup', { token, body: {} }), 400).details?.[0].field,
    ).toBe('password');
    expect(
      expectError(await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: 'not-my-password' } }), 400)
        .details?.[0].field,
    ).toBe('password');
    const setup = await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } });
    expect(setup.status).toBe(200);
    const secret: string = setup.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new URL(setup.body.otpauthUrl).searchParams.get('secret')).toBe(secret);
    expect(setup.body.qrCode).toMatch(/^data:image\/png;base64,/);
    // The secret is stored sealed, never as it was shown.
    const stored = await owner.query(`SELECT totp_secret FROM users WHERE email = $1`, [address]);
    expect(stored.rows[0].totp_secret.toString('latin1')).not.toContain(secret);

    // Bad input names the field.
    for (const [body, field] of [
      [{}, 'totp'],
      [{ totp: '12345' }, 'totp'],
      [{ totp: 123456 }, 'totp'],
      [{ totp: '123456', extra: 1 }, 'extra'],
    ] as const) {
      expect(expectError(await call('POST', '/api/v1/auth/totp/enable', { token, body }), 400).details?.[0].field).toBe(
        field,
      );
    }
    // A code of ten minutes ago is not right now.
    expect(
      expectError(
        await call('POST', '/api/v1/auth/totp/enable', {
          token,
          body: { totp: totpCode(secret, Date.now() - 600_000) },
        }),
        400,
      ).details?.[0].field,
    ).toBe('totp');

    // Three codes are used below, one step apart (the api accepts one step either side): start
    // early in a step so that the clock does not move on meanwhile.
    const into = Date.now() % (TOTP_PERIOD_SECONDS * 1000);
    if (into > 15_000) await new Promise((r) => setTimeout(r, TOTP_PERIOD_SECONDS * 1000 - into + 200));
    const now = Date.now();
    const step = (k: number) => totpCode(secret, now + k * TOTP_PERIOD_SECONDS * 1000);

    const enabled = await call('POST', '/api/v1/auth/totp/enable', { token, body: { totp: step(-1) } });
    expect(enabled.body).toEqual({
      totpEnabled: true,
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      recoveryCodes: expect.any(Array),
    });
    // Turning it on ended every session of the account, this token's too; the answer's is new.
    const ended = expectError(await call('GET', '/api/v1/me', { token }), 401);
    expect((ended as unknown as { code?: string }).code).toBe('session_ended');
    token = enabled.body.accessToken;
    expect((await call('GET', '/api/v1/me', { token })).body.totpEnabled).toBe(true);
    expectError(await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } }), 409);

    // Sign-in: the password alone gets a question for the code; a used or wrong code gets no token.
    const signIn = (totp?: string) =>
      call('POST', '/api/v1/auth/login', {
        body: { email: address, password: PASSWORD, ...(totp ? { totp } : {}) },
      });
    const bare = expectError(await signIn(), 401);
    expect(bare.details).toEqual([{ field: 'totp', message: 'is required for this account' }]);
    expect(expectError(await signIn(step(-1)), 401).details?.[0].field).toBe('totp'); // used to turn it on
    const wrongPassword = expectError(
      await call('POST', '/api/v1/auth/login', {
        body: { email: address, password: 'not-the-password', totp: step(0) },
      }),
      401,
    );
    expect(wrongPassword.details).toBeUndefined(); // a wrong password is never told about the code
    const ok = await signIn(step(0));
    expect(ok.status).toBe(200);
    expect(typeof ok.body.accessToken).toBe('string');
    expectError(await signIn(step(0)), 401); // the same code twice: no

    // Off again, with a fresh code; then the password is enough.
    expect(
      expectError(
        await call('POST', '/api/v1/auth/totp/disable', {
          token,
          body: { password: PASSWORD, totp: step(0) },
        }),
        400,
      ).details?.[0].field,
    ).toBe('totp');
    // Turning it off needs the password too.
    expect(
      expectError(await call('POST', '/api/v1/auth/totp/disable', { token, body: { totp: step(1) } }), 400).details?.[0]
        .field,
    ).toBe('password');
    const disabled = await call('POST', '/api/v1/auth/totp/disable', {
      token,
      body: { password: PASSWORD, totp: step(1) },
    });
    expect(disabled.body).toMatchObject({ totpEnabled: false });
    expectError(await call('GET', '/api/v1/me', { token }), 401);
    token = disabled.body.accessToken;
    world.tokens.counselor = token;
    expect((await call('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await signIn()).status).toBe(200);
    expect(
      (await owner.query(`SELECT totp_secret, totp_enabled_at FROM users WHERE email = $1`, [address])).rows[0],
    ).toEqual({
      totp_secret: null,
      totp_enabled_at: null,
    });

    const audit = await owner.query(
      `SELECT action, details ->> 'reason' AS reason FROM audit_events WHERE actor_user_id = $1 AND action LIKE 'auth.%' ORDER BY occurred_at, id`,
      [world.users['aCounselor']],
    );
    // Every code check is audited, the wrong ones too.
    expect(audit.rows.filter((r) => r.action !== 'auth.login')).toEqual([
      { action: 'auth.totp_password_wrong', reason: null },
      { action: 'auth.totp_setup', reason: null },
      { action: 'auth.totp_code_wrong', reason: null },
      { action: 'auth.totp_enabled', reason: null },
      { action: 'auth.login_failed', reason: 'totp_required' },
      { action: 'auth.login_failed', reason: 'totp_wrong' },
      { action: 'auth.login_failed', reason: 'wrong_password' },
      { action: 'auth.login_failed', reason: 'totp_wrong' },
      { action: 'auth.totp_code_wrong', reason: null },
      { action: 'auth.totp_disabled', reason: null },
    ]);
  }, 30000);

  it('can be turned off for a colleague who lost the phone, by an admin of the own organisation only', async () => {
    const token = world.tokens.policy_advisor;
    const address: string = (await call('GET', '/api/v1/me', { token })).body.email;
    const secret: string = (await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } })).body
      .secret;
    const enabled = await call('POST', '/api/v1/auth/totp/enable', { token, body: { totp: totpCode(secret) } });
    expect(enabled.status).toBe(200);
    const advisorToken: string = enabled.body.accessToken;
    expect((await call('GET', '/api/v1/me', { token: advisorToken })).status).toBe(200);
    const users = await call('GET', `/api/v1/organisations/${world.orgA.id}/users`, { token: world.tokens.org_admin });
    expect(users.body.find((u: { email: string }) => u.email === address).totpEnabled).toBe(true);
    const path = `/api/v1/organisations/${world.orgA.id}/users/${world.users['aPolicy']}/totp`;
    // Not the user's own business this way, not another organisation's, not a made-up id.
    expectError(await call('DELETE', path, { token: world.tokens.counselor }), 403);
    expectError(await call('DELETE', path, { token: world.tokens.orgBAdmin }), 404);
    expectError(
      await call('DELETE', `/api/v1/organisations/${world.orgB.id}/users/${world.users['aPolicy']}/totp`, {
        token: world.tokens.orgBAdmin,
      }),
      404,
    );
    expectError(
      await call('DELETE', `/api/v1/organisations/${world.orgA.id}/users/not-a-uuid/totp`, {
        token: world.tokens.org_admin,
      }),
      400,
    );
    expect(
      expectError(
        await call('POST', '/api/v1/auth/login', {
          body: { email: address, password: PASSWORD },
        }),
        401,
      ).details?.[0].field,
    ).toBe('totp');

    expect((await call('DELETE', path, { token: world.tokens.org_admin })).status).toBe(204);
    // The reset ended the colleague's sessions at once.
    expectError(await call('GET', '/api/v1/me', { token: advisorToken }), 401);
    expect(
      (
        await call('POST', '/api/v1/auth/login', {
          body: { email: address, password: PASSWORD },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('GET', `/api/v1/organisations/${world.orgA.id}/users`, {
          token: world.tokens.org_admin,
        })
      ).body.find((u: { email: string }) => u.email === address).totpEnabled,
    ).toBe(false);
    const audit = await owner.query(
      `SELECT actor_user_id FROM audit_events WHERE action = 'user.totp_reset' AND entity_id = $1`,
      [world.users['aPolicy']],
    );
    expect(audit.rows).toEqual([{ actor_user_id: world.users['aAdmin'] }]);
  });

  it("refuses an admin's own account on the admin route: one's own second factor goes off only with password and code (#22)", async () => {
    // Before: DELETE .../users/<own id>/totp with only a bearer token -> 204.
    const admin = await newColleague(world, `own-totp-${Date.now()}@example.nl`);
    const promote = await call('PATCH', `/api/v1/organisations/${world.orgA.id}/users/${admin.id}`, {
      token: world.tokens.org_admin,
      body: { role: 'org_admin' },
    });
    expect(promote.status).toBe(200);
    let token = await login(admin.email, PASSWORD);
    const secret: string = (await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } })).body
      .secret;
    const enabled = await call('POST', '/api/v1/auth/totp/enable', { token, body: { totp: totpCode(secret) } });
    expect(enabled.status).toBe(200);
    token = enabled.body.accessToken;
    const own = await call('DELETE', `/api/v1/organisations/${world.orgA.id}/users/${admin.id}/totp`, { token });
    const e = expectError(own, 403);
    expect(e.code).toBe('own_account');
    expect(e.message).toContain(admin.id);
    expect(
      (await owner.query(`SELECT totp_enabled_at FROM users WHERE id = $1`, [admin.id])).rows[0].totp_enabled_at,
    ).not.toBeNull();
    // Another admin may still reset it (the lost-phone case).
    expect(
      (
        await call('DELETE', `/api/v1/organisations/${world.orgA.id}/users/${admin.id}/totp`, {
          token: world.tokens.org_admin,
        })
      ).status,
    ).toBe(204);
  });

  it('limits wrong codes per account, whatever the address, and audits each (security review, #11)', async () => {
    // Before: 10 more guesses from each new address, and /auth/totp/disable never said 429 nor audited.
    let token = world.tokens.orgBCounselor;
    const address: string = (await call('GET', '/api/v1/me', { token })).body.email;
    const secret: string = (await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } })).body
      .secret;
    token = (await call('POST', '/api/v1/auth/totp/enable', { token, body: { totp: totpCode(secret) } })).body
      .accessToken;
    const wrong = (c: string) => (c === '000000' ? '111111' : '000000');
    const right = () => totpCode(secret);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const headers = { 'x-forwarded-for': `203.0.113.${i + 1}` };
      statuses.push(
        (
          await call('POST', '/api/v1/auth/login', {
            headers,
            body: { email: address, password: PASSWORD, totp: wrong(right()) },
          })
        ).status,
      );
    }
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await call('POST', '/api/v1/auth/totp/disable', { token, body: { password: PASSWORD, totp: wrong(right()) } }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 400, 400, 400, 400]);
    // Ten wrong: now even the right code is refused, from a new address too, until the window ends.
    const limited = await call('POST', '/api/v1/auth/totp/disable', {
      token,
      body: { password: PASSWORD, totp: right() },
    });
    expectError(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(
      await call('POST', '/api/v1/auth/login', {
        headers: { 'x-forwarded-for': '203.0.113.99' },
        body: { email: address, password: PASSWORD, totp: right() },
      }),
      429,
    );
    const audit = await owner.query(
      `SELECT action, count(*)::int AS n FROM audit_events WHERE actor_user_id = $1 AND action IN ('auth.login_failed', 'auth.totp_code_wrong') GROUP BY action ORDER BY action`,
      [world.users['bCounselor']],
    );
    expect(audit.rows).toEqual([
      { action: 'auth.login_failed', n: 6 },
      { action: 'auth.totp_code_wrong', n: 4 },
    ]);
  });

  // Security review (#11): no setting could require it; all 55 demo accounts had it off.
  it('can be required per role by the organisation and by the platform; until set up, only the account page works', async () => {
    const admin = world.tokens.org_admin;
    const path = `/api/v1/organisations/${world.orgA.id}/security`;
    expect((await call('GET', path, { token: admin })).body).toEqual({
      totpRequiredRoles: [],
      platformTotpRequiredRoles: [],
    });
    for (const [body, field] of [
      [{}, 'totpRequiredRoles'],
      [{ totpRequiredRoles: 'counselor' }, 'totpRequiredRoles'],
      [{ totpRequiredRoles: ['platform_admin'] }, 'totpRequiredRoles'],
      [{ totpRequiredRoles: ['counselor', 'counselor'] }, 'totpRequiredRoles'],
      [{ totpRequiredRoles: ['counselor'], extra: 1 }, 'extra'],
    ] as const) {
      expect(expectError(await call('PUT', path, { token: admin, body }), 400).details?.[0].field).toBe(field);
    }
    expectError(await call('PUT', path, { token: world.tokens.orgBAdmin, body: { totpRequiredRoles: [] } }), 404);
    expectError(await call('PUT', '/api/v1/platform/security', { token: admin, body: { totpRequiredRoles: [] } }), 403);
    expect((await call('PUT', path, { token: admin, body: { totpRequiredRoles: ['counselor'] } })).body).toEqual({
      totpRequiredRoles: ['counselor'],
    });

    // A new counselor of A signs in: a session for setting it up, nothing else.
    const email = `verplicht-${Date.now()}@example.nl`;
    expect(
      (
        await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
          token: admin,
          body: { email, password: PASSWORD, role: 'counselor' },
        })
      ).status,
    ).toBe(201);
    let token = await login(email, PASSWORD);
    expect((await call('GET', '/api/v1/me', { token })).body).toMatchObject({ totpEnabled: false, totpRequired: true });
    const blocked = expectError(await call('GET', '/api/v1/clients', { token }), 403);
    expect((blocked as unknown as { code?: string }).code).toBe('totp_setup_required');
    const secret: string = (await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } })).body
      .secret;
    token = (await call('POST', '/api/v1/auth/totp/enable', { token, body: { totp: totpCode(secret) } })).body
      .accessToken;
    expect((await call('GET', '/api/v1/clients', { token })).status).toBe(200);
    // Required stays on: turning it off is refused (an admin can still reset it for a lost phone).
    const off = expectError(
      await call('POST', '/api/v1/auth/totp/disable', {
        token,
        body: { password: PASSWORD, totp: totpCode(secret, Date.now() + 30_000) },
      }),
      409,
    );
    expect((off as unknown as { code?: string }).code).toBe('totp_required');
    // Other roles of A are not touched.
    expect((await call('GET', '/api/v1/me', { token: admin })).body.totpRequired).toBe(false);
    await call('PUT', path, { token: admin, body: { totpRequiredRoles: [] } });

    // Platform-wide: organisation admins everywhere, B's too.
    const platform = world.tokens.platform_admin;
    try {
      expect(
        (
          await call('PUT', '/api/v1/platform/security', {
            token: platform,
            body: { totpRequiredRoles: ['org_admin'] },
          })
        ).status,
      ).toBe(200);
      const bEmail = (await call('GET', '/api/v1/me', { token: world.tokens.orgBAdmin })).body.email;
      const bToken = await login(bEmail, PASSWORD);
      expect((await call('GET', '/api/v1/me', { token: bToken })).body.totpRequired).toBe(true);
      expectError(await call('GET', `/api/v1/organisations/${world.orgB.id}/users`, { token: bToken }), 403);
      expect(
        (await call('GET', `/api/v1/organisations/${world.orgB.id}/security`, { token: world.tokens.orgBAdmin })).body
          .platformTotpRequiredRoles,
      ).toEqual(['org_admin']);
    } finally {
      await call('PUT', '/api/v1/platform/security', { token: platform, body: { totpRequiredRoles: [] } });
    }
    const audit = await owner.query(
      `SELECT action, details FROM audit_events WHERE action IN ('organisation.security.update', 'platform.security.update') AND actor_user_id IN ($1, $2) ORDER BY occurred_at, id`,
      [world.users['aAdmin'], (await call('GET', '/api/v1/me', { token: platform })).body.id],
    );
    expect(audit.rows.map((r) => [r.action, r.details.totpRequiredRoles])).toEqual([
      ['organisation.security.update', ['counselor']],
      ['organisation.security.update', []],
      ['platform.security.update', ['org_admin']],
      ['platform.security.update', []],
    ]);
  });

  it('leaves accounts without it as they were: the password is enough', async () => {
    const address: string = (await call('GET', '/api/v1/me', { token: world.tokens.org_admin })).body.email;
    const token = await login(address, PASSWORD);
    expect((await call('GET', '/api/v1/me', { token })).body.totpEnabled).toBe(false);
  });
});
