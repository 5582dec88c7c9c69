import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { baseUrl, call, expectError, makeWorld, World } from '../support/http';

/**
 * What the organisation admin's start page reads (#13): the last imports (from the audit log) and
 * the invitations that could not be delivered. Each organisation sees only its own.
 */
describe("the organisation admin's overview", () => {
  let world: World;
  const today = todayInAmsterdam();

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('lists the last imports with rows, created and updated, newest first; dry runs do not count', async () => {
    const tag = randomUUID().slice(0, 6);
    const csv = [
      'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason',
      `IMP-${tag}-1,GM0344,${addDays(today, -20)},,,,,,,`,
      `IMP-${tag}-2,GM0344,${addDays(today, -10)},,,,,,,`,
    ].join('\n');
    const upload = async (dryRun: boolean) => {
      const form = new FormData();
      form.append('file', new Blob([csv]), 'trajecten.csv');
      const r = await fetch(`${baseUrl()}/api/v1/imports/trajectories${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.tokens.org_admin}` },
        body: form,
      });
      expect(r.status).toBe(200);
    };
    await upload(true);
    expect(
      (
        await call('GET', '/api/v1/imports/recent', {
          token: world.tokens.org_admin,
        })
      ).body,
    ).toEqual([]);
    await upload(false);
    await upload(false);
    const recent = await call('GET', '/api/v1/imports/recent', {
      token: world.tokens.org_admin,
    });
    expect(recent.status).toBe(200);
    // Two real imports: the first created both clients, the second updated them.
    expect(recent.body.map((i: { created: number; updated: number }) => [i.created, i.updated])).toEqual([
      [0, 2],
      [2, 0],
    ]);
    expect(recent.body[0]).toMatchObject({
      kind: 'trajectories',
      rows: 2,
      by: 'aAdmin',
    });
    expect(Date.parse(recent.body[0].at)).toBeGreaterThanOrEqual(Date.parse(recent.body[1].at));
    expect(
      (
        await call('GET', '/api/v1/imports/recent', {
          token: world.tokens.orgBAdmin,
        })
      ).body,
    ).toEqual([]);
    expectError(
      await call('GET', '/api/v1/imports/recent', {
        token: world.tokens.counselor,
      }),
      403,
    );
    expectError(await call('GET', '/api/v1/imports/recent'), 401);
  });

  it('lists invitations that could not be delivered in the last 30 days, with the client and why', async () => {
    const c = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      // With an e-mail address, so its own intake invitation is delivered (only the inserted ones fail).
      body: {
        clientRef: `NIET-${randomUUID().slice(0, 6)}`,
        municipality: 'GM0344',
        firstContact: addDays(today, -3),
        email: `niet-${randomUUID().slice(0, 6)}@example.nl`,
      },
    });
    expect(c.status).toBe(201);
    const owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    try {
      // The intake invitation of this client failed; an older failure (40 days) is out of the window.
      const tmpl = (await owner.query(`SELECT id FROM questionnaire_templates ORDER BY version DESC LIMIT 1`)).rows[0]
        .id;
      for (const [wave, planned] of [
        ['periodic:9', addDays(today, -2)],
        ['periodic:8', addDays(today, -40)],
      ])
        await owner.query(
          `INSERT INTO invitations (organisation_id, trajectory_id, wave_key, wave_kind, due_on, planned_on, outcome, template_id, delivery_status, channel, failed_reason)
           VALUES ($1, $2, $3, 'periodic', $4, $4, 'invited', $5, 'failed', 'email', 'no_contact')`,
          [world.orgA.id, c.body.trajectoryId, wave, planned, tmpl],
        );
    } finally {
      await owner.end();
    }
    const f = await call('GET', '/api/v1/questionnaires/delivery-failures', {
      token: world.tokens.org_admin,
    });
    expect(f.status).toBe(200);
    expect(f.body.total).toBe(1);
    expect(f.body.items).toEqual([
      {
        clientId: c.body.id,
        clientRef: expect.stringMatching(/^NIET-/),
        wave: 'periodic:9',
        channel: 'email',
        plannedOn: addDays(today, -2),
        reason: 'no_contact',
      },
    ]);
    expect(
      (
        await call('GET', '/api/v1/questionnaires/delivery-failures', {
          token: world.tokens.orgBAdmin,
        })
      ).body,
    ).toEqual({ total: 0, items: [] });
    expectError(
      await call('GET', '/api/v1/questionnaires/delivery-failures', {
        token: world.tokens.policy_advisor,
      }),
      403,
    );
  });
});
