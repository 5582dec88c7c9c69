/**
 * The demo: builds the apps, starts PostgreSQL and Redis on embedded defaults (unless DATABASE_URL
 * / REDIS_URL are given), migrates and seeds, runs api and worker, and serves the dashboard at
 * http://localhost:3000, with a local inbox (SMTP and SMS) for questionnaire invitations at
 * http://localhost:1080 unless SMTP_URL is given. Data lives in .data/ and survives restarts;
 * Ctrl+C stops everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freePort, startPostgres, startRedis, waitForPort } from '../services/services.mjs';
import { startTestProvider } from '../oidc/test-provider.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const DATA = join(ROOT, '.data');
const children = [];
const stops = [];
let stopping = false;

async function portFree(port) {
  try {
    await waitForPort(port, 200);
    return false;
  } catch {
    return true;
  }
}

/** Secrets made once per .data folder, so sessions and the app password survive restarts. */
function demoSecrets() {
  const file = join(DATA, 'demo-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    appPassword: randomBytes(16).toString('hex'),
    jwtSecret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Klantmonitor ...');
  for (const child of children.reverse()) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function step(title, command, args, env = process.env) {
  console.log(`\n> ${title}`);
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${title} failed (exit ${r.status})`);
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  const secrets = demoSecrets();
  const port = Number(process.env.PORT ?? 3000);

  step('Building api, worker and dashboard', join(ROOT, 'node_modules', '.bin', 'nx'), [
    'run-many',
    '-t',
    'build',
    '-p',
    'api',
    'worker',
    'dashboard',
    '--parallel=2',
  ]);

  let databaseUrl = process.env.DATABASE_URL;
  let databaseAdminUrl = process.env.DATABASE_ADMIN_URL ?? databaseUrl;
  if (!databaseUrl) {
    const pgPort = (await portFree(54329)) ? 54329 : await freePort();
    console.log(`\n> Starting PostgreSQL (embedded) on 127.0.0.1:${pgPort}, data in .data/postgres`);
    const pg = await startPostgres({ dataDir: join(DATA, 'postgres'), port: pgPort, appPassword: secrets.appPassword });
    stops.push(() => pg.stop());
    const urls = await pg.createDatabase('klantmonitor');
    databaseUrl = urls.appUrl;
    databaseAdminUrl = urls.adminUrl;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redisPort = (await portFree(63799)) ? 63799 : await freePort();
    console.log(`\n> Starting Redis on 127.0.0.1:${redisPort}, data in .data/redis`);
    const redis = await startRedis({ dataDir: join(DATA, 'redis'), port: redisPort });
    stops.push(() => redis.stop());
    redisUrl = redis.url;
  }

  // Questionnaire mail and SMS go to a local inbox unless a real SMTP server is given.
  let inbox = null;
  let mailEnv = {};
  if (!process.env.SMTP_URL) {
    const { startMailCatcher } = createRequire(import.meta.url)('../mail-catcher/mail-catcher.cjs');
    const smtpPort = (await portFree(1025)) ? 1025 : await freePort();
    const httpPort = (await portFree(1080)) ? 1080 : await freePort();
    const catcher = await startMailCatcher({ smtpPort, httpPort });
    stops.push(() => catcher.close());
    inbox = catcher.httpUrl.replace('127.0.0.1', 'localhost');
    mailEnv = { SMTP_URL: catcher.smtpUrl, SMS_URL: catcher.smsUrl, SMS_API_KEY: catcher.smsKey };
    console.log(`\n> Local inbox for questionnaire mail and SMS at ${inbox}`);
  }

  const env = {
    ...process.env,
    ...mailEnv,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    KM_DEMO: 'true',
    PORT: String(port),
    HOST: process.env.HOST ?? '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_ADMIN_URL: databaseAdminUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: process.env.JWT_SECRET ?? secrets.jwtSecret,
    DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY ?? secrets.encryptionKey,
    DASHBOARD_DIST: join(ROOT, 'dist', 'apps', 'dashboard'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The demo's OpenID provider (tools/oidc) runs on http://127.0.0.1:<port>.
    SSO_LOOPBACK_ISSUER: 'true',
  };
  step(
    'Migrating and seeding the demo data',
    process.execPath,
    [join(ROOT, 'dist', 'apps', 'api', 'main.js'), 'migrate'],
    env,
  );

  // As in production: only the migrate step holds the schema owner's URL and the platform admin's
  // first password (#22).
  const { DATABASE_ADMIN_URL: _admin, KM_ADMIN_EMAIL: _email, KM_ADMIN_PASSWORD: _password, ...serveEnv } = env;
  for (const [name, main] of [
    ['api', join(ROOT, 'dist', 'apps', 'api', 'main.js')],
    ['worker', join(ROOT, 'dist', 'apps', 'worker', 'main.js')],
  ]) {
    const child = spawn(process.execPath, [main], { cwd: ROOT, env: serveEnv, stdio: 'inherit' });
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`The ${name} stopped unexpectedly (exit ${code}).`);
        void shutdown(1);
      }
    });
    children.push(child);
  }
  await waitForPort(port, 30000);

  const base = `http://localhost:${port}`;
  const adminEmail = process.env.KM_ADMIN_EMAIL ?? 'admin@klantmonitor.local';
  const adminPassword = process.env.KM_ADMIN_PASSWORD ?? 'klantmonitor';
  const sso = await demoSingleSignOn(base, env.PUBLIC_URL).catch((e) => {
    console.warn(`\n(Single sign-on demo not set up: ${e.message})`);
    return null;
  });
  console.log(`
Klantmonitor is running.

  Dashboard      ${base}
  API            ${base}/api   (docs: ${base}/api/docs)
  Health         ${base}/api/health
  Queues         ${base}/api/admin/queues   (sign in as platform admin first)
  Inbox          ${inbox ?? `your SMTP server (${process.env.SMTP_URL})`}   (questionnaire invitations: open one, answer it on your phone-sized window)

Demo sign-ins (password for the organisation accounts: klantmonitor)
  platform admin   ${adminEmail} / ${adminPassword}
  Schuldhulp Noord-Oost (Leeuwarden, Apeldoorn, Zwolle)
    beheer@noordoost.demo.klantmonitor.nl         organisation admin
    hulpverlener@noordoost.demo.klantmonitor.nl   counselor
    beleid@noordoost.demo.klantmonitor.nl         policy advisor
  Kredietbank Rijn en Gouwe (Alphen aan den Rijn, Leiden, Utrecht)
    beheer@rijngouwe.demo.klantmonitor.nl         organisation admin
    hulpverlener@rijngouwe.demo.klantmonitor.nl   counselor
    beleid@rijngouwe.demo.klantmonitor.nl         policy advisor
${
  sso
    ? `  Kredietbank Rijn en Gouwe also signs in with its own identity provider (a demo OpenID provider at ${sso.issuer}):
    ${sso.email}   counselor, no Klantmonitor password: type the address, then sign in at the provider with it`
    : ''
}

Press Ctrl+C to stop.`);
}

/**
 * One demo organisation signs in through an OpenID provider (#15): a certified provider on loopback
 * (tools/oidc/test-provider.mjs), set up through the API by the organisation's own admin (#22), with
 * one counselor of its e-mail domain. Done at every start (the provider's port may differ).
 */
async function demoSingleSignOn(base, publicUrl) {
  const clientId = 'klantmonitor-demo';
  const clientSecret = randomBytes(24).toString('base64url');
  const idpPort = (await portFree(4011)) ? 4011 : await freePort();
  const idp = await startTestProvider({
    port: idpPort,
    clients: [{ clientId, clientSecret, redirectUris: [`${publicUrl}/api/v1/auth/oidc/callback`] }],
  });
  stops.push(() => idp.close());
  const call = async (method, path, token, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  const login = await call('POST', '/api/v1/auth/login', null, {
    email: 'beheer@rijngouwe.demo.klantmonitor.nl',
    password: 'klantmonitor',
  });
  if (login.status !== 200) throw new Error(`organisation admin sign-in: ${login.status}`);
  const token = login.body.accessToken;
  const [org] = (await call('GET', '/api/v1/organisations', token)).body;
  if (org?.name !== 'Kredietbank Rijn en Gouwe') throw new Error('no organisation Kredietbank Rijn en Gouwe');
  const domain = 'sso.rijngouwe.demo.klantmonitor.nl';
  const put = await call('PUT', `/api/v1/organisations/${org.id}/sso`, token, {
    issuer: idp.issuer,
    clientId,
    clientSecret,
    emailDomains: [domain],
  });
  if (put.status !== 200) throw new Error(`PUT sso: ${put.status}`);
  const email = `sanne@${domain}`;
  const user = await call('POST', `/api/v1/organisations/${org.id}/users`, token, {
    email,
    name: 'Sanne de Vries',
    role: 'counselor',
    password: randomBytes(18).toString('base64url'),
  });
  if (user.status !== 201 && user.status !== 409) throw new Error(`demo SSO user: ${user.status}`);
  return { issuer: idp.issuer, email };
}

main().catch(async (e) => {
  console.error(e.message ?? e);
  await shutdown(1);
});
