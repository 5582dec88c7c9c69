import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, makeWorld, World } from '../support/http';

/**
 * GET /worklist (#13): what a counselor handles today. The cases, by hand:
 *   QUIET   first contact 45 days ago, no step since, support today  -> quiet, 45 days
 *   SIGNAL  first contact 10 days ago, an open "unanswered" signal    -> alerts
 *   FRESH   first contact 10 days ago, answered 2 days ago           -> newResponses
 *   EXPIRE  an invitation sent, expiring in 2 days, not answered      -> expiringInvitations
 *   STALL   first contact 200 days ago, nothing since                 -> stalled (not quiet)
 *   TEAM    like QUIET, but a colleague's (no caseholder)             -> only with scope=team
 */
describe('worklist', () => {
  let world: World;
  const today = todayInAmsterdam();
  const tag = randomUUID().slice(0, 6);
  const ids: Record<string, { id: string; trajectoryId: string }> = {};

  const newClient = async (name: string, firstContact: string) => {
    const r = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: {
        clientRef: `WL-${tag}-${name}`,
        municipality: 'GM0344',
        firstContact,
      },
    });
    expect(r.status).toBe(201);
    ids[name] = r.body;
  };

  beforeAll(async () => {
    world = await makeWorld();
    await newClient('QUIET', addDays(today, -45));
    await call('POST', `/api/v1/trajectories/${ids.QUIET.trajectoryId}/support`, {
      token: world.tokens.counselor,
      body: {
        date: today,
        type: 'administrative',
        minutes: 30,
        channel: 'phone',
      },
    });
    await newClient('SIGNAL', addDays(today, -10));
    await newClient('FRESH', addDays(today, -10));
    await newClient('EXPIRE', addDays(today, -10));
    await newClient('STALL', addDays(today, -200));
    await newClient('TEAM', addDays(today, -45));
    const owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    try {
      const org = world.orgA.id;
      // Signals, answers and invitations come from the questionnaire flow; written directly here.
      await owner.query(
        `INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on) VALUES ($1, $2, 'unanswered', $3)`,
        [org, ids.SIGNAL.trajectoryId, addDays(today, -1)],
      );
      const [{ id: template }] = (await owner.query('SELECT id FROM questionnaire_templates ORDER BY version LIMIT 1'))
        .rows;
      const invite = async (trajectoryId: string, wave: string, expiresOn: string) =>
        (
          await owner.query(
            `INSERT INTO invitations (organisation_id, trajectory_id, wave_key, wave_kind, due_on, planned_on, outcome, template_id,
                                      channel, delivery_status, sent_at, sent_on, expires_on)
             VALUES ($1, $2, $3, 'periodic', $4, $4, 'invited', $5, 'email', 'sent', now(), $4, $6) RETURNING id`,
            [org, trajectoryId, wave, addDays(today, -5), template, expiresOn],
          )
        ).rows[0].id as string;
      const answered = await invite(ids.FRESH.trajectoryId, 'periodic-1', addDays(today, 9));
      await owner.query(`UPDATE invitations SET completed_at = now() WHERE id = $1`, [answered]);
      await owner.query(
        `INSERT INTO responses (organisation_id, invitation_id, trajectory_id, template_id, answers, phase, responded_on)
         VALUES ($1, $2, $3, $4, '{}', 'first_contact', $5)`,
        [org, answered, ids.FRESH.trajectoryId, template, addDays(today, -2)],
      );
      await invite(ids.EXPIRE.trajectoryId, 'periodic-1', addDays(today, 2));
      // STALL: no activity for 200 days, as the nightly check would have marked it.
      await owner.query(`UPDATE trajectories SET stalled_since = $2, last_activity_on = $3 WHERE id = $1`, [
        ids.STALL.trajectoryId,
        addDays(today, -109),
        addDays(today, -200),
      ]);
      await owner.query(`UPDATE trajectories SET counselor_id = NULL WHERE id = $1`, [ids.TEAM.trajectoryId]);
    } finally {
      await owner.end();
    }
  });

  const refs = (list: { clientRef: string }[]) =>
    list.map((l) => l.clientRef.replace(`WL-${tag}-`, '')).filter((r) => !r.startsWith('WL-'));

  it("lists the counselor's own clients by reason, with why", async () => {
    const r = await call('GET', '/api/v1/worklist', {
      token: world.tokens.counselor,
    });
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe('mine');
    expect(refs(r.body.alerts)).toEqual(['SIGNAL']);
    expect(r.body.alerts[0]).toMatchObject({
      clientId: ids.SIGNAL.id,
      kind: 'unanswered',
      raisedOn: addDays(today, -1),
    });
    expect(refs(r.body.newResponses)).toEqual(['FRESH']);
    expect(r.body.newResponses[0]).toMatchObject({
      respondedOn: addDays(today, -2),
      phase: 'first_contact',
    });
    expect(refs(r.body.expiringInvitations)).toEqual(['EXPIRE']);
    expect(r.body.expiringInvitations[0]).toMatchObject({
      expiresOn: addDays(today, 2),
      channel: 'email',
    });
    expect(refs(r.body.stalled)).toEqual(['STALL']);
    // QUIET: 45 days since its last step (first contact); STALL is stalled, not quiet; TEAM is a colleague's.
    expect(refs(r.body.quiet)).toEqual(['QUIET']);
    expect(r.body.quiet[0]).toMatchObject({
      days: 45,
      lastStepOn: addDays(today, -45),
      currentStep: 'first_contact',
    });
  });

  it("shows the team's clients on request, and to an organisation admin by default", async () => {
    const team = await call('GET', '/api/v1/worklist?scope=team', {
      token: world.tokens.counselor,
    });
    expect(refs(team.body.quiet)).toEqual(['QUIET', 'TEAM']);
    // Whose client each line is (#25): QUIET is the counselor's own ("aCounselor"), TEAM nobody's.
    expect(team.body.quiet.map((l: { counselorName: string | null }) => l.counselorName)).toEqual(['aCounselor', null]);
    const admin = await call('GET', '/api/v1/worklist', {
      token: world.tokens.org_admin,
    });
    expect(admin.body.scope).toBe('team');
    expect(refs(admin.body.quiet)).toEqual(['QUIET', 'TEAM']);
  });

  it("refuses a bad scope and other roles, and never shows another organisation's clients", async () => {
    expect(
      expectError(
        await call('GET', '/api/v1/worklist?scope=everyone', {
          token: world.tokens.counselor,
        }),
        400,
      ).details?.[0].field,
    ).toBe('scope');
    expect(
      expectError(
        await call('GET', '/api/v1/worklist?scope=team&extra=1', {
          token: world.tokens.counselor,
        }),
        400,
      ).details?.[0].field,
    ).toBe('extra');
    expectError(
      await call('GET', '/api/v1/worklist', {
        token: world.tokens.policy_advisor,
      }),
      403,
    );
    expectError(await call('GET', '/api/v1/worklist'), 401);
    const other = await call('GET', '/api/v1/worklist?scope=team', {
      token: world.tokens.orgBAdmin,
    });
    const all = ['alerts', 'stalled', 'newResponses', 'expiringInvitations', 'quiet'].flatMap((k) => other.body[k]);
    expect(all.filter((l: { clientRef: string }) => l.clientRef.startsWith(`WL-${tag}`))).toEqual([]);
  });
});
