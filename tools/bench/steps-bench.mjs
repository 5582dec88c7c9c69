/**
 * Step updates under load (docs/quality.md: `POST /trajectories/:id/steps` with 50 connections through
 * autocannon; >= 0.5 x the anchor's rate, p99 <= 50 ms, 0 errors). The anchor is pgbench running the
 * same SQL transaction on the same server with the same number of connections, as the application
 * role under row-level security: set the tenant, update (and so lock) the trajectory, withdraw the
 * standing event of the step, insert the new event. The api does that and more in its transaction (locks the
 * trajectory, audit row, outbox row for questionnaire planning, re-derives the effective dates),
 * so the ratio is the price of those.
 * Usage: node tools/bench/steps-bench.mjs [trajectories]   (npm run bench:steps)
 * Needs pgbench (Debian: postgresql-client) for the anchor; without it the anchor is left out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { waitForPort } from '../services/services.mjs';
import { latencies, peakRssMb, startBenchStack, summaryLine } from './bench-kit.mjs';

const TRAJECTORIES = Number(process.argv[2] ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const STEPS = ['goal_known', 'approach_set', 'iu_in_view', 'iu_in_balance', 'settlement_ready'];
const FIRST_CONTACT_DAYS_AGO = 25;
const HEADER =
  'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Deterministic pseudo-random numbers, so every run asks the same. */
