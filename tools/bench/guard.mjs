/**
 * `npm run bench:guard` (docs/contributing.md): the hot paths at a scale that fits about 5 minutes
 * on 2 cores, each beside its anchor measured in the same run, compared with the ratios committed
 * in tools/bench/baseline.json. A ratio more than 1.5 x worse than the baseline's is printed as a
 * regression, and so is a figure that went missing; either makes the command exit 1. A bench with
 * a figure over the line runs once more, and per figure the better run counts (noise shows once).
 *
 *   npm run bench:guard                 run and compare
 *   npm run bench:guard -- --update     run and write the baseline (machine and date included)
 *   npm run bench:guard -- --only=analytics,steps
 *
 * What runs (each is the full benchmark script at a small size; its whole output goes to
 * .data/bench-guard/<name>.log, its JSON summary lines are printed here):
 *   analytics     50,000 trajectories of 12 organisations (national size per organisation): full
 *                 recompute (facts + answers) and the analytics endpoints
 *   steps         step updates under load, beside pgbench
 *   import        a 10,000-row import beside COPY, then every caseload view beside pgbench
 *   segmentation  10,000 clients: a k = 2..12 sweep beside plain ml-kmeans runs, outcomes,
 *                 transitions, and the worker's stop after SIGTERM
 * Not part of CI: timings on a shared machine are noisy, so it is run by hand before resolving an
 * issue that touches analytics, imports, steps, the caseload or segmentation.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { baselineOf, bestOf, compareWithBaseline, REGRESSION_FACTOR, summaryLines } from './guard-compare.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const BASELINE = join(import.meta.dirname, 'baseline.json');
const LOGS = join(ROOT, '.data', 'bench-guard');

export const GUARD_BENCHES = [
  // 12 organisations: each as large as at national scale (the recompute is per organisation).
  { name: 'analytics', script: 'analytics-bench.mjs', args: ['50000', '12'], env: { BENCH_SECONDS: '3' } },
  { name: 'steps', script: 'steps-bench.mjs', args: ['2000'], env: { BENCH_SECONDS: '8' } },
  { name: 'import', script: 'import-bench.mjs', args: ['10000'], env: { BENCH_SECONDS: '3' } },
  { name: 'segmentation', script: 'segmentation-bench.mjs', args: ['10000'], env: {} },
];

function runBench(b) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, b.script), ...b.args], {
      cwd: ROOT,
      env: { ...process.env, ...b.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      writeFileSync(join(LOGS, `${b.name}.log`), out);
      resolve({ out, code, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const fmt = (n) => (n === null || n === undefined ? '' : Number(n).toLocaleString('en', { maximumFractionDigits: 3 }));

async function main() {
  const update = process.argv.includes('--update');
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',');
  const benches = GUARD_BENCHES.filter((b) => !only || only.includes(b.name));
  mkdirSync(LOGS, { recursive: true });
  const current = [];
  const failures = [];
  for (const b of benches) {
    console.log(`== ${b.name}: node tools/bench/${b.script} ${b.args.join(' ')}`);
    const r = await runBench(b);
    const lines = summaryLines(r.out);
    // Exit 2 is a bench's "a target was missed": its absolute targets are for full scale, not this one.
    if ((r.code !== 0 && r.code !== 2) || lines.length === 0)
      failures.push(
        `${b.name} exited with ${r.code} and ${lines.length} summary lines (log: .data/bench-guard/${b.name}.log)`,
      );
    for (const l of lines) console.log(JSON.stringify(l));
    console.log(`   ${r.seconds.toFixed(0)} s`);
    current.push(...lines);
  }

  if (update) {
    if (failures.length) {
      console.error(`Not written: ${failures.join('; ')}`);
      process.exit(1);
    }
    const previous = existsSync(BASELINE) ? JSON.parse(readFileSync(BASELINE, 'utf8')) : { figures: {} };
    // With --only, the other benches' figures stay as they were.
    const kept = only
      ? Object.entries(previous.figures).filter(
          ([k]) => !benches.some((b) => current.some((c) => k.startsWith(`${c.bench} / `))),
        )
      : [];
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      kernel: release(),
    };
    const next = baselineOf(current, machine, new Date().toISOString().slice(0, 10));
    next.figures = { ...Object.fromEntries(kept), ...next.figures };
    writeFileSync(BASELINE, `${JSON.stringify(next, null, 2)}\n`);
    console.log(`\nBaseline written: tools/bench/baseline.json (${Object.keys(next.figures).length} figures)`);
    return;
  }

  if (!existsSync(BASELINE)) {
    console.error('No tools/bench/baseline.json: write one with npm run bench:guard -- --update');
    process.exit(1);
  }
  const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
  if (only)
    baseline.figures = Object.fromEntries(
      Object.entries(baseline.figures).filter(([k]) => only.some((n) => k.startsWith(`${n} / `))),
    );
  let checked = current;
  const flagged = new Set(
    compareWithBaseline(baseline, current)
      .rows.filter((r) => r.status === 'regression')
      .map((r) => r.key.split(' / ')[0]),
  );
  // A flagged bench runs once more; per figure the run closer to the baseline counts (one noisy p95
  // on a shared machine is not a regression; a real one shows twice).
  for (const b of benches.filter((x) => flagged.has(x.name))) {
    console.log(`== ${b.name} again (a figure was more than ${REGRESSION_FACTOR} x worse)`);
    const r = await runBench(b);
    const lines = summaryLines(r.out);
    for (const l of lines) console.log(JSON.stringify(l));
    checked = bestOf(baseline, checked, lines);
  }
  const { rows, ok } = compareWithBaseline(baseline, checked);
  console.log(
    `\nAgainst the baseline of ${baseline.date} (${baseline.machine?.cpu}, ${baseline.machine?.cores} cores):`,
  );
  console.log('| figure | value | anchor | ratio | baseline ratio | x worse | |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const c = r.current;
    console.log(
      `| ${r.key} | ${fmt(c?.value)} ${c?.unit ?? ''} | ${fmt(c?.anchor)} | ${fmt(c?.ratio)} | ${fmt(r.baseline?.ratio)} | ${fmt(r.worse)} | ${r.status === 'regression' ? `REGRESSION (> ${REGRESSION_FACTOR} x)` : r.status} |`,
    );
  }
  for (const f of failures) console.log(`FAILED: ${f}`);
  const regressions = rows.filter((r) => r.status === 'regression' || r.status === 'missing');
  console.log(
    regressions.length || failures.length
      ? `\nbench:guard: ${regressions.length} regression(s) or missing figure(s), ${failures.length} bench failure(s)`
      : `\nbench:guard: no regression (${rows.filter((r) => r.status === 'ok').length} ratios within ${REGRESSION_FACTOR} x of the baseline)`,
  );
  process.exit(ok && failures.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
