import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { call, expectError, makeWorld, World } from '../support/http';

const ROOT = join(__dirname, '..', '..', '..', '..');
const env = JSON.parse(process.env['KM_E2E_ENV'] as string) as Record<string, string>;
const base = process.env['KM_E2E_BASE_URL'] as string;
const publicUrl = (env['PUBLIC_URL'] ?? `http://localhost:${env['PORT']}`).replace(/\/$/, '');
const CLIENT_ID = 'klantmonitor-e2e';
const CLIENT_SECRET = `secret-${randomUUID()}`;

/** Cookies per origin, as a browser keeps them (names and values only: enough for these hosts). */
class Jar {
  private readonly cookies = new Map<string, Map<string, string>>();
  take(origin: string, res: Response): void {
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(origin, jar);
  }
  header(origin: string): string {
    return [...(this.cookies.get(origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Single sign-on against a real, certified OpenID provider (`oidc-provider`, tools/oidc) on loopback:
 * the browser's round trip is played by hand (redirects, the provider's login form, cookies), so
 * every check of the api runs as in production. Refusals: a bad signature, a wrong audience, a wrong
 * nonce (the provider tampers with one ID token), a replayed or tampered state, a state from another
 * browser, an unknown e-mail, an inactive account, an expired or reused one-time code.
 */
describe('single sign-on with an OpenID provider', () => {
  let world: World;
  let db: Client;
  let idp: ChildProcess;
  let issuer = '';
  const domain = `${randomUUID().slice(0, 8)}.gemeente.nl`;
  const email = `hulpverlener@${domain}`;

  beforeAll(async () => {
    world = await makeWorld();
    db = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await db.connect();
    idp = spawn(
      process.execPath,
      [
        join(ROOT, 'tools/oidc/test-provider.mjs'),
        '0',
        CLIENT_ID,
        CLIENT_SECRET,
        `${publicUrl}/api/v1/auth/oidc/callback`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    issuer = await new Promise<string>((resolve, reject) => {
      idp.stdout?.on('data', (d: Buffer) => {
        const m = /READY (\S+)/.exec(d.toString());
        if (m) resolve(m[1]);
      });
      idp.on('exit', (code) => reject(new Error(`test provider exited (${code})`)));
    });
    const put = await call('PUT', `/api/v1/organisations/${world.orgA.id}/sso`, {
      token: world.tokens.platform_admin,
      body: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, emailDomains: [domain] },
    });
    expect(put.status).toBe(200);
    const user = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
      token: world.tokens.platform_admin,
      body: { email, password: `pw-${randomUUID()}`, role: 'counselor', name: 'Sanne SSO' },
    });
    expect(user.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    idp?.kill();
    await db.end();
  });

  const tamper = (mode: string) => fetch(`${issuer}/__test/tamper?mode=${mode}`, { method: 'POST' });

  /**
   * The browser's way from "Inloggen met je organisatie" to the api's callback: start, the provider's
   * login page with `who`, consent, and back. Returns the callback URL and the browser's cookie jar.
   */
  async function throughProvider(who: string): Promise<{ callback: string; jar: Jar }> {
    const jar = new Jar();
    const start = await fetch(`${base}/api/v1/auth/oidc/start?email=${encodeURIComponent(email)}`, {
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    jar.take(base, start);
    let url = start.headers.get('location') as string;
    expect(url.startsWith(`${issuer}/auth?`)).toBe(true);
    const params = new URL(url).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('nonce')).toBeTruthy();
    for (let hops = 0; hops < 12; hops++) {
      if (url.startsWith(`${publicUrl}/api/v1/auth/oidc/callback`)) return { callback: url, jar };
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(issuer) } });
      jar.take(issuer, res);
      if (res.status === 200 && /name="email"/.test(await res.clone().text())) {
        const action = /action="([^"]+)"/.exec(await res.text())?.[1] as string;
        const login = await fetch(`${issuer}${action}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: jar.header(issuer), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: who }).toString(),
        });
        jar.take(issuer, login);
        url = new URL(login.headers.get('location') as string, issuer).href;
        continue;
      }
      const next = res.headers.get('location');
      if (!next) throw new Error(`the provider stopped at ${url}: ${res.status} ${await res.text()}`);
      url = new URL(next, issuer).href;
    }
    throw new Error('too many redirects at the provider');
  }

  /** The api's callback in the browser that started (or, `jar` null, another one). */
  async function back(callback: string, jar: Jar | null): Promise<string> {
    const apiUrl = callback.replace(publicUrl, base);
    const res = await fetch(apiUrl, { redirect: 'manual', headers: jar ? { cookie: jar.header(base) } : {} });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.headers.get('location') as string;
  }

  const codeOf = (location: string) => {
    const m = /^\/inloggen\?sso=([A-Za-z0-9_-]{43})$/.exec(location);
    if (!m) throw new Error(`no one-time code in ${location}`);
    return m[1];
  };

  it('says which addresses sign in with their organisation, without revealing accounts', async () => {
    expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email } })).body).toEqual({ sso: true });
    expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email: `nobody@${domain}` } })).body).toEqual({
      sso: true,
    });
    expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email: 'a@elders.nl' } })).body).toEqual({
      sso: false,
    });
    expect(
      expectError(await call('POST', '/api/v1/auth/oidc/check', { body: { email: 'geen adres' } }), 400).details?.[0]
        .field,
    ).toBe('email');
    expect(
      expectError(await call('GET', `/api/v1/auth/oidc/start?email=${encodeURIComponent('a@elders.nl')}`), 400).code,
    ).toBe('no_sso');
  });

  it('signs in an existing staff account with the provider: a one-time code, then the usual access token', async () => {
    const { callback, jar } = await throughProvider(email);
    // Providers add parameters of their own (Google: authuser, hd, prompt): they are no reason to refuse.
    const location = await back(`${callback}&authuser=0&prompt=consent`, jar);
    const code = codeOf(location);
    const exchanged = await call<{ accessToken: string; expiresIn: number }>('POST', '/api/v1/auth/oidc/exchange', {
      body: { code },
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.expiresIn).toBeGreaterThan(0);
    const me = await call<{ email: string; role: string }>('GET', '/api/v1/me', {
      token: exchanged.body.accessToken,
    });
    expect(me.body).toMatchObject({ email, role: 'counselor' });
    // Single use.
    expect(expectError(await call('POST', '/api/v1/auth/oidc/exchange', { body: { code } }), 401).code).toBe(
      'code_used',
    );
    // The same answer from the provider again (a replayed state): refused.
    expect(await back(callback, jar)).toBe('/inloggen?sso_error=state_used');
    const audit = await db.query(
      `SELECT details FROM audit_events WHERE action = 'auth.login' AND actor_user_id = (SELECT id FROM users WHERE email = $1)`,
      [email],
    );
    expect(audit.rows.map((r) => r.details.method)).toEqual(['sso']);
  });

  it('refuses a bad signature, a wrong audience and a wrong nonce in the ID token', async () => {
    for (const mode of ['signature', 'audience', 'nonce']) {
      const { callback, jar } = await throughProvider(email);
      await tamper(mode);
      expect([mode, await back(callback, jar)]).toEqual([mode, '/inloggen?sso_error=token_rejected']);
    }
    // Untampered again: it works (the provider tampers one token at a time).
    const { callback, jar } = await throughProvider(email);
    expect(await back(callback, jar)).toMatch(/^\/inloggen\?sso=/);
  });

  it('refuses a tampered state, a state from another browser, an unknown e-mail and an inactive account', async () => {
    const first = await throughProvider(email);
    const tampered = new URL(first.callback);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    expect(await back(tampered.href, first.jar)).toBe('/inloggen?sso_error=state_unknown');
    // Without the cookie of the browser that started: another browser (a link sent to a victim).
    const second = await throughProvider(email);
    expect(await back(second.callback, null)).toBe('/inloggen?sso_error=other_browser');
    // The provider vouches for an address that has no account here: never created.
    const stranger = await throughProvider(`nobody@${domain}`);
    expect(await back(stranger.callback, stranger.jar)).toBe('/inloggen?sso_error=unknown_account');
    expect(
      (await db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [`nobody@${domain}`])).rows[0].n,
    ).toBe(0);
    // A colleague who left (inactive): refused.
    const { rows } = await db.query('SELECT id FROM users WHERE email = $1', [email]);
    const patch = await call('PATCH', `/api/v1/organisations/${world.orgA.id}/users/${rows[0].id}`, {
      token: world.tokens.platform_admin,
      body: { active: false },
    });
    expect(patch.status).toBe(200);
    const gone = await throughProvider(email);
    expect(await back(gone.callback, gone.jar)).toBe('/inloggen?sso_error=inactive_account');
    await call('PATCH', `/api/v1/organisations/${world.orgA.id}/users/${rows[0].id}`, {
      token: world.tokens.platform_admin,
      body: { active: true },
    });
    const reasons = await db.query(
      `SELECT details->>'reason' AS reason FROM audit_events WHERE action = 'auth.sso_refused' ORDER BY occurred_at`,
    );
    expect(reasons.rows.map((r) => r.reason)).toEqual(
      expect.arrayContaining([
        'state_unknown',
        'other_browser',
        'unknown_account',
        'inactive_account',
        'token_rejected',
        'state_used',
      ]),
    );
  });

  it('refuses an expired one-time code and a malformed one', async () => {
    const { callback, jar } = await throughProvider(email);
    const code = codeOf(await back(callback, jar));
    await db.query(`UPDATE sso_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    expect(expectError(await call('POST', '/api/v1/auth/oidc/exchange', { body: { code } }), 401).code).toBe(
      'code_expired',
    );
    expect(
      expectError(await call('POST', '/api/v1/auth/oidc/exchange', { body: { code: 'x' } }), 400).details?.[0].field,
    ).toBe('code');
    expect(
      expectError(await call('POST', '/api/v1/auth/oidc/exchange', { body: { code: 'A'.repeat(43) } }), 401).code,
    ).toBe('code_unknown');
  });
});
