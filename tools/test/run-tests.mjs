/**
 * `npm test`: everything the project tests, in order, on throwaway services.
 *   1. Prettier over the whole tree, then lint and unit tests of every project (Nx, two at a time),
 *      then the tools' unit tests (node:test: every *.test.mjs under tools/)
 *   2. production builds of api, worker and dashboard
 *   3. PostgreSQL (embedded) and Redis on free loopback ports, data in .data/test-<pid>
 *   4. API integration tests (Jest, serial) and browser tests (Playwright in Debian's Chromium)
 * It prints a summary per kind and a final "N passed, N failed" line; services stop on every exit.
 * `--only=unit` or `--only=e2e` runs a part.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { ensureSystemPackages, freePort, startPostgres, startRedis } from '../services/services.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
const env = {
  ...process.env,
  TZ: 'UTC',
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  FORCE_COLOR: '0',
};
const results = [];
const cleanups = [];
/** Steps run in their own process group (so a hung one can be ended whole): Ctrl-C ends them here. */
const running = new Set();

/** Jest's last line; a runner that is still alive a minute after it is held open by a leak. */
const JEST_DONE = /Ran all test suites/;
const HANG_GRACE_MS = Number(process.env.KM_TEST_HANG_GRACE_MS ?? 60_000);

/**
 * Runs one step in its own process group. If the output shows the step is done (`doneMarker`)
 * and the process is still there `HANG_GRACE_MS` later, it lists what is left, ends the group
 * and reports `hung`. Its tests' results stand and decide the exit code: the leak is listed
 * in the log and in the summary for someone to fix, where CI's time limit would otherwise end the
 * whole run with nothing to show why.
 */
function run(label, command, args, extraEnv = {}, doneMarker = null) {
  const started = Date.now();
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let out = '';
    let hung = false;
    let watchdog = null;
    const tee = (stream) => (d) => {
      out += d;
      stream.write(d);
      if (doneMarker && !watchdog && doneMarker.test(out)) {
        watchdog = setTimeout(() => {
          hung = true;
          const ps = spawnSync('ps', ['-o', 'pid,ppid,etime,args', '-g', String(child.pid)], { encoding: 'utf8' });
          console.error(
            `\n${label}: still running ${HANG_GRACE_MS / 1000} s after its last test; ending it. Its processes:\n${ps.stdout}`,
          );
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, HANG_GRACE_MS);
      }
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      running.delete(child);
      resolve({
        code: hung ? exitCodeFromCounts(out) : (code ?? 1),
        hung,
        out,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      });
    });
  });
}

/** Sums Jest's "Tests: a failed, b passed, c total" lines. */
function jestCounts(out) {
  let passed = 0;
  let failed = 0;
  for (const line of out.split('\n')) {
    const m = /(?:^|\s)Tests:\s+(.*)$/.exec(stripVTControlCharacters(line));
    if (!m) continue;
    passed += Number(/(\d+) passed/.exec(m[1])?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(m[1])?.[1] ?? 0);
  }
  return { passed, failed };
}

/** Node's test runner's TAP totals ("# pass N", "# fail N"). */
function tapCounts(out) {
  const n = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled') };
}

/** A hung Jest run's exit code is what its own summary says: 1 if any test failed or none ran. */
function exitCodeFromCounts(out) {
  const c = jestCounts(out);
  const suitesFailed = /Test Suites:.*\d+ failed/.test(out);
  return c.failed === 0 && c.passed > 0 && !suitesFailed ? 0 : 1;
}

async function stopAll() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch (e) {
      console.error('cleanup:', e.message);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}

