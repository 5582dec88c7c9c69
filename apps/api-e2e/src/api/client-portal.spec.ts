import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { call, expectError, makeWorld, World } from '../support/http';
import { linkToken, waitForMails } from '../support/mail';

const today = todayInAmsterdam();
const GOOD = { onrust_financien: 2, geloof_in_oplossing: 4, geluisterd: 5, goed_geholpen: 4, weet_wat_te_doen: 4 };

interface Portal {
  organisation: { name: string };
  municipality: { code: string; name: string };
  status: string;
  steps: { code: string; label: string; reachedOn: string | null }[];
  nextStep: { code: string; label: string; explanation: string } | null;
  spaartegoed: { balance: number; howPaid: string | null };
  openQuestionnaire: { url: string } | null;
}

const portalToken = (text: string): string => {
  const m = /\/mijn\/([A-Za-z0-9_-]{43})\b/.exec(text);
  if (!m) throw new Error(`no portal link in: ${text.slice(0, 300)}`);
  return m[1];
};

/**
 * "Mijn traject" (docs/api.md "A client's own progress"): the link in the invitation mail, what
 * the page shows after a step and an answer, nothing personal, and the refusals (404, 410, 429).
 */
describe('client portal: a client sees their own progress', () => {
  let world: World;
  let db: Client;
  beforeAll(async () => {
    world = await makeWorld();
    db = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
  });

  const register = async (body: Record<string, unknown>) => {
    const clientRef = `P-${randomUUID().slice(0, 8)}`;
    const r = await call<{ id: string; trajectoryId: string }>('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: { clientRef, municipality: 'GM0344', firstContact: today, ...body },
    });
    expect(r.status).toBe(201);
    return { ...r.body, clientRef };
  };
  const portal = (token: string, lang?: string) =>
    call<Portal>('GET', `/api/v1/client-portal/${token}${lang ? `?lang=${lang}` : ''}`);
  /** A portal token made the way the delivery makes one (only its SHA-256 is stored). */
  const tokenFor = async (trajectoryId: string, organisationId: string) => {
    const token = randomBytes(32).toString('base64url');
    await db.query(`INSERT INTO portal_tokens (token_hash, organisation_id, trajectory_id) VALUES ($1, $2, $3)`, [
      createHash('sha256').update(token).digest(),
      organisationId,
      trajectoryId,
    ]);
    return token;
  };

  it('opens from the invitation mail: steps, the next step, spaartegoed and the open questionnaire; nothing personal', async () => {
    const email = `portal-${randomUUID().slice(0, 8)}@example.nl`;
    const client = await register({ email, phone: '0612345678' });
    const [mail] = await waitForMails(email);
    const token = portalToken(mail.text);
    expect(mail.html).toContain(`/mijn/${token}`);
    // Its own token, not the questionnaire's; only the hash is kept.
    expect(token).not.toBe(linkToken(mail.text));
    const stored = await db.query(`SELECT count(*)::int AS n FROM portal_tokens WHERE token_hash = $1`, [
      createHash('sha256').update(token).digest(),
    ]);
    expect(stored.rows[0].n).toBe(1);

    const first = await portal(token);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toMatchObject({
      organisation: { name: world.orgA.name },
      municipality: { code: 'GM0344', name: 'Utrecht' },
      status: 'open',
      nextStep: { code: 'goal_known', label: 'Je doel is duidelijk' },
      spaartegoed: { balance: 0 },
    });
    expect(first.body.steps.map((s) => [s.code, s.reachedOn])).toEqual([
      ['first_contact', today],
      ['goal_known', null],
      ['approach_set', null],
      ['iu_in_view', null],
      ['iu_in_balance', null],
      ['settlement_ready', null],
    ]);
    expect(first.body.nextStep?.explanation).toMatch(/wat je wilt bereiken/);
    // A forwarded link reveals nothing but progress: no contact data, reference, ids or answers.
    const text = JSON.stringify(first.body);
    for (const secret of [email, '0612345678', client.clientRef, client.id, client.trajectoryId])
      expect(text).not.toContain(secret);

    // The open questionnaire opens from the page with a link of its own, and is answered there.
    const url = first.body.openQuestionnaire?.url ?? '';
    expect(url).toMatch(/^\/v\/[A-Za-z0-9_-]{43}$/);
    const qToken = url.slice(3);
    expect((await call('GET', `/api/v1/respond/${qToken}`)).status).toBe(200);
    const answered = await call<{ portalUrl: string; spaartegoed: { balance: number } }>(
      'POST',
      `/api/v1/respond/${qToken}`,
      { body: { answers: GOOD } },
    );
    expect(answered.status).toBe(200);
    // The thank-you screen links to the page with another new token.
    expect(answered.body.portalUrl).toMatch(/^\/mijn\/[A-Za-z0-9_-]{43}$/);
    const thanks = answered.body.portalUrl.slice('/mijn/'.length);
    expect(thanks).not.toBe(token);

    // A counselor marks a step: both links show it, the next step moves on, the credit is there.
    expect(
      (
        await call('POST', `/api/v1/trajectories/${client.trajectoryId}/steps`, {
          token: world.tokens.counselor,
          body: { step: 'goal_known', date: today },
        })
      ).status,
    ).toBe(200);
    for (const t of [token, thanks]) {
      const after = await portal(t);
      expect(after.body.steps.find((s) => s.code === 'goal_known')?.reachedOn).toBe(today);
      expect(after.body.nextStep?.code).toBe('approach_set');
      expect(after.body.spaartegoed.balance).toBe(answered.body.spaartegoed.balance);
      expect(after.body.spaartegoed.balance).toBeGreaterThan(0);
      expect(after.body.openQuestionnaire).toBeNull();
      expect(JSON.stringify(after.body)).not.toContain('goed_geholpen');
    }
    // In English on request; an unknown language is a 400 naming it.
    const en = await portal(token, 'en');
    expect(en.body.nextStep).toMatchObject({ code: 'approach_set', label: 'The plan is ready' });
    expect(en.body.steps[0].label).toBe('First conversation');
    expect(expectError(await portal(token, 'de'), 400).details?.[0].field).toBe('lang');

    // Every open is in the audit log as the client's.
    const audit = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'portal.open' AND entity_id = $1 AND actor_role = 'client'`,
      [client.id],
    );
    expect(audit.rows[0].n).toBe(4);
  });

  it('works 30 days after the end and not after: 410', async () => {
    const recent = await register({ firstContact: addDays(today, -60) });
    const old = await register({ firstContact: addDays(today, -90) });
    for (const [c, endedOn] of [
      [recent, addDays(today, -30)],
      [old, addDays(today, -31)],
    ] as const) {
      const r = await call('POST', `/api/v1/trajectories/${c.trajectoryId}/dropout`, {
        token: world.tokens.counselor,
        body: { date: endedOn, reason: 'no_show' },
      });
      expect(r.status).toBe(200);
    }
    // Ended 30 days ago: still shown, without a next step.
    const stillOpen = await portal(await tokenFor(recent.trajectoryId, world.orgA.id));
    expect(stillOpen.status).toBe(200);
    expect(stillOpen.body).toMatchObject({ status: 'dropped_out', nextStep: null, openQuestionnaire: null });
    // 31 days: gone.
    const gone = expectError(await portal(await tokenFor(old.trajectoryId, world.orgA.id)), 410);
    expect(gone.message).toBe('This link has expired');
  });

  it('a link ends 90 days after it was issued: 410 (#22)', async () => {
    const c = await register({});
    const fresh = await tokenFor(c.trajectoryId, world.orgA.id);
    const aged = await tokenFor(c.trajectoryId, world.orgA.id);
    // The default: 90 days from issue.
    const { rows } = await db.query(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days FROM portal_tokens WHERE token_hash = $1`,
      [createHash('sha256').update(fresh).digest()],
    );
    expect(rows[0].days).toBe(90);
    // Issued 91 days ago (the trajectory is still open): ended.
    await db.query(
      `UPDATE portal_tokens SET created_at = now() - interval '91 days', expires_at = now() - interval '1 day' WHERE token_hash = $1`,
      [createHash('sha256').update(aged).digest()],
    );
    const gone = expectError(await portal(aged), 410);
    expect(gone.message).toBe('This link has expired');
    expect((await portal(fresh)).status).toBe(200);
  });

  it('a counselor revokes all portal links of a trajectory: 410, audited, the page questionnaire link too; other trajectories keep theirs (#22)', async () => {
    const email = `revoke-${randomUUID().slice(0, 8)}@example.nl`;
    const c = await register({ email });
    const [mail] = await waitForMails(email);
    const fromMail = portalToken(mail.text);
    const extra = await tokenFor(c.trajectoryId, world.orgA.id);
    const other = await register({});
    const otherToken = await tokenFor(other.trajectoryId, world.orgA.id);
    const qUrl = (await portal(fromMail)).body.openQuestionnaire?.url ?? '';
    expect(qUrl).toMatch(/^\/v\//);
    const path = `/api/v1/trajectories/${c.trajectoryId}/portal-links/revoke`;
    // Not for a policy advisor, not for another organisation, not without a valid id.
    expectError(await call('POST', path, { token: world.tokens.policy_advisor }), 403);
    expectError(await call('POST', path, { token: world.tokens.orgBCounselor }), 404);
    expect(
      expectError(
        await call('POST', '/api/v1/trajectories/x/portal-links/revoke', { token: world.tokens.counselor }),
        400,
      ).details?.[0].field,
    ).toBe('id');
    expectError(await call('POST', path), 401);
    const revoked = await call('POST', path, { token: world.tokens.counselor });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ revoked: 2 });
    for (const t of [fromMail, extra]) {
      const e = expectError(await portal(t), 410);
      expect(e.message).toBe('This link has been withdrawn');
    }
    // The page's questionnaire link went with it; the mail's own questionnaire link still works.
    expect((await call('GET', `/api/v1/respond/${qUrl.slice(3)}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/respond/${linkToken(mail.text)}`)).status).toBe(200);
    expect((await portal(otherToken)).status).toBe(200);
    const audit = await db.query(
      `SELECT actor_user_id, details FROM audit_events WHERE action = 'portal.revoke' AND entity_id = $1`,
      [c.trajectoryId],
    );
    expect(audit.rows).toEqual([{ actor_user_id: world.users['aCounselor'], details: { revoked: 2 } }]);
    // A new link (a reminder's) works again, with a questionnaire link other than the revoked one.
    const renewed = await tokenFor(c.trajectoryId, world.orgA.id);
    const again = await portal(renewed);
    expect(again.status).toBe(200);
    expect(again.body.openQuestionnaire?.url).toMatch(/^\/v\//);
    expect(again.body.openQuestionnaire?.url).not.toBe(qUrl);
  });

  it('opening the page never mints a new questionnaire link: the same one on every open (#22)', async () => {
    // Before: 50 opens gave 50 working /v/ links.
    const email = `opens-${randomUUID().slice(0, 8)}@example.nl`;
    const c = await register({ email });
    const [mail] = await waitForMails(email);
    const token = portalToken(mail.text);
    const tokens = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM invitation_tokens it JOIN invitations i ON i.id = it.invitation_id WHERE i.trajectory_id = $1`,
          [c.trajectoryId],
        )
      ).rows[0].n;
    const urls = new Set<string>();
    let before = -1;
    for (let i = 0; i < 10; i++) {
      urls.add((await portal(token)).body.openQuestionnaire?.url ?? '');
      if (i === 0) before = await tokens();
    }
    expect(urls.size).toBe(1);
    expect(await tokens()).toBe(before);
  });

  it('unknown and malformed links are 404; many from one address are 429, a valid link still opens', async () => {
    const redis = new Redis(process.env['KM_E2E_REDIS_URL'] as string);
    const c = await register({});
    const valid = await tokenFor(c.trajectoryId, world.orgA.id);
    try {
      await redis.del('km:rl:respond:127.0.0.1', 'km:rl:respond:::ffff:127.0.0.1');
      expect(expectError(await portal('A'.repeat(43)), 404).message).toBe('This link is not known');
      expectError(await portal('short'), 404);
      // Oversized: refused before any lookup (the router's limit on a path parameter).
      expect((await portal('x'.repeat(300))).status).toBe(414);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await portal(randomBytes(32).toString('base64url'))).status);
      expect(statuses.slice(0, 17).every((s) => s === 404)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      // The same address (a library's wifi) still opens a real link.
      expect((await portal(valid)).status).toBe(200);
    } finally {
      const keys = await redis.keys('km:rl:respond:*');
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it("another organisation's trajectory is shown only under its own organisation's name", async () => {
    const b = await call<{ id: string; trajectoryId: string }>('POST', '/api/v1/clients', {
      token: world.tokens.orgBCounselor,
      body: { clientRef: `PB-${randomUUID().slice(0, 8)}`, municipality: 'GM0080', firstContact: today },
    });
    expect(b.status).toBe(201);
    const t = await tokenFor(b.body.trajectoryId, world.orgB.id);
    const r = await portal(t);
    expect(r.status).toBe(200);
    expect(r.body.organisation.name).toBe(world.orgB.name);
    expect(r.body.municipality.code).toBe('GM0080');
  });
});
