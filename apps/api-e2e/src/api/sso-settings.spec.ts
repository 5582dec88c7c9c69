import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, makeWorld, World } from '../support/http';

/**
 * Single sign-on settings (docs/api.md "Single sign-on"): a platform admin sets an organisation's
 * OpenID Connect provider; the secret is stored sealed and never given back; a domain belongs to one
 * organisation; nobody else may read or change them.
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
    issuer: 'https://login.example.nl/realms/utrecht',
    clientId: 'klantmonitor',
    clientSecret: `secret-${tag}-do-not-show`,
    emailDomains: [domain, `Team.${domain}`],
  };
  const put = (id: string, b: unknown, token = world.tokens.platform_admin) =>
    call('PUT', `/api/v1/organisations/${id}/sso`, { token, body: b });

  it('a platform admin sets it up, reads it back without the secret, and turns it off', async () => {
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
    });
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
      `SELECT details FROM audit_events WHERE action = 'organisation.sso.update' AND entity_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [world.orgA.id],
    );
    expect(audit.rows[0].details).toMatchObject({ issuer: body.issuer, clientId: 'klantmonitor' });
    expect(JSON.stringify(audit.rows[0].details)).not.toContain('do-not-show');

    // Changing it replaces the domains.
    const changed = await put(world.orgA.id, { ...body, emailDomains: [domain] });
    expect(changed.body.emailDomains).toEqual([domain]);

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
    await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin });
  });

  it('refuses a plain-http issuer except on loopback, and malformed, missing and oversized fields, by name', async () => {
    const field = async (b: unknown) => expectError(await put(world.orgA.id, b), 400).details?.[0].field;
    expect(await field({ ...body, issuer: 'http://login.example.nl' })).toBe('issuer');
    expect(await field({ ...body, issuer: 'login.example.nl' })).toBe('issuer');
    expect(await field({ ...body, issuer: `https://${'x'.repeat(600)}.nl` })).toBe('issuer');
    expect(await field({ ...body, emailDomains: [] })).toBe('emailDomains');
    expect(await field({ ...body, emailDomains: ['not a domain'] })).toBe('emailDomains');
    expect(await field({ ...body, emailDomains: [domain, domain] })).toBe('emailDomains');
    expect(await field({ ...body, clientSecret: '' })).toBe('clientSecret');
    expect(await field({ ...body, clientSecret: 'x'.repeat(501) })).toBe('clientSecret');
    const { clientId: _c, ...noClient } = body;
    expect(await field(noClient)).toBe('clientId');
    expect(await field({ ...body, extra: 1 })).toBe('extra');
    expect(await field([body])).toBe('body');
    // On a loopback address plain http is fine (the tests' and the demo's own provider).
    expect((await put(world.orgA.id, { ...body, issuer: 'http://127.0.0.1:4011' })).status).toBe(200);
    await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin });
  });

  it('is for platform admins only; an unknown organisation is 404', async () => {
    for (const token of [world.tokens.org_admin, world.tokens.counselor, world.tokens.policy_advisor])
      expectError(await put(world.orgA.id, body, token), 403);
    expectError(
      await call('GET', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.org_admin }),
      403,
    );
    expectError(await call('PUT', `/api/v1/organisations/${world.orgA.id}/sso`, { body }), 401);
    expectError(await put(randomUUID(), body), 404);
    expect(expectError(await put('42', body), 400).details?.[0].field).toBe('id');
    // Row-level security: the app role in organisation A's own transaction sees no settings.
    await put(world.orgA.id, body);
    const app = new Client({ connectionString: process.env['KM_E2E_APP_DB_URL'] });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query(
        `SELECT set_config('app.organisation_id', $1, true), set_config('app.platform_admin', 'off', true)`,
        [world.orgA.id],
      );
      expect((await app.query('SELECT count(*)::int AS n FROM organisation_sso')).rows[0].n).toBe(0);
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
    await call('DELETE', `/api/v1/organisations/${world.orgA.id}/sso`, { token: world.tokens.platform_admin });
  });
});
