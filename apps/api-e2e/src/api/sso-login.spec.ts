import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { totpCode } from '@klantmonitor/server/crypto';
import { call, expectError, login, makeWorld, PASSWORD, World } from '../support/http';

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
  let userId = '';
  /** The organisation admin's settings (#22: theirs to set), with changes. */
  const setSso = (change: Record<string, unknown>) =>
    call('PUT', `/api/v1/organisations/${world.orgA.id}/sso`, {
      token: world.tokens.org_admin,
      body: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, emailDomains: [domain], ...change },
    });

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
    const put = await setSso({});
    expect(put.status).toBe(200);
    const user = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
      token: world.tokens.org_admin,
      body: { email, password: PASSWORD, role: 'counselor', name: 'Sanne SSO' },
    });
    expect(user.status).toBe(201);
    userId = user.body.id;
  }, 60_000);

  afterAll(async () => {
    idp?.kill();
    await db.end();
  });

  const tamper = (mode: string) => fetch(`${issuer}/__test/tamper?mode=${mode}`, { method: 'POST' });

  /**
   * The browser's way from "Inloggen met je organisatie" to the api's callback: start (with `email`),
   * the provider's login page with `who` (and what the provider says of them: `sub`, `email_verified`,
   * `amr`), consent, and back. Returns the callback URL and the browser's cookie jar.
   */
  async function throughProvider(
    who: string,
    says: { sub?: string; email_verified?: 'true' | 'false' | 'missing'; amr?: string } = {},
  ): Promise<{ callback: string; jar: Jar }> {
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
          body: new URLSearchParams({ email: who, ...says }).toString(),
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
    jar?.take(base, res);
    return res.headers.get('location') as string;
  }

  /** POST /auth/oidc/exchange from the browser with `jar` (null: a browser without its cookie). */
  const exchange = (code: string, jar: Jar | null, totp?: string) =>
    call<{ accessToken?: string; expiresIn?: number; totpRequired?: boolean }>('POST', '/api/v1/auth/oidc/exchange', {
      body: { code, ...(totp === undefined ? {} : { totp }) },
      headers: jar ? { cookie: jar.header(base) } : {},
    });

  /** A whole sign-in through the provider as `who`: the callback's location and the browser. */
  async function signIn(who: string, says: Parameters<typeof throughProvider>[1] = {}) {
    const { callback, jar } = await throughProvider(who, says);
    return { location: await back(callback, jar), jar };
  }

  const linkOf = async (id: string) =>
    (await db.query(`SELECT issuer, subject FROM sso_identities WHERE user_id = $1`, [id])).rows[0] as
      | { issuer: string; subject: string }
      | undefined;

  const codeOf = (location: string) => {
    const m = /^\/inloggen\?sso=([A-Za-z0-9_-]{43})$/.exec(location);
    if (!m) throw new Error(`no one-time code in ${location}`);
    return m[1];
  };

  it('says which addresses sign in with their organisation, without revealing accounts', async () => {
    expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email } })).body).toEqual({
      sso: true,
      ssoOnly: false,
    });
    expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email: `nobody@${domain}` } })).body).toEqual({
      sso: true,
      ssoOnly: false,
    });
    expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email: 'a@elders.nl' } })).body).toEqual({
      sso: false,
      ssoOnly: false,
    });
    expect(
      expectError(await call('POST', '/api/v1/auth/oidc/check', { body: { email: 'geen adres' } }), 400).details?.[0]
        .field,
    ).toBe('email');
    expect(
      expectError(await call('GET', `/api/v1/auth/oidc/start?email=${encodeURIComponent('a@elders.nl')}`), 400).code,
    ).toBe('no_sso');
  });

  it('signs in an existing staff account with the provider: a one-time code for this browser only, then the usual access token; the account is linked to the provider user', async () => {
    expect(await linkOf(userId)).toBeUndefined();
    const { callback, jar } = await throughProvider(email);
    // Providers add parameters of their own (Google: authuser, hd, prompt): they are no reason to refuse.
    const location = await back(`${callback}&authuser=0&prompt=consent`, jar);
    const code = codeOf(location);
    // #22: the code is bound to the browser that started (login CSRF): another browser's exchange is
    // refused and does not spend it.
    expect(expectError(await exchange(code, null), 401).code).toBe('other_browser');
    const stranger = new Jar();
    expect(expectError(await exchange(code, stranger), 401).code).toBe('other_browser');
    expect(await linkOf(userId)).toBeUndefined();
    const exchanged = await exchange(code, jar);
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.expiresIn).toBeGreaterThan(0);
    const me = await call<{ email: string; role: string }>('GET', '/api/v1/me', {
      token: exchanged.body.accessToken as string,
    });
    expect(me.body).toMatchObject({ email, role: 'counselor' });
    // Single use.
    expect(expectError(await exchange(code, jar), 401).code).toBe('code_used');
    // Linked to the provider's user (iss + sub), shown on the users page.
    expect(await linkOf(userId)).toEqual({ issuer, subject: email });
    const users = await call<{ id: string; ssoLinkedAt: string | null }[]>(
      'GET',
      `/api/v1/organisations/${world.orgA.id}/users`,
      { token: world.tokens.org_admin },
    );
    expect(users.body.find((u) => u.id === userId)?.ssoLinkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
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
    expect(expectError(await exchange(code, jar), 401).code).toBe('code_expired');
    expect(
      expectError(await call('POST', '/api/v1/auth/oidc/exchange', { body: { code: 'x' } }), 400).details?.[0].field,
    ).toBe('code');
    expect(
      expectError(await call('POST', '/api/v1/auth/oidc/exchange', { body: { code: 'A'.repeat(43) } }), 401).code,
    ).toBe('code_unknown');
  });

  it("refuses an account outside the organisation's SSO domains, whatever address started the sign-in (#22)", async () => {
    // The review: /start with an SSO-domain address, then the provider asserts the org admin
    // (aAdmin-...@example.nl, not an SSO domain) -> an org-admin token. Now: refused, reason domain.
    const admin = (await call('GET', '/api/v1/me', { token: world.tokens.org_admin })).body.email as string;
    const before = (await db.query(`SELECT count(*)::int AS n FROM user_sessions`)).rows[0].n;
    expect((await signIn(admin)).location).toBe('/inloggen?sso_error=domain');
    expect((await db.query(`SELECT count(*)::int AS n FROM user_sessions`)).rows[0].n).toBe(before);
    expect(await linkOf(world.users['aAdmin'])).toBeUndefined();
    const audit = await db.query(
      `SELECT details FROM audit_events WHERE action = 'auth.sso_refused' AND details->>'reason' = 'domain'`,
    );
    expect(audit.rows.map((r) => r.details.email)).toContain(admin);
  });

  it('requires email_verified: true in the ID token (false and missing are refused)', async () => {
    const other = `verified-${randomUUID().slice(0, 6)}@${domain}`;
    const made = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
      token: world.tokens.org_admin,
      body: { email: other, password: PASSWORD, role: 'counselor' },
    });
    expect(made.status).toBe(201);
    expect((await signIn(other, { email_verified: 'false' })).location).toBe('/inloggen?sso_error=email_unverified');
    expect((await signIn(other, { email_verified: 'missing' })).location).toBe('/inloggen?sso_error=email_unverified');
    expect(await linkOf(made.body.id)).toBeUndefined();
    expect((await signIn(other, { email_verified: 'true' })).location).toMatch(/^\/inloggen\?sso=/);
  });

  it('signs in only the linked provider user: another sub with the same e-mail is refused until an admin removes the link', async () => {
    // The first test linked `email` to sub = email. A second user at the provider with the same address:
    expect((await signIn(email, { sub: 'someone-else' })).location).toBe('/inloggen?sso_error=subject');
    // The link on the users page; only an admin of the organisation removes it, audited.
    const path = `/api/v1/organisations/${world.orgA.id}/users/${userId}/sso-link`;
    expectError(await call('DELETE', path, { token: world.tokens.counselor }), 403);
    expectError(await call('DELETE', path, { token: world.tokens.orgBAdmin }), 404);
    expect(
      expectError(
        await call('DELETE', `/api/v1/organisations/${world.orgA.id}/users/${world.users['aPolicy']}/sso-link`, {
          token: world.tokens.org_admin,
        }),
        404,
      ).code,
    ).toBe('sso_not_linked');
    expect(
      expectError(
        await call('DELETE', `/api/v1/organisations/${world.orgA.id}/users/x/sso-link`, {
          token: world.tokens.org_admin,
        }),
        400,
      ).details?.[0].field,
    ).toBe('userId');
    expect((await call('DELETE', path, { token: world.tokens.org_admin })).status).toBe(204);
    const audit = await db.query(
      `SELECT actor_user_id FROM audit_events WHERE action = 'user.sso_unlinked' AND entity_id = $1`,
      [userId],
    );
    expect(audit.rows).toEqual([{ actor_user_id: world.users['aAdmin'] }]);
    // Now the new provider user signs in and is linked instead; the old one is refused.
    const { location, jar } = await signIn(email, { sub: 'someone-else' });
    expect((await exchange(codeOf(location), jar)).status).toBe(200);
    expect(await linkOf(userId)).toEqual({ issuer, subject: 'someone-else' });
    expect((await signIn(email)).location).toBe('/inloggen?sso_error=subject');
    // Back to the first, for the tests after this one.
    expect((await call('DELETE', path, { token: world.tokens.org_admin })).status).toBe(204);
  });

  it("keeps the second factor: a TOTP account gives its code after the provider, unless the organisation trusts the provider's multi-factor and the token names one", async () => {
    const who = `totp-${randomUUID().slice(0, 6)}@${domain}`;
    const made = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
      token: world.tokens.org_admin,
      body: { email: who, password: PASSWORD, role: 'org_admin' },
    });
    expect(made.status).toBe(201);
    const token = await login(who, PASSWORD);
    const secret: string = (await call('POST', '/api/v1/auth/totp/setup', { token, body: { password: PASSWORD } })).body
      .secret;
    expect((await call('POST', '/api/v1/auth/totp/enable', { token, body: { totp: totpCode(secret) } })).status).toBe(
      200,
    );
    const sessions = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM user_sessions WHERE user_id = $1`, [made.body.id])).rows[0].n;
    const before = await sessions();

    // Before: the exchange gave an org-admin token without the code. Now: first "the code, please".
    const first = await signIn(who);
    const code = codeOf(first.location);
    const asked = await exchange(code, first.jar);
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ totpRequired: true });
    expect(await sessions()).toBe(before);
    expect(await linkOf(made.body.id)).toBeUndefined(); // nothing linked before the sign-in is complete
    // A wrong code: 401 naming totp, counted per account like a password sign-in's.
    const wrong = expectError(await exchange(code, first.jar, totpCode(secret, Date.now() - 10 * 60_000)), 401);
    expect(wrong.details?.[0].field).toBe('totp');
    expect(expectError(await exchange(code, first.jar, '12'), 400).details?.[0].field).toBe('totp');
    // Another browser cannot finish it with the right code.
    expect(expectError(await exchange(code, null, totpCode(secret)), 401).code).toBe('other_browser');
    // The next time step's code (the current one was spent turning it on; each is accepted once).
    const done = await exchange(code, first.jar, totpCode(secret, Date.now() + 30_000));
    expect(done.status).toBe(200);
    expect(done.body.accessToken).toBeTruthy();
    expect(await sessions()).toBe(before + 1);
    expect(await linkOf(made.body.id)).toEqual({ issuer, subject: who });

    // The provider's multi-factor counts only when the organisation trusts it and amr names one.
    const amrAsked = async (amr: string) => {
      const r = await signIn(who, { amr });
      return (await exchange(codeOf(r.location), r.jar)).body;
    };
    expect(await amrAsked('mfa')).toEqual({ totpRequired: true }); // not trusted (yet)
    expect((await setSso({ trustProviderMfa: true })).status).toBe(200);
    expect(await amrAsked('pwd')).toEqual({ totpRequired: true });
    for (const amr of ['mfa', 'otp', 'hwk', 'swk', 'pwd,mfa']) {
      const body = await amrAsked(amr);
      expect([amr, typeof body.accessToken]).toEqual([amr, 'string']);
    }
    const audit = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login' AND actor_user_id = $1 AND details->>'providerMfa' = 'true'`,
      [made.body.id],
    );
    expect(audit.rows[0].n).toBe(5);
    expect((await setSso({ trustProviderMfa: false })).status).toBe(200);
    expect(await amrAsked('mfa')).toEqual({ totpRequired: true });
  });

  it('SSO only: no password sign-in, no invitation or reset mail, new accounts without a password', async () => {
    expect((await setSso({ ssoOnly: true })).status).toBe(200);
    try {
      expect((await call('POST', '/api/v1/auth/oidc/check', { body: { email } })).body).toEqual({
        sso: true,
        ssoOnly: true,
      });
      // Before: the password still worked, so a leaver disabled at the provider kept access.
      const refused = expectError(
        await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } }),
        401,
      );
      expect(refused.code).toBe('sso_only');
      const links = async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM account_links l JOIN users u ON u.id = l.user_id WHERE u.email LIKE $1`,
            [`%@${domain}`],
          )
        ).rows[0].n;
      const linksBefore = await links();
      expect((await call('POST', '/api/v1/auth/password/forgot', { body: { email } })).status).toBe(202);
      expect(
        expectError(
          await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
            token: world.tokens.org_admin,
            body: { email: `nieuw-pw@${domain}`, password: PASSWORD, role: 'counselor' },
          }),
          400,
        ).details?.[0].field,
      ).toBe('password');
      const invited = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
        token: world.tokens.org_admin,
        body: { email: `nieuw@${domain}`, role: 'counselor' },
      });
      expect(invited.status).toBe(201);
      expect(invited.body.invited).toBe(false);
      expect(await links()).toBe(linksBefore);
      // The provider signs them in.
      const { location, jar } = await signIn(`nieuw@${domain}`);
      expect((await exchange(codeOf(location), jar)).status).toBe(200);
      // An address of another domain in the same organisation keeps its password.
      expect(
        (
          await call('POST', '/api/v1/auth/login', {
            body: {
              email: (await call('GET', '/api/v1/me', { token: world.tokens.counselor })).body.email,
              password: PASSWORD,
            },
          })
        ).status,
      ).toBe(200);
    } finally {
      expect((await setSso({ ssoOnly: false })).status).toBe(200);
    }
    expect(await login(email, PASSWORD)).toBeTruthy();
  });

  it("takes a new client secret at once (the organisation's admin changes it; no 10 minutes of the old one)", async () => {
    expect((await setSso({ clientSecret: 'not-the-secret' })).status).toBe(200);
    // The provider refuses the client at its token endpoint: no sign-in.
    expect((await signIn(email)).location).toBe('/inloggen?sso_error=token_rejected');
    expect((await setSso({})).status).toBe(200);
    expect((await signIn(email)).location).toMatch(/^\/inloggen\?sso=/);
  });

  it('fetches a failing provider at most once a minute, not on every sign-in', async () => {
    let hits = 0;
    const broken = createServer((_req, res) => {
      hits++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const port = (broken.address() as AddressInfo).port;
    const brokenDomain = `${randomUUID().slice(0, 8)}.kapot.nl`;
    try {
      const put = await call('PUT', `/api/v1/organisations/${world.orgB.id}/sso`, {
        token: world.tokens.orgBAdmin,
        body: { issuer: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: 'y', emailDomains: [brokenDomain] },
      });
      expect(put.status).toBe(200);
      for (let i = 0; i < 5; i++) {
        const res = await call('GET', `/api/v1/auth/oidc/start?email=a@${brokenDomain}`);
        expect(expectError(res, 400).code).toBe('provider_error');
      }
      expect(hits).toBe(1);
    } finally {
      await call('DELETE', `/api/v1/organisations/${world.orgB.id}/sso`, { token: world.tokens.orgBAdmin });
      broken.close();
    }
  });

  it('limits /start, /callback and /exchange per address; made-up values write at most one audit row a minute', async () => {
    const limit = Number(env['OIDC_ADDRESS_RATE_LIMIT'] ?? 60);
    const from = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
    // The browser's steps are redirects: read the 302 itself.
    const get = (path: string, headers: Record<string, string>) =>
      fetch(`${base}${path}`, { redirect: 'manual', headers });
    const count = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0].n as number;
    const logins = await count('SELECT count(*)::int AS n FROM oidc_logins');
    const statuses = { start: [] as number[], callback: [] as number[], exchange: [] as number[] };
    for (let i = 0; i < limit + 10; i++) {
      statuses.start.push((await get(`/api/v1/auth/oidc/start?email=${encodeURIComponent(email)}`, from(1))).status);
      statuses.callback.push((await get(`/api/v1/auth/oidc/callback?state=made-up-${i}&code=x`, from(2))).status);
      statuses.exchange.push(
        (await call('POST', '/api/v1/auth/oidc/exchange', { body: { code: 'B'.repeat(43) }, headers: from(3) })).status,
      );
    }
    expect(statuses.start.filter((s) => s === 302)).toHaveLength(limit);
    expect(statuses.start.slice(limit).every((s) => s === 429)).toBe(true);
    expect(statuses.callback.filter((s) => s === 302)).toHaveLength(limit);
    expect(statuses.callback.slice(limit).every((s) => s === 429)).toBe(true);
    expect(statuses.exchange.filter((s) => s === 401)).toHaveLength(limit);
    expect(statuses.exchange.slice(limit).every((s) => s === 429)).toBe(true);
    // No more rows than the limit lets through; one audit row per address for the made-up values.
    expect((await count('SELECT count(*)::int AS n FROM oidc_logins')) - logins).toBeLessThanOrEqual(limit);
    for (const n of [2, 3])
      expect(
        await count(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.sso_refused' AND details->>'ip' = $1`,
          [`203.0.113.${n}`],
        ),
      ).toBe(1);
    // Another address is not affected.
    expect((await get(`/api/v1/auth/oidc/start?email=${encodeURIComponent(email)}`, from(4))).status).toBe(302);
  });
});
