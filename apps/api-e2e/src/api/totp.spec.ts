import { Client } from 'pg';
import { TOTP_PERIOD_SECONDS, totpCode } from '@klantmonitor/server/crypto';
import {
  call,
  expectError,
  login,
  makeWorld,
  PASSWORD,
  type World,
} from '../support/http';

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
    const token = world.tokens.counselor;
    const address: string = (await call('GET', '/api/v1/me', { token })).body
      .email;
    expect((await call('GET', '/api/v1/me', { token })).body.totpEnabled).toBe(
      false,
    );
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
        body: { totp: '123456' },
      }),
      409,
    );

    const setup = await call('POST', '/api/v1/auth/totp/setup', { token });
    expect(setup.status).toBe(200);
    const secret: string = setup.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new URL(setup.body.otpauthUrl).searchParams.get('secret')).toBe(
      secret,
    );
    expect(setup.body.qrCode).toMatch(/^data:image\/png;base64,/);
    // The secret is stored sealed, never as it was shown.
    const stored = await owner.query(
      `SELECT totp_secret FROM users WHERE email = $1`,
      [address],
    );
    expect(stored.rows[0].totp_secret.toString('latin1')).not.toContain(secret);

    // Bad input names the field.
    for (const [body, field] of [
      [{}, 'totp'],
      [{ totp: '12345' }, 'totp'],
      [{ totp: 123456 }, 'totp'],
      [{ totp: '123456', extra: 1 }, 'extra'],
      [['123456'], 'body'],
    ] as const) {
      expect(
        expectError(
          await call('POST', '/api/v1/auth/totp/enable', { token, body }),
          400,
        ).details?.[0].field,
      ).toBe(field);
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
    if (into > 15_000)
      await new Promise((r) =>
        setTimeout(r, TOTP_PERIOD_SECONDS * 1000 - into + 200),
      );
    const now = Date.now();
    const step = (k: number) =>
      totpCode(secret, now + k * TOTP_PERIOD_SECONDS * 1000);

    expect(
      (
        await call('POST', '/api/v1/auth/totp/enable', {
          token,
          body: { totp: step(-1) },
        })
      ).body,
    ).toEqual({ totpEnabled: true });
    expect((await call('GET', '/api/v1/me', { token })).body.totpEnabled).toBe(
      true,
    );
    expectError(await call('POST', '/api/v1/auth/totp/setup', { token }), 409);

    // Sign-in: the password alone gets a question for the code; a used or wrong code gets no token.
    const signIn = (totp?: string) =>
      call('POST', '/api/v1/auth/login', {
        body: { email: address, password: PASSWORD, ...(totp ? { totp } : {}) },
      });
    const bare = expectError(await signIn(), 401);
    expect(bare.details).toEqual([
      { field: 'totp', message: 'is required for this account' },
    ]);
    expect(expectError(await signIn(step(-1)), 401).details?.[0].field).toBe(
      'totp',
    ); // used to turn it on
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
          body: { totp: step(0) },
        }),
        400,
      ).details?.[0].field,
    ).toBe('totp');
    expect(
      (
        await call('POST', '/api/v1/auth/totp/disable', {
          token,
          body: { totp: step(1) },
        })
      ).body,
    ).toEqual({ totpEnabled: false });
    expect((await signIn()).status).toBe(200);
    expect(
      (
        await owner.query(
          `SELECT totp_secret, totp_enabled_at FROM users WHERE email = $1`,
          [address],
        )
      ).rows[0],
    ).toEqual({
      totp_secret: null,
      totp_enabled_at: null,
    });

    const audit = await owner.query(
      `SELECT action, details ->> 'reason' AS reason FROM audit_events WHERE actor_user_id = $1 AND action LIKE 'auth.%' ORDER BY occurred_at, id`,
      [world.users['aCounselor']],
    );
    expect(audit.rows.filter((r) => r.action !== 'auth.login')).toEqual([
      { action: 'auth.totp_setup', reason: null },
      { action: 'auth.totp_enabled', reason: null },
      { action: 'auth.login_failed', reason: 'totp_required' },
      { action: 'auth.login_failed', reason: 'totp_wrong' },
      { action: 'auth.login_failed', reason: 'wrong_password' },
      { action: 'auth.login_failed', reason: 'totp_wrong' },
      { action: 'auth.totp_disabled', reason: null },
    ]);
  }, 30000);

  it('can be turned off for a colleague who lost the phone, by an admin of the own organisation only', async () => {
    const token = world.tokens.policy_advisor;
    const address: string = (await call('GET', '/api/v1/me', { token })).body
      .email;
    const secret: string = (
      await call('POST', '/api/v1/auth/totp/setup', { token })
    ).body.secret;
    expect(
      (
        await call('POST', '/api/v1/auth/totp/enable', {
          token,
          body: { totp: totpCode(secret) },
        })
      ).status,
    ).toBe(200);
    const users = await call(
      'GET',
      `/api/v1/organisations/${world.orgA.id}/users`,
      { token: world.tokens.org_admin },
    );
    expect(
      users.body.find((u: { email: string }) => u.email === address)
        .totpEnabled,
    ).toBe(true);
    const path = `/api/v1/organisations/${world.orgA.id}/users/${world.users['aPolicy']}/totp`;
    // Not the user's own business this way, not another organisation's, not a made-up id.
    expectError(
      await call('DELETE', path, { token: world.tokens.counselor }),
      403,
    );
    expectError(
      await call('DELETE', path, { token: world.tokens.orgBAdmin }),
      404,
    );
    expectError(
      await call(
        'DELETE',
        `/api/v1/organisations/${world.orgB.id}/users/${world.users['aPolicy']}/totp`,
        { token: world.tokens.orgBAdmin },
      ),
      404,
    );
    expectError(
      await call(
        'DELETE',
        `/api/v1/organisations/${world.orgA.id}/users/not-a-uuid/totp`,
        { token: world.tokens.org_admin },
      ),
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

    expect(
      (await call('DELETE', path, { token: world.tokens.org_admin })).status,
    ).toBe(204);
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

  it('leaves accounts without it as they were: the password is enough', async () => {
    const address: string = (
      await call('GET', '/api/v1/me', { token: world.tokens.org_admin })
    ).body.email;
    const token = await login(address, PASSWORD);
    expect((await call('GET', '/api/v1/me', { token })).body.totpEnabled).toBe(
      false,
    );
  });
});
