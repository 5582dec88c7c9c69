/**
 * `npm run bench:segmentation [clients]` (quality.md; #12): a segmentation run as an organisation
 * admin starts it, end to end through the real api and worker, beside its anchor.
 *   - data: `clients` (default 100,000) clients x 26 intake items, three segments plus noise,
 *     imported through POST /imports/intake-answers (in files of 50,000 rows);
 *   - the run: k = 2..12, 10 restarts each, seed 42; wall time from POST to "completed", and the
 *     worker's peak resident memory (VmHWM, the thread included);
 *   - anchor: one ml-kmeans run (k = 7, the middle) on the same standardised data in this process,
 *     times the number of runs (11 x 10), divided by the 2 cores;
 *   - outcomes and transitions: p95 of 20 requests each.
 * Ends with style.md's JSON summary lines; exits 2 when a target is missed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { kmeans } from 'ml-kmeans';
import { peakRssMb, startBenchStack, summaryLine } from './bench-kit.mjs';
import { PLATFORM_ADMIN, startApi } from './national-data.mjs';

const N = Number(process.argv[2] ?? 100_000);
const ITEMS = [
  'privacy_alleen_nodig',
  'privacy_veilig',
  'delen_makkelijker',
  'delen_betere_hulp',
  'fast_snel_reageren',
  'fast_meteen_antwoord',
  'slow_persoon',
  'slow_rustig',
  'slow_aandacht',
  'slow_persoonlijk_contact',
  'zelf_oplossen',
  'zelf_regelen',
  'kiezen_contact',
  'kiezen_info_delen',
  'kiezen_info_overheid',
  'vertrouwen_goed_voor_mensen',
  'vertrouwen_belofte',
  'vertrouwen_goede_hulp',
  'doen_hulp_krijgen',
  'doen_weet_wat_te_doen',
  'doen_weet_niet_waar',
  'denk_snap_wat_gebeurt',
  'denk_begrijp_info',
  'denk_weet_wat_geven',
  'digi_online_zoeken',
  'digi_apparaten',
];
const K_MIN = 2;
const K_MAX = 12;
const RESTARTS = 10;
const CORES = 2;

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Three segments of 39 / 22 / 39% (the study), each with its own profile, plus about one point of noise. */
function answersFor(n) {
  const rand = prng(2026);
  const centres = [0, 1, 2].map(() => ITEMS.map(() => 1.5 + rand() * 3));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    const c = centres[r < 0.39 ? 0 : r < 0.61 ? 1 : 2];
    rows.push(
      c.map((m) =>
        Math.min(5, Math.max(1, Math.round(m + (rand() - 0.5) * 2))),
      ),
    );
  }
  return rows;
}

