/**
 * The benchmark page and its exports at national scale (docs/quality.md): the dataset of
 * national-data.mjs (342 municipalities, 500,000 trajectories), recomputed by the real worker, served
 * by the real api with the built dashboard, opened by a policy advisor in Chromium (Debian's, driven by
 * Playwright). Prints, each next to its anchor measured in the same run:
 *   - /vergelijken: the first chart drawn after a full navigation (first visit and repeated) and after
 *     a click in the menu, and a filter change redrawn; anchor: the same API answers fetched by a bare
 *     HTTP client (keep-alive, gzip, as many connections as Chromium opens to one host);
 *   - the PDF report of all municipalities with every chart, timed and with the peak memory of an api
 *     process that served nothing else; anchor: the JSON answers it is made from;
 *   - the CSV and XLSX export of the municipality figures; anchor: the same JSON answer.
 * Usage: node tools/bench/dashboard-bench.mjs [trajectories]   (npm run bench:dashboard)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { freePort } from '../services/services.mjs';
import { peakRssMb, startBenchStack, summaryLine } from './bench-kit.mjs';
import { generateNational, PLATFORM_ADMIN, recomputeAll, signInAdvisor, startApi } from './national-data.mjs';

const TRAJECTORIES = Number(process.argv[2] ?? 500_000);
const ORGANISATIONS = 120;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
/** Chromium's connections per host (HTTP/1.1): the anchor asks with as many. */
const BROWSER_CONNECTIONS = 6;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIRST_CHART = '[data-testid="chart-municipalities"]';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (n) => (n === null || n === undefined ? 'n/a' : `${Math.round(n)}`);

/** A bare HTTP client: keep-alive, gzip accepted (the body is read whole, not decoded, as a browser would receive it). */
function bareClient(base, token, connections = BROWSER_CONNECTIONS) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const get = (path) =>
    new Promise((resolve, reject) => {
      const req = http.get(
        `${base}${path}`,
        {
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'accept-encoding': 'gzip',
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            if (res.statusCode !== 200)
              return reject(new Error(`${path}: ${res.statusCode} ${body.toString('utf8', 0, 200)}`));
            resolve({ body, type: res.headers['content-type'] });
          });
        },
      );
      req.on('error', reject);
    });
  /** Every path at once (the agent queues beyond its connections, like a browser); ms until the last. */
  const all = async (paths) => {
    const t = performance.now();
    await Promise.all(paths.map(get));
    return performance.now() - t;
  };
  const timed = async (path) => {
    const t = performance.now();
    const r = await get(path);
    return { ms: performance.now() - t, ...r };
  };
  return { get, all, timed, close: () => agent.destroy() };
}

/**
 * Installed before any page script: notes (performance.now()) when the first chart's canvas was
 * drawn (chart.js clears it first; with animation off it draws in the same task).
 */
