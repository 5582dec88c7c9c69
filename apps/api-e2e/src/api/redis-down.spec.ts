import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { makeWorld, PASSWORD, World } from '../support/http';

// tools/ is not an Nx project: the stack helper is shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const stack = require('../../../../tools/test/stack.cjs');

/**
 * docs/quality.md, Reliability: PostgreSQL is the source of truth and Redis only carries jobs. With
 * Redis stopped the api keeps signing people in and accepting changes, and health says degraded;
 * when Redis is back, health sees it again without a restart.
 */
describe('Redis stopped', () => {
  let world: World;
  let redis: ChildProcess | null = null;
  let api: ChildProcess & { logs(): string };
  let base: string;
  let redisPort: number;

  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 50; i++) {
      if ((await fetch(`${base}/api/health`).then((r) => r.json())).checks.redis.status === 'up') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('redis did not come back');
  };
  const stopRedis = async () => {
    if (!redis) return;
    const exited = new Promise((r) => redis?.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
    redis = null;
  };
  const json = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    world = await makeWorld();
    redisPort = await stack.freePort();
    const port = await stack.freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...JSON.parse(process.env['KM_E2E_ENV'] as string),
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    };
    api = stack.startProcess(stack.API_MAIN, env, 'api-redis-down');
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await stack.waitForHealth(base, api);
  });

  afterAll(async () => {
    await stopRedis();
    if (api) await stack.stopProcess(api, { graceMs: 15_000 });
  });

  it('keeps accepting sign-ins and changes, says degraded, and recovers', async () => {
    await stopRedis();
    const health = await json('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.redis.status).toBe('down');
    expect(health.body.checks.database.status).toBe('up');

    const me = await json('/api/v1/me', { token: world.tokens.counselor });
    const login = await json('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: me.body.email, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken;
    const today = todayInAmsterdam();
    const created = await json('/api/v1/clients', {
      method: 'POST',
      token,
      body: JSON.stringify({
        clientRef: `RD-${randomUUID().slice(0, 8)}`,
        municipality: 'GM0344',
        firstContact: addDays(today, -3),
      }),
    });
    expect(created.status).toBe(201);
    const step = await json(`/api/v1/trajectories/${created.body.trajectoryId}/steps`, {
      method: 'POST',
      token,
      body: JSON.stringify({ step: 'goal_known', date: today }),
    });
    expect(step.status).toBe(200);
    expect(step.body.currentStep).toBe('goal_known');

    // Figures come from PostgreSQL only; asking for a recompute needs the queue: a clear 503.
    const figures = await json('/api/v1/analytics/dropout', { token: world.tokens.policy_advisor });
    expect(figures.status).toBe(200);
    const recompute = await json('/api/v1/analytics/recompute', {
      method: 'POST',
      token: world.tokens.org_admin,
      body: '{}',
    });
    expect(recompute.status).toBe(503);
    expect(recompute.body.message).toMatch(/job queue/);

    await startRedis();
    const back = await json('/api/health');
    expect(back.body.checks.redis.status).toBe('up');
    expect(api.exitCode).toBeNull();
  });

  // A shutdown that waited on the missing Redis kept the process, and the test runner waiting
  // for it, alive until CI's time ran out. The api now ends itself within its deadline.
  it('stops on SIGTERM while Redis is away, by itself', async () => {
    await stopRedis();
    const stopped = await stack.stopProcess(api, { graceMs: 15_000 });
    console.log('api stop with Redis away', stopped, api.exitCode, api.signalCode);
    expect(stopped.graceful).toBe(true);
  });
});
