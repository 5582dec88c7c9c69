/**
 * Invitation benchmark (docs/quality.md: 100,000 invitations planned and delivered to a loopback SMTP
 * server in <= 5 min with 0 duplicates, next to raw BullMQ addBulk + a no-op worker). Runs the built
 * worker against throwaway PostgreSQL and Redis, seeds N open trajectories whose intake wave is due,
 * starts one planner job, and counts what a loopback SMTP server receives (duplicates by invitation
 * id in the Message-ID). Usage: node tools/bench/invitations-bench.mjs [count]   (npm run bench:invitations)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { freePort, startPostgres, startRedis } from '../services/services.mjs';
import { peakRssMb, summaryLine } from './bench-kit.mjs';

const require = createRequire(import.meta.url);
const { SMTPServer } = require('smtp-server');
const ROOT = join(import.meta.dirname, '..', '..');
const COUNT = Number(process.argv[2] ?? 100_000);
const CONCURRENCY = Number(process.env.DELIVERY_CONCURRENCY ?? 50);

/** The same sealed-box layout as @klantmonitor/server/crypto (version byte, IV, tag, ciphertext). */
function seal(key, plain) {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
}

/** A loopback SMTP server that counts messages per invitation (Message-ID <invitation.kind.attempt@...>). */
async function startSink() {
  const seen = new Map();
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 200,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const m = /^Message-ID:\s*<([0-9a-f-]{36})\./im.exec(head);
        const id = m ? m[1] : `unknown-${received}`;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        received++;
        lastAt = performance.now();
        firstAt ||= lastAt;
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `smtp://127.0.0.1:${port}`,
    stats: () => ({
      received,
      distinct: seen.size,
      duplicates: [...seen.values()].filter((n) => n > 1).length,
      firstAt,
      lastAt,
    }),
    close: () => new Promise((r) => server.close(r)),
  };
}

/** Anchor: addBulk of the same number of jobs and a no-op worker with the same concurrency. */
async function anchor(redisUrl) {
  const connection = { url: redisUrl };
  const queue = new Queue('bench-anchor', { connection });
  let done = 0;
  let resolveAll;
  const all = new Promise((r) => (resolveAll = r));
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, COUNT - i) }, (_, j) => ({
        name: 'noop',
        data: { i: i + j },
        opts: { jobId: `anchor-${i + j}`, removeOnComplete: { count: 1000 } },
      })),
    );
  }
  const enqueued = (performance.now() - t0) / 1000;
  const worker = new Worker(
    'bench-anchor',
    async () => {
      if (++done === COUNT) resolveAll();
    },
    { connection: { url: redisUrl, maxRetriesPerRequest: null }, concurrency: CONCURRENCY },
  );
  await all;
  const total = (performance.now() - t0) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { enqueued, total };
}

