/** Small helpers the benchmarks share. */
import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident memory (VmHWM) of a live process in MB, or null when it cannot be read. */
export function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** The fields after the command name in /proc/<pid>/stat (state is [0], ppid [1], utime [11], stime [12]). */
function procStat(pid) {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return raw.slice(raw.lastIndexOf(') ') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU time (user + system) a live process has used, in ms; 0 when it cannot be read. */
export function cpuMs(pid) {
  const f = procStat(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / 100 : 0;
}

/**
 * A meter of the CPU time of a PostgreSQL server's processes (the postmaster and its children:
 * backends, WAL writer, checkpointer, autovacuum), found from a connection of `client`. Backends
 * that exit take their time with them: measure while the connections stay open.
 */
export async function pgCpuMeter(client) {
  const {
    rows: [{ pid }],
  } = await client.query('SELECT pg_backend_pid() AS pid');
  const postmaster = Number(procStat(pid)?.[1]);
  return () => {
    let total = cpuMs(postmaster);
    for (const d of readdirSync('/proc')) {
      if (/^\d+$/.test(d) && Number(procStat(d)?.[1]) === postmaster) total += cpuMs(d);
    }
    return total;
  };
}

/** PostgreSQL's production settings (docker/postgres/settings.json) as `-c name=value` flags. */
export function productionPgFlags(root) {
  const settings = JSON.parse(readFileSync(`${root}/docker/postgres/settings.json`, 'utf8'));
  return Object.entries(settings)
    .filter(([name]) => name !== 'about')
    .flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/**
 * What every benchmark starts with: the built apps (nx build), throwaway PostgreSQL (durable
 * settings and docker/postgres/settings.json, like production) and Redis under .data/, a database `bench`, and the environment the
 * api and worker run with. `stop()` ends the children it was given, the services and the data.
 */
export async function startBenchStack({
  name,
  projects = ['api', 'worker'],
  pgFlags = [],
  pgLog = () => undefined,
  env: extra = {},
}) {
  const { spawnSync } = await import('node:child_process');
  const { randomBytes } = await import('node:crypto');
  const { rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { freePort, startPostgres, startRedis } = await import('../services/services.mjs');
  const root = join(import.meta.dirname, '..', '..');
  // BENCH_SKIP_BUILD=1: run the apps as built, for repeated runs of one bench (the build takes minutes).
  if (!process.env.BENCH_SKIP_BUILD) {
    console.log(`Building ${projects.join(' and ')} ...`);
    spawnSync(join(root, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '-p', ...projects], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
    });
  }
  const dataDir = join(root, '.data', `bench-${name}-${process.pid}`);
  const pgServer = await startPostgres({
    dataDir: join(dataDir, 'pg'),
    port: await freePort(),
    appPassword: randomBytes(8).toString('hex'),
    forTests: false,
    flags: [...productionPgFlags(root), ...pgFlags],
    log: pgLog,
  });
  const redis = await startRedis({
    dataDir: join(dataDir, 'redis'),
    port: await freePort(),
    forTests: true,
    log: () => undefined,
  });
  const db = await pgServer.createDatabase('bench');
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: db.appUrl,
    DATABASE_ADMIN_URL: db.adminUrl,
    REDIS_URL: redis.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const children = [];
  return {
    root,
    db,
    redis,
    port,
    env,
    apiMain: join(root, 'dist', 'apps', 'api', 'main.js'),
    workerMain: join(root, 'dist', 'apps', 'worker', 'main.js'),
    /** Ended (and waited for) by stop(). */
    children,
    async stop() {
      // A child that already ended (by its code or, as NestJS ends, by the signal) is not waited for.
      for (const c of children)
        if (c.exitCode === null && c.signalCode === null) {
          c.kill('SIGTERM');
          await new Promise((r) => c.once('exit', r));
        }
      await redis.stop();
      await pgServer.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The one JSON line per target each benchmark ends with (docs/contributing.md): the figure, its anchor measured
 * in the same run (null when the target has none) and their ratio, the target in words and whether
 * it was met.
 */
export function summaryLine({ bench, figure, value, unit, anchor = null, target, met }) {
  const round = (n) => (n === null || n === undefined ? null : Math.round(n * 1000) / 1000);
  const line = {
    bench,
    figure,
    value: round(value),
    unit,
    anchor: round(anchor),
    ratio: anchor ? round(value / anchor) : null,
    target,
    met: Boolean(met),
  };
  console.log(JSON.stringify(line));
  return line;
}

/**
 * p50/p95/p99 (ms, one decimal) and rate of `total` calls of `fn` with `concurrency` in flight,
 * after `warmup` calls that are not counted (the steady state of a running server: its pool's
 * connections have prepared and planned the statement).
 */
export async function latencies(fn, total = 400, concurrency = 10, warmup = 0, afterWarmup = () => undefined) {
  if (warmup > 0) await latencies(fn, warmup, concurrency);
  afterWarmup();
  const times = [];
  const ms = await callsInFlight(fn, total, concurrency, times);
  const q = quantiles(times);
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), rps: Math.round(total / (ms / 1000)) };
}

/** `total` calls of `fn`, `concurrency` at a time; each call's ms pushed to `times`. Answers the ms it took. */
async function callsInFlight(fn, total, concurrency, times) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
    }),
  );
  return performance.now() - started;
}

/** The quantile function of `times` (sorted here): ms, one decimal. */
function quantiles(times) {
  times.sort((a, b) => a - b);
  return (p) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 10) / 10;
}

