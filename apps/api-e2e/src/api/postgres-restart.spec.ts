import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

// tools/ is not an Nx project: the helpers are shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const stack = require('../../../../tools/test/stack.cjs');

/**
 * PostgreSQL restarted under a running api (docs/quality.md "Faults"): while it is away the api answers
 * 503 with a plain message (health too), nothing is half-written, and when it is back the api
 * recovers by itself, without a restart, and nothing was lost or written twice.
 */
describe('PostgreSQL stops and starts again under a running api', () => {
  let pg: ChildProcess;
  let api: ChildProcess & { logs(): string };
  let urls: { adminUrl: string; appUrl: string };
  let base: string;
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const nextLine = () => new Promise<string>((r) => (lines.length ? r(lines.shift() as string) : waiters.push(r)));
  const command = async (cmd: 'stop' | 'start') => {
    pg.stdin?.write(`${cmd}\n`);
    expect(await nextLine()).toBe(cmd === 'stop' ? 'stopped' : 'started');
  };
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };

  beforeAll(async () => {
    const dataDir = join(stack.ROOT, '.data', `pg-restart-${process.pid}`);
    pg = spawn(
      process.execPath,
      [join(stack.ROOT, 'tools', 'test', 'pg-instance.mjs'), dataDir, randomBytes(8).toString('hex')],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    createInterface({ input: pg.stdout! }).on('line', (line) =>
      waiters.length ? (waiters.shift() as (l: string) => void)(line) : lines.push(line),
    );
    urls = JSON.parse(await nextLine());
    const port = await stack.freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...JSON.parse(process.env['KM_E2E_ENV'] as string),
      PORT: String(port),
      DATABASE_URL: urls.appUrl,
      DATABASE_ADMIN_URL: urls.adminUrl,
      REDIS_URL: `${process.env['KM_TEST_REDIS_URL']}/5`,
      KM_ADMIN_EMAIL: 'platform@faults.test',
      KM_ADMIN_PASSWORD: 'platform-password-faults',
      KM_DEMO: 'false',
    };
    const migrated = spawnSync(process.execPath, [stack.API_MAIN, 'migrate'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrate: ${migrated.stderr}`);
    api = stack.startProcess(stack.API_MAIN, env, 'api-pg-restart');
    await stack.waitForHealth(base, api);
  }, 60000);

  afterAll(async () => {
    if (api) await stack.stopProcess(api);
    pg?.stdin?.write('quit\n');
    await new Promise((r) => pg?.once('exit', r));
  });

  it('answers 503 while it is away, recovers by itself, and keeps every change exactly once', async () => {
    const platform = (
      await call('POST', '/api/v1/auth/login', undefined, {
        email: 'platform@faults.test',
        password: 'platform-password-faults',
      })
    ).body.accessToken;
    const org = (
      await call('POST', '/api/v1/organisations', platform, {
        name: 'Faults',
        municipalities: ['GM0344'],
      })
    ).body;
    await call('POST', `/api/v1/organisations/${org.id}/users`, platform, {
      email: 'c@faults.test',
      password: 'a-good-long-password',
      role: 'counselor',
    });
    const token = (
      await call('POST', '/api/v1/auth/login', undefined, {
        email: 'c@faults.test',
        password: 'a-good-long-password',
      })
    ).body.accessToken;
    const before = await call('POST', '/api/v1/clients', token, {
      clientRef: 'PG-1',
      municipality: 'GM0344',
      firstContact: '2026-01-05',
    });
    expect(before.status).toBe(201);

    await command('stop');
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.checks.database.status).toBe('down');
    for (const attempt of [
      call('POST', '/api/v1/clients', token, {
        clientRef: 'PG-2',
        municipality: 'GM0344',
        firstContact: '2026-01-05',
      }),
      call('POST', `/api/v1/trajectories/${before.body.trajectoryId}/steps`, token, {
        step: 'goal_known',
        date: '2026-01-06',
      }),
      call('GET', '/api/v1/clients', token),
    ]) {
      const a = await attempt;
      expect(a.status).toBe(503);
      expect(a.body).toMatchObject({
        statusCode: 503,
        message: 'The database is not reachable; try again shortly',
      });
    }

    await command('start');
    // The pool reconnects by itself: no restart of the api.
    let healthAfter = await call('GET', '/api/health');
    for (let i = 0; i < 50 && healthAfter.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      healthAfter = await call('GET', '/api/health');
    }
    expect(healthAfter.body.checks.database.status).toBe('up');
    expect(
      (
        await call('POST', `/api/v1/trajectories/${before.body.trajectoryId}/steps`, token, {
          step: 'goal_known',
          date: '2026-01-06',
        })
      ).status,
    ).toBe(200);
    const again = await call('POST', '/api/v1/clients', token, {
      clientRef: 'PG-2',
      municipality: 'GM0344',
      firstContact: '2026-01-05',
    });
    expect(again.status).toBe(201); // the attempt while it was away left nothing behind

    const owner = new Client({ connectionString: urls.adminUrl });
    await owner.connect();
    try {
      const rows =
        await owner.query(`SELECT client_ref, (SELECT count(*)::int FROM step_events e JOIN trajectories t ON t.id = e.trajectory_id WHERE t.client_id = c.id) AS events
                                      FROM clients c ORDER BY client_ref`);
      expect(rows.rows).toEqual([
        { client_ref: 'PG-1', events: 1 }, // the step marked after the restart, once (first contact is no event)
        { client_ref: 'PG-2', events: 0 },
      ]);
    } finally {
      await owner.end();
    }
    expect(api.exitCode).toBeNull(); // the same process all along
  }, 60000);
});