async function main() {
  let ok = true;
  const nx = join(ROOT, 'node_modules', '.bin', 'nx');

  if (only !== 'e2e') {
    // The whole tree's layout (landed migrations excepted: .prettierignore); the first thing a run says.
    const f = await run('format', join(ROOT, 'node_modules', '.bin', 'prettier'), ['--check', '.', '--log-level=warn']);
    results.push({ kind: 'format', passed: 0, failed: f.code === 0 ? 0 : 1, seconds: f.seconds, code: f.code });
    ok &&= f.code === 0;

    const r = await run('lint + unit', nx, [
      'run-many',
      '-t',
      'lint',
      'test',
      '--parallel=2',
      '--output-style=stream',
      '--skip-nx-cache',
    ]);
    const c = jestCounts(r.out);
    results.push({ kind: 'lint + unit', ...c, seconds: r.seconds, code: r.code });
    ok &&= r.code === 0;

    // The tools' own pure logic (the bench guard's comparison): Node's test runner, no Nx project.
    const t = await run('tools unit', process.execPath, ['--test', '--test-reporter=tap', 'tools/**/*.test.mjs']);
    results.push({ kind: 'tools unit', ...tapCounts(t.out), seconds: t.seconds, code: t.code });
    ok &&= t.code === 0;
  }

  if (only !== 'unit') {
    const b = await run('build', nx, [
      'run-many',
      '-t',
      'build',
      '-p',
      'api',
      'worker',
      'dashboard',
      '--parallel=2',
      '--output-style=stream',
    ]);
    results.push({ kind: 'build', passed: 0, failed: b.code === 0 ? 0 : 1, seconds: b.seconds, code: b.code });
    ok &&= b.code === 0;

    if (b.code === 0) {
      // What the integration and browser tests need from Debian, installed here when missing (as
      // `npm run demo` does for redis-server), so `npm test` works on a machine with only Node and npm.
      ensureSystemPackages(['redis-server', 'chromium', 'fonts-dejavu-core', 'poppler-utils']);
      const dataDir = join(ROOT, '.data', `test-${process.pid}`);
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const appPassword = randomBytes(12).toString('hex');
      const t0 = Date.now();
      const pg = await startPostgres({
        dataDir: join(dataDir, 'pg'),
        port: await freePort(),
        appPassword,
        forTests: true,
      });
      cleanups.push(() => pg.stop());
      const redis = await startRedis({ dataDir: join(dataDir, 'redis'), port: await freePort(), forTests: true });
      cleanups.push(() => redis.stop());
      console.log(`\nPostgreSQL on ${pg.port} and Redis on ${redis.port} up in ${Date.now() - t0} ms`);
      const serviceEnv = {
        KM_TEST_PG_SUPER_URL: pg.urls('postgres').adminUrl,
        KM_TEST_PG_APP_PASSWORD: appPassword,
        KM_TEST_REDIS_URL: redis.url,
      };

      const api = await run(
        'API integration',
        join(ROOT, 'node_modules', '.bin', 'jest'),
        ['-c', 'apps/api-e2e/jest.config.cts', '--runInBand', '--ci'],
        serviceEnv,
        JEST_DONE,
      );
      results.push({
        kind: 'API integration',
        ...jestCounts(api.out),
        seconds: api.seconds,
        code: api.code,
        hung: api.hung,
      });
      ok &&= api.code === 0;

      const browser = await run(
        'browser',
        join(ROOT, 'node_modules', '.bin', 'playwright'),
        ['test', '-c', 'apps/dashboard-e2e/playwright.config.mts'],
        serviceEnv,
      );
      let passed = 0;
      let failed = browser.code === 0 ? 0 : 1;
      const report = join(ROOT, 'test-output', 'dashboard-e2e.json');
      if (existsSync(report)) {
        const s = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
        passed = s.expected ?? 0;
        failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (browser.code !== 0 && !s.unexpected ? 1 : 0);
      }
      results.push({ kind: 'browser', passed, failed, seconds: browser.seconds, code: browser.code });
      ok &&= browser.code === 0;
    }
  }

  await stopAll();
  console.log('\n=== Summary');
  console.log('kind              passed  failed  seconds  exit');
  for (const r of results) {
    console.log(
      `${r.kind.padEnd(17)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.seconds).padStart(7)}  ${r.code}`,
    );
  }
  for (const r of results.filter((r) => r.hung))
    console.log(
      `\n${r.kind}: the runner hung after its last test and was ended; its open resources are listed above. Fix that leak.`,
    );
  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0) + (ok ? 0 : results.every((r) => r.failed === 0) ? 1 : 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(ok ? 0 : 1);
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
