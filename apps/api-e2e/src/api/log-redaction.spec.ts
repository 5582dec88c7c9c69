import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'main.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

/**
 * Secrets in URLs never reach the api's log (#22): a second api process on the test database with
 * request logging on (the stack's logs warnings only) gets every kind of link with a token, and its
 * log is read. Before: /welkom/<t>, /wachtwoord/<t>, the SSO callback's code and state and
 * /inloggen?sso=<code> were logged as they came.
 */
describe('the api log and tokens in URLs', () => {
  let api: ChildProcess;
  let base = '';
  const out = { log: '' };

  beforeAll(async () => {
    const env = JSON.parse(process.env['KM_E2E_ENV'] as string) as Record<string, string>;
    const port = await freePort();
    api = spawn(process.execPath, [API_MAIN], {
      // Serving the dashboard too, as in the demo: its routes (/v/, /mijn/, /welkom/, ...) reach the log.
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        LOG_LEVEL: 'info',
        DASHBOARD_DIST: join(ROOT, 'dist', 'apps', 'dashboard'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (d) => (out.log += d));
    api.stderr?.on('data', (d) => (out.log += d));
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the api did not start:\n${out.log}`);
  }, 60_000);

  afterAll(() => {
    api?.kill();
  });

  it('redacts every token in a path or query', async () => {
    const secret = () => randomBytes(32).toString('base64url');
    const secrets: string[] = [];
    const paths = [
      (t: string) => `/api/v1/respond/${t}`,
      (t: string) => `/api/v1/client-portal/${t}`,
      (t: string) => `/v/${t}`,
      (t: string) => `/mijn/${t}`,
      (t: string) => `/welkom/${t}`,
      (t: string) => `/wachtwoord/${t}`,
      (t: string) => `/inloggen?sso=${t}`,
      (t: string) => `/api/v1/auth/oidc/callback?code=${t}&state=${secret()}`,
      (t: string) => `/api/v1/auth/oidc/callback?state=${t}&code=x`,
    ];
    for (const path of paths) {
      const t = secret();
      secrets.push(t);
      await fetch(`${base}${path(t)}`, { redirect: 'manual' });
    }
    // The lines are written when the answers go out: wait for the API routes' lines (the dashboard's
    // own routes are files, served without a request log line; redactUrl covers them all the same).
    const apiLines = () => (out.log.match(/"url":"\/api\/v1\//g) ?? []).length;
    for (let i = 0; i < 50 && apiLines() < 4; i++) await new Promise((r) => setTimeout(r, 100));
    expect(apiLines()).toBe(4);
    for (const [i, t] of secrets.entries()) expect([i, out.log.includes(t)]).toEqual([i, false]);
    // Each route is still there to read, with the token replaced.
    for (const logged of [
      '/api/v1/respond/[token]',
      '/api/v1/client-portal/[token]',
      '/api/v1/auth/oidc/callback?code=[redacted]&state=[redacted]',
      '/api/v1/auth/oidc/callback?state=[redacted]&code=[redacted]',
    ])
      expect([logged, out.log.includes(logged)]).toEqual([logged, true]);
  });
});
