import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { call, makeWorld, World } from '../support/http';
import { caseloadJob, type CaseloadJob } from '../support/caseload-job';

const today = todayInAmsterdam();

describe('stalled trajectories (worker job)', () => {
  let world: World;
  let job: CaseloadJob;

  beforeAll(async () => {
    world = await makeWorld();
    job = await caseloadJob();
  });
  afterAll(() => job.close());

  const run: CaseloadJob['run'] = (payload) => job.run(payload);

  it('flags a trajectory after more than 90 days without activity, once, and a new step clears it', async () => {
    const firstContact = addDays(today, -60);
    const created = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: { clientRef: `ST-${randomUUID().slice(0, 8)}`, municipality: 'GM0344', firstContact },
    });
    expect(created.status).toBe(201);
    const { id, trajectoryId } = created.body;

    // Today the trajectory is 60 days quiet: not stalled.
    expect(await run({ organisationId: world.orgA.id })).toMatchObject({ flagged: 0 });
    // Day 90 after the last activity: still not stalled (the rule is "more than 90 days").
    expect(await run({ organisationId: world.orgA.id, today: addDays(firstContact, 90) })).toMatchObject({
      flagged: 0,
    });
    // Day 91: stalled since that day, with an alert for the counselor.
    expect(await run({ organisationId: world.orgA.id, today: addDays(firstContact, 91) })).toEqual({
      organisations: 1,
      flagged: 1,
      alerts: 1,
      firstMeetingAlerts: 0,
      countsFolded: expect.any(Number),
    });
    const list = await call('GET', `/api/v1/clients?stalled=true&pageSize=200`, { token: world.tokens.counselor });
    const row = list.body.items.find((i: { id: string }) => i.id === id);
    expect(row).toMatchObject({ stalledSince: addDays(firstContact, 91), openAlerts: 1 });
    const detail = await call('GET', `/api/v1/clients/${id}`, { token: world.tokens.counselor });
    expect(detail.body.alerts).toEqual([
      {
        id: expect.any(String),
        kind: 'stalled',
        raisedOn: addDays(firstContact, 91),
        details: { lastActivityOn: firstContact },
      },
    ]);

    // Running it again changes nothing.
    expect(await run({ organisationId: world.orgA.id, today: addDays(firstContact, 91) })).toEqual({
      organisations: 1,
      flagged: 0,
      alerts: 0,
      firstMeetingAlerts: 0,
      countsFolded: 0, // the trajectory counts were folded into one row by the run before
    });

    // Organisation B's run never touches A's trajectories.
    expect(await run({ organisationId: world.orgB.id, today: addDays(firstContact, 200) })).toMatchObject({
      flagged: 0,
    });

    // A step recorded today is new activity: no longer stalled, alert resolved.
    const step = await call('POST', `/api/v1/trajectories/${trajectoryId}/steps`, {
      token: world.tokens.counselor,
      body: { step: 'goal_known', date: today },
    });
    expect(step.body.stalledSince).toBeNull();
    const after = await call('GET', `/api/v1/clients/${id}`, { token: world.tokens.counselor });
    expect(after.body.alerts).toEqual([]);
  });
});
