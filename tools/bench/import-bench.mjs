/**
 * Import benchmark (docs/quality.md: >= 5,000 rows/s for a 50,000-row file, next to COPY of the same
 * rows). Runs the built api on throwaway PostgreSQL and Redis, uploads a generated trajectory
 * export, and prints a table. Usage: node tools/bench/import-bench.mjs [rows]   (npm run bench:import)
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { waitForPort } from '../services/services.mjs';
import {
  cpuMs,
  httpGet,
  interleaved,
  keepAliveAgent,
  latencies,
  peakRssMb,
  pgCpuMeter,
  startBenchStack,
  summaryLine,
} from './bench-kit.mjs';

const ROWS = Number(process.argv[2] ?? 50_000);
/** The deep page of the caseload views: page 500 of 50,000 rows, the last but one of a smaller file. */
const DEEP = Math.min(500, Math.max(2, Math.floor(ROWS / 50) - 1));
/**
 * Requests of each caseload view (and of its bare select) before the 400 that are measured (#26):
 * the api's pool has 20 connections, a view's statement is prepared on each, and PostgreSQL plans
 * the first five executions on a connection afresh (2.5-3 ms each, measured) before it keeps the
 * generic plan (0.03 ms). Unwarmed, a quarter of a 400-request window paid that; a running api pays
 * it five times per connection and view. BENCH_WARMUP=0 measures the cold start.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
/**
 * Each view beside its bare select (after VACUUM ANALYZE) is measured in turns: BLOCKS blocks of
 * PER_BLOCK requests per side (bench-kit `interleaved`), 2,000 requests each by default, so that a p99
 * rests on 20 requests above it (#26). With 1,000 (session 21) the same view of the same build,
 * measured five times in a row on one database, had p99 ratios of 1.07 to 2.44 (session 22): the
 * select's own p99 moved between 12 and 26 ms with the machine.
 */
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 8);
const PER_BLOCK = Number(process.env.BENCH_PER_BLOCK ?? 250);
const HEADER =
  'client_ref,municipality,registered_on,crisis,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';
const MUNICIPALITIES = ['GM0080', 'GM0484', 'GM0546', 'GM0344', 'GM0200', 'GM0193'];

