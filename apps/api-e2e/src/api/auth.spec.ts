import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, login, makeWorld, PASSWORD, PLATFORM, World } from '../support/http';

function forge(claims: object, secret: string, header = { alg: 'HS256', typ: 'JWT' }): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64(header)}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('POST /api/v1/auth/login', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });

  it('signs in with the right password and the token opens /me', async () => {
    const a = await call('POST', '/api/v1/auth/login', { body: PLATFORM });
    expect(a.status).toBe(200);
    expect(a.body.expiresIn).toBe(1800);
    expect(a.body.accessToken.split('.')).toHaveLength(3);
    const me = await call('GET', '/api/v1/me', { token: a.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: PLATFORM.email, role: 'platform_admin', organisation: null });
  });

  it('tells browsers and proxies to keep neither the token nor what it opens (Cache-Control: no-store)', async () => {
    const a = await call('POST', '/api/v1/auth/login', { body: PLATFORM });
    expect(a.headers.get('cache-control')).toBe('no-store');
    const me = await call('GET', '/api/v1/me', { token: a.body.accessToken });
    expect(me.headers.get('cache-control')).toBe('no-store');
    const clients = await call('GET', '/api/v1/clients', { token: world.tokens.counselor });
    expect([clients.status, clients.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect((await call('GET', '/api/v1/no-such-path')).headers.get('cache-control')).toBe('no-store');
  });

  it('answers a body nested 10,000 arrays deep with a 400 that says so (it was a 500: stack overflow)', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (const [path, token] of [
      ['/api/v1/auth/login', undefined],
      ['/api/v1/clients', world.tokens.counselor],
    ] as const) {
      const e = expectError(await call('POST', path, { body: deep, token }), 400);
      expect([path, e.message, e.details?.[0]?.field]).toEqual([
        path,
        'The body is nested deeper than 32 levels',
        'body',
      ]);
    }
    // An object nested just within the limit still reaches validation (and is refused there, for its content).
    const shallow = expectError(
      await call('POST', '/api/v1/auth/login', { body: { email: { a: { b: 1 } }, password: 'x' } }),
      400,
    );
    expect(shallow.message).not.toMatch(/nested/);
  });

  it('accepts the e-mail address in any case', async () => {
    const token = await login(PLATFORM.email.toUpperCase(), PLATFORM.password);
    expect((await call('GET', '/api/v1/me', { token })).status).toBe(200);
  });

  it('gives the same 401 for a wrong password and an unknown e-mail', async () => {
    const wrong = expectError(
      await call('POST', '/api/v1/auth/login', { body: { email: PLATFORM.email, password: 'nope' } }),
      401,
    );
    const unknown = expectError(
      await call('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.nl', password: 'nope' } }),
      401,
    );
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.message).toBe('E-mail address or password is incorrect');
  });

  it('shows each role its own organisation on /me', async () => {
    for (const [token, role, org] of [
      [world.tokens.org_admin, 'org_admin', world.orgA],
      [world.tokens.counselor, 'counselor', world.orgA],
      [world.tokens.policy_advisor, 'policy_advisor', world.orgA],
      [world.tokens.orgBCounselor, 'counselor', world.orgB],
    ] as const) {
      const me = await call('GET', '/api/v1/me', { token });
      expect(me.status).toBe(200);
      expect(me.body.role).toBe(role);
      expect(me.body.organisation.id).toBe(org.id);
    }
    const a = await call('GET', '/api/v1/me', { token: world.tokens.counselor });
    expect(a.body.organisation.municipalities.map((m: { code: string }) => m.code).sort()).toEqual([
      'GM0344',
      'GM0546',
    ]);
  });

  it('answers malformed, missing, unknown, wrongly typed and oversized input with a 400/413 that names it', async () => {
    const malformed = expectError(await call('POST', '/api/v1/auth/login', { body: '{"email": "x@y.nl",' }), 400);
    expect(malformed.message).toMatch(/JSON/);

    const missing = expectError(await call('POST', '/api/v1/auth/login', { body: {} }), 400);
    expect(missing.details?.map((d) => d.field).sort()).toEqual(['email', 'password']);

    const unknown = expectError(
      await call('POST', '/api/v1/auth/login', { body: { email: 'a@b.nl', password: 'x', admin: true } }),
      400,
    );
    expect(unknown.details).toEqual([{ field: 'admin', message: 'property admin should not exist' }]);

    const typed = expectError(await call('POST', '/api/v1/auth/login', { body: { email: 42, password: ['x'] } }), 400);
    expect(typed.details).toEqual([
      { field: 'email', message: 'email must be an e-mail address' },
      { field: 'password', message: 'password must be a string' },
    ]);

    const huge = await call('POST', '/api/v1/auth/login', { body: { email: 'a@b.nl', password: 'x'.repeat(400_000) } });
    expectError(huge, 413);

    const notJson = await call('POST', '/api/v1/auth/login', {
      body: 'email=a',
      headers: { 'content-type': 'text/plain' },
    });
    expect([400, 415]).toContain(notJson.status);
    expect(notJson.body.statusCode).toBe(notJson.status);
  });

  it('refuses missing, forged, expired and alg=none tokens with 401', async () => {
    expectError(await call('GET', '/api/v1/me'), 401);
    expectError(await call('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } }), 401);
    expectError(await call('GET', '/api/v1/me', { token: 'not.a.token' }), 401);
    const now = Math.floor(Date.now() / 1000);
    // A real session of the counselor: forged tokens fail on their signature, not on a missing session.
    const sid = JSON.parse(Buffer.from(world.tokens.counselor.split('.')[1], 'base64url').toString()).sid;
    const claims = {
      sub: world.users['aCounselor'],
      role: 'platform_admin',
      org: null,
      sid,
      iss: 'klantmonitor',
      aud: 'klantmonitor-api',
      iat: now,
      exp: now + 600,
    };
    expectError(
      await call('GET', '/api/v1/me', { token: forge(claims, 'some-other-secret-of-enough-length-000') }),
      401,
    );
    const secret = process.env['KM_E2E_JWT_SECRET'] as string;
    expectError(await call('GET', '/api/v1/me', { token: forge({ ...claims, exp: now - 10 }, secret) }), 401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expectError(await call('GET', '/api/v1/me', { token: none }), 401);
    // Sanity check of the forging itself: the right secret makes a token the api accepts...
    expect(
      (await call('GET', '/api/v1/me', { token: forge({ ...claims, role: 'counselor', org: world.orgA.id }, secret) }))
        .status,
    ).toBe(200);
    // ...but only with an open session of that same user: no session, a made-up one, another user's.
    const { sid: _sid, ...withoutSession } = claims;
    expectError(
      await call('GET', '/api/v1/me', { token: forge({ ...withoutSession, role: 'counselor' }, secret) }),
      401,
    );
    expectError(
      await call('GET', '/api/v1/me', {
        token: forge({ ...claims, role: 'counselor', sid: '00000000-0000-4000-8000-000000000000' }, secret),
      }),
      401,
    );
    expectError(
      await call('GET', '/api/v1/me', {
        token: forge({ ...claims, sub: world.users['aPolicy'], role: 'policy_advisor' }, secret),
      }),
      401,
    );
    // The queue dashboard's cookie token (its own audience) is no API token.
    expectError(
      await call('GET', '/api/v1/me', {
        token: forge({ ...claims, role: 'counselor', aud: 'klantmonitor-queues' }, secret),
      }),
      401,
    );
  });

  it('rate-limits repeated attempts on one account with 429 and Retry-After', async () => {
    const email = `ratelimit-${Date.now()}@example.nl`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await call('POST', '/api/v1/auth/login', { body: { email, password: 'wrong' } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await call('POST', '/api/v1/auth/login', { body: { email, password: 'wrong' } });
    const err = expectError(limited, 429);
    expect(err.message).toMatch(/Too many sign-in attempts/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other accounts from the same address still sign in.
    expect(await login(PLATFORM.email, PLATFORM.password)).toBeTruthy();
  });

  it('believes only the address its trusted proxy saw: a spoofed X-Forwarded-For changes nothing', async () => {
    // This api trusts 127.0.0.1 as its proxy (global-setup), as the compose api trusts one nginx hop.
    // Through a proxy that appends, a client's own header arrives in front of the address the proxy saw.
    const email = `spoof-${Date.now()}@example.nl`;
    const seen = '198.51.100.7';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const headers = { 'x-forwarded-for': `6.6.6.${i}, ${seen}` };
      statuses.push((await call('POST', '/api/v1/auth/login', { body: { email, password: 'wrong' }, headers })).status);
    }
    // A new made-up address per attempt did not reset the per-address-and-account limit of 5.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const rows = await owner.query(
        `SELECT DISTINCT details->>'ip' AS ip FROM audit_events WHERE action = 'auth.login_failed' AND details->>'ip' IN ($1, '6.6.6.0', '6.6.6.1')`,
        [seen],
      );
      expect(rows.rows).toEqual([{ ip: seen }]);
    } finally {
      await owner.end();
    }
    // The proxy's own requests (no header) are its own address: not limited by the other one.
    expect((await call('POST', '/api/v1/auth/login', { body: { email, password: 'wrong' } })).status).toBe(401);
  });

  it('sets the queue-dashboard cookie only for platform admins, scoped to /api/admin', async () => {
    const admin = await call('POST', '/api/v1/auth/login', { body: PLATFORM });
    const cookie = admin.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/km_admin=/);
    expect(cookie).toMatch(/Path=\/api\/admin/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await call('GET', '/api/v1/me', { token: world.tokens.counselor });
    const counselor = await call('POST', '/api/v1/auth/login', { body: { email: me.body.email, password: PASSWORD } });
    expect(counselor.status).toBe(200);
    expect(counselor.headers.get('set-cookie')).toBeNull();
  });

  // Security review (#11): after POST /auth/logout (204) the same token still answered 200.
  it('signing out ends that session at once, and only that one', async () => {
    const me = await call('GET', '/api/v1/me', { token: world.tokens.policy_advisor });
    const first = await login(me.body.email, PASSWORD);
    const second = await login(me.body.email, PASSWORD);
    expect((await call('GET', '/api/v1/me', { token: first })).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/logout', { token: first })).status).toBe(204);
    const ended = expectError(await call('GET', '/api/v1/me', { token: first }), 401);
    expect((ended as unknown as { code?: string }).code).toBe('session_ended');
    expect((await call('GET', '/api/v1/me', { token: second })).status).toBe(200);
    // Signing out again, or without a token, is harmless.
    expect((await call('POST', '/api/v1/auth/logout', { token: first })).status).toBe(204);
    expect((await call('POST', '/api/v1/auth/logout')).status).toBe(204);
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const audit = await owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.logout' AND actor_user_id = $1`,
        [world.users['aPolicy']],
      );
      expect(audit.rows[0].n).toBe(1);
      // A deactivated account's sessions end with it (the trigger; the PATCH endpoint comes with #13).
      await owner.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [world.users['aPolicy']]);
      expectError(await call('GET', '/api/v1/me', { token: second }), 401);
      await owner.query(`UPDATE users SET disabled_at = NULL WHERE id = $1`, [world.users['aPolicy']]);
      // Still ended after reactivation: a new sign-in is needed.
      expectError(await call('GET', '/api/v1/me', { token: second }), 401);
      // So does a role or password change, whoever makes it.
      const third = await login(me.body.email, PASSWORD);
      await owner.query(`UPDATE users SET role = 'counselor' WHERE id = $1`, [world.users['aPolicy']]);
      expectError(await call('GET', '/api/v1/me', { token: third }), 401);
      await owner.query(`UPDATE users SET role = 'policy_advisor' WHERE id = $1`, [world.users['aPolicy']]);
      world.tokens.policy_advisor = await login(me.body.email, PASSWORD);
    } finally {
      await owner.end();
    }
  });
});
