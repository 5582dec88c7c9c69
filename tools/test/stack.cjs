/**
 * Test stack for the e2e projects: a fresh database in the PostgreSQL that `npm test` started,
 * migrated by the real `node dist/apps/api/main.js migrate`, and the built api (and worker) as
 * child processes on free ports. CommonJS so both Jest (api-e2e) and Playwright (dashboard-e2e) load it.
 */
const { spawn, spawnSync } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..', '..');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'main.js');
const WORKER_MAIN = join(ROOT, 'dist', 'apps', 'worker', 'main.js');
const DASHBOARD_DIST = join(ROOT, 'dist', 'apps', 'dashboard');

function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(
      `${name} is not set. Run the browser and API tests through \`npm test\` (or \`node tools/test/run-tests.mjs --only=e2e\`), which starts PostgreSQL and Redis.`,
    );
  }
  return v;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Recreates `name` and returns owner and application-role URLs for it. */
async function createDatabase(name) {
  const superUrl = requireEnv('KM_TEST_PG_SUPER_URL');
  const appPassword = requireEnv('KM_TEST_PG_APP_PASSWORD');
  const c = new Client({ connectionString: superUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
    await c.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${name}" TO klantmonitor_app`);
  } finally {
    await c.end();
  }
  const u = new URL(superUrl);
  return {
    adminUrl: `postgres://${u.username}:${u.password}@${u.host}/${name}`,
    appUrl: `postgres://klantmonitor_app:${encodeURIComponent(appPassword)}@${u.host}/${name}`,
  };
}

/** Empties the suite's Redis database, so queues and rate limits start from nothing. */
async function flushRedis(url) {
  const { Redis } = require('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

function node() {
  return process.execPath;
}

/** Runs the api's `migrate` command; throws with its output when it fails. */
function migrate(env) {
  const r = spawnSync(node(), [API_MAIN, 'migrate'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`migrate failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function waitForHealth(baseUrl, child, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`api not healthy at ${baseUrl} within ${timeoutMs} ms`);
}

function startProcess(main, env, logName) {
  const child = spawn(node(), [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const keep = (d) => {
    lines.push(String(d));
    if (lines.length > 400) lines.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.logs = () => lines.join('');
  child.logName = logName;
  return child;
}

/**
 * Starts a complete stack on database `dbName`. Options: `worker` (start the worker), `demo`
 * (seed demo organisations), `dashboard` (serve the built dashboard), `port`, `redisDb`, `env` (extra variables).
 */
async function startStack(dbName, options = {}) {
  // Each suite gets its own Redis database, so queues and rate limits never mix.
  const redisUrl = `${requireEnv('KM_TEST_REDIS_URL')}/${options.redisDb ?? 0}`;
  const db = await createDatabase(dbName);
  const port = options.port ?? (await freePort());
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: db.appUrl,
    DATABASE_ADMIN_URL: db.adminUrl,
    REDIS_URL: redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET: 'e2e-secret-that-is-long-enough-0123456789',
    KM_ADMIN_EMAIL: 'platform@klantmonitor.test',
    KM_ADMIN_PASSWORD: 'platform-password-e2e',
    KM_DEMO: options.demo ? 'true' : 'false',
    LOG_LEVEL: 'warn',
    // The tests' OpenID provider runs on http://127.0.0.1:<port>.
    SSO_LOOPBACK_ISSUER: 'true',
    ...(options.dashboard ? { DASHBOARD_DIST } : {}),
    ...(options.env ?? {}),
  };
  await flushRedis(redisUrl);
  migrate(env);
  // As in production: only the migrate step holds the schema owner's URL and the platform admin's
  // first password.
  const { DATABASE_ADMIN_URL: _admin, KM_ADMIN_EMAIL: _email, KM_ADMIN_PASSWORD: _password, ...serveEnv } = env;
  const api = startProcess(API_MAIN, serveEnv, 'api');
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, api);
  const worker = options.worker ? startProcess(WORKER_MAIN, serveEnv, 'worker') : null;
  return {
    baseUrl,
    env,
    db,
    api,
    worker,
    async stop() {
      for (const child of [worker, api]) if (child) await stopProcess(child);
    },
  };
}

/**
 * Sends `signal` and waits for the process to be gone; after `graceMs` it is killed, with its last
 * log lines on stderr. Resolves to { graceful, ms }. Every started process must end through here:
 * one left running holds its stdout pipe, and the test runner waits for it forever.
 */
async function stopProcess(child, { signal = 'SIGTERM', graceMs = 5000 } = {}) {
  const started = Date.now();
  if (child.exitCode !== null || child.signalCode !== null) return { graceful: true, ms: 0 };
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  // The timer goes as soon as the child is gone (a pending one kept the test runner alive 5 s).
  let timer;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
  clearTimeout(timer);
  // Gone by the re-raised signal (graceful shutdown done) or by exit code; else it hangs: say so.
  if (child.exitCode === null && child.signalCode === null) {
    console.error(
      `${child.logName ?? child.pid}: no exit ${graceMs / 1000} s after ${signal}, killed. Its last log lines:\n${child.logs?.().slice(-4000) ?? ''}`,
    );
    child.kill('SIGKILL');
    await exited;
    return { graceful: false, ms: Date.now() - started };
  }
  return { graceful: true, ms: Date.now() - started };
}

module.exports = {
  startStack,
  startProcess,
  stopProcess,
  waitForHealth,
  createDatabase,
  migrate,
  freePort,
  API_MAIN,
  WORKER_MAIN,
  ROOT,
};