function random(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** A step and a day in that step's band: goal_known 24..20 days ago, ..., settlement_ready 4..0. */
function stepRequest(rand) {
  const k = Math.floor(rand() * STEPS.length);
  const band = Math.floor((FIRST_CONTACT_DAYS_AGO - 1) / STEPS.length); // 4 or more days per step
  return { step: STEPS[k], date: day(-(FIRST_CONTACT_DAYS_AGO - 1) + k * band + Math.floor(rand() * band)) };
}

/**
 * pgbench with its per-transaction log (`-l`): besides the rate, the anchor's own latency
 * percentiles, read from the log (its third column is the transaction's time in microseconds), so
 * the api's p99 is judged against the database's p99 at the same load (#26).
 */
function pgbench(args, env, logDir) {
  const r = spawnSync('pgbench', [...args, '-l', `--log-prefix=${join(logDir, 'pgbench_log')}`], {
    env,
    encoding: 'utf8',
    cwd: logDir,
  });
  if (r.error) return null; // not installed
  if (r.status !== 0) throw new Error(`pgbench failed: ${r.stderr}`);
  const num = (re) => Number(re.exec(r.stdout)?.[1]);
  const micros = readdirSync(logDir)
    .filter((f) => f.startsWith('pgbench_log'))
    .flatMap((f) =>
      readFileSync(join(logDir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => Number(line.split(' ')[2])),
    )
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  const pct = (p) =>
    micros.length ? micros[Math.min(micros.length - 1, Math.ceil((p / 100) * micros.length) - 1)] / 1000 : null;
  return {
    tps: num(/tps = ([\d.]+)/),
    meanMs: num(/latency average = ([\d.]+) ms/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: micros.length ? micros[micros.length - 1] / 1000 : null,
    transactions: micros.length,
  };
}

const fmt = (v) => (v === null || v === undefined ? '' : v.toFixed(1));

async function main() {
  const stack = await startBenchStack({
    name: 'steps',
    projects: ['api'],
    // BENCH_PG_STATS=1: what each statement costs the server, printed after the run.
    pgFlags: process.env.BENCH_PG_STATS
      ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_planning=on']
      : [],
    env: {
      KM_ADMIN_EMAIL: 'bench@klantmonitor.test',
      KM_ADMIN_PASSWORD: 'bench-password-123',
      // The api as deployed: its default pool of 20 (server/config), whatever the 50 clients. With a pool
      // of 50 the p99 was 4-6 x pgbench's (50 backends on 2 cores); with 10 the rate was 0.50 x, with
      // 20 0.58 x at p99 1.7 x (#26). BENCH_POOL=10 or 50 to compare.
      DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
    },
  });
  const { db, env, port, apiMain: main } = stack;
  const scratch = mkdtempSync(join(tmpdir(), 'km-steps-'));
  const stop = async () => {
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const mig = spawnSync(process.execPath, [main, 'migrate'], {
      env,
      encoding: 'utf8',
    });
    if (mig.status !== 0) throw new Error(`migrate failed: ${mig.stderr}`);
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to see where the api spends its time.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const api = spawn(process.execPath, [...nodeArgs, main], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    stack.children.push(api);
    await waitForPort(port, 30000);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const post = async (path, token, body) => {
      const r = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return r.json();
    };
    const login = async (email, password) => (await post('/auth/login', null, { email, password })).accessToken;
    const platform = await login(env.KM_ADMIN_EMAIL, env.KM_ADMIN_PASSWORD);
    const org = await post('/organisations', platform, {
      name: 'Bench',
      municipalities: ['GM0344'],
    });
    for (const [email, role] of [
      ['admin@bench.test', 'org_admin'],
      ['counselor@bench.test', 'counselor'],
    ])
      await post(`/organisations/${org.id}/users`, platform, {
        email,
        password: 'bench-password-123',
        role,
        name: role,
      });
    const admin = await login('admin@bench.test', 'bench-password-123');
    const counselor = await login('counselor@bench.test', 'bench-password-123');

    // The caseload: trajectories that started 25 days ago, nothing marked yet.
    const csv = [HEADER];
    for (let i = 0; i < TRAJECTORIES; i++)
      csv.push(`S-${String(i).padStart(6, '0')},GM0344,${day(-FIRST_CONTACT_DAYS_AGO)},,,,,,,`);
    const form = new FormData();
    form.append('file', new Blob([csv.join('\n')]), 'export.csv');
    const imported = await fetch(`${base}/imports/trajectories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status}`);
    const owner = new pg.Client({ connectionString: db.adminUrl });
    owner.on('error', () => undefined); // the stop at the end ends it
    await owner.connect();
    const ids = (await owner.query(`SELECT id FROM trajectories ORDER BY id`)).rows.map((r) => r.id);

    // The api: every request marks a random step of a random trajectory on a random day since first
    // contact (a first mark, or a correction when the step was marked before on another day). Each
    // step has its own band of days, so any mix keeps the steps in order: the api refuses a date that
    // passes a marked neighbour (400, #13), and a benchmark of refusals measures nothing.
    const rand = random(42);
    const before = Number((await owner.query(`SELECT count(*) FROM step_events`)).rows[0].count);
    const statuses = {};
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/trajectories/${ids[Math.floor(rand() * ids.length)]}/steps`,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${counselor}`,
            },
            body: JSON.stringify(stepRequest(rand)),
          }),
          onResponse: (status) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
          },
        },
      ],
    });
    if (process.env.BENCH_PG_STATS) {
      await owner.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      const top = await owner.query(
        `SELECT calls, round((total_exec_time + total_plan_time)::numeric / calls, 3) AS ms_per_call,
                round(total_plan_time::numeric / calls, 3) AS plan_ms, round((total_exec_time + total_plan_time)::numeric) AS total_ms,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
         FROM pg_stat_statements WHERE calls > 100 ORDER BY total_exec_time + total_plan_time DESC LIMIT 15`,
      );
      console.table(top.rows);
    }
    const events = Number((await owner.query(`SELECT count(*) FROM step_events`)).rows[0].count) - before;
    const apiPeak = peakRssMb(api.pid);

    // The anchor: the same SQL transaction through pgbench, as the application role.
    await owner.query(`CREATE TABLE bench_ids (n integer PRIMARY KEY, id uuid NOT NULL)`);
    await owner.query(`INSERT INTO bench_ids SELECT row_number() OVER (ORDER BY id), id FROM trajectories`);
    await owner.query(`GRANT SELECT ON bench_ids TO klantmonitor_app`);
    const user = (await owner.query(`SELECT id FROM users WHERE email = 'counselor@bench.test'`)).rows[0].id;
    await owner.end();
    const script = join(scratch, 'step.sql');
    writeFileSync(
      script,
      `\\set n random(1, ${ids.length})
\\set s random(1, ${STEPS.length})
\\set d random(0, ${FIRST_CONTACT_DAYS_AGO - 1})
BEGIN;
SELECT set_config('app.organisation_id', '${org.id}', true);
UPDATE trajectories SET updated_at = now() WHERE id = (SELECT id FROM bench_ids WHERE n = :n);
UPDATE step_events SET withdrawn_at = now(), withdrawn_by = '${user}'
  WHERE trajectory_id = (SELECT id FROM bench_ids WHERE n = :n)
    AND step = (ARRAY[${STEPS.map((s) => `'${s}'`).join(', ')}])[:s] AND withdrawn_at IS NULL;
INSERT INTO step_events (organisation_id, trajectory_id, step, occurred_on, source, recorded_by)
  SELECT km_current_organisation_id(), id, (ARRAY[${STEPS.map((s) => `'${s}'`).join(', ')}])[:s], current_date - :d, 'manual', '${user}'
  FROM bench_ids WHERE n = :n;
END;
`,
    );
    const u = new URL(db.appUrl);
    const anchor = pgbench(
      [
        '-n',
        '-c',
        String(CONNECTIONS),
        '-j',
        '2',
        '-T',
        String(SECONDS),
        '-f',
        script,
        '-h',
        u.hostname,
        '-p',
        u.port,
        '-U',
        decodeURIComponent(u.username),
        u.pathname.slice(1),
      ],
      { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
      scratch,
    );

    // The worklist of a counselor with 200 waiting requests (#26: "Eerste gesprek plannen"), p95 at
    // 10 in flight, beside a bare select of the same rows.
    for (let i = 0; i < 200; i++) {
      const r = await post('/clients', counselor, {
        clientRef: `W-${String(i).padStart(4, '0')}`,
        municipality: 'GM0344',
        registeredOn: day(-(i % 40)),
        ...(i % 10 === 0 ? { crisis: 'eviction' } : {}),
      });
      if (!r.id) throw new Error(`waiting request: ${JSON.stringify(r)}`);
    }
    const getWorklist = async () => {
      const res = await fetch(`${base}/worklist?scope=mine`, { headers: { authorization: `Bearer ${counselor}` } });
      if (res.status !== 200) throw new Error(`worklist ${res.status}`);
      const body = await res.json();
      if (body.firstMeetings.length !== 50) throw new Error(`worklist: ${body.firstMeetings.length} first meetings`);
    };
    // The counselor opening the start page (one at a time), and ten counselors at once.
    const worklist = await latencies(getWorklist, 200, 1);
    const worklistLoad = await latencies(getWorklist, 400, 10);
    const listPool = new pg.Pool({ connectionString: db.appUrl, max: 10 });
    const bareSelect = async () => {
      const c = await listPool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`SELECT set_config('app.organisation_id', $1, true)`, [org.id]);
        await c.query(
          `SELECT c.id, c.client_ref, t.registered_on, t.crisis, t.first_meeting_due FROM trajectories t JOIN clients c ON c.id = t.client_id
           WHERE t.first_contact IS NULL AND t.status = 'open' AND t.counselor_id = $1 ORDER BY t.first_meeting_due, t.id LIMIT 50`,
          [user],
        );
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
    const bareList = await latencies(bareSelect, 200, 1);
    const bareListLoad = await latencies(bareSelect, 400, 10);
    await listPool.end();
    if (process.env.BENCH_PG_STATS) {
      const o = new pg.Client({ connectionString: db.adminUrl });
      await o.connect();
      const top = await o.query(
        `SELECT calls, round((total_exec_time + total_plan_time)::numeric / calls, 3) AS ms_per_call,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
         FROM pg_stat_statements WHERE calls >= 400 AND query NOT LIKE '%km_step_mark%' ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`,
      );
      console.table(top.rows);
      await o.end();
    }

    const ok = statuses[200] ?? 0;
    const errors = result.errors + result.timeouts + (result.requests.total - ok);
    const rps = ok / SECONDS;
    console.log(
      `\nStep updates: ${ids.length.toLocaleString('en')} trajectories, ${CONNECTIONS} connections, ${SECONDS} s`,
    );
    console.log('| run | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | notes |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    if (anchor)
      console.log(
        `| anchor: pgbench, same SQL transaction (app role, RLS) | ${anchor.tps.toFixed(0)} | ${fmt(anchor.p50)} | ${fmt(anchor.p90)} | ${fmt(anchor.p99)} | ${fmt(anchor.max)} | ${anchor.failed} | mean latency ${anchor.meanMs} ms; ${anchor.transactions.toLocaleString('en')} transactions in its log |`,
      );
    console.log(
      `| POST /trajectories/:id/steps (autocannon) | ${rps.toFixed(0)} | ${result.latency.p50} | ${result.latency.p90} | ${result.latency.p99} | ${result.latency.max} | ${errors} | statuses ${JSON.stringify(statuses)}; ${events.toLocaleString('en')} step events written; api peak RSS ${apiPeak} MB |`,
    );
    console.log(`\nWorklist of a counselor with 200 waiting requests (GET /worklist?scope=mine):`);
    console.log('| run | in flight | p50 ms | p95 ms | p99 ms | req/s |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, n, r] of [
      ['anchor: bare select of the 50 first meetings (app role, RLS, in a transaction)', 1, bareList],
      ['GET /worklist (six lists)', 1, worklist],
      ['anchor: the same bare select', 10, bareListLoad],
      ['GET /worklist (six lists)', 10, worklistLoad],
    ])
      console.log(`| ${name} | ${n} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} |`);
    const ratio = anchor ? rps / anchor.tps : null;
    // #26: the tail against the anchor's own tail at the same 50 connections.
    const tail = anchor?.p99 ? result.latency.p99 / anchor.p99 : null;
    console.log(
      `\nTargets: >= 0.5 x anchor -> ${ratio === null ? 'no anchor (pgbench not installed)' : `${ratio.toFixed(2)} x, ${ratio >= 0.5 ? 'met' : 'NOT met'}`}; ` +
        `p99 <= 3 x the anchor's p99 -> ${tail === null ? 'no anchor' : `${result.latency.p99} ms = ${tail.toFixed(2)} x ${fmt(anchor.p99)} ms, ${tail <= 3 ? 'met' : 'NOT met'}`}; ` +
        `p99 <= 50 ms -> ${result.latency.p99} ms, ${result.latency.p99 <= 50 ? 'met' : 'NOT met'}; 0 errors -> ${errors}, ${errors === 0 ? 'met' : 'NOT met'}`,
    );
    // One JSON line per target (docs/contributing.md).
    summaryLine({
      bench: 'steps',
      figure: 'step updates per second, 50 connections',
      value: rps,
      unit: 'req/s',
      anchor: anchor?.tps ?? null,
      target: '>= 0.5 x pgbench on the same SQL, 0 errors',
      met: ratio !== null && ratio >= 0.5 && errors === 0,
    });
    summaryLine({
      bench: 'steps',
      figure: 'worklist with 200 waiting requests p95 (one at a time)',
      value: worklist.p95,
      unit: 'ms',
      anchor: bareList.p95,
      target: '<= 50 ms',
      met: worklist.p95 <= 50,
    });
    summaryLine({
      bench: 'steps',
      figure: 'step update p99 latency',
      value: result.latency.p99,
      unit: 'ms',
      anchor: anchor?.p99 ?? null,
      target: "<= 3 x pgbench's own p99 at 50 connections (and <= 50 ms)",
      met: tail !== null && tail <= 3 && result.latency.p99 <= 50,
    });
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