function watchFirstChart(selector) {
  const w = window;
  // chart.js clears its canvas before each drawing: counting the clears tells when a chart was redrawn.
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    this.canvas.__kmDraws = (this.canvas.__kmDraws ?? 0) + 1;
    return clear.apply(this, args);
  };
  w.__kmFirstChart = null;
  w.__kmWatch = (t0) => {
    w.__kmFirstChart = null;
    const tick = () => {
      const c = document.querySelector(`${selector} canvas`);
      if (c && c.__kmDraws) w.__kmFirstChart = performance.now() - t0;
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  w.__kmWatch(0);
}

async function main() {
  const root = join(import.meta.dirname, '..', '..');
  const stack = await startBenchStack({
    name: 'dashboard',
    projects: ['api', 'worker', 'dashboard'],
    env: {
      KM_ADMIN_EMAIL: PLATFORM_ADMIN.email,
      KM_ADMIN_PASSWORD: PLATFORM_ADMIN.password,
      DASHBOARD_DIST: join(root, 'dist', 'apps', 'dashboard'),
    },
  });
  let browser;
  try {
    const mig = spawnSync(process.execPath, [stack.apiMain, 'migrate'], {
      env: stack.env,
      encoding: 'utf8',
    });
    if (mig.status !== 0)
      throw new Error(`migrate failed (${mig.status} ${mig.signal} ${mig.error}): ${mig.stderr}${mig.stdout}`);
    const client = new pg.Client({ connectionString: stack.db.adminUrl });
    client.on('error', () => undefined); // the stop at the end ends it
    await client.connect();
    console.log(`Generating a national dataset (${TRAJECTORIES.toLocaleString('en')} trajectories) ...`);
    const counts = await generateNational(client, {
      trajectories: TRAJECTORIES,
      organisations: ORGANISATIONS,
    });
    console.log('Full recompute ...');
    const recompute = await recomputeAll(stack, client, ORGANISATIONS);
    console.log(`  ${recompute.recomputeSeconds.toFixed(1)} s`);
    const { base } = await startApi(stack);
    const advisor = await signInAdvisor(base, client);
    await client.end();
    if (process.env.BENCH_HOLD) {
      // For looking into it by hand: the stack stays up until Ctrl+C (a rebuilt dashboard is served at once).
      console.log(`Holding: ${base}/vergelijken as ${advisor.email} / ${advisor.password}`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
      return;
    }

    // ---------- /vergelijken in Chromium ----------
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox'],
    });
    const context = await browser.newContext({
      baseURL: base,
      viewport: { width: 1366, height: 900 },
      locale: 'nl-NL',
    });
    await context.addInitScript(watchFirstChart, FIRST_CHART);
    const page = await context.newPage();
    const analyticsPaths = new Set();
    let pending = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/')) pending++;
      if (r.url().includes('/api/v1/analytics/'))
        analyticsPaths.add(new URL(r.url()).pathname + new URL(r.url()).search);
    });
    const settled = (r) => {
      if (r.url().includes('/api/v1/')) pending--;
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    /** Until every API request of the page has its answer (each chart drawn or in its state). */
    const quiet = async () => {
      const t = performance.now();
      while (pending > 0 || performance.now() - t < 100) {
        if (performance.now() - t > 60_000) throw new Error('the page kept asking for 60 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const firstChart = async () => {
      await page.waitForFunction(() => window.__kmFirstChart !== null, null, {
        timeout: 60_000,
      });
      return page.evaluate(() => window.__kmFirstChart);
    };
    // Signed in as the advisor would: the form.
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill(advisor.email);
    await page.getByLabel('Wachtwoord').fill(advisor.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/start');
    // The start page's tiles ask their own questions (some computed on request): wait until they
    // are on screen, so the first visit below measures /vergelijken, not the start page's leftovers.
    await page.getByTestId('tile-national').first().waitFor({ timeout: 60_000 });
    await quiet();

    // First visit: answers the worker did not compute ahead are computed on request. The slowest
    // answers of this visit are printed, to show what a first visit waits for.
    const timings = [];
    const started = new Map();
    const onStart = (r) => started.set(r, performance.now());
    const onDone = (r) => {
      if (r.url().includes('/api/v1/') && started.has(r))
        timings.push({
          path: new URL(r.url()).pathname.replace('/api/v1/', ''),
          query: new URL(r.url()).search.slice(0, 80),
          ms: performance.now() - started.get(r),
          at: started.get(r),
        });
    };
    page.on('request', onStart);
    page.on('requestfinished', onDone);
    const visitStart = performance.now();
    await page.goto('/vergelijken');
    const firstVisit = await firstChart();
    await quiet();
    page.off('request', onStart);
    page.off('requestfinished', onDone);
    // Charts below the fold get their canvas when scrolled near (on-screen.ts in ui-charts).
    const charts = await page.locator('figure.chart').count();
    const drawnAtFirst = await page.locator('figure.chart canvas').count();
    // Rows of its table view (made on request): one per municipality and the total.
    await page.getByTestId('chart-municipalities-toggle').click();
    const municipalityRows = await page.locator('[data-testid="chart-municipalities-table"] tbody tr').count();
    await page.getByTestId('chart-municipalities-toggle').click();
    const repeated = [];
    for (let i = 0; i < REPEATS; i++) {
      await page.goto('/vergelijken');
      repeated.push(await firstChart());
      await quiet();
    }
    // From the menu (the app is loaded; the route and its answers are not).
    const fromMenu = [];
    for (let i = 0; i < REPEATS; i++) {
      await page.goto('/start');
      await page.getByRole('link', { name: 'Vergelijken' }).first().waitFor();
      await quiet();
      fromMenu.push(
        await page.evaluate(() => {
          const t0 = performance.now();
          window.__kmWatch(t0);
          document.querySelector('nav a[href="/vergelijken"]').click();
          return new Promise((resolve) => {
            const wait = () => (window.__kmFirstChart !== null ? resolve(window.__kmFirstChart) : setTimeout(wait, 5));
            wait();
          });
        }),
      );
      await quiet();
    }
    // Filter changes: another step; redrawn = the first chart holds the new answer's figures.
    await page.goto('/vergelijken');
    await firstChart();
    await quiet();
    // BENCH_PROFILE=1: a CPU profile of the filter changes, for Chrome DevTools (Performance > load profile).
    const cdp = process.env.BENCH_PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const steps = ['iu_in_view', 'approach_set', 'goal_known', 'settlement_ready', 'iu_in_balance'];
    const changes = [];
    for (let round = 0; round < 2; round++)
      for (const step of steps) {
        changes.push({
          step,
          round,
          ms: await page.evaluate(
            ({ step, selector }) => {
              // Redrawn: the chart cleared and drew its canvas again (its table is made only when asked for).
              const draws = () => document.querySelector(`${selector} canvas`)?.__kmDraws ?? 0;
              const before = draws();
              const select = document.getElementById('f-step');
              select.value = step;
              const t0 = performance.now();
              select.dispatchEvent(new Event('change'));
              return new Promise((resolve) => {
                const tick = () => {
                  if (draws() > before) resolve(performance.now() - t0);
                  else requestAnimationFrame(tick);
                };
                requestAnimationFrame(tick);
              });
            },
            { step, selector: FIRST_CHART },
          ),
        });
        await quiet();
      }
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(join(root, 'test-output'), { recursive: true });
      const file = join(root, 'test-output', 'vergelijken-filter-changes.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the filter changes: ${file}`);
    }
    await page.screenshot({ path: join(root, 'test-output', 'bench-vergelijken.png') }).catch(() => undefined);
    await browser.close();
    browser = undefined;

    // Anchors: the same answers by a bare client.
    const bare = bareClient(base, advisor.token);
    const paths = [...analyticsPaths];
    const firstPath = paths.find(
      (p) => p.startsWith('/api/v1/analytics/step-attainment') && p.includes('groupBy=municipality'),
    );
    const optionsPath = paths.find((p) => p.startsWith('/api/v1/analytics/options'));
    const anchorFirst = [];
    const anchorAll = [];
    for (let i = 0; i < REPEATS; i++) {
      const t = performance.now();
      await bare.get(optionsPath);
      await bare.get(firstPath);
      anchorFirst.push(performance.now() - t);
      anchorAll.push(await bare.all(paths.filter((p) => !p.includes('format='))));
    }
    const changePaths = steps.map((s) => firstPath.replace(/step=[a-z_]+/, `step=${s}`));
    const anchorChange = [];
    for (const p of changePaths) anchorChange.push((await bare.timed(p)).ms);
    bare.close();

    // ---------- exports, from an api process that serves nothing else ----------
    const { api: exporter, base: exportBase } = await startApi(stack, {
      port: await freePort(),
    });
    const rssAtStart = peakRssMb(exporter.pid);
    const ex = bareClient(exportBase, advisor.token, 1);
    const reportAnswers = paths.filter((p) => !p.includes('/options') && !p.includes('format='));
    const anchorReportCold = await ex.all(reportAnswers);
    const anchorReport = [];
    for (let i = 0; i < 3; i++) anchorReport.push(await ex.all(reportAnswers));
    const pdf = [];
    let pdfBytes = 0;
    for (let i = 0; i < 3; i++) {
      const r = await ex.timed('/api/v1/analytics/report?format=pdf');
      if (!String(r.type).startsWith('application/pdf')) throw new Error(`report: ${r.type}`);
      pdf.push(r.ms);
      pdfBytes = r.body.byteLength;
    }
    // The page's "Excel" button: the workbook for people of the same report (#24), every sheet.
    const workbook = [];
    let workbookBytes = 0;
    for (let i = 0; i < 3; i++) {
      const r = await ex.timed('/api/v1/analytics/report?format=xlsx');
      if (!String(r.type).includes('spreadsheetml')) throw new Error(`workbook: ${r.type}`);
      workbook.push(r.ms);
      workbookBytes = r.body.byteLength;
    }
    const pdfPeak = peakRssMb(exporter.pid);
    const pdfPages = (r) => (r.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const lastPdf = await ex.get('/api/v1/analytics/report?format=pdf');
    const pages = pdfPages(lastPdf.body.toString('latin1'));
    const exportPath = (format) => `${firstPath}&format=${format}`;
    const anchorJson = [];
    const csv = [];
    const xlsx = [];
    let csvLines = 0;
    for (let i = 0; i < REPEATS; i++) {
      anchorJson.push((await ex.timed(firstPath)).ms);
      const c = await ex.timed(exportPath('csv'));
      csv.push(c.ms);
      csvLines = c.body.toString('utf8').trim().split(/\r?\n/).length;
      xlsx.push((await ex.timed(exportPath('xlsx'))).ms);
    }
    const exportPeak = peakRssMb(exporter.pid);
    ex.close();

    // ---------- report ----------
    const first = median(repeated);
    const change = median(changes.map((c) => c.ms));
    const changeWorst = Math.max(...changes.map((c) => c.ms));
    console.log('\nFirst visit: slowest API answers (started ms after navigation, took ms)');
    for (const t of [...timings].sort((a, b) => b.ms - a.ms).slice(0, 6))
      console.log(`  ${t.path}${t.query}  started +${Math.round(t.at - visitStart)} ms, took ${Math.round(t.ms)} ms`);
    console.log(
      `\nDashboard benchmark: ${counts.trajectories.toLocaleString('en')} trajectories in ${counts.municipalities} municipalities (${ORGANISATIONS} organisations); ` +
        `/vergelijken asked ${paths.length} API questions, has ${charts} charts (${drawnAtFirst} drawn before scrolling), the municipality chart's table has ${municipalityRows} rows`,
    );
    console.log(
      '\n| /vergelijken in Chromium (1366 px) | median ms | worst ms | anchor: same answers, bare HTTP client, median ms |',
    );
    console.log('| --- | ---: | ---: | --- |');
    console.log(
      `| first chart, first visit (answers not computed ahead are computed on request) | ${ms(firstVisit)} | ${ms(firstVisit)} | options + first answer: ${ms(median(anchorFirst))} |`,
    );
    console.log(
      `| first chart after a full navigation (${REPEATS}x) | ${ms(first)} | ${ms(Math.max(...repeated))} | options + first answer: ${ms(median(anchorFirst))}; all ${paths.length} answers: ${ms(median(anchorAll))} |`,
    );
    console.log(
      `| first chart after a click in the menu (${REPEATS}x) | ${ms(median(fromMenu))} | ${ms(Math.max(...fromMenu))} | options + first answer: ${ms(median(anchorFirst))} |`,
    );
    console.log(
      `| filter change (step) redrawn (${changes.length}x; first round ${changes
        .filter((c) => c.round === 0)
        .map((c) => ms(c.ms))
        .join(', ')}) | ${ms(change)} | ${ms(changeWorst)} | the new answer: ${ms(median(anchorChange))} |`,
    );
    console.log('\n| export (a fresh api process) | median ms | notes | anchor, median ms |');
    console.log('| --- | ---: | --- | --- |');
    console.log(
      `| PDF report, all municipalities, every chart (3x) | ${ms(median(pdf))} | ${pages} pages, ${Math.round(pdfBytes / 1024)} kB; api peak RSS ${pdfPeak} MB (${rssAtStart} MB after start) | its ${reportAnswers.length} JSON answers: ${ms(median(anchorReport))} (first time ${ms(anchorReportCold)}) |`,
    );
    console.log(
      `| CSV of the municipality figures (${REPEATS}x) | ${ms(median(csv))} | ${csvLines} lines | the JSON answer: ${ms(median(anchorJson))} |`,
    );
    console.log(
      `| XLSX of the same (${REPEATS}x) | ${ms(median(xlsx))} | api peak RSS ${exportPeak} MB after all exports | the JSON answer: ${ms(median(anchorJson))} |`,
    );
    console.log(
      `| Excel workbook for people (report?format=xlsx, every sheet, 3x) | ${ms(median(workbook))} | ${Math.round(workbookBytes / 1024)} kB | its ${reportAnswers.length} JSON answers: ${ms(median(anchorReport))} |`,
    );
    console.log('');
    const bench = 'dashboard';
    const lines = [
      summaryLine({
        bench,
        figure: '/vergelijken first chart after navigation (median)',
        value: first,
        unit: 'ms',
        anchor: median(anchorFirst),
        target: '<= 1500 ms',
        met: first <= 1500,
      }),
      summaryLine({
        bench,
        figure: '/vergelijken first chart, first visit',
        value: firstVisit,
        unit: 'ms',
        anchor: median(anchorFirst),
        target: '<= 1500 ms',
        met: firstVisit <= 1500,
      }),
      summaryLine({
        bench,
        figure: '/vergelijken filter change redrawn (median)',
        value: change,
        unit: 'ms',
        anchor: median(anchorChange),
        target: '<= 300 ms',
        met: change <= 300,
      }),
      summaryLine({
        bench,
        figure: 'PDF report, all municipalities (median)',
        value: median(pdf),
        unit: 'ms',
        anchor: median(anchorReport),
        target: '<= 5000 ms',
        met: median(pdf) <= 5000,
      }),
      summaryLine({
        bench,
        figure: 'PDF report, api peak RSS',
        value: pdfPeak,
        unit: 'MB',
        target: '<= 400 MB',
        met: pdfPeak !== null && pdfPeak <= 400,
      }),
      summaryLine({
        bench,
        figure: 'CSV export (median)',
        value: median(csv),
        unit: 'ms',
        anchor: median(anchorJson),
        target: '<= 1000 ms',
        met: median(csv) <= 1000,
      }),
      summaryLine({
        bench,
        figure: 'XLSX export (median)',
        value: median(xlsx),
        unit: 'ms',
        anchor: median(anchorJson),
        target: '<= 2000 ms',
        met: median(xlsx) <= 2000,
      }),
      summaryLine({
        bench,
        figure: 'Excel workbook of the report (median)',
        value: median(workbook),
        unit: 'ms',
        anchor: median(anchorReport),
        target: '<= 2000 ms',
        met: median(workbook) <= 2000,
      }),
    ];
    if (lines.some((l) => !l.met)) process.exitCode = 2;
  } finally {
    await browser?.close().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
