import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { JOBS, QUEUES } from '@klantmonitor/server/queues';
import { call, makeWorld, World } from '../support/http';
import { mailsTo, waitForMails } from '../support/mail';

// tools/ is not an Nx project: the helpers are shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const stack = require('../../../../tools/test/stack.cjs');
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { startMailCatcher } = require('../../../../tools/mail-catcher/mail-catcher.cjs');

type Proc = ChildProcess & { logs(): string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * docs/quality.md, Reliability, with processes of their own (database, Redis, api, worker, SMTP):
 * Redis stopped while a step is marked, a worker killed in the middle of sending, and a job run
 * twice. Each time: exactly one message, and PostgreSQL shows why.
 */
describe('delivery faults', () => {
  const today = todayInAmsterdam();
  let world: World;
  let redis: ChildProcess | null = null;
  let redisPort: number;
  let api: Proc;
  let worker: Proc;
  let env: Record<string, string>;
  let catcher: { httpUrl: string; smtpUrl: string; close(): Promise<void> };
  let db: Client;
  const mainBase = process.env['KM_E2E_BASE_URL'];

  const startRedis = () => {
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
  };
  const stopRedis = async () => {
    if (!redis) return;
    const exited = new Promise((r) => redis?.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
    redis = null;
  };
  const startWorker = () => {
    worker = stack.startProcess(stack.WORKER_MAIN, env, 'worker-faults');
  };
  const killWorker = async (signal: NodeJS.Signals) => {
    if (worker.exitCode !== null) return;
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill(signal);
    await exited;
  };
  const register = async (email: string, firstContact: string) => {
    const a = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: { clientRef: `F-${randomUUID().slice(0, 8)}`, municipality: 'GM0344', firstContact, email },
    });
    expect(a.status).toBe(201);
    return a.body as { id: string; trajectoryId: string };
  };
  const invitationRows = async (trajectoryId: string) =>
    (
      await db.query(
        `SELECT i.id, i.wave_key, i.delivery_status, i.delivery_attempts, (SELECT count(*)::int FROM invitation_tokens t WHERE t.invitation_id = i.id) AS tokens
         FROM invitations i WHERE i.trajectory_id = $1 ORDER BY i.created_at`,
        [trajectoryId],
      )
    ).rows;

  beforeAll(async () => {
    catcher = await startMailCatcher();
    const database = await stack.createDatabase('km_faults_e2e');
    redisPort = await stack.freePort();
    const port = await stack.freePort();
    env = {
      ...JSON.parse(process.env['KM_E2E_ENV'] as string),
      DATABASE_URL: database.appUrl,
      DATABASE_ADMIN_URL: database.adminUrl,
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SMTP_URL: catcher.smtpUrl,
      OUTBOX_POLL_MS: '100',
      // A killed worker's job is picked up again after 2 s; a claim older than 5 s counts as interrupted.
      JOB_LOCK_MS: '2000',
      SEND_LEASE_SECONDS: '5',
    };
    startRedis();
    stack.migrate(env);
    api = stack.startProcess(stack.API_MAIN, env, 'api-faults');
    const base = `http://127.0.0.1:${port}`;
    await stack.waitForHealth(base, api);
    startWorker();
    process.env['KM_E2E_BASE_URL'] = base;
    world = await makeWorld();
    db = new Client({ connectionString: database.adminUrl });
    await db.connect();
    // A wave on the day of a step change, so the fault shows at once.
    const put = await call('PUT', '/api/v1/questionnaire-schedule', {
      token: world.tokens.org_admin,
      body: {
        intervalWeeks: 6,
        delayAfterStepDays: 0,
        reminderAfterDays: 4,
        expiryDays: 14,
        creditPerResponse: 2.5,
        channels: ['email'],
      },
    });
    expect(put.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    process.env['KM_E2E_BASE_URL'] = mainBase;
    if (process.env['KM_E2E_SHOW_LOGS']) console.log(worker?.logs());
    await db?.end();
    for (const p of [worker, api]) if (p) await stack.stopProcess(p);
    await stopRedis();
    await catcher?.close();
  });

  it('Redis stopped while a step is marked, then started: exactly one invitation arrives', async () => {
    const email = `redis-${randomUUID().slice(0, 8)}@example.nl`;
    // First contact 30 days ago: the intake wave is missed, the first periodic one is 12 days away.
    const client = await register(email, addDays(today, -30));
    await sleep(1000);
    expect(await invitationRows(client.trajectoryId)).toEqual([]);

    await stopRedis();
    const step = await call('POST', `/api/v1/trajectories/${client.trajectoryId}/steps`, {
      token: world.tokens.counselor,
      body: { step: 'goal_known', date: today },
    });
    expect(step.status).toBe(200);
    await sleep(1500);
    // The job waits in the outbox, in PostgreSQL.
    const waiting = await db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL AND payload->'trajectoryIds' ? $1`,
      [client.trajectoryId],
    );
    expect(waiting.rows[0].n).toBe(1);
    expect(await mailsTo(email, catcher.httpUrl)).toEqual([]);

    startRedis();
    const [mail] = await waitForMails(email, 1, 30_000, catcher.httpUrl);
    expect(mail.text).toContain('/v/');
    await sleep(2000);
    expect(await mailsTo(email, catcher.httpUrl)).toHaveLength(1);
    expect(await invitationRows(client.trajectoryId)).toEqual([
      expect.objectContaining({
        wave_key: 'step:goal_known',
        delivery_status: 'sent',
        delivery_attempts: 1,
        tokens: 1,
      }),
    ]);
  }, 60_000);

  it('a worker killed in the middle of sending: exactly one e-mail', async () => {
    const email = `kill-${randomUUID().slice(0, 8)}@example.nl`;
    // The SMTP server keeps its "accepted" for this address: the worker is stuck mid-send.
    await fetch(`${catcher.httpUrl}/api/hold`, { method: 'POST', body: JSON.stringify({ to: email }) });
    const client = await register(email, today);
    const deadline = Date.now() + 20_000;
    while ((await (await fetch(`${catcher.httpUrl}/api/held`)).json()).held < 1) {
      if (Date.now() > deadline) throw new Error('the send never reached the SMTP server');
      await sleep(50);
    }
    expect(await invitationRows(client.trajectoryId)).toEqual([
      expect.objectContaining({ delivery_status: 'sending', delivery_attempts: 1 }),
    ]);

    await killWorker('SIGKILL');
    await fetch(`${catcher.httpUrl}/api/release`, { method: 'POST' });
    startWorker();
    // BullMQ finds the job stalled after the lock (2 s); the claim's lease (5 s) decides when it may send again.
    const [mail] = await waitForMails(email, 1, 40_000, catcher.httpUrl);
    expect(mail.subject).toContain(world.orgA.name);
    // The held message shows as soon as it is released; the new worker's attempt comes after the
    // lock and the lease. Wait for that attempt to be recorded (a fixed 3 s was too short on a busy
    // CI machine), then count the messages.
    const until = Date.now() + 40_000;
    while ((await invitationRows(client.trajectoryId))[0]?.delivery_status !== 'sent' && Date.now() < until)
      await sleep(250);
    await sleep(1000);
    expect(await mailsTo(email, catcher.httpUrl)).toHaveLength(1);
    expect(await invitationRows(client.trajectoryId)).toEqual([
      expect.objectContaining({ wave_key: 'intake', delivery_status: 'sent', delivery_attempts: 2, tokens: 2 }),
    ]);
  }, 90_000);

  it('a send job run again after the message was recorded sends nothing', async () => {
    const email = `twice-${randomUUID().slice(0, 8)}@example.nl`;
    const client = await register(email, today);
    await waitForMails(email, 1, 20_000, catcher.httpUrl);
    await sleep(300);
    const [inv] = await invitationRows(client.trajectoryId);
    const connection = { url: env['REDIS_URL'] };
    const queue = new Queue(QUEUES.deliverEmail, { connection });
    const events = new QueueEvents(QUEUES.deliverEmail, { connection });
    try {
      await events.waitUntilReady();
      // As BullMQ would after a crash between "sent" and "job done": the same payload once more.
      const job = await queue.add(
        JOBS.sendInvitation,
        { organisationId: world.orgA.id, invitationId: inv.id },
        { jobId: `again-${inv.id}` },
      );
      expect(await job.waitUntilFinished(events, 20_000)).toEqual({ outcome: 'nothing_to_do', detail: 'sent' });
    } finally {
      await events.close();
      await queue.close();
    }
    expect(await mailsTo(email, catcher.httpUrl)).toHaveLength(1);
  }, 60_000);
});
