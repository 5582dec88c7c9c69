import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { EraseContactsPayload, JOBS, QUEUES } from '@klantmonitor/server/queues';
import { call, makeWorld, World } from '../support/http';

const today = todayInAmsterdam();
/** The worker runs with the default retention: 90 days after the end. */
const RETENTION_DAYS = 90;

describe('contact data are erased after the retention period (worker job)', () => {
  let world: World;
  let queue: Queue<EraseContactsPayload>;
  let events: QueueEvents;
  let owner: Client;

  beforeAll(async () => {
    world = await makeWorld();
    const connection = { url: process.env['KM_E2E_REDIS_URL'] as string };
    queue = new Queue(QUEUES.caseload, { connection });
    events = new QueueEvents(QUEUES.caseload, { connection });
    await events.waitUntilReady();
    owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
  });
  afterAll(async () => {
    await events.close();
    await queue.close();
    await owner.end();
  });

  const run = async (payload: EraseContactsPayload) =>
    (await queue.add(JOBS.eraseContacts, payload)).waitUntilFinished(events, 20_000);
  const register = async (token: string, municipality: string) => {
    const a = await call('POST', '/api/v1/clients', {
      token,
      body: {
        clientRef: `RT-${randomUUID().slice(0, 8)}`,
        municipality,
        firstContact: addDays(today, -20),
        email: 'klant@example.nl',
        phone: '+31612345678',
      },
    });
    expect(a.status).toBe(201);
    return a.body as { id: string; trajectoryId: string };
  };
  const detail = async (id: string, token = world.tokens.counselor) =>
    (await call('GET', `/api/v1/clients/${id}`, { token })).body;

  it('erases e-mail and phone of ended trajectories on the day the period is over, once, audited, and nothing else', async () => {
    const dropoutOn = addDays(today, -2);
    const ended = await register(world.tokens.counselor, 'GM0344');
    const open = await register(world.tokens.counselor, 'GM0344');
    const otherOrg = await register(world.tokens.orgBCounselor, 'GM0080');
    for (const [c, token] of [
      [ended, world.tokens.counselor],
      [otherOrg, world.tokens.orgBCounselor],
    ] as const) {
      const d = await call('POST', `/api/v1/trajectories/${c.trajectoryId}/dropout`, {
        token,
        body: { date: dropoutOn, reason: 'moved' },
      });
      expect(d.status).toBe(200);
    }

    // The day before the period is over: nothing happens.
    expect(
      await run({
        organisationId: world.orgA.id,
        today: addDays(dropoutOn, RETENTION_DAYS - 1),
      }),
    ).toEqual({ organisations: 1, erased: 0 });
    expect((await detail(ended.id)).email).toBe('klant@example.nl');

    // The day it is over: the ended trajectory's client loses e-mail and phone; the rest stays.
    expect(
      await run({
        organisationId: world.orgA.id,
        today: addDays(dropoutOn, RETENTION_DAYS),
      }),
    ).toEqual({ organisations: 1, erased: 1 });
    const gone = await detail(ended.id);
    expect([gone.email, gone.phone]).toEqual([null, null]);
    expect(Date.parse(gone.contactErasedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(gone.trajectory.status).toBe('dropped_out'); // the figures keep their trajectory
    expect(gone.clientRef).toMatch(/^RT-/);
    const kept = await detail(open.id);
    expect([kept.email, kept.phone, kept.contactErasedAt]).toEqual(['klant@example.nl', '+31612345678', null]);
    // Another organisation's clients wait for their own run.
    expect((await detail(otherOrg.id, world.tokens.orgBCounselor)).email).toBe('klant@example.nl');
    const raw = await owner.query(`SELECT email_enc, phone_enc FROM clients WHERE id = $1`, [ended.id]);
    expect(raw.rows[0]).toEqual({ email_enc: null, phone_enc: null });
    const audit = await owner.query(
      `SELECT actor_role, organisation_id, details FROM audit_events WHERE action = 'client.contact_erased' AND entity_id = $1`,
      [ended.id],
    );
    expect(audit.rows).toEqual([
      {
        actor_role: 'system',
        organisation_id: world.orgA.id,
        details: {
          reason: 'retention',
          endedOn: dropoutOn,
          retentionDays: RETENTION_DAYS,
        },
      },
    ]);

    // Again: nothing left to erase.
    expect(
      await run({
        organisationId: world.orgA.id,
        today: addDays(dropoutOn, RETENTION_DAYS + 5),
      }),
    ).toEqual({ organisations: 1, erased: 0 });
  });
});
