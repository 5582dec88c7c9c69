/**
 * The national dataset the analytics and dashboard benchmarks share, and the steps every such run
 * takes: generate it in SQL with a fixed seed (342 municipalities, by default 500,000 trajectories
 * of 120 organisations, about 3 million step events, support contacts and 1 million questionnaire
 * responses), recompute every organisation's facts with the real worker, start the real api and sign
 * in a policy advisor.
 */
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { peakRssMb } from './bench-kit.mjs';

export const PLATFORM_ADMIN = {
  email: 'platform@bench.test',
  password: 'platform-password-bench',
};

/** Generates the national dataset into a migrated database (owner connection); returns the counts. */
export async function generateNational(client, { trajectories = 500_000, organisations = 120 } = {}) {
  const t0 = performance.now();
  const step = async (label, sql, params = []) => {
    const t = performance.now();
    const r = await client.query(sql, params);
    console.log(
      `  ${label}: ${r.rowCount?.toLocaleString('en') ?? ''} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
  };
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SELECT setseed(0.42)`);
  const munis = (await client.query(`SELECT count(*)::int AS n FROM municipalities`)).rows[0].n;
  if (munis < 342) throw new Error(`only ${munis} municipalities in the reference table`);
  await step(
    'organisations',
    `INSERT INTO organisations (name) SELECT 'Bench ' || lpad(g::text, 3, '0') FROM generate_series(1, $1) g`,
    [organisations],
  );
  await step(
    'municipalities served',
    `WITH m AS (SELECT code, row_number() OVER (ORDER BY code) AS rn FROM municipalities ORDER BY code LIMIT 342),
          o AS (SELECT id, row_number() OVER (ORDER BY name) AS rn FROM organisations)
     INSERT INTO organisation_municipalities (organisation_id, municipality_code) SELECT o.id, m.code FROM m JOIN o ON o.rn = (m.rn % $1) + 1`,
    [organisations],
  );
  await step(
    'client types',
    `INSERT INTO client_types (organisation_id, code, name) SELECT o.id, t.code, t.name FROM organisations o
     CROSS JOIN (VALUES ('zelfstandige', 'De zelfstandige'), ('afhankelijke', 'De afhankelijke'), ('kwetsbare', 'De kwetsbare')) t (code, name)`,
  );
  // One row per trajectory with its story: type-dependent speed (the study: zelfstandige fast, kwetsbare slow),
  // 17% dropout mostly early, 10% of intermediate steps never recorded, 85% assessed around intake.
  await step(
    'plan of trajectories',
    `CREATE TABLE bench_t AS
     WITH m AS (SELECT array_agg(municipality_code ORDER BY municipality_code) AS codes FROM organisation_municipalities),
     base AS (
       SELECT g AS n, m.codes[1 + floor(random() * array_length(m.codes, 1))::int] AS muni,
              current_date - 1 - floor(random() * 1095)::int AS fc,
              (ARRAY['zelfstandige', 'afhankelijke', 'kwetsbare'])[1 + floor(random() * 3)::int] AS type,
              random() AS r_drop, random() AS r_drop_day, random() AS r_assess,
              ARRAY[random(), random(), random(), random(), random()] AS r_steps,
              ARRAY[random(), random(), random(), random(), random()] AS r_skip
       FROM generate_series(1, $1) g, m
     ), days AS (
       SELECT b.*, CASE b.type WHEN 'zelfstandige' THEN 0.5 WHEN 'afhankelijke' THEN 1.5 ELSE 2.5 END AS f FROM base b
     ), cum AS (
       SELECT d.*,
              floor(d.r_steps[1] * 20 * d.f)::int AS d1,
              floor(d.r_steps[1] * 20 * d.f + d.r_steps[2] * 25 * d.f)::int AS d2,
              floor(d.r_steps[1] * 20 * d.f + d.r_steps[2] * 25 * d.f + d.r_steps[3] * 35 * d.f)::int AS d3,
              floor(d.r_steps[1] * 20 * d.f + d.r_steps[2] * 25 * d.f + d.r_steps[3] * 35 * d.f + d.r_steps[4] * 45 * d.f)::int AS d4,
              floor(d.r_steps[1] * 20 * d.f + d.r_steps[2] * 25 * d.f + d.r_steps[3] * 35 * d.f + d.r_steps[4] * 45 * d.f + d.r_steps[5] * 220 * d.f)::int AS d5,
              CASE WHEN d.r_drop < 0.17 THEN floor(d.r_drop_day * d.r_drop_day * 200)::int END AS dd
       FROM days d
     )
     SELECT c.n, c.muni, om.organisation_id AS org, c.fc, c.type, gen_random_uuid() AS client_id, gen_random_uuid() AS traj_id,
            CASE WHEN c.dd IS NOT NULL AND c.fc + c.dd < current_date THEN c.fc + c.dd END AS dropout_on,
            ARRAY[c.d1, c.d2, c.d3, c.d4, c.d5] AS step_days, c.r_skip, c.r_assess,
            -- The request before the first contact (#26): a skewed wait of 0..44 days; 5% in a crisis,
            -- seen within 0..5 days (due: 3 weekdays on, holidays not counted here: bench data only).
            CASE WHEN c.r_drop_day < 0.05 THEN floor(c.r_assess * 6)::int ELSE floor(c.r_steps[1] * c.r_skip[1] * 45)::int END AS wait,
            CASE WHEN c.r_drop_day < 0.05 THEN 'eviction' END AS crisis
     FROM cum c JOIN organisation_municipalities om ON om.municipality_code = c.muni`,
    [trajectories],
  );
  // Reached steps: on or before yesterday and not after the dropout.
  await step(
    'reached steps',
    `CREATE TABLE bench_s AS
     SELECT t.traj_id, t.org, s.i, (ARRAY['goal_known', 'approach_set', 'iu_in_view', 'iu_in_balance', 'settlement_ready'])[s.i] AS step,
            t.fc + t.step_days[s.i] AS on_date, t.r_skip[s.i] < 0.1 AND s.i < 5 AS unrecorded
     FROM bench_t t CROSS JOIN generate_series(1, 5) s (i)
     WHERE t.fc + t.step_days[s.i] < current_date AND (t.dropout_on IS NULL OR t.fc + t.step_days[s.i] <= t.dropout_on)`,
  );
  await step(
    'clients',
    `INSERT INTO clients (id, organisation_id, client_ref) SELECT client_id, org, 'N' || n FROM bench_t`,
  );
  await step(
    'trajectories',
    `INSERT INTO trajectories (id, organisation_id, client_id, municipality_code, first_contact, status, dropout_on, dropout_reason,
                               effective_steps, current_step, last_activity_on,
                               registered_on, crisis, first_meeting_due, first_meeting_alert_on)
     SELECT t.traj_id, t.org, t.client_id, t.muni, t.fc, CASE WHEN t.dropout_on IS NULL THEN 'open' ELSE 'dropped_out' END,
            t.dropout_on, CASE WHEN t.dropout_on IS NOT NULL THEN 'no_show' END,
            jsonb_build_object('first_contact', t.fc) || coalesce(e.steps, '{}'::jsonb),
            coalesce(e.current, 'first_contact'), greatest(t.fc, e.last, t.dropout_on),
            t.fc - t.wait, t.crisis, t.fc - t.wait + CASE WHEN t.crisis IS NULL THEN 28 ELSE 5 END,
            t.fc - t.wait + CASE WHEN t.crisis IS NULL THEN 27 ELSE 4 END
     FROM bench_t t
     LEFT JOIN (SELECT traj_id, jsonb_object_agg(step, on_date) AS steps, max(on_date) AS last,
                       (array_agg(step ORDER BY i DESC))[1] AS current
                FROM bench_s GROUP BY traj_id) e ON e.traj_id = t.traj_id`,
  );
  // Recorded events: every reached step that was not skipped, plus an earlier, withdrawn version of each
  // (a correction), which makes the step-event history about 3 million rows.
  await step(
    'step events',
    `INSERT INTO step_events (organisation_id, trajectory_id, step, occurred_on, source, recorded_at, withdrawn_at)
     SELECT s.org, s.traj_id, s.step, s.on_date - v.back, 'import', now(), CASE WHEN v.back > 0 THEN now() END
     FROM bench_s s CROSS JOIN (VALUES (0), (1)) v (back)
     WHERE NOT s.unrecorded`,
  );
  await step(
    'assessments',
    `INSERT INTO assessments (organisation_id, client_id, assessed_on, client_type_id, source)
     SELECT t.org, t.client_id, least(t.fc + floor(t.r_assess * 45)::int - 5, current_date - 1), ct.id, 'import'
     FROM bench_t t JOIN client_types ct ON ct.organisation_id = t.org AND ct.code = t.type
     WHERE t.r_assess < 0.85`,
  );
  await step(
    'support contacts',
    `INSERT INTO support_contacts (organisation_id, trajectory_id, occurred_on, type, minutes, channel)
     SELECT t.org, t.traj_id, least(t.fc + floor(random() * 120)::int, current_date - 1),
            (ARRAY['administrative', 'financial_coaching', 'income_management', 'legal', 'psychosocial'])[1 + floor(random() * 5)::int],
            15 + floor(random() * 76)::int, 'phone'
     FROM bench_t t CROSS JOIN LATERAL generate_series(1, floor(t.r_assess * 5)::int) k`,
  );
  await step(
    'invitations',
    `INSERT INTO invitations (organisation_id, trajectory_id, wave_key, wave_kind, due_on, planned_on, outcome, template_id, channel,
                              delivery_status, sent_at, sent_on, expires_on, completed_at)
     SELECT t.org, t.traj_id, 'bench-' || k, 'periodic', t.fc + 42 * k, t.fc + 42 * k, 'invited', tpl.id, 'email', 'sent',
            (t.fc + 42 * k)::timestamp + interval '9 hours', t.fc + 42 * k, t.fc + 42 * k + 13,
            CASE WHEN random() < 0.84 THEN (t.fc + 42 * k + floor(random() * 14)::int)::timestamp + interval '12 hours' END
     FROM bench_t t CROSS JOIN LATERAL generate_series(0, 2) k
     CROSS JOIN (SELECT id FROM questionnaire_templates ORDER BY version LIMIT 1) tpl
     WHERE t.fc + 42 * k + 14 < current_date AND (t.dropout_on IS NULL OR t.fc + 42 * k <= t.dropout_on)`,
  );
  await step(
    'responses',
    `INSERT INTO responses (organisation_id, invitation_id, trajectory_id, template_id, answers, phase, responded_on)
     SELECT i.organisation_id, i.id, i.trajectory_id, i.template_id,
            jsonb_build_object('onrust_financien', 1 + floor(random() * 5)::int, 'geloof_in_oplossing', 1 + floor(random() * 5)::int,
                               'geluisterd', 1 + floor(random() * 5)::int, 'goed_geholpen', 1 + floor(random() * 5)::int,
                               'weet_wat_te_doen', 1 + floor(random() * 5)::int),
            'first_contact', i.completed_at::date
     FROM invitations i WHERE i.completed_at IS NOT NULL`,
  );
  await client.query(`DROP TABLE bench_s; DROP TABLE bench_t`);
  await client.query('VACUUM ANALYZE');
  const counts = (
    await client.query(`SELECT (SELECT count(*) FROM trajectories)::int AS trajectories, (SELECT count(*) FROM step_events)::int AS step_events,
       (SELECT count(*) FROM support_contacts)::int AS support, (SELECT count(*) FROM responses)::int AS responses,
       (SELECT count(*) FROM invitations)::int AS invitations, (SELECT count(DISTINCT municipality_code) FROM trajectories)::int AS municipalities`)
  ).rows[0];
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
  return counts;
}

/**
 * The nightly recompute, started by hand: every organisation's facts, then the dashboards' answers
 * computed ahead (warm job). Starts the worker as a child of the stack. Returns the timings and the
 * worker's peak memory.
 */
export async function recomputeAll(stack, client, organisations) {
  // The worker would start a first recompute on a never-computed database; this run starts its own.
  await client.query(`UPDATE analytics_state SET computed_at = now() WHERE id = 1`);
  const worker = spawn(process.execPath, ['--expose-gc', stack.workerMain], {
    env: stack.env,
    stdio: ['ignore', process.env.BENCH_WORKER_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
  stack.children.push(worker);
  const queue = new Queue('analytics', {
    connection: { url: stack.redis.url },
  });
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const rssAtRest = peakRssMb(worker.pid);
    const t0 = performance.now();
    await queue.add('recompute-analytics', { requestedBy: 'bench' });
    let factsSeconds = null;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const done = (await client.query(`SELECT count(*)::int AS n FROM analytics_recomputes`)).rows[0].n;
      if (done === organisations && factsSeconds === null) factsSeconds = (performance.now() - t0) / 1000;
      // (The nightly job scheduler always keeps one delayed job: not counted.)
      const c = await queue.getJobCounts('waiting', 'active', 'prioritized', 'failed');
      if (factsSeconds !== null && c.waiting + c.active + c.prioritized === 0) break;
      if (c.failed > 0) {
        const [failed] = await queue.getFailed(0, 0);
        throw new Error(`job ${failed?.name} failed: ${failed?.failedReason}`);
      }
      if (performance.now() - t0 > 15 * 60_000) throw new Error('recompute did not finish in 15 minutes');
    }
    return {
      factsSeconds,
      recomputeSeconds: (performance.now() - t0) / 1000,
      workerPeakMb: peakRssMb(worker.pid),
      workerAtRestMb: rssAtRest,
    };
  } finally {
    await queue.close();
  }
}

/**
 * Starts the built api as a child of the stack (on the stack's port, or another one: a second api
 * process whose memory then counts only its own requests) and waits for its health answer.
 */
export async function startApi(stack, { port = stack.port } = {}) {
  const api = spawn(process.execPath, [stack.apiMain], {
    env: { ...stack.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  stack.children.push(api);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (api.exitCode !== null) throw new Error(`api exited with ${api.exitCode}`);
    if (i > 300) throw new Error('api did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { api, base };
}

/**
 * A policy advisor of the first organisation (by name), created by the platform admin through the
 * API; returns the advisor's credentials and token.
 */
export async function signInAdvisor(base, client) {
  const post = async (path, body, token) => {
    const r = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const json = await r.json();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const platform = (await post('/api/v1/auth/login', PLATFORM_ADMIN)).accessToken;
  const org = (await client.query(`SELECT id FROM organisations ORDER BY name LIMIT 1`)).rows[0].id;
  const advisor = {
    email: 'advisor@bench.test',
    password: 'a-good-long-password',
  };
  await post(`/api/v1/organisations/${org}/users`, { ...advisor, role: 'policy_advisor', name: 'Bench' }, platform);
  const token = (await post('/api/v1/auth/login', advisor)).accessToken;
  return { ...advisor, token, organisationId: org };
}