async function main() {
  console.log('Building api and worker ...');
  spawnSync(join(ROOT, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '-p', 'api', 'worker'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
  });
  const dataDir = join(ROOT, '.data', `bench-inv-${process.pid}`);
  const appPassword = randomBytes(8).toString('hex');
  const pgServer = await startPostgres({
    dataDir: join(dataDir, 'pg'),
    port: await freePort(),
    appPassword,
    forTests: false,
  });
  const redis = await startRedis({
    dataDir: join(dataDir, 'redis'),
    port: await freePort(),
    forTests: true,
    log: () => undefined,
  });
  const db = await pgServer.createDatabase('bench');
  const sink = await startSink();
  const key = randomBytes(32);
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: db.appUrl,
    DATABASE_ADMIN_URL: db.adminUrl,
    REDIS_URL: redis.url,
    SMTP_URL: sink.url,
    DATA_ENCRYPTION_KEY: key.toString('base64'),
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    MAIL_RATE_PER_SECOND: '10000',
    DATABASE_POOL_SIZE: '20',
    LOG_LEVEL: 'warn',
  };
  let worker = null;
  const stop = async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGTERM');
    await sink.close();
    await redis.stop();
    await pgServer.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const mig = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'api', 'main.js'), 'migrate'], {
      env,
      encoding: 'utf8',
    });
    if (mig.status !== 0) throw new Error(`migrate failed: ${mig.stderr}`);
    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    const [{ id: orgId }] = (await client.query(`INSERT INTO organisations (name) VALUES ('Bench') RETURNING id`)).rows;
    await client.query(
      `INSERT INTO organisation_municipalities (organisation_id, municipality_code) VALUES ($1, 'GM0344')`,
      [orgId],
    );
    console.log(
      `Seeding ${COUNT.toLocaleString('en')} open trajectories with an e-mail address (first contact today) ...`,
    );
    for (let i = 0; i < COUNT; i += 10_000) {
      const n = Math.min(10_000, COUNT - i);
      const refs = Array.from({ length: n }, (_, j) => `B-${String(i + j).padStart(7, '0')}`);
      const emails = refs.map((r) => seal(key, `${r.toLowerCase()}@bench.test`));
      await client.query(
        `WITH c AS (INSERT INTO clients (organisation_id, client_ref, email_enc) SELECT $1, r, e FROM unnest($2::text[], $3::bytea[]) AS x(r, e) RETURNING id)
         INSERT INTO trajectories (organisation_id, client_id, municipality_code, first_contact, effective_steps, current_step, last_activity_on,
                                   registered_on, first_meeting_due, first_meeting_alert_on)
         SELECT $1, c.id, 'GM0344', $4::date, jsonb_build_object('first_contact', $4::text), 'first_contact', $4::date,
                $4::date, $4::date + 28, $4::date + 27 FROM c`,
        [orgId, refs, emails, today],
      );
    }
    await client.query('ANALYZE');

    worker = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'worker', 'main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const connection = { url: redis.url };
    const queue = new Queue('questionnaires', { connection });
    const events = new QueueEvents('questionnaires', { connection });
    await events.waitUntilReady();
    await new Promise((r) => setTimeout(r, 3000)); // the worker connects and registers its schedulers

    console.log('Planning and delivering ...');
    const t0 = performance.now();
    const job = await queue.add('plan-invitations', { organisationId: orgId });
    const planned = await job.waitUntilFinished(events, 600_000);
    const planSeconds = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 15 * 60_000;
    let last = -1;
    let lastChange = Date.now();
    while (sink.stats().received < COUNT && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = sink.stats().received;
      if (now !== last) {
        last = now;
        lastChange = Date.now();
        process.stdout.write(`\r  ${now.toLocaleString('en')} delivered`);
      } else if (Date.now() - lastChange > 60_000) break;
    }
    const totalSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // anything sent twice would arrive now
    const s = sink.stats();
    const workerPeak = peakRssMb(worker.pid);
    const {
      rows: [counts],
    } = await client.query(
      `SELECT count(*)::int AS invitations, count(*) FILTER (WHERE delivery_status = 'sent')::int AS sent,
              count(*) FILTER (WHERE delivery_attempts > 1)::int AS retried FROM invitations`,
    );
    await events.close();
    await queue.close();
    worker.kill('SIGTERM');
    await client.end();

    console.log('\nAnchor: raw BullMQ addBulk + no-op worker ...');
    const a = await anchor(redis.url);

    console.log(
      `\nInvitation benchmark: ${COUNT.toLocaleString('en')} trajectories, delivery concurrency ${CONCURRENCY}, loopback SMTP`,
    );
    console.log('| run | seconds | per second | notes |');
    console.log('| --- | ---: | ---: | --- |');
    console.log(
      `| anchor: BullMQ addBulk of ${COUNT.toLocaleString('en')} jobs | ${a.enqueued.toFixed(1)} | ${Math.round(COUNT / a.enqueued).toLocaleString('en')} | |`,
    );
    console.log(
      `| anchor: addBulk + no-op worker, all done | ${a.total.toFixed(1)} | ${Math.round(COUNT / a.total).toLocaleString('en')} | |`,
    );
    console.log(
      `| planner job (plan + outbox) | ${planSeconds.toFixed(1)} | ${Math.round(planned.invited / planSeconds).toLocaleString('en')} | ${planned.invited.toLocaleString('en')} invited |`,
    );
    console.log(
      `| planned, relayed, delivered (all) | ${totalSeconds.toFixed(1)} | ${Math.round(s.received / totalSeconds).toLocaleString('en')} | ${s.received.toLocaleString('en')} received, ${s.distinct.toLocaleString('en')} distinct, ${s.duplicates} duplicates |`,
    );
    console.log(
      `\nvs anchor (all done): ${(a.total / totalSeconds).toFixed(2)}x; target: ${COUNT.toLocaleString('en')} in <= 300 s with 0 duplicates -> ${totalSeconds <= 300 && s.duplicates === 0 && s.received === COUNT ? 'met' : 'NOT met'}`,
    );
    console.log(
      `Database: ${counts.invitations.toLocaleString('en')} invitations, ${counts.sent.toLocaleString('en')} sent, ${counts.retried} retried; worker peak RSS ${workerPeak} MB`,
    );
    // One JSON line per target (docs/contributing.md).
    summaryLine({
      bench: 'invitations',
      figure: `${COUNT.toLocaleString('en')} invitations planned and delivered`,
      value: totalSeconds,
      unit: 's',
      anchor: a.total,
      target: '<= 300 s, 0 duplicates',
      met: totalSeconds <= 300 && s.duplicates === 0 && s.received === COUNT,
    });
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
