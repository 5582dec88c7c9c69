import { call, makeWorld, PASSWORD, PLATFORM, World } from '../support/http';

type Who = 'anonymous' | 'platform_admin' | 'org_admin' | 'counselor' | 'policy_advisor';
const WHO: Who[] = ['anonymous', 'platform_admin', 'org_admin', 'counselor', 'policy_advisor'];

/**
 * Every endpoint against every role: the status each must get. Own-organisation paths use org A
 * (the org admin, counselor and policy advisor belong to it); bodies are valid, so only the role decides.
 */
describe('role matrix', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });

  const rows: { name: string; run: (w: World, token?: string) => Promise<number>; expect: Record<Who, number> }[] = [
    {
      name: 'GET /v1/me',
      run: async (_w, token) => (await call('GET', '/api/v1/me', { token })).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 200, counselor: 200, policy_advisor: 200 },
    },
    {
      name: 'GET /v1/municipalities',
      run: async (_w, token) => (await call('GET', '/api/v1/municipalities', { token })).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 200, counselor: 200, policy_advisor: 200 },
    },
    {
      name: 'POST /v1/organisations',
      run: async (_w, token) =>
        (
          await call('POST', '/api/v1/organisations', {
            token,
            body: { name: `Matrix ${Math.random()}`, municipalities: ['GM0344'] },
          })
        ).status,
      expect: { anonymous: 401, platform_admin: 201, org_admin: 403, counselor: 403, policy_advisor: 403 },
    },
    {
      name: 'GET /v1/organisations',
      run: async (_w, token) => (await call('GET', '/api/v1/organisations', { token })).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 200, counselor: 200, policy_advisor: 200 },
    },
    {
      name: 'GET /v1/organisations/:id',
      run: async (w, token) => (await call('GET', `/api/v1/organisations/${w.orgA.id}`, { token })).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 200, counselor: 200, policy_advisor: 200 },
    },
    {
      name: 'POST /v1/organisations/:id/users',
      run: async (w, token) =>
        (
          await call('POST', `/api/v1/organisations/${w.orgA.id}/users`, {
            token,
            body: {
              email: `m${Math.random().toString(36).slice(2)}@example.nl`,
              password: 'a-good-long-password',
              role: 'counselor',
            },
          })
        ).status,
      expect: { anonymous: 401, platform_admin: 201, org_admin: 201, counselor: 403, policy_advisor: 403 },
    },
    {
      name: 'GET /v1/organisations/:id/users',
      run: async (w, token) => (await call('GET', `/api/v1/organisations/${w.orgA.id}/users`, { token })).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 200, counselor: 403, policy_advisor: 403 },
    },
    {
      name: 'POST /v1/clients',
      run: async (_w, token) =>
        (
          await call('POST', '/api/v1/clients', {
            token,
            body: {
              clientRef: `M-${Math.random().toString(36).slice(2, 10)}`,
              municipality: 'GM0344',
              firstContact: '2025-01-06',
            },
          })
        ).status,
      expect: { anonymous: 401, platform_admin: 403, org_admin: 201, counselor: 201, policy_advisor: 403 },
    },
    {
      name: 'GET /v1/clients',
      run: async (_w, token) => (await call('GET', '/api/v1/clients', { token })).status,
      expect: { anonymous: 401, platform_admin: 403, org_admin: 200, counselor: 200, policy_advisor: 403 },
    },
    {
      name: 'GET /v1/clients/:id, trajectory changes',
      run: async (w, token) => {
        const created = await call('POST', '/api/v1/clients', {
          token: w.tokens.counselor,
          body: {
            clientRef: `M-${Math.random().toString(36).slice(2, 10)}`,
            municipality: 'GM0344',
            firstContact: '2025-01-06',
          },
        });
        const { id, trajectoryId } = created.body;
        const statuses = [
          (await call('GET', `/api/v1/clients/${id}`, { token })).status,
          (
            await call('POST', `/api/v1/trajectories/${trajectoryId}/steps`, {
              token,
              body: { step: 'goal_known', date: '2025-01-10' },
            })
          ).status,
          (await call('DELETE', `/api/v1/trajectories/${trajectoryId}/steps/goal_known`, { token })).status,
          (
            await call('POST', `/api/v1/trajectories/${trajectoryId}/support`, {
              token,
              body: { date: '2025-01-10', type: 'legal', minutes: 30, channel: 'phone' },
            })
          ).status,
          (
            await call('POST', `/api/v1/trajectories/${trajectoryId}/dropout`, {
              token,
              body: { date: '2025-01-11', reason: 'moved' },
            })
          ).status,
        ];
        // One number per role: all five calls must agree.
        const normalised = statuses.map((s) => (s === 201 ? 200 : s)); // support answers 201 Created
        return new Set(normalised).size === 1 ? normalised[0] : -1;
      },
      expect: { anonymous: 401, platform_admin: 403, org_admin: 200, counselor: 200, policy_advisor: 403 },
    },
    {
      name: 'POST /v1/auth/totp/setup (every staff member may protect the own account)',
      run: async (w, token) =>
        (
          await call('POST', '/api/v1/auth/totp/setup', {
            token,
            body: { password: token === w.tokens.platform_admin ? PLATFORM.password : PASSWORD },
          })
        ).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 200, counselor: 200, policy_advisor: 200 },
    },
    {
      name: 'GET /v1/analytics/settings',
      run: async (_w, token) => (await call('GET', '/api/v1/analytics/settings', { token })).status,
      expect: { anonymous: 401, platform_admin: 403, org_admin: 200, counselor: 403, policy_advisor: 200 },
    },
    {
      name: 'PUT /v1/analytics/settings',
      run: async (_w, token) =>
        (await call('PUT', '/api/v1/analytics/settings', { token, body: { minCell: 10 } })).status,
      expect: { anonymous: 401, platform_admin: 403, org_admin: 200, counselor: 403, policy_advisor: 403 },
    },
    {
      name: 'GET /admin/queues (Bull Board)',
      run: async (_w, token) => (await call('GET', '/api/admin/queues', { token })).status,
      expect: { anonymous: 401, platform_admin: 200, org_admin: 403, counselor: 403, policy_advisor: 403 },
    },
    {
      name: 'GET /health',
      run: async (_w, token) => (await call('GET', '/api/health', { token })).status,
      expect: { anonymous: 200, platform_admin: 200, org_admin: 200, counselor: 200, policy_advisor: 200 },
    },
  ];

  for (const row of rows) {
    it(`${row.name}`, async () => {
      const got: Record<string, number> = {};
      for (const who of WHO) got[who] = await row.run(world, who === 'anonymous' ? undefined : world.tokens[who]);
      expect(got).toEqual(row.expect);
    });
  }
});
