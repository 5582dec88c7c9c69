import { Client } from 'pg';
import { totpCode } from '@klantmonitor/server/crypto';
import { call, expectError, login, makeWorld, newColleague, PASSWORD, type World } from '../support/http';

/**
 * Recovery codes for two-step verification (#13): ten single-use codes, shown once when it is
 * turned on; one signs in instead of the app's code; new ones replace the old; turning it off (or
 * an admin's reset) removes them. Since #22: 10 signs of a 32-sign alphabet (50 bits), kept only as
 * salted argon2id hashes.
 */
describe('recovery codes', () => {
  let world: World;

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('are shown once at set-up, each works once at sign-in, can be renewed, and go with the second factor', async () => {
    const me = await newColleague(world, `recovery-${Date.now()}@example.nl`);
    let token = me.token;
    const setup = await call('POST', '/api/v1/auth/totp/setup', {
      token,
      body: { password: PASSWORD },
    });
    const secret: string = setup.body.secret;
    const enabled = await call('POST', '/api/v1/auth/totp/enable', {
      token,
      body: { totp: totpCode(secret) },
    });
    expect(enabled.status).toBe(200);
    const codes: string[] = enabled.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    token = enabled.body.accessToken;
    expect((await call('GET', '/api/v1/me', { token })).body.recoveryCodesLeft).toBe(10);

    // Only hashes in the database.
    const owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    try {
      const { rows } = await owner.query(`SELECT code_hash FROM totp_recovery_codes WHERE user_id = $1`, [me.id]);
      expect(rows).toHaveLength(10);
      // Salted and slow: argon2id, each with its own salt (no two alike, none a plain digest).
      for (const r of rows) expect(r.code_hash.toString('utf8')).toMatch(/^\$argon2id\$v=19\$m=19456,/);
      expect(new Set(rows.map((r) => r.code_hash.toString('utf8').split('$')[4])).size).toBe(10);
    } finally {
      await owner.end();
    }

    // A recovery code instead of the app's code (typed in capitals without the dash: the same code).
    const signIn = (totp: string) =>
      call('POST', '/api/v1/auth/login', {
        body: { email: me.email, password: PASSWORD, totp },
      });
    const first = await signIn(codes[0].replace('-', '').toUpperCase());
    expect(first.status).toBe(200);
    expect(expectError(await signIn(codes[0]), 401).details?.[0].field).toBe('totp'); // used once
    expect(expectError(await signIn('aaaaa-aaaaa'), 401).details?.[0].field).toBe('totp');
    // The old 8-sign form is no recovery code any more.
    expect(expectError(await signIn('abcd-efgh'), 400).details?.[0].field).toBe('totp');
    expect(expectError(await signIn('abc'), 400).details?.[0].field).toBe('totp');
    token = first.body.accessToken;
    expect((await call('GET', '/api/v1/me', { token })).body.recoveryCodesLeft).toBe(9);

    // New codes need the password; the old ones stop working.
    expect(
      expectError(
        await call('POST', '/api/v1/auth/totp/recovery-codes', {
          token,
          body: { password: 'not-my-password' },
        }),
        400,
      ).details?.[0].field,
    ).toBe('password');
    const renewed = await call('POST', '/api/v1/auth/totp/recovery-codes', {
      token,
      body: { password: PASSWORD },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expectError(await signIn(codes[1]), 401);
    const second = await signIn(renewed.body.recoveryCodes[3]);
    expect(second.status).toBe(200);

    // An admin's reset takes the second factor and its codes away: the password alone signs in.
    expect(
      (
        await call('DELETE', `/api/v1/organisations/${world.orgA.id}/users/${me.id}/totp`, {
          token: world.tokens.org_admin,
        })
      ).status,
    ).toBe(204);
    expect(await login(me.email, PASSWORD)).toBeTruthy();
    const check = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await check.connect();
    try {
      expect(
        (await check.query(`SELECT count(*)::int AS n FROM totp_recovery_codes WHERE user_id = $1`, [me.id])).rows[0].n,
      ).toBe(0);
    } finally {
      await check.end();
    }
    // Without a second factor there are no codes to renew.
    expectError(
      await call('POST', '/api/v1/auth/totp/recovery-codes', {
        token: await login(me.email, PASSWORD),
        body: { password: PASSWORD },
      }),
      409,
    );
  });
});
