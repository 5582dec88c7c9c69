import { addDays, DEFAULT_INTAKE_ITEM_CODES, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { call, makeWorld, World, uploadCsv } from '../support/http';

/**
 * The worker stops within a few seconds of SIGTERM once idle, also after a segmentation run (#27:
 * after `bench:segmentation` it printed "shutdown after SIGTERM did not finish within 55000 ms").
 * A worker of its own (the built one, the stack's environment) on a Redis database of its own, so
 * that it, and not the stack's worker, runs the segmentation: the run is made through the api (the
 * stack's worker computes it), copied as a new queued run by SQL and handed to this worker's queue.
 */
const WORKER_MAIN = join(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'worker', 'main.js');
const ITEMS = ['privacy_veilig', 'slow_persoon', 'zelf_oplossen', 'digi_apparaten'];
// Every statement of the default intake instrument: a run over them at k = 2..12 with 100 restarts takes half a minute.
const MANY = DEFAULT_INTAKE_ITEM_CODES;
const CLIENTS = 3000;
const today = todayInAmsterdam();

const upload = uploadCsv;

describe('worker shutdown', () => {
  let world: World;
  let owner: Client;
  let worker: ChildProcess | null = null;
  let apiRun = '';
  const tag = randomUUID().slice(0, 6);

  beforeAll(async () => {
    world = await makeWorld();
    owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    const trajectories = [
      'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason',
    ];
    const answers = [`client_ref,answered_on,${MANY.join(',')}`];
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < CLIENTS; i++) {
      trajectories.push(`SD-${tag}-${i},GM0344,${addDays(today, -60)},,,,,,,`);
      answers.push(`SD-${tag}-${i},${addDays(today, -59)},${MANY.map(() => 1 + Math.floor(rand() * 5)).join(',')}`);
    }
    const admin = world.tokens.org_admin;
    expect((await upload('/api/v1/imports/trajectories', admin, trajectories.join('\n'))).status).toBe(200);
    expect((await upload('/api/v1/imports/intake-answers', admin, answers.join('\n'))).status).toBe(200);
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await owner.end();
  });

  const redisUrl = () => `${process.env['KM_TEST_REDIS_URL']}/7`;

  /** The built worker on its own Redis database; resolves once it says it started. */
  async function startWorker() {
    const env = JSON.parse(process.env['KM_E2E_ENV'] as string) as Record<string, string>;
    const child = spawn(process.execPath, [WORKER_MAIN], {
      // The outbox is left to the stack's worker (one poll a minute here).
      env: { ...process.env, ...env, REDIS_URL: redisUrl(), OUTBOX_POLL_MS: '60000', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = child;
    const out = { log: '' };
    child.stdout?.on('data', (d) => (out.log += d));
    child.stderr?.on('data', (d) => (out.log += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    for (let i = 0; i < 300 && !out.log.includes('Klantmonitor worker started'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(out.log).toContain('Klantmonitor worker started');
    /** SIGTERM, then how it ended (or 'still running' after 8 s) and how long it took. */
    const stop = async () => {
      const t0 = Date.now();
      child.kill('SIGTERM');
      const how = await Promise.race([
        exited,
        new Promise<'still running'>((r) => setTimeout(() => r('still running'), 8000)),
      ]);
      return { how, ms: Date.now() - t0 };
    };
    return { out, stop };
  }

  /** A copy of a run made through the api (with other params if given), queued for this worker alone. */
  async function queueCopy(queue: Queue, runId: string, params: Record<string, unknown> = {}) {
    const {
      rows: [copy],
    } = await owner.query(
      `INSERT INTO segmentation_runs (organisation_id, params, created_by)
       SELECT organisation_id, params || $2::jsonb, created_by FROM segmentation_runs WHERE id = $1 RETURNING id, organisation_id`,
      [runId, JSON.stringify(params)],
    );
    await queue.add(
      'segmentation-run',
      { organisationId: copy.organisation_id, runId: copy.id },
      { attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
    );
    return copy.id as string;
  }

  const runState = async (id: string) =>
    (await owner.query('SELECT state, error FROM segmentation_runs WHERE id = $1', [id])).rows[0] as {
      state: string;
      error: string | null;
    };

  it('exits within 5 s of SIGTERM after running a segmentation', async () => {
    const made = await call('POST', '/api/v1/segmentation/runs', {
      token: world.tokens.org_admin,
      body: { kMin: 2, kMax: 6, restarts: 5, seed: 3, items: ITEMS },
    });
    expect(made.status).toBe(202);
    apiRun = made.body.id;
    const w = await startWorker();
    const queue = new Queue('segmentation', { connection: { url: redisUrl() } });
    try {
      const id = await queueCopy(queue, apiRun);
      let state = 'queued';
      for (let i = 0; i < 600 && !['completed', 'failed', 'cancelled'].includes(state); i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await runState(id)).state;
      }
      expect(state).toBe('completed');
      // Until this worker has no job left (the run's job is marked completed after its row).
      for (let i = 0; i < 100; i++) {
        const c = await queue.getJobCounts('active', 'waiting');
        if (c['active'] + c['waiting'] === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    expect(w.out.log).toMatch(/segmentation run .* completed/);
    const { how, ms } = await w.stop();
    // NestJS ends a clean shutdown by raising the signal again: exit by SIGTERM.
    expect({ how, within5s: ms <= 5000 }).toEqual({
      how: expect.objectContaining({ signal: 'SIGTERM' }),
      within5s: true,
    });
    expect(w.out.log).not.toContain('did not finish');
  });

  it('stops a running segmentation within 5 s of SIGTERM and leaves it to run again, not failed', async () => {
    // 3,000 clients x every item, k = 2..12, 100 restarts: about half a minute of work on 2 cores.
    const w = await startWorker();
    const queue = new Queue('segmentation', { connection: { url: redisUrl() } });
    try {
      const id = await queueCopy(queue, apiRun, { items: MANY, kMin: 2, kMax: 12, restarts: 100 });
      for (let i = 0; i < 300 && (await runState(id)).state !== 'running'; i++)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500)); // well into the threads' work
      expect(await runState(id)).toEqual({ state: 'running', error: null });
      const { how, ms } = await w.stop();
      expect({ how, within5s: ms <= 5000 }).toEqual({
        how: expect.objectContaining({ signal: 'SIGTERM' }),
        within5s: true,
      });
      // Not failed: still running as far as the page knows, and its job waits for the next start.
      expect(await runState(id)).toEqual({ state: 'running', error: null });
      const counts = await queue.getJobCounts('delayed', 'waiting', 'failed', 'completed');
      expect(counts['delayed'] + counts['waiting']).toBe(1);
      expect(w.out.log).not.toContain('did not finish');
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