function standardised(rows) {
  const d = rows[0].length;
  const mean = Array.from(
    { length: d },
    (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length,
  );
  const sd = Array.from({ length: d }, (_, j) =>
    Math.sqrt(
      rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length,
    ),
  );
  return rows.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
}

const p95 = (xs) =>
  [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];

async function main() {
  const stack = await startBenchStack({
    name: 'segmentation',
    env: {
      KM_ADMIN_EMAIL: PLATFORM_ADMIN.email,
      KM_ADMIN_PASSWORD: PLATFORM_ADMIN.password,
    },
  });
  try {
    const mig = spawnSync(process.execPath, [stack.apiMain, 'migrate'], {
      env: stack.env,
      encoding: 'utf8',
    });
    if (mig.status !== 0)
      throw new Error(`migrate failed: ${mig.stderr}${mig.stdout}`);
    const { base } = await startApi(stack);
    const { DATABASE_ADMIN_URL: _admin, ...workerEnv } = stack.env;
    const worker = spawn(process.execPath, [stack.workerMain], {
      env: workerEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    stack.children.push(worker);

    const call = async (method, path, token, body) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    };
    const platform = (
      await call('POST', '/api/v1/auth/login', null, PLATFORM_ADMIN)
    ).body.accessToken;
    const org = (
      await call('POST', '/api/v1/organisations', platform, {
        name: 'Bench segmentatie',
        municipalities: ['GM0344'],
      })
    ).body;
    await call('POST', `/api/v1/organisations/${org.id}/users`, platform, {
      email: 'admin@seg.bench',
      password: 'bench-password-long',
      role: 'org_admin',
    });
    const admin = (
      await call('POST', '/api/v1/auth/login', null, {
        email: 'admin@seg.bench',
        password: 'bench-password-long',
      })
    ).body.accessToken;
    const upload = async (path, text) => {
      const form = new FormData();
      form.append('file', new Blob([text]), 'f.csv');
      const r = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
        body: form,
      });
      if (r.status !== 200)
        throw new Error(`${path}: ${r.status} ${await r.text()}`);
    };

    console.log(
      `Generating and importing ${N.toLocaleString('nl-NL')} clients x ${ITEMS.length} items ...`,
    );
    const rows = answersFor(N);
    const header =
      'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason';
    for (let start = 0; start < N; start += 50_000) {
      const part = rows.slice(start, start + 50_000);
      await upload(
        '/api/v1/imports/trajectories',
        [
          header,
          ...part.map(
            (_, i) =>
              `B-${start + i},GM0344,2025-01-${String(1 + ((start + i) % 28)).padStart(2, '0')},,,,,,,`,
          ),
        ].join('\n'),
      );
      await upload(
        '/api/v1/imports/intake-answers',
        [
          `client_ref,answered_on,${ITEMS.join(',')}`,
          ...part.map((r, i) => `B-${start + i},2025-02-01,${r.join(',')}`),
        ].join('\n'),
      );
    }

    // Anchor: one ml-kmeans run on the same data, times the runs, over the cores.
    const z = standardised(rows);
    const t0 = performance.now();
    kmeans(z, 7, {
      initialization: 'kmeans++',
      seed: 1,
      maxIterations: 100,
      tolerance: 1e-6,
    });
    const oneRun = performance.now() - t0;
    const anchor = (oneRun * (K_MAX - K_MIN + 1) * RESTARTS) / CORES;

    console.log('Running k = 2..12, 10 restarts ...');
    const started = performance.now();
    const run = await call('POST', '/api/v1/segmentation/runs', admin, {
      kMin: K_MIN,
      kMax: K_MAX,
      restarts: RESTARTS,
      seed: 42,
      items: ITEMS,
    });
    if (run.status !== 202)
      throw new Error(`run: ${run.status} ${JSON.stringify(run.body)}`);
    let state;
    for (;;) {
      state = (
        await call('GET', `/api/v1/segmentation/runs/${run.body.id}`, admin)
      ).body;
      if (!['queued', 'running'].includes(state.state)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const wall = performance.now() - started;
    const rss = peakRssMb(worker.pid);
    if (state.state !== 'completed')
      throw new Error(`run ${state.state}: ${state.error}`);

    const times = async (path) => {
      const ms = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        const r = await call('GET', path, admin);
        if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
        ms.push(performance.now() - t);
      }
      return p95(ms);
    };
    const outcomes = await times(
      `/api/v1/segmentation/runs/${run.body.id}/scenarios/3/outcomes?step=iu_in_balance&withinDays=90&asOf=2025-12-31`,
    );
    await call(
      'POST',
      `/api/v1/segmentation/runs/${run.body.id}/scenarios/3/activate`,
      admin,
      { names: ['Een', 'Twee', 'Drie'] },
    );
    const transitions = await times(
      '/api/v1/client-types/transitions?from=2025-01-01&to=2025-12-31',
    );

    console.log(
      `\n| figure | value | anchor | target |\n| --- | ---: | ---: | --- |`,
    );
    console.log(
      `| run k = 2..12 x 10 restarts, ${N.toLocaleString('nl-NL')} clients | ${(wall / 1000).toFixed(1)} s | ${(anchor / 1000).toFixed(1)} s (one run ${oneRun.toFixed(0)} ms x 110 / 2) | <= 60 s |`,
    );
    console.log(`| worker peak RSS | ${rss} MB | | heap <= 512 MiB |`);
    console.log(`| outcomes p95 | ${outcomes.toFixed(0)} ms | | <= 100 ms |`);
    console.log(
      `| transitions p95 | ${transitions.toFixed(0)} ms | | <= 100 ms |`,
    );
    console.log(
      `scenario sizes at k = 3: ${state.scenarios.find((s) => s.k === 3)?.sizes.join(' / ')}`,
    );
    const lines = [
      summaryLine({
        bench: 'segmentation',
        figure: 'run_wall',
        value: wall,
        unit: 'ms',
        anchor,
        target: '<= 60 s at 100,000 clients',
        met: wall <= 60_000,
      }),
      summaryLine({
        bench: 'segmentation',
        figure: 'worker_peak_rss',
        value: rss,
        unit: 'MB',
        target: 'heap <= 512 MiB (RSS shown)',
        met: rss !== null && rss <= 512,
      }),
      summaryLine({
        bench: 'segmentation',
        figure: 'outcomes_p95',
        value: outcomes,
        unit: 'ms',
        target: '<= 100 ms',
        met: outcomes <= 100,
      }),
      summaryLine({
        bench: 'segmentation',
        figure: 'transitions_p95',
        value: transitions,
        unit: 'ms',
        target: '<= 100 ms',
        met: transitions <= 100,
      }),
    ];
    process.exitCode = lines.every((l) => l.met) ? 0 : 2;
  } finally {
    await stack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
