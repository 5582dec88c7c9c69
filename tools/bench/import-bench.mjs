/**
 * Import benchmark (docs/quality.md: >= 5,000 rows/s for a 50,000-row file, next to COPY of the same
 * rows). Runs the built api on throwaway PostgreSQL and Redis, uploads a generated trajectory
 * export, and prints a table. Usage: node tools/bench/import-bench.mjs [rows]   (npm run bench:import)
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { waitForPort } from '../services/services.mjs';
import { peakRssMb, startBenchStack, summaryLine } from './bench-kit.mjs';

const ROWS = Number(process.argv[2] ?? 50_000);
/** The deep page of the caseload views: page 500 of 50,000 rows, the last but one of a smaller file. */
const DEEP = Math.min(500, Math.max(2, Math.floor(ROWS / 50) - 1));
const HEADER =
  'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';
const MUNICIPALITIES = ['GM0080', 'GM0484', 'GM0546', 'GM0344', 'GM0200', 'GM0193'];

function day(base, offset) {
  return new Date(Date.parse(`${base}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A realistic export: steps at growing distances, some skipped, some dropouts, all in the past. */
function generateCsv(rows, tag) {
  const today = new Date().toISOString().slice(0, 10);
  const lines = [HEADER];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < rows; i++) {
    const first = day(today, -30 - Math.floor(rand() * 600));
    const cells = [`${tag}-${String(i).padStart(6, '0')}`, MUNICIPALITIES[i % 6], first];
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

/** p50/p95/p99 of `total` calls of `fn` with `concurrency` in flight. */
async function latencies(fn, total = 400, concurrency = 10) {
  const times = [];
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
  const wall = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), rps: Math.round(total / wall) };
}

async function main() {
  const stack = await startBenchStack({
    name: 'import',
    projects: ['api'],
    env: { KM_ADMIN_EMAIL: 'bench@klantmonitor.test', KM_ADMIN_PASSWORD: 'bench-password-123' },
  });
  const { db, env, port, apiMain: main } = stack;
  spawnSync(process.execPath, [main, 'migrate'], { env, stdio: 'ignore' });
  const api = spawn(process.execPath, [main], { env, stdio: ['ignore', 'ignore', 'inherit'] });
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
    await client.query(`CREATE TABLE copy_anchor (client_ref text, municipality text, first_contact date, goal_known date, approach_set date,
      iu_in_view date, iu_in_balance date, settlement_ready date, dropout_date date, dropout_reason text)`);
    const t0 = performance.now();
    await pipeline(
      Readable.from([csv]),
      client.query(copyStreams.from('COPY copy_anchor FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const copySeconds = (performance.now() - t0) / 1000;
    const {
      rows: [{ n }],
    } = await client.query('SELECT count(*)::int AS n FROM trajectories');

    // Caseload pages at this size, through the api, next to a bare SQL select of the same page.
    const pages = [
      ['first page (50 rows)', '?pageSize=50'],
      ['municipality + step filter', '?municipality=GM0344&step=iu_in_view&pageSize=50'],
      ['stalled only', '?stalled=true&pageSize=50'],
      ['search on client_ref', '?q=B-0421&pageSize=50'],
      [`page ${DEEP} by OFFSET (page=${DEEP})`, `?page=${DEEP}&pageSize=50`],
      // Keyset paging, as the dashboard pages: the cursor of the page before leads to the deep page.
      [`page ${DEEP} by cursor (after=)`, async () => `?after=${(await page(DEEP - 1)).nextCursor}&pageSize=50`],
      ['page 2 by cursor (after=)', async () => `?after=${(await page(1)).nextCursor}&pageSize=50`],
    ];
    const page = async (n) =>
      (await fetch(`${base}/clients?page=${n}&pageSize=50`, { headers: { authorization: `Bearer ${admin}` } })).json();
    const caseload = [];
    const measurePages = async (suffix) => {
      for (const [name, given] of pages) {
        const qs = typeof given === 'function' ? await given() : given;
        const r = await latencies(async () => {
          const res = await fetch(`${base}/clients${qs}`, { headers: { authorization: `Bearer ${admin}` } });
          if (res.status !== 200) throw new Error(`caseload ${res.status}`);
          await res.arrayBuffer();
        });
        caseload.push([name + suffix, r]);
      }
    };
    // Right after the import (statistics and visibility map not caught up yet), then as autovacuum
    // leaves the tables a little later (VACUUM ANALYZE): the everyday state of a caseload.
    await measurePages(', right after the import');
    await client.query('VACUUM ANALYZE');
    await measurePages(', after VACUUM ANALYZE');
    const anchorPool = new pg.Pool({ connectionString: db.adminUrl, max: 10 });
    const anchor = await latencies(() =>
      anchorPool.query(
        `SELECT c.id, c.client_ref, t.* FROM trajectories t JOIN clients c ON c.id = t.client_id
         WHERE t.organisation_id = $1 ORDER BY t.first_contact DESC, t.id DESC LIMIT 50`,
        [org.id],
      ),
    );
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
      `\nCaseload GET /clients on ${n.toLocaleString('en')} clients, 400 requests, 10 in flight (docs/quality.md: p99 <= 50 ms, >= 0.3 x anchor):`,
    );
    console.log('| page | p50 ms | p95 ms | p99 ms | req/s | vs anchor |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| anchor: bare SELECT of a page (pg, same pool size) | ${anchor.p50} | ${anchor.p95} | ${anchor.p99} | ${anchor.rps} | 1.00 |`,
    );
    for (const [name, r] of caseload)
      console.log(`| ${name} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} | ${(r.rps / anchor.rps).toFixed(2)} |`);
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
    for (const [name, r] of caseload.filter(([name]) => name.includes('after VACUUM'))) {
      summaryLine({
        bench: 'import',
        figure: `caseload ${name}: requests per second`,
        value: r.rps,
        unit: 'req/s',
        anchor: anchor.rps,
        target: '>= 0.3 x anchor, p99 <= 50 ms',
        met: r.rps / anchor.rps >= 0.3 && r.p99 <= 50,
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