/**
 * A figure and its anchor measured in turns (#26, session 21): `blocks` blocks of `perBlock` calls
 * each, in the order A B B A A B B A ..., so that a machine whose speed drifts over minutes (20-30 %
 * here) slows both alike, and a linear drift cancels out. Measuring the figure and then the anchor,
 * 400 calls each, put a slow minute on one side only: the same view measured 0.26-0.43 x its select
 * from run to run. Each side is warmed up first (`warmup` calls, not counted). `meters` are read
 * around every block (e.g. CPU time of the api and of PostgreSQL): each side's `cpu` is their sum over
 * its own blocks, per call. Every side answers p50/p95/p99 over all its calls, its rate over the time
 * of its own blocks, and `blockRates`, the rate of each of its blocks (the spread a reader can see).
 */
export async function interleaved(sides, { blocks = 4, perBlock = 250, concurrency = 10, warmup = 0 } = {}) {
  const runs = sides.map(() => ({ times: [], ms: 0, blockRates: [], cpu: null }));
  for (const side of sides) if (warmup > 0) await latencies(side.fn, warmup, concurrency);
  for (let b = 0; b < blocks; b++) {
    // A B, then B A: each side is measured first in half of the pairs.
    const order = b % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i);
    for (const i of order) {
      const side = sides[i];
      const run = runs[i];
      const before = side.meters?.() ?? [];
      const ms = await callsInFlight(side.fn, perBlock, concurrency, run.times);
      run.ms += ms;
      run.blockRates.push(Math.round(perBlock / (ms / 1000)));
      const after = side.meters?.() ?? [];
      run.cpu = after.map((v, k) => (run.cpu?.[k] ?? 0) + v - before[k]);
    }
  }
  return runs.map((run) => {
    const q = quantiles(run.times);
    const calls = run.times.length;
    return {
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      rps: Math.round(calls / (run.ms / 1000)),
      blockRates: run.blockRates,
      cpu: (run.cpu ?? []).map((v) => v / calls),
      calls,
    };
  });
}

/**
 * A GET through node:http with kept-alive connections, the body read and dropped; resolves to the
 * status. The benches' client of the api: `fetch` cost the measuring process 1.2 ms of CPU per
 * request (its streams), taken from the same 2 cores as the api it measures (#26); the anchors'
 * pg client costs a tenth of that. One agent per bench, as many sockets as requests in flight.
 */
export async function httpGet(agent, url, headers = {}) {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The keep-alive agent for `httpGet`. */
export async function keepAliveAgent(sockets = 10) {
  const { Agent } = await import('node:http');
  return new Agent({ keepAlive: true, maxSockets: sockets });
}
