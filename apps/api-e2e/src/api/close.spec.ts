import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { call, expectError, makeWorld, World } from '../support/http';

/** POST /trajectories/:id/close and /reopen (#13): a trajectory ends without a dropout, and back. */
describe('closing and reopening a trajectory', () => {
  let world: World;
  const today = todayInAmsterdam();
  const newTrajectory = async () => {
    const c = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: {
        clientRef: `CL-${randomUUID().slice(0, 8)}`,
        municipality: 'GM0344',
        firstContact: addDays(today, -30),
      },
    });
    expect(c.status).toBe(201);
    const step = await call('POST', `/api/v1/trajectories/${c.body.trajectoryId}/steps`, {
      token: world.tokens.counselor,
      body: { step: 'goal_known', date: addDays(today, -10) },
    });
    expect(step.status).toBe(200);
    return c.body as { id: string; trajectoryId: string };
  };

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('closes with a date and reason, refuses work on it, and reopens', async () => {
    const t = await newTrajectory();
    const close = `/api/v1/trajectories/${t.trajectoryId}/close`;
    const closed = await call('POST', close, {
      token: world.tokens.counselor,
      body: { date: addDays(today, -1), reason: 'completed' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const detail = await call('GET', `/api/v1/clients/${t.id}`, {
      token: world.tokens.counselor,
    });
    expect(detail.body.trajectory).toMatchObject({
      status: 'closed',
      closed: { date: addDays(today, -1), reason: 'completed' },
    });
    // A closed trajectory takes no steps and cannot be closed twice.
    expect(
      expectError(
        await call('POST', `/api/v1/trajectories/${t.trajectoryId}/steps`, {
          token: world.tokens.counselor,
          body: { step: 'approach_set', date: today },
        }),
        409,
      ).details?.[0],
    ).toEqual({ field: 'status', message: 'closed' });
    expectError(
      await call('POST', close, {
        token: world.tokens.counselor,
        body: { date: today, reason: 'other' },
      }),
      409,
    );

    const reopened = await call('POST', `/api/v1/trajectories/${t.trajectoryId}/reopen`, {
      token: world.tokens.org_admin,
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('open');
    expect(
      (
        await call('GET', `/api/v1/clients/${t.id}`, {
          token: world.tokens.counselor,
        })
      ).body.trajectory.closed,
    ).toBeNull();
    // Reopening an open one says why not.
    expect(
      expectError(
        await call('POST', `/api/v1/trajectories/${t.trajectoryId}/reopen`, {
          token: world.tokens.counselor,
        }),
        409,
      ).details?.[0],
    ).toEqual({ field: 'status', message: 'open' });
  });

  it('names what is wrong with the input, and changes nothing then', async () => {
    const t = await newTrajectory();
    const close = `/api/v1/trajectories/${t.trajectoryId}/close`;
    const field = async (body: unknown) =>
      expectError(await call('POST', close, { token: world.tokens.counselor, body }), 400).details?.[0]?.field;
    expect(await field({ date: addDays(today, -20), reason: 'completed' })).toBe('date'); // before the last step (-10)
    expect(await field({ date: addDays(today, -40), reason: 'completed' })).toBe('date'); // before the first contact
    expect(await field({ date: addDays(today, 1), reason: 'completed' })).toBe('date');
    expect(await field({ date: '2025-02-30', reason: 'completed' })).toBe('date');
    expect(await field({ date: today })).toBe('reason');
    expect(await field({ date: today, reason: 'moe' })).toBe('reason');
    expect(await field({ date: today, reason: 'completed', note: 'x' })).toBe('note');
    expect(
      expectError(
        await call('POST', close, {
          token: world.tokens.counselor,
          body: '{"date":',
        }),
        400,
      ).message,
    ).toMatch(/JSON/);
    expectError(
      await call('POST', close, {
        token: world.tokens.counselor,
        body: { date: today, reason: 'x'.repeat(400_000) },
      }),
      413,
    );
    expect(
      expectError(
        await call('POST', '/api/v1/trajectories/geen-id/close', {
          token: world.tokens.counselor,
          body: { date: today, reason: 'other' },
        }),
        400,
      ).details?.[0].field,
    ).toBe('id');
    expect(
      (
        await call('GET', `/api/v1/clients/${t.id}`, {
          token: world.tokens.counselor,
        })
      ).body.trajectory.status,
    ).toBe('open');
  });

  it('keeps other organisations and roles out', async () => {
    const t = await newTrajectory();
    const body = { date: today, reason: 'referred' };
    expectError(
      await call('POST', `/api/v1/trajectories/${t.trajectoryId}/close`, {
        token: world.tokens.orgBCounselor,
        body,
      }),
      404,
    );
    expectError(
      await call('POST', `/api/v1/trajectories/${t.trajectoryId}/reopen`, {
        token: world.tokens.orgBAdmin,
      }),
      404,
    );
    expectError(
      await call('POST', `/api/v1/trajectories/${t.trajectoryId}/close`, {
        token: world.tokens.policy_advisor,
        body,
      }),
      403,
    );
    expectError(
      await call('POST', `/api/v1/trajectories/${t.trajectoryId}/close`, {
        body,
      }),
      401,
    );
    expect(
      (
        await call('GET', `/api/v1/clients/${t.id}`, {
          token: world.tokens.counselor,
        })
      ).body.trajectory.status,
    ).toBe('open');
  });
});
