import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, makeWorld, World } from '../support/http';

/**
 * Single sign-on settings (docs/api.md "Single sign-on"): the organisation's own admin sets its OpenID
 * Connect provider (#22: no longer a platform admin, who may only read and switch it off); the secret
 * is stored sealed and never given back; a domain belongs to one organisation; the issuer is a public
 * https address; nobody else may read or change them.
 */
describe('single sign-on settings per organisation', () => {
  let world: World;
  let db: Client;
  beforeAll(async () => {
    world = await makeWorld();
    db = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
  });

  const tag = randomUUID().slice(0, 8);
  const domain = `${tag}.gemeente.nl`;
  const body = {
    // A public address as an IP literal: the tests run without DNS for the internet.
    issuer: 'https://93.184.216.34/realms/utrecht',
    clientId: 'klantmonitor',
    clientSecret: `secret-${tag}-do-not-show`,
    emailDomains: [domain, `Team.${domain}`],
  };
  const put = (
    id: string,
    b: unknown,
    token = id === world.orgB.id ? world.tokens.orgBAdmin : world.tokens.org_admin,
  ) => call('PUT', `/api/v1/organisations/${id}/sso`, { token, body: b });

  it('the organisation admin sets it up and changes it; a platform admin reads it back without the secret and turns it off', async () => {
    expectError(
      await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin }),
      404,
    );
    const saved = await put(world.orgA.id, body);
    expect(saved.status).toBe(200);
    // Domains are compared in lower case and answered so; the secret never comes back.
    expect(saved.body).toMatchObject({
      issuer: body.issuer,
      clientId: 'klantmonitor',
      emailDomains: [domain, `team.${domain}`].sort(),
      hasClientSecret: true,
      trustProviderMfa: false,
      ssoOnly: false,
    });
    expect(
      (await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.org_admin })).body,
    ).toEqual(saved.body);
    const read = await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, {
      token: world.tokens.platform_admin,
    });
    expect(read.body).toEqual(saved.body);
    expect(JSON.stringify(read.body)).not.toContain('do-not-show');
    // Sealed at rest: the secret's text is nowhere in the row.
    const row = await db.query(`SELECT client_secret_enc FROM organisation_sso WHERE organisation_id = $1`, [
      world.orgA.id,
    ]);
    expect(row.rows).toHaveLength(1);
    expect(Buffer.from(row.rows[0].client_secret_enc).toString('latin1')).not.toContain('do-not-show');
    // Audited, without the secret.
    const audit = await db.query(
      `SELECT details FROM audit_events WHERE action = 'organisation.sso.create' AND entity_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [world.orgA.id],
    );
    expect(audit.rows[0].details).toMatchObject({ issuer: body.issuer, clientId: 'klantmonitor' });
    expect(JSON.stringify(audit.rows[0].details)).not.toContain('do-not-show');

    // Changing it replaces the domains; left out, the secret stays; the audit names what changed.
    const { clientSecret: _s, ...noSecret } = body;
    const changed = await put(world.orgA.id, { ...noSecret, emailDomains: [domain], ssoOnly: true });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ emailDomains: [domain], ssoOnly: true, trustProviderMfa: false });
    const sealed = await db.query(`SELECT client_secret_enc FROM organisation_sso WHERE organisation_id = $1`, [
      world.orgA.id,
    ]);
    expect(Buffer.compare(sealed.rows[0].client_secret_enc, row.rows[0].client_secret_enc)).toBe(0);
    const update = await db.query(
      `SELECT details, actor_user_id FROM audit_events WHERE action = 'organisation.sso.update' AND entity_id = $1`,
      [world.orgA.id],
    );
    expect(update.rows).toHaveLength(1);
    expect(update.rows[0].details.changed).toEqual(['emailDomains', 'ssoOnly']);
    expect(update.rows[0].actor_user_id).toBe(world.users['aAdmin']);

    expect(
      (await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin }))
        .status,
    ).toBe(204);
    expect(
      expectError(
        await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin }),
        404,
      ).code,
    ).toBe('sso_not_set');
    expectError(
      await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin }),
      404,
    );
  });

  it('a domain signs in with one organisation only: 409 domain_in_use', async () => {
    expect((await put(world.orgA.id, body)).status).toBe(200);
    const taken = expectError(await put(world.orgB.id, { ...body, emailDomains: [`TEAM.${domain}`] }), 409);
    expect(taken.code).toBe('domain_in_use');
    expect(taken.details?.[0].field).toBe('emailDomains');
    // Nothing half-written for organisation B.
    expectError(
      await call('GET', `/api/v1/organisations/${world.orgB.id}/sso`, { token: world.tokens.platform_admin }),
      404,
    );
    await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.org_admin });
  });

  it('refuses issuers on private, loopback and link-local addresses (#22), plain http, and malformed, missing and oversized fields, by name', async () => {
    const refused = async (issuer: string) => {
      const e = expectError(await put(world.orgA.id, { ...body, issuer }), 400);
      expect([issuer, e.details?.[0].field]).toEqual([issuer, 'issuer']);
      return e.details?.[0].message;
    };
    // Before: all of these were saved, and the api fetched them at every sign-in.
    expect(await refused('https://169.254.169.254/latest')).toContain('public address');
    expect(await refused('https://10.0.0.8/realms/x')).toContain('public address');
    expect(await refused('https://192.168.1.10')).toContain('public address');
    expect(await refused('https://127.0.0.1:8443')).toContain('public address');
    expect(await refused('https://[::1]:8443')).toContain('public address');
    expect(await refused('https://[fd12::7]')).toContain('public address');
    expect(await refused('https://[::ffff:169.254.169.254]')).toContain('public address');
    expect(await refused('https://localhost:8443')).toContain('public host name');
    expect(await refused('http://localhost:4011')).toContain('https://');
    expect(await refused('http://[::1]:4011')).toContain('https://');
    // A name is looked up: one that does not resolve (here: no DNS at all) is no provider.
    expect(await refused('https://login.example.nl/realms/x')).toContain('does not resolve');
    expect(await db.query('SELECT 1 FROM organisation_sso WHERE organisation_id = $1', [world.orgA.id])).toMatchObject({
      rowCount: 0,
    });
    const field = async (b: unknown) => expectError(await put(world.orgA.id, b), 400).details?.[0].field;
    expect(await field({ ...body, issuer: 'http://login.example.nl' })).toBe('issuer');
    expect(await field({ ...body, issuer: 'login.example.nl' })).toBe('issuer');
    expect(await field({ ...body, issuer: `https://${'x'.repeat(600)}.nl` })).toBe('issuer');
    expect(await field({ ...body, emailDomains: [] })).toBe('emailDomains');
    expect(await field({ ...body, emailDomains: ['not a domain'] })).toBe('emailDomains');
    expect(await field({ ...body, emailDomains: [domain, domain] })).toBe('emailDomains');
    expect(await field({ ...body, clientSecret: '' })).toBe('clientSecret');
    expect(await field({ ...body, clientSecret: 'x'.repeat(501) })).toBe('clientSecret');
    const { clientSecret: _s, ...noSecret } = body;
    expect(await field(noSecret)).toBe('clientSecret'); // the first time it is required
    expect(await field({ ...body, ssoOnly: 'yes' })).toBe('ssoOnly');
    expect(await field({ ...body, trustProviderMfa: 1 })).toBe('trustProviderMfa');
    const { clientId: _c, ...noClient } = body;
    expect(await field(noClient)).toBe('clientId');
    expect(await field({ ...body, extra: 1 })).toBe('extra');
    expect(await field([body])).toBe('body');
    // http://127.0.0.1:<port> with the development setting (SSO_LOOPBACK_ISSUER, on in the tests and the demo).
    expect((await put(world.orgA.id, { ...body, issuer: 'http://127.0.0.1:4011' })).status).toBe(200);
    await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.org_admin });
  });

  it("is set by the organisation's own admin only: a platform admin reads and switches off, never points it elsewhere (#22)", async () => {
    expect((await put(world.orgA.id, body)).status).toBe(200);
    // Before: a platform admin could point an organisation at a provider of their own and become any of its staff.
    const forbidden = expectError(
      await put(world.orgA.id, { ...body, issuer: 'https://93.184.216.35/mine' }, world.tokens.platform_admin),
      403,
    );
    expect(forbidden.code).toBe('sso_own_organisation');
    expect(
      (await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin })).body
        .issuer,
    ).toBe(body.issuer);
    for (const token of [world.tokens.counselor, world.tokens.policy_advisor])
      expectError(await put(world.orgA.id, body, token), 403);
    expectError(
      await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.counselor }),
      403,
    );
    // Another organisation's admin: the same 404 as an unknown organisation, for reading, writing and removing.
    expectError(await put(world.orgA.id, body, world.tokens.orgBAdmin), 404);
    expectError(
      await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.orgBAdmin }),
      404,
    );
    expectError(
      await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.orgBAdmin }),
      404,
    );
    expectError(await call('PUT', `/api/v1/organisations/${world.orgA.id}/sso`, { body }), 401);
    expectError(await put(randomUUID(), body, world.tokens.platform_admin), 403);
    expect(expectError(await put('42', body), 400).details?.[0].field).toBe('id');

    // Row-level security, from outside the api: in a platform admin's transaction the app role reads
    // but cannot insert or change; in another organisation's it sees nothing.
    const app = new Client({ connectionString: process.env['KM_E2E_APP_DB_URL'] });
    await app.connect();
    const as = async (organisationId: string, platformAdmin: boolean, sql: string, params: unknown[] = []) => {
      await app.query('BEGIN');
      try {
        await app.query(
          `SELECT set_config('app.organisation_id', $1, true), set_config('app.platform_admin', $2, true)`,
          [organisationId, platformAdmin ? 'on' : 'off'],
        );
        return await app.query(sql, params);
      } finally {
        await app.query('ROLLBACK');
      }
    };
    try {
      expect(
        (
          await as(world.orgA.id, true, 'SELECT issuer FROM organisation_sso WHERE organisation_id = $1', [
            world.orgA.id,
          ])
        ).rows,
      ).toEqual([{ issuer: body.issuer }]);
      expect(
        (
          await as(
            world.orgA.id,
            true,
            `UPDATE organisation_sso SET issuer = 'https://93.184.216.35/mine' WHERE organisation_id = $1 RETURNING 1`,
            [world.orgA.id],
          )
        ).rowCount,
      ).toBe(0);
      await expect(
        as(
          world.orgB.id,
          true,
          `INSERT INTO organisation_sso (organisation_id, issuer, client_id, client_secret_enc) VALUES ($1, 'https://93.184.216.35/mine', 'x', '\\x00')`,
          [world.orgB.id],
        ),
      ).rejects.toThrow(/row-level security/);
      expect((await as(world.orgB.id, false, 'SELECT count(*)::int AS n FROM organisation_sso')).rows[0].n).toBe(0);
      expect((await as(world.orgA.id, false, 'SELECT count(*)::int AS n FROM organisation_sso')).rows[0].n).toBe(1);
    } finally {
      await app.end();
    }
    // The platform admin's emergency stop.
    expect(
      (await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin }))
        .status,
    ).toBe(204);
  });
});
