import { ALL_QUEUES } from '@klantmonitor/server/queues';
import { call, expectError, makeWorld, World } from '../support/http';

/** GET /health/system: what the platform admin's start page shows (#13). */
describe('system health for the platform admin', () => {
  let world: World;

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('shows database, Redis, worker and every queue with its depths and newest failures', async () => {
    const r = await call('GET', '/api/health/system', {
      token: world.tokens.platform_admin,
    });
    expect(r.status).toBe(200);
    expect(r.body.checks.database.status).toBe('up');
    expect(r.body.checks.redis.status).toBe('up');
    expect(r.body.queuesError).toBeNull();
    expect(r.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([...ALL_QUEUES].sort());
    for (const q of r.body.queues) {
      for (const k of ['waiting', 'active', 'delayed', 'failed'])
        expect(Number.isInteger(q[k]) && q[k] >= 0).toBe(true);
      expect(q.recentFailures.length).toBeLessThanOrEqual(5);
    }
  });

  it('is for platform admins only', async () => {
    for (const role of ['org_admin', 'counselor', 'policy_advisor'] as const)
      expectError(await call('GET', '/api/health/system', { token: world.tokens[role] }), 403);
    expectError(await call('GET', '/api/health/system'), 401);
    // The public health stays public and says nothing about queues.
    const open = await call('GET', '/api/health');
    expect(open.status).toBe(200);
    expect(open.body.queues).toBeUndefined();
  });
});