function day(base, offset) {
  return new Date(Date.parse(`${base}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A realistic export: the request a few days before the first contact (some in a crisis), steps at
 * growing distances, some skipped, some dropouts, all in the past; one row in 50 a request still
 * waiting for its first meeting (#26), some of them past their term.
 */
function generateCsv(rows, tag) {
  const today = new Date().toISOString().slice(0, 10);
  const lines = [HEADER];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < rows; i++) {
    const ref = `${tag}-${String(i).padStart(6, '0')}`;
    if (i % 50 === 7) {
      lines.push(
        [
          ref,
          MUNICIPALITIES[i % 6],
          day(today, -2 - (i % 45)),
          i % 150 === 7 ? 'eviction' : '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ].join(','),
      );
      continue;
    }
    const first = day(today, -30 - Math.floor(rand() * 600));
    const crisis = i % 40 === 3;
    const registered = day(first, crisis ? -(i % 4) : -(i % 30));
    const cells = [ref, MUNICIPALITIES[i % 6], registered, crisis ? 'energy_water' : '', first];
    let d = first;
    let stop = false;
    for (let s = 0; s < 5; s++) {
      d = day(d, 5 + Math.floor(rand() * 30));
      if (stop || d > today || rand() < 0.1) {
        cells.push('');
        stop ||= d > today || rand() < 0.3;
      } else cells.push(d);
    }
    const drop = rand() < 0.17 ? day(first, 3 + Math.floor(rand() * 20)) : '';
    cells.push(drop && drop <= today ? drop : '', drop && drop <= today ? 'no_show' : '');
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function rssMb(pid, field = 'VmRSS') {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function main() {
  const stack = await startBenchStack({
    name: 'import',
    projects: ['api'],
    // BENCH_PG_STATS=1: what each statement of the caseload views costs the server, printed after them.
    pgFlags: process.env.BENCH_PG_STATS
      ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_planning=on']
      : process.env.BENCH_PG_EXPLAIN
        ? // BENCH_PG_EXPLAIN=<file>: plans of a sample of the slower statements, with their timings, into <file>.
          [
            '-c',
            'shared_preload_libraries=auto_explain',
            '-c',
            'auto_explain.log_min_duration=2ms',
            '-c',
            'auto_explain.log_analyze=on',
            '-c',
            'auto_explain.log_buffers=on',
            '-c',
            'auto_explain.sample_rate=0.02',
          ]
        : [],
    pgLog: process.env.BENCH_PG_EXPLAIN
      ? (line) => appendFileSync(process.env.BENCH_PG_EXPLAIN, `${line}\n`)
      : () => undefined,
    env: { KM_ADMIN_EMAIL: 'bench@klantmonitor.test', KM_ADMIN_PASSWORD: 'bench-password-123' },
  });
  const { db, env, port, apiMain: main } = stack;
  spawnSync(process.execPath, [main, 'migrate'], { env, stdio: 'ignore' });
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to see where the api spends its time.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = spawn(process.execPath, [...nodeArgs, main], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  stack.children.push(api);
  const stop = () => stack.stop();
  try {
    await waitForPort(port, 30000);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const post = (path, token, body) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then(json);
    const platform = (await post('/auth/login', null, { email: env.KM_ADMIN_EMAIL, password: env.KM_ADMIN_PASSWORD }))
      .accessToken;
    const org = await post('/organisations', platform, { name: 'Bench', municipalities: MUNICIPALITIES });
    await post(`/organisations/${org.id}/users`, platform, {
      email: 'admin@bench.test',
      password: 'bench-password-123',
      role: 'org_admin',
    });
    const admin = (await post('/auth/login', null, { email: 'admin@bench.test', password: 'bench-password-123' }))
      .accessToken;

    const baselineRss = rssMb(api.pid);
    const csv = generateCsv(ROWS, 'B');
    const bytes = Buffer.byteLength(csv);
    const upload = async (query) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(csv)]), 'export.csv');
      const t0 = performance.now();
      const res = await fetch(`${base}/imports/trajectories${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
        body: form,
      });
      const body = await json(res);
      const seconds = (performance.now() - t0) / 1000;
      if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
      return { seconds, body };
    };
    const dry = await upload('?dryRun=true');
    const fresh = await upload('');
    const again = await upload('');

    // Anchor: COPY of the same file into a table of the same columns, on the same server.
    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    await client.query(`CREATE TABLE copy_anchor (client_ref text, municipality text, registered_on date, crisis text, first_contact date,
      goal_known date, approach_set date, iu_in_view date, iu_in_balance date, settlement_ready date, dropout_date date, dropout_reason text)`);
    const t0 = performance.now();
    await pipeline(
      Readable.from([csv]),
      client.query(copyStreams.from('COPY copy_anchor FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const copySeconds = (performance.now() - t0) / 1000;
    const {
      rows: [{ n }],
    } = await client.query('SELECT count(*)::int AS n FROM trajectories');

    // Caseload views at this size, through the api, each next to a bare SQL select of the same rows
    // (#26: its own anchor: the same filter, order and page, without the api, the audit, the joins
    // for names and services). The anchor's key of a cursor page is read first, as the page before ends.
    const SELECT = `SELECT c.id, c.client_ref, t.* FROM trajectories t JOIN clients c ON c.id = t.client_id`;
    const ORDER = 'ORDER BY t.started_on DESC, t.id DESC LIMIT 50';
    const keyAt = async (offset) =>
      (
        await client.query(
          `SELECT t.started_on::text AS started_on, t.id FROM trajectories t WHERE t.organisation_id = $1 ORDER BY t.started_on DESC, t.id DESC OFFSET $2 LIMIT 1`,
          [org.id, offset],
        )
      ).rows[0];
    const views = [
      ['first page (50 rows)', '?pageSize=50', `${SELECT} WHERE t.organisation_id = $1 ${ORDER}`],
      [
        'municipality + step filter',
        '?municipality=GM0344&step=iu_in_view&pageSize=50',
        `${SELECT} WHERE t.organisation_id = $1 AND t.municipality_code = 'GM0344' AND t.current_step = 'iu_in_view' ${ORDER}`,
      ],
      [
        'stalled only',
        '?stalled=true&pageSize=50',
        `${SELECT} WHERE t.organisation_id = $1 AND t.stalled_since IS NOT NULL ${ORDER}`,
      ],
      [
        'waiting for the first meeting',
        '?waiting=true&pageSize=50',
        `${SELECT} WHERE t.organisation_id = $1 AND t.first_contact IS NULL AND t.status = 'open' ${ORDER}`,
      ],
      [
        'past the legal term',
        '?overdue=true&pageSize=50',
        `${SELECT} WHERE t.organisation_id = $1 AND t.first_contact IS NULL AND t.status = 'open' AND t.first_meeting_due < current_date ${ORDER}`,
      ],
      [
        'search on client_ref',
        '?q=B-0421&pageSize=50',
        `${SELECT} WHERE t.organisation_id = $1 AND c.client_ref ILIKE '%B-0421%' ${ORDER}`,
      ],
      [
        `page ${DEEP} by OFFSET (page=${DEEP})`,
        `?page=${DEEP}&pageSize=50`,
        `${SELECT} WHERE t.organisation_id = $1 ORDER BY t.started_on DESC, t.id DESC OFFSET ${(DEEP - 1) * 50} LIMIT 50`,
        // 10-20 requests per second on each side: a quarter of the requests (1,000 took 3 minutes).
        { perBlock: Math.ceil(PER_BLOCK / 4), warmup: Math.ceil(WARMUP / 4) },
      ],
      // Keyset paging, as the dashboard pages: the cursor of the page before leads to the deep page.
      [
        `page ${DEEP} by cursor (after=)`,
        async () => `?after=${(await page(DEEP - 1)).nextCursor}&pageSize=50`,
        async () => {
          const k = await keyAt((DEEP - 1) * 50 - 1);
          return `${SELECT} WHERE t.organisation_id = $1 AND (t.started_on, t.id) < ('${k.started_on}'::date, '${k.id}'::uuid) ${ORDER}`;
        },
      ],
      [
        'page 2 by cursor (after=)',
        async () => `?after=${(await page(1)).nextCursor}&pageSize=50`,
        async () => {
          const k = await keyAt(49);
          return `${SELECT} WHERE t.organisation_id = $1 AND (t.started_on, t.id) < ('${k.started_on}'::date, '${k.id}'::uuid) ${ORDER}`;
        },
      ],
    ];
    const page = async (n) =>
      (await fetch(`${base}/clients?page=${n}&pageSize=50`, { headers: { authorization: `Bearer ${admin}` } })).json();
    const caseload = [];
    const agent = await keepAliveAgent(10);
    const anchorPool = new pg.Pool({ connectionString: db.adminUrl, max: 10 });
    // CPU time per request of the api process and of PostgreSQL's processes, over the measured
    // requests: steadier than the rates on a shared machine, and it says which side costs what.
    const pgCpu = await pgCpuMeter(client);
    const perRequest = (from, to) => ((to - from) / 400).toFixed(2);
    const getPage = (qs) => async () => {
      const status = await httpGet(agent, `${base}/clients${qs}`, { authorization: `Bearer ${admin}` });
      if (status !== 200) throw new Error(`caseload ${status}`);
    };
    const measurePages = async (suffix, withAnchor) => {
      for (const [name, given, bare, size] of views) {
        const qs = typeof given === 'function' ? await given() : given;
        if (!withAnchor) {
          let cpu = [0, 0];
          const r = await latencies(getPage(qs), 400, 10, WARMUP, () => (cpu = [cpuMs(api.pid), pgCpu()]));
          r.cpu = `${perRequest(cpu[0], cpuMs(api.pid))} / ${perRequest(cpu[1], pgCpu())}`;
          caseload.push([name + suffix, r, null]);
          continue;
        }
        // The view and its bare select in turns (bench-kit `interleaved`): both see the same machine.
        const sql = typeof bare === 'function' ? await bare() : bare;
        const [r, anchor] = await interleaved(
          [
            { fn: getPage(qs), meters: () => [cpuMs(api.pid), pgCpu()] },
            { fn: () => anchorPool.query(sql, [org.id]), meters: () => [pgCpu()] },
          ],
          { blocks: BLOCKS, perBlock: size?.perBlock ?? PER_BLOCK, concurrency: 10, warmup: size?.warmup ?? WARMUP },
        );
        r.cpu = r.cpu.map((v) => v.toFixed(2)).join(' / ');
        anchor.cpu = anchor.cpu[0].toFixed(2);
        const pairs = r.blockRates.map((v, i) => v / anchor.blockRates[i]);
        r.spread = `${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)}`;
        caseload.push([name + suffix, r, anchor]);
      }
    };
    // Right after the import (statistics and visibility map not caught up yet), then as autovacuum
    // leaves the tables a little later (VACUUM ANALYZE): the everyday state of a caseload.
    await measurePages(', right after the import', false);
    await client.query('VACUUM ANALYZE');
    // And the import's pages on disk (#26, session 21): the timed checkpoint that followed the import
    // (5 minutes after start, while the views were measured) wrote its ~300 MB and put a full-page
    // image in the WAL of the first change of every page after it, so the views' audit commits (the
    // bare selects write nothing) paid for the import: the views measured during it had p99s of
    // 3.2-4.6 x their selects, those before it 2.1-2.9 x. A checkpoint is the state after the nightly
    // maintenance; the next timed one comes 5 minutes later, after the views.
    await client.query('CHECKPOINT');
    if (process.env.BENCH_PG_STATS) {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.query('SELECT pg_stat_statements_reset()');
    }
    await measurePages(', after VACUUM ANALYZE', true);
    if (process.env.BENCH_PG_STATS) {
      const top = await client.query(
        `SELECT calls, round((total_exec_time + total_plan_time)::numeric / calls, 3) AS ms_per_call,
                round(total_plan_time::numeric / calls, 3) AS plan_ms, round(max_exec_time::numeric, 1) AS max_ms, round((total_exec_time + total_plan_time)::numeric) AS total_ms,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query
         FROM pg_stat_statements WHERE calls >= 100 ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`,
      );
      console.table(top.rows);
    }
    await anchorPool.end();
    await client.end();

    const rate = (s) => Math.round(ROWS / s);
    console.log(
      `\nImport benchmark: ${ROWS.toLocaleString('en')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB CSV, ${n.toLocaleString('en')} trajectories stored`,
    );
    console.log('| run | seconds | rows/s | vs COPY |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, s] of [
      ['COPY (anchor)', copySeconds],
      ['import, dry run (validate only)', dry.seconds],
      ['import, new trajectories', fresh.seconds],
      ['re-import, same rows (update path)', again.seconds],
    ]) {
      console.log(`| ${name} | ${s.toFixed(2)} | ${rate(s).toLocaleString('en')} | ${(copySeconds / s).toFixed(2)} |`);
    }
    console.log(
      `\nTarget: >= 5,000 rows/s. api RSS: ${baselineRss ?? '?'} MB before the imports, peak ${peakRssMb(api.pid) ?? '?'} MB, now ${rssMb(api.pid) ?? '?'} MB`,
    );
    console.log(
      `\nCaseload GET /clients on ${n.toLocaleString('en')} clients, 10 in flight (docs/quality.md: p99 <= 50 ms, >= 0.3 x anchor); right after the import 400 requests after ${WARMUP} unmeasured; after VACUUM ANALYZE and a CHECKPOINT each view and its bare select in turns, ${BLOCKS} blocks of ${PER_BLOCK} requests each after ${WARMUP} unmeasured (the OFFSET page a quarter of that; "blocks": the rate vs select of each pair of blocks):`,
    );
    console.log(
      '| view | p50 ms | p95 ms | p99 ms | req/s | CPU ms per request: api / PostgreSQL | its bare select: p50 / p99 ms, req/s, PostgreSQL CPU ms | rate vs select | blocks | p99 vs select |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
    for (const [name, r, a] of caseload)
      console.log(
        `| ${name} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} | ${r.cpu} | ${a ? `${a.p50} / ${a.p99}, ${a.rps}, ${a.cpu}` : ''} | ${a ? (r.rps / a.rps).toFixed(2) : ''} | ${r.spread ?? ''} | ${a ? (Number(r.p99) / Number(a.p99)).toFixed(2) : ''} |`,
      );
    console.log(
      `Results: new ${JSON.stringify({ created: fresh.body.created, updated: fresh.body.updated })}, again ${JSON.stringify({ created: again.body.created, updated: again.body.updated })}`,
    );
    // One JSON line per target (docs/contributing.md).
    summaryLine({
      bench: 'import',
      figure: `new trajectories per second (${ROWS.toLocaleString('en')}-row file)`,
      value: rate(fresh.seconds),
      unit: 'rows/s',
      anchor: rate(copySeconds),
      target: '>= 5,000 rows/s',
      met: rate(fresh.seconds) >= 5000,
    });
    for (const [name, r, a] of caseload.filter(([, , a]) => a)) {
      summaryLine({
        bench: 'import',
        figure: `caseload ${name}: requests per second`,
        value: r.rps,
        unit: 'req/s',
        anchor: a.rps,
        target: '>= 0.3 x its bare select',
        met: r.rps / a.rps >= 0.3,
      });
      summaryLine({
        bench: 'import',
        figure: `caseload ${name}: p99 latency`,
        value: Number(r.p99),
        unit: 'ms',
        anchor: Number(a.p99),
        target: "<= 3 x its bare select's p99, <= 50 ms",
        met: Number(r.p99) <= 3 * Number(a.p99) && Number(r.p99) <= 50,
      });
    }
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
