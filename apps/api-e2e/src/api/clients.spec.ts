import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, login, makeWorld, newColleague, PASSWORD, World } from '../support/http';

const today = todayInAmsterdam();
const ref = () => `KL-${randomUUID().slice(0, 8)}`;

describe('clients and trajectories', () => {
  let world: World;
  let counselor: string;
  const newClient = async (body: Record<string, unknown> = {}, token = counselor) => {
    const a = await call('POST', '/api/v1/clients', {
      token,
      body: { clientRef: ref(), municipality: 'GM0344', firstContact: addDays(today, -30), ...body },
    });
    if (a.status !== 201) throw new Error(`create client: ${a.status} ${a.text}`);
    return a.body as { id: string; trajectoryId: string };
  };

  beforeAll(async () => {
    world = await makeWorld();
    counselor = world.tokens.counselor;
  });

  describe('POST /v1/clients', () => {
    it('registers a client with encrypted contact data and an open trajectory', async () => {
      const clientRef = ref();
      const a = await call('POST', '/api/v1/clients', {
        token: counselor,
        body: {
          clientRef,
          municipality: 'GM0546',
          firstContact: addDays(today, -10),
          email: 'Jan.Jansen@Example.nl',
          phone: '06-12 34 56 78',
          householdType: 'single_parent',
          incomeBand: 'benefit',
          birthYearBand: '1980-1989',
        },
      });
      expect(a.status).toBe(201);
      expect(Object.keys(a.body).sort()).toEqual(['id', 'trajectoryId']);
      const d = await call('GET', `/api/v1/clients/${a.body.id}`, { token: counselor });
      expect(d.status).toBe(200);
      expect(d.body).toMatchObject({
        clientRef,
        email: 'jan.jansen@example.nl',
        phone: '0612345678',
        householdType: 'single_parent',
        trajectory: {
          id: a.body.trajectoryId,
          status: 'open',
          currentStep: 'first_contact',
          municipality: { code: 'GM0546', name: 'Leiden' },
        },
        spaartegoed: { balance: 0 },
      });
      expect(d.body.trajectory.steps.first_contact).toBe(addDays(today, -10));
      expect(d.body.trajectory.steps.goal_known).toBeNull();

      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const r = await owner.query('SELECT email_enc, phone_enc FROM clients WHERE id = $1', [a.body.id]);
        expect(r.rows[0].email_enc.includes(Buffer.from('jan.jansen'))).toBe(false);
        expect(r.rows[0].phone_enc.includes(Buffer.from('0612345678'))).toBe(false);
      } finally {
        await owner.end();
      }
    });

    it('answers 409 for a clientRef that exists in the organisation, but not across organisations', async () => {
      const clientRef = ref();
      await newClient({ clientRef });
      const dup = expectError(
        await call('POST', '/api/v1/clients', {
          token: counselor,
          body: { clientRef, municipality: 'GM0344', firstContact: today },
        }),
        409,
      );
      expect(dup.details).toEqual([{ field: 'clientRef', message: 'is already in use in your organisation' }]);
      const other = await call('POST', '/api/v1/clients', {
        token: world.tokens.orgBCounselor,
        body: { clientRef, municipality: 'GM0080', firstContact: today },
      });
      expect(other.status).toBe(201);
    });

    it('refuses implausible dates on every write of a trajectory, naming the field; nothing is saved (#25)', async () => {
      // Before 2000-01-01 is a typing error (1-1-1900 was saved before): each write below is a 400
      // naming its date field, and 2000-01-01 itself is accepted where it can be.
      const c = await newClient({ firstContact: '2000-01-01' });
      const t = `/api/v1/trajectories/${c.trajectoryId}`;
      const cases: [string, string, Record<string, unknown>, string][] = [
        [
          'POST',
          '/api/v1/clients',
          { clientRef: ref(), municipality: 'GM0344', firstContact: '1900-01-01' },
          'firstContact',
        ],
        [
          'POST',
          '/api/v1/clients',
          { clientRef: ref(), municipality: 'GM0344', firstContact: '1999-12-31' },
          'firstContact',
        ],
        ['POST', `${t}/steps`, { step: 'goal_known', date: '1999-12-31' }, 'date'],
        ['POST', `${t}/support`, { date: '1900-01-01', type: 'administrative', minutes: 30, channel: 'phone' }, 'date'],
        ['POST', `${t}/services`, { kind: 'budget_management', startedOn: '1950-06-01' }, 'startedOn'],
        ['POST', `${t}/dropout`, { date: '1900-01-01', reason: 'moved' }, 'date'],
        ['POST', `${t}/close`, { date: '1900-01-01', reason: 'completed' }, 'date'],
      ];
      for (const [method, path, body, field] of cases) {
        const e = expectError(await call(method, path, { token: counselor, body }), 400);
        expect([path, e.details?.[0]?.field, e.details?.[0]?.message]).toEqual([
          path,
          field,
          `${field} must be a date from 2000-01-01 on, as YYYY-MM-DD`,
        ]);
      }
      // Nothing was written by the refused calls: the trajectory is open, with first contact only.
      const record = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      expect(record.status).toBe(200);
      expect(JSON.stringify(record.body)).not.toMatch(/19\d\d-\d\d-\d\d/);
    });

    it('names every bad field', async () => {
      const post = (body: Record<string, unknown>) => call('POST', '/api/v1/clients', { token: counselor, body });
      const base = { clientRef: ref(), municipality: 'GM0344', firstContact: today };
      expect(expectError(await post({ ...base, municipality: 'GM0080' }), 400).details).toEqual([
        { field: 'municipality', message: 'GM0080 is not a municipality your organisation serves' },
      ]);
      expect(expectError(await post({ ...base, firstContact: addDays(today, 1) }), 400).details).toEqual([
        { field: 'firstContact', message: 'must not be in the future' },
      ]);
      expect(expectError(await post({ ...base, firstContact: '2025-02-30' }), 400).details?.[0].field).toBe(
        'firstContact',
      );
      expect(expectError(await post({ ...base, clientRef: '111222333' }), 400).details?.[0].message).toMatch(/BSN/);
      expect(expectError(await post({ ...base, clientRef: 'Jan Jansen' }), 400).details?.[0].field).toBe('clientRef');
      expect(expectError(await post({ ...base, phone: '12345' }), 400).details?.[0].field).toBe('phone');
      expect(expectError(await post({ ...base, birthYearBand: '1975' }), 400).details?.[0].field).toBe('birthYearBand');
      expect(expectError(await post({ ...base, bsn: '123456782' }), 400).details).toEqual([
        { field: 'bsn', message: 'property bsn should not exist' },
      ]);
      expect(
        expectError(await post({}), 400)
          .details?.map((d) => d.field)
          .sort(),
      ).toEqual(['clientRef', 'municipality']); // firstContact is optional since #26 (a waiting request)
      expectError(await call('POST', '/api/v1/clients', { token: counselor, body: '{"clientRef":' }), 400);
    });
  });

  describe('steps, corrections, dropout and support', () => {
    it('a mark that waited for another change of the trajectory sees it (one standing event, no 500)', async () => {
      // The lock and the facts are read in one statement (#26). A mark that had to wait for the lock
      // started its statement before the other change committed: its facts must be read again, else it
      // misses the standing event and adds a second one (a unique violation, a 500 found by bench:steps).
      // Here the other change is held open by hand: the trajectory updated and a goal_known event added.
      const c = await newClient();
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        await owner.query('BEGIN');
        await owner.query(`UPDATE trajectories SET updated_at = now() WHERE id = $1`, [c.trajectoryId]);
        await owner.query(
          `INSERT INTO step_events (organisation_id, trajectory_id, step, occurred_on, source)
           SELECT organisation_id, id, 'goal_known', $2, 'manual' FROM trajectories WHERE id = $1`,
          [c.trajectoryId, addDays(today, -20)],
        );
        const marks = [-19, -18, -17].map((d) =>
          call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, {
            token: counselor,
            body: { step: 'goal_known', date: addDays(today, d) },
          }),
        );
        await new Promise((r) => setTimeout(r, 700)); // the marks now wait for the lock
        await owner.query('COMMIT');
        expect((await Promise.all(marks)).map((a) => a.status)).toEqual([200, 200, 200]);
      } finally {
        await owner.end();
      }
      const record = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      const events = (
        record.body.trajectory.stepEvents as { step: string; withdrawnAt: string | null; date: string }[]
      ).filter((e) => e.step === 'goal_known');
      expect(events).toHaveLength(4);
      const standing = events.filter((e) => e.withdrawnAt === null);
      expect(standing).toHaveLength(1);
      expect(record.body.trajectory.steps.goal_known).toBe(standing[0].date);
    });

    it('a step mark of an ended session: 401 session_ended and nothing written (checked with the BEGIN)', async () => {
      // The step update leaves the session check to its transaction (#26: @SessionCheckedInTransaction):
      // the check rides with the BEGIN, before the lock and the mark. A signed-out token must still
      // get 401 session_ended and change nothing: no event, no audit entry, no planning request.
      const colleague = await newColleague(world, `steps-${randomUUID().slice(0, 8)}@example.nl`);
      const c = await newClient({}, colleague.token);
      const mark = (token: string, date: string) =>
        call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, { token, body: { step: 'goal_known', date } });
      expect((await mark(colleague.token, addDays(today, -20))).status).toBe(200);
      expect((await call('POST', '/api/v1/auth/logout', { token: colleague.token })).status).toBe(204);
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const counts = async () =>
          (
            await owner.query(
              `SELECT (SELECT count(*)::int FROM step_events WHERE trajectory_id = $1) AS events,
                      (SELECT count(*)::int FROM audit_events WHERE details->>'trajectoryId' = $1::text) AS audit,
                      (SELECT count(*)::int FROM outbox WHERE payload::text LIKE '%' || $1::text || '%') AS outbox,
                      (SELECT updated_at::text FROM trajectories WHERE id = $1) AS updated`,
              [c.trajectoryId],
            )
          ).rows[0];
        const before = await counts();
        const ended = expectError(await mark(colleague.token, addDays(today, -15)), 401);
        expect((ended as unknown as { code?: string }).code).toBe('session_ended');
        // A malformed body of an ended session is still a 400 (validation comes before the transaction).
        expectError(await mark(colleague.token, 'not-a-date'), 400);
        expect(await counts()).toEqual(before);
        // The caseload leaves its session check to its transaction too: no rows, no file, no audit entry.
        const reads = async () =>
          (
            await owner.query(
              `SELECT count(*)::int AS n FROM audit_events WHERE actor_user_id = $1 AND action LIKE 'caseload.%'`,
              [colleague.id],
            )
          ).rows[0].n;
        const readsBefore = await reads();
        for (const q of ['', '?pageSize=5', '?format=csv', '?waiting=true']) {
          const list = expectError(await call('GET', `/api/v1/clients${q}`, { token: colleague.token }), 401);
          expect((list as unknown as { code?: string }).code).toBe('session_ended');
        }
        expect(await reads()).toBe(readsBefore);
        expect(before.events).toBe(1);
        // A new session marks again.
        const again = await login(colleague.email, PASSWORD);
        expect((await mark(again, addDays(today, -15))).status).toBe(200);
        expect((await counts()).events).toBe(2);
        expect((await call('GET', '/api/v1/clients?pageSize=5', { token: again })).status).toBe(200);
        expect(await reads()).toBe(readsBefore + 1);
      } finally {
        await owner.end();
      }
    });

    it('audits every caseload page with the clients it showed, in their order', async () => {
      // #26: the page's entry lists its clients (AuditWriter, committed before the page is answered).
      // Three clients, pages of two by client reference: page 1 shows 0 and 1, the cursor page 2
      // shows 2, page 3 is empty (counted in a read of its own). One entry each.
      const colleague = await newColleague(world, `audit-${randomUUID().slice(0, 8)}@example.nl`);
      const tag = `AU${randomUUID().slice(0, 6)}`;
      const made: string[] = [];
      for (const i of [0, 1, 2]) made.push((await newClient({ clientRef: `${tag}-${i}` }, colleague.token)).id);
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const entries = async () =>
          (
            await owner.query(
              `SELECT organisation_id, actor_role, entity_type, details, entity_ids FROM audit_events
               WHERE actor_user_id = $1 AND action = 'caseload.read' ORDER BY occurred_at, id`,
              [colleague.id],
            )
          ).rows;
        const list = `/api/v1/clients?q=${tag}&pageSize=2&sort=clientRef:asc`;
        const first = await call('GET', list, { token: colleague.token });
        expect(first.status).toBe(200);
        expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(made.slice(0, 2));
        expect(first.body.total).toBe(3);
        const second = await call('GET', `${list}&after=${first.body.nextCursor}`, { token: colleague.token });
        expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([made[2]]);
        const empty = await call('GET', `/api/v1/clients?q=${tag}&pageSize=2&page=3`, { token: colleague.token });
        expect(empty.status).toBe(200);
        expect(empty.body).toMatchObject({ items: [], total: 3, page: 3 });
        const logged = await entries();
        // The clients shown, in the page's order, as the entry's entity_ids (a uuid[]).
        expect(logged.map((e) => e.entity_ids)).toEqual([made.slice(0, 2), [made[2]], []]);
        expect(logged.every((e) => !('clientIds' in e.details))).toBe(true);
        expect(logged.map((e) => [e.organisation_id, e.actor_role, e.entity_type])).toEqual(
          Array(3).fill([world.orgA.id, 'counselor', 'client']),
        );
        expect(logged[0].details.filters).toMatchObject({ q: tag, pageSize: 2, sort: 'clientRef:asc' });
        expect(logged[1].details.filters.after).toBe(first.body.nextCursor);
        // A refused request (a tampered cursor: 400) reads nothing and writes no entry.
        expectError(await call('GET', `${list}&after=x${first.body.nextCursor}`, { token: colleague.token }), 400);
        expect(await entries()).toHaveLength(3);
      } finally {
        await owner.end();
      }
    });

    it('writes the entries of concurrent pages together, each with its own request and clients, before answering', async () => {
      // #26, session 21: entries of reads that arrive while one is being written are written in one
      // commit (AuditWriter). 12 pages at once, each of one client (q = its reference): 12 answers,
      // 12 entries, each listing exactly the client its page showed, under its own request id.
      const colleague = await newColleague(world, `group-${randomUUID().slice(0, 8)}@example.nl`);
      const tag = `GC${randomUUID().slice(0, 6)}`;
      const made: string[] = [];
      for (let i = 0; i < 12; i++) made.push((await newClient({ clientRef: `${tag}-${i}x` }, colleague.token)).id);
      const pages = await Promise.all(
        made.map((_, i) => call('GET', `/api/v1/clients?q=${tag}-${i}x&pageSize=5`, { token: colleague.token })),
      );
      expect(pages.map((p) => p.status)).toEqual(Array(12).fill(200));
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const { rows } = await owner.query(
          `SELECT request_id, details->'filters'->>'q' AS q, entity_ids FROM audit_events
           WHERE actor_user_id = $1 AND action = 'caseload.read'`,
          [colleague.id],
        );
        expect(rows).toHaveLength(12);
        expect(new Set(rows.map((r) => r.request_id)).size).toBe(12);
        const byQuery = Object.fromEntries(rows.map((r) => [r.q, r.entity_ids]));
        made.forEach((id, i) => expect(byQuery[`${tag}-${i}x`]).toEqual([id]));
      } finally {
        await owner.end();
      }
    });

    it('answers no page whose audit entry could not be written (503 or 500, no client shown)', async () => {
      // The page is read first, its entry written after (AuditWriter): when the entry cannot be
      // committed, the page is not answered. A trigger refuses this colleague's entries for the test.
      const colleague = await newColleague(world, `noaudit-${randomUUID().slice(0, 8)}@example.nl`);
      const ref = `NA${randomUUID().slice(0, 6)}`;
      const c = await newClient({ clientRef: ref }, colleague.token);
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      const fn = `km_test_refuse_${randomUUID().slice(0, 8)}`;
      try {
        await owner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`);
        await owner.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON audit_events FOR EACH ROW
          WHEN (NEW.actor_user_id = '${colleague.id}'::uuid) EXECUTE FUNCTION ${fn}()`);
        const refused = await call('GET', `/api/v1/clients?q=${ref}`, { token: colleague.token });
        expect(refused.status).toBeGreaterThanOrEqual(500);
        expect(JSON.stringify(refused.body)).not.toContain(c.id);
        expect(refused.body.items).toBeUndefined();
        // Others read on: only this colleague's entries are refused.
        expect((await call('GET', '/api/v1/clients?pageSize=5', { token: counselor })).status).toBe(200);
        await owner.query(`DROP TRIGGER ${fn} ON audit_events`);
        const page = await call('GET', `/api/v1/clients?q=${ref}`, { token: colleague.token });
        expect(page.status).toBe(200);
        expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      } finally {
        await owner.query(`DROP TRIGGER IF EXISTS ${fn} ON audit_events`).catch(() => undefined);
        await owner.query(`DROP FUNCTION IF EXISTS ${fn}()`).catch(() => undefined);
        await owner.end();
      }
    });

    it("audits reads without locking the organisation's row (no read waits for another one, #26)", async () => {
      // An audit entry's foreign key to organisations locked the organisation's row (FOR KEY SHARE) at
      // every audited read: concurrent reads shared the lock through a MultiXact, and a transaction
      // holding the row (FOR UPDATE) stopped every read of the organisation. The key is gone
      // (sql/platform/audit-organisation-lock-v1.sql): with the row held, a caseload page and a client
      // record still answer, and their entries are written.
      const c = await newClient();
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const before = Number(
          (
            await owner.query(
              `SELECT count(*) AS n FROM audit_events WHERE organisation_id = $1 AND action IN ('caseload.read', 'client.read')`,
              [world.orgA.id],
            )
          ).rows[0].n,
        );
        await owner.query('BEGIN');
        await owner.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [world.orgA.id]);
        const within = async <T>(p: Promise<T>) => {
          let timer: NodeJS.Timeout | undefined;
          const waited = new Promise<'waited'>((r) => (timer = setTimeout(() => r('waited'), 5_000)));
          try {
            return await Promise.race([p, waited]);
          } finally {
            clearTimeout(timer);
          }
        };
        const page = await within(call('GET', '/api/v1/clients?pageSize=5', { token: counselor }));
        expect(page === 'waited' ? page : page.status).toBe(200);
        const record = await within(call('GET', `/api/v1/clients/${c.id}`, { token: counselor }));
        expect(record === 'waited' ? record : record.status).toBe(200);
        await owner.query('ROLLBACK');
        const after = Number(
          (
            await owner.query(
              `SELECT count(*) AS n FROM audit_events WHERE organisation_id = $1 AND action IN ('caseload.read', 'client.read')`,
              [world.orgA.id],
            )
          ).rows[0].n,
        );
        expect(after - before).toBe(2);
        // What the key guarded stays: the application can only write entries of its own organisation.
        const { rows } = await owner.query(
          `SELECT pg_get_expr(polwithcheck, polrelid) AS check FROM pg_policy
           WHERE polrelid = 'audit_events'::regclass AND polname = 'tenant_append'`,
        );
        expect(rows[0].check).toContain('km_current_organisation_id()');
      } finally {
        await owner.query('ROLLBACK').catch(() => undefined);
        await owner.end();
      }
    });

    it('marks a later step and fills the earlier ones by the monotone closure', async () => {
      const c = await newClient();
      const a = await call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, {
        token: counselor,
        body: { step: 'iu_in_view', date: addDays(today, -5) },
      });
      expect(a.status).toBe(200);
      expect(a.body.currentStep).toBe('iu_in_view');
      expect(a.body.steps).toEqual({
        first_contact: addDays(today, -30),
        goal_known: addDays(today, -5),
        approach_set: addDays(today, -5),
        iu_in_view: addDays(today, -5),
        iu_in_balance: null,
        settlement_ready: null,
      });
      // The same mark again changes nothing and adds no event.
      const again = await call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, {
        token: counselor,
        body: { step: 'iu_in_view', date: addDays(today, -5) },
      });
      expect(again.body).toEqual(a.body);
      const d = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      expect(d.body.trajectory.stepEvents).toHaveLength(1);
    });

    it('takes concurrent marks of the same step one after another: no 500, one standing event', async () => {
      // Found by the step benchmark: a lock query that also read the standing event saw a stale one.
      const c = await newClient();
      const dates = Array.from({ length: 8 }, (_, i) => addDays(today, -1 - i));
      const path = `/api/v1/trajectories/${c.trajectoryId}/steps`;
      const answers = await Promise.all(
        dates.map((date) => call('POST', path, { token: counselor, body: { step: 'goal_known', date } })),
      );
      expect(answers.map((a) => a.status)).toEqual(dates.map(() => 200));
      const d = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      const standing = d.body.trajectory.stepEvents.filter(
        (e: { withdrawnAt: string | null }) => e.withdrawnAt === null,
      );
      expect(standing).toHaveLength(1);
      expect(d.body.trajectory.stepEvents).toHaveLength(8);
      expect(d.body.trajectory.steps.goal_known).toBe(standing[0].date);
    });

    it('keeps a corrected step in the history, withdrawn, and audits the correction', async () => {
      const c = await newClient();
      const path = `/api/v1/trajectories/${c.trajectoryId}/steps`;
      await call('POST', path, { token: counselor, body: { step: 'goal_known', date: addDays(today, -20) } });
      const corrected = await call('POST', path, {
        token: counselor,
        body: { step: 'goal_known', date: addDays(today, -15) },
      });
      expect(corrected.body.steps.goal_known).toBe(addDays(today, -15));
      const withdrawn = await call('DELETE', `${path}/goal_known`, { token: counselor });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.steps.goal_known).toBeNull();
      expect(withdrawn.body.currentStep).toBe('first_contact');
      const d = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      const events = d.body.trajectory.stepEvents;
      expect(events.map((e: { date: string; withdrawnAt: string | null }) => [e.date, e.withdrawnAt !== null])).toEqual(
        [
          [addDays(today, -20), true],
          [addDays(today, -15), true],
        ],
      );
      expectError(await call('DELETE', `${path}/goal_known`, { token: counselor }), 404);
      expect(
        expectError(await call('DELETE', `${path}/not_a_step`, { token: counselor }), 400).details?.[0].field,
      ).toBe('step');
      expectError(await call('DELETE', `${path}/first_contact`, { token: counselor }), 400);

      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const r = await owner.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [c.id]);
        expect(r.rows.map((x) => x.action)).toEqual([
          'client.create',
          'step.mark',
          'step.correct',
          'step.withdraw',
          'client.read',
        ]);
      } finally {
        await owner.end();
      }
    });

    it('refuses step dates in the future or before first contact, unknown steps and first_contact', async () => {
      const c = await newClient();
      const path = `/api/v1/trajectories/${c.trajectoryId}/steps`;
      expect(
        expectError(
          await call('POST', path, { token: counselor, body: { step: 'goal_known', date: addDays(today, 1) } }),
          400,
        ).details,
      ).toEqual([{ field: 'date', message: 'must not be in the future' }]);
      expect(
        expectError(
          await call('POST', path, { token: counselor, body: { step: 'goal_known', date: addDays(today, -31) } }),
          400,
        ).details?.[0].message,
      ).toMatch(/before the first contact/);
      expect(
        expectError(await call('POST', path, { token: counselor, body: { step: 'finished', date: today } }), 400)
          .details?.[0].field,
      ).toBe('step');
      // first_contact may be corrected (#26), never to before the request for help (= the first contact here).
      expect(
        expectError(
          await call('POST', path, { token: counselor, body: { step: 'first_contact', date: addDays(today, -400) } }),
          400,
        ).details?.[0].message,
      ).toMatch(/before the request for help/);
      expect(
        expectError(await call('POST', path, { token: counselor, body: { step: 'goal_known' } }), 400).details?.[0]
          .field,
      ).toBe('date');
    });

    it('records a dropout with a reason; an ended trajectory takes no further steps', async () => {
      const c = await newClient();
      const base = `/api/v1/trajectories/${c.trajectoryId}`;
      expect(
        expectError(await call('POST', `${base}/dropout`, { token: counselor, body: { reason: 'moved' } }), 400)
          .details?.[0].field,
      ).toBe('date');
      expect(
        expectError(
          await call('POST', `${base}/dropout`, { token: counselor, body: { date: today, reason: 'bored' } }),
          400,
        ).details?.[0].field,
      ).toBe('reason');
      const a = await call('POST', `${base}/dropout`, {
        token: counselor,
        body: { date: addDays(today, -2), reason: 'lost_motivation' },
      });
      expect(a.status).toBe(200);
      expect(a.body.status).toBe('dropped_out');
      expectError(
        await call('POST', `${base}/dropout`, { token: counselor, body: { date: today, reason: 'moved' } }),
        409,
      );
      expectError(
        await call('POST', `${base}/steps`, { token: counselor, body: { step: 'goal_known', date: today } }),
        409,
      );
      const d = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      expect(d.body.trajectory.dropout).toEqual({ date: addDays(today, -2), reason: 'lost_motivation' });
    });

    it('records support and refuses negative, fractional or absurd minutes', async () => {
      const c = await newClient();
      const path = `/api/v1/trajectories/${c.trajectoryId}/support`;
      const ok = await call('POST', path, {
        token: counselor,
        body: { date: addDays(today, -1), type: 'administrative', minutes: 45, channel: 'home_visit' },
      });
      expect(ok.status).toBe(201);
      expect(ok.body.lastActivityOn).toBe(addDays(today, -1));
      for (const [minutes, message] of [
        [-5, 'minutes must be at least 1'],
        [1441, 'minutes must be at most 1440 (24 hours)'],
        [12.5, 'minutes must be a whole number'],
        ['45', 'minutes must be a whole number'],
      ] as const) {
        const e = expectError(
          await call('POST', path, {
            token: counselor,
            body: { date: today, type: 'legal', minutes, channel: 'phone' },
          }),
          400,
        );
        expect(e.details).toEqual([{ field: 'minutes', message }]);
      }
      expect(
        expectError(
          await call('POST', path, {
            token: counselor,
            body: { date: today, type: 'coffee', minutes: 5, channel: 'phone' },
          }),
          400,
        ).details?.[0].field,
      ).toBe('type');
      const d = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      expect(d.body.support).toEqual([
        {
          id: expect.any(String),
          date: addDays(today, -1),
          type: 'administrative',
          minutes: 45,
          channel: 'home_visit',
          note: null,
          recordedAt: expect.any(String),
          recordedByName: 'aCounselor',
        },
      ]);
    });

    it('starts and ends services, shown in the caseload while they run', async () => {
      const c = await newClient({ clientRef: `SRV-${randomUUID().slice(0, 8)}` });
      const path = `/api/v1/trajectories/${c.trajectoryId}/services`;
      expect(
        (
          await call('POST', path, {
            token: counselor,
            body: { kind: 'budget_management', startedOn: addDays(today, -20) },
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call('POST', path, {
            token: counselor,
            body: { kind: 'budget_coaching', startedOn: addDays(today, -20), endedOn: addDays(today, -10) },
          })
        ).status,
      ).toBe(201);
      const ref = (await call('GET', `/api/v1/clients/${c.id}`, { token: counselor })).body;
      expect(ref.services.map((x: { kind: string; endedOn: string | null }) => [x.kind, x.endedOn])).toEqual([
        ['budget_management', null],
        ['budget_coaching', addDays(today, -10)],
      ]);
      const row = async () =>
        (await call('GET', `/api/v1/clients?q=${ref.clientRef}`, { token: counselor })).body.items[0];
      // Only running services show in the caseload.
      expect((await row()).services).toEqual(['budget_management']);
      // Each kind once, by code.
      expect(
        (await call('POST', path, { token: counselor, body: { kind: 'protection', startedOn: addDays(today, -5) } }))
          .status,
      ).toBe(201);
      expect((await row()).services).toEqual(['budget_management', 'protection']);
      const serviceId = ref.services[0].id;
      expect(
        expectError(
          await call('POST', `${path}/${serviceId}/end`, { token: counselor, body: { endedOn: addDays(today, -25) } }),
          400,
        ).details?.[0].field,
      ).toBe('endedOn');
      expect(
        (await call('POST', `${path}/${serviceId}/end`, { token: counselor, body: { endedOn: addDays(today, -1) } }))
          .status,
      ).toBe(200);
      expect((await row()).services).toEqual(['protection']);

      expect(
        expectError(
          await call('POST', path, { token: counselor, body: { kind: 'debt_relief', startedOn: today } }),
          400,
        ).details?.[0].field,
      ).toBe('kind');
      expect(
        expectError(
          await call('POST', path, {
            token: counselor,
            body: { kind: 'other', startedOn: today, endedOn: addDays(today, -1) },
          }),
          400,
        ).details?.[0].field,
      ).toBe('endedOn');
      expect(
        expectError(
          await call('POST', path, { token: counselor, body: { kind: 'other', startedOn: addDays(today, -31) } }),
          400,
        ).details?.[0].field,
      ).toBe('startedOn');
      expectError(
        await call('POST', `${path}/${randomUUID()}/end`, { token: counselor, body: { endedOn: today } }),
        404,
      );
      expectError(
        await call('POST', path, { token: world.tokens.orgBCounselor, body: { kind: 'other', startedOn: today } }),
        404,
      );
      expectError(
        await call('POST', `${path}/${serviceId}/end`, { token: world.tokens.orgBCounselor, body: { endedOn: today } }),
        404,
      );
      expectError(
        await call('POST', path, { token: world.tokens.policy_advisor, body: { kind: 'other', startedOn: today } }),
        403,
      );
    });

    it("hides another organisation's clients and trajectories behind 404", async () => {
      const c = await newClient();
      const b = world.tokens.orgBCounselor;
      expectError(await call('GET', `/api/v1/clients/${c.id}`, { token: b }), 404);
      expectError(
        await call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, {
          token: b,
          body: { step: 'goal_known', date: today },
        }),
        404,
      );
      expectError(await call('DELETE', `/api/v1/trajectories/${c.trajectoryId}/steps/goal_known`, { token: b }), 404);
      expectError(
        await call('POST', `/api/v1/trajectories/${c.trajectoryId}/dropout`, {
          token: b,
          body: { date: today, reason: 'moved' },
        }),
        404,
      );
      expectError(
        await call('POST', `/api/v1/trajectories/${c.trajectoryId}/support`, {
          token: b,
          body: { date: today, type: 'legal', minutes: 5, channel: 'phone' },
        }),
        404,
      );
      expectError(await call('GET', `/api/v1/clients/${randomUUID()}`, { token: counselor }), 404);
      expect(expectError(await call('GET', '/api/v1/clients/42', { token: counselor }), 400).details?.[0].field).toBe(
        'id',
      );
      // Nothing changed for the owner.
      const d = await call('GET', `/api/v1/clients/${c.id}`, { token: counselor });
      expect(d.body.trajectory.stepEvents).toEqual([]);
      expect(d.body.trajectory.status).toBe('open');
    });
  });

  describe('GET /v1/clients (caseload)', () => {
    it('filters by municipality, step, stalled and reference, and pages', async () => {
      const tag = randomUUID().slice(0, 6);
      const made = [];
      for (let i = 0; i < 5; i++)
        made.push(await newClient({ clientRef: `CASE-${tag}-${i}`, municipality: i < 3 ? 'GM0344' : 'GM0546' }));
      await call('POST', `/api/v1/trajectories/${made[0].trajectoryId}/steps`, {
        token: counselor,
        body: { step: 'approach_set', date: today },
      });
      const stalled = await newClient({ clientRef: `CASE-${tag}-old`, firstContact: addDays(today, -120) });

      const byRef = await call('GET', `/api/v1/clients?q=CASE-${tag}&pageSize=2&page=1`, { token: counselor });
      expect(byRef.status).toBe(200);
      expect(byRef.body.total).toBe(6);
      expect(byRef.body.items).toHaveLength(2);
      const page3 = await call('GET', `/api/v1/clients?q=CASE-${tag}&pageSize=2&page=3`, { token: counselor });
      expect(page3.body.items).toHaveLength(2);
      const beyond = await call('GET', `/api/v1/clients?q=CASE-${tag}&pageSize=2&page=9`, { token: counselor });
      expect(beyond.body).toMatchObject({ items: [], total: 6 });

      const leiden = await call('GET', `/api/v1/clients?q=CASE-${tag}&municipality=GM0546`, { token: counselor });
      expect(leiden.body.items.map((i: { clientRef: string }) => i.clientRef).sort()).toEqual([
        `CASE-${tag}-3`,
        `CASE-${tag}-4`,
      ]);
      const step = await call('GET', `/api/v1/clients?q=CASE-${tag}&step=approach_set`, { token: counselor });
      expect(step.body.items.map((i: { id: string }) => i.id)).toEqual([made[0].id]);
      expect(step.body.items[0].steps.goal_known).toBe(today);
      const st = await call('GET', `/api/v1/clients?q=CASE-${tag}&stalled=true`, { token: counselor });
      expect(st.body.items.map((i: { id: string }) => i.id)).toEqual([stalled.id]);
      expect(st.body.items[0].stalledSince).toBe(addDays(today, -120 + 91));

      const other = await call('GET', `/api/v1/clients?q=CASE-${tag}`, { token: world.tokens.orgBCounselor });
      expect(other.body).toMatchObject({ items: [], total: 0 });
    });

    it('pages by cursor (keyset): every row once, forwards and back, in every sort order, with the first count', async () => {
      const tag = randomUUID().slice(0, 6);
      // Seven clients; two share a first-contact day, so ties are ordered by id and still never repeat.
      const days = [-9, -3, -3, -7, -1, -5, -2];
      for (let i = 0; i < days.length; i++)
        await newClient({ clientRef: `KEY-${tag}-${i}`, firstContact: addDays(today, days[i]) });
      type Page = {
        items: { clientRef: string }[];
        total: number;
        page: number;
        nextCursor: string | null;
        prevCursor: string | null;
      };
      const read = async (qs: string) => {
        const r = await call<Page>('GET', `/api/v1/clients?q=KEY-${tag}&pageSize=3&${qs}`, { token: counselor });
        expect(r.status).toBe(200);
        return r.body;
      };
      for (const sort of [
        'firstContact:desc',
        'clientRef:asc',
        'municipality:desc',
        'currentStep:asc',
        'lastActivityOn:desc',
      ]) {
        const byOffset = [
          ...(await read(`sort=${sort}&page=1`)).items,
          ...(await read(`sort=${sort}&page=2`)).items,
          ...(await read(`sort=${sort}&page=3`)).items,
        ];
        // 7 rows at 3 a page: pages of 3, 3 and 1; the cursor pages give the same rows in the same order.
        const p1 = await read(`sort=${sort}`);
        expect([p1.page, p1.total, p1.prevCursor]).toEqual([1, 7, null]);
        const p2 = await read(`sort=${sort}&after=${p1.nextCursor}`);
        const p3 = await read(`sort=${sort}&after=${p2.nextCursor}`);
        expect([p2.page, p3.page, p3.total, p3.items.length, p3.nextCursor]).toEqual([2, 3, 7, 1, null]);
        const walked = [...p1.items, ...p2.items, ...p3.items].map((i) => i.clientRef);
        expect([sort, walked]).toEqual([sort, byOffset.map((i) => i.clientRef)]);
        expect(new Set(walked).size).toBe(7);
        // Back from page 3 to page 2 and 1: the same rows as on the way out.
        const back2 = await read(`sort=${sort}&before=${p3.prevCursor}`);
        expect([back2.page, back2.items]).toEqual([2, p2.items]);
        const back1 = await read(`sort=${sort}&before=${back2.prevCursor}`);
        expect([back1.page, back1.items, back1.prevCursor]).toEqual([1, p1.items, null]);
      }
      // A cursor belongs to its view: another filter or order, page with it, or a made-up one is a 400 naming it.
      const p1 = await read('sort=firstContact:desc');
      const field = async (qs: string) =>
        expectError(await call('GET', `/api/v1/clients?q=KEY-${tag}&pageSize=3&${qs}`, { token: counselor }), 400)
          .details?.[0].field;
      expect(await field(`sort=clientRef:asc&after=${p1.nextCursor}`)).toBe('after');
      expect(await field(`sort=firstContact:desc&page=2&after=${p1.nextCursor}`)).toBe('page');
      expect(await field(`after=${p1.nextCursor}&before=${p1.nextCursor}`)).toBe('before');
      expect(await field('before=bm90LWEtY3Vyc29y')).toBe('before');
      expect(await field('after=not%20base64')).toBe('after');
      // #22: a changed key (the review's "zzz-not-a-date", a NUL byte: 500 before) or page number
      // (2^53: accepted before) breaks the server's signature; a 400 naming the cursor, nothing else.
      const [payload, mac] = (p1.nextCursor as string).split('.');
      const parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const forge = (changed: unknown[]) => `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${mac}`;
      for (const changed of [
        ['zzz-not-a-date', ...parts.slice(1)],
        [`${parts[0]}\u0000`, ...parts.slice(1)],
        [parts[0], parts[1], 2 ** 53, parts[3], parts[4]],
        [parts[0], parts[1], parts[2], 1e9, parts[4]],
      ]) {
        const res = await call(
          'GET',
          `/api/v1/clients?q=KEY-${tag}&pageSize=3&sort=firstContact:desc&after=${forge(changed)}`,
          {
            token: counselor,
          },
        );
        const e = expectError(res, 400);
        expect([changed, e.details?.[0]]).toEqual([
          changed,
          { field: 'after', message: 'is not a cursor of this list (take nextCursor or prevCursor of an answer)' },
        ]);
      }
      // The same without a signature (the old form): not ours either.
      expect(await field(`sort=firstContact:desc&after=${payload}`)).toBe('after');
      // Another organisation's counselor with this cursor sees none of these rows (RLS), never an error.
      const other = await call<Page>('GET', `/api/v1/clients?q=KEY-${tag}&pageSize=3&after=${p1.nextCursor}`, {
        token: world.tokens.orgBCounselor,
      });
      expect([other.status, other.body.items]).toEqual([200, []]);
    });

    it('names bad query parameters', async () => {
      const get = async (qs: string) =>
        expectError(await call('GET', `/api/v1/clients?${qs}`, { token: counselor }), 400).details?.[0].field;
      expect(await get('page=0')).toBe('page');
      expect(await get('pageSize=500')).toBe('pageSize');
      expect(await get('page=abc')).toBe('page');
      expect(await get('step=done')).toBe('step');
      expect(await get('stalled=yes')).toBe('stalled');
      expect(await get('municipality=Utrecht')).toBe('municipality');
      expect(await get(`q=${'x'.repeat(65)}`)).toBe('q');
      expect(await get('sort=name')).toBe('sort');
    });
  });
});

describe('GET /v1/caseload/summary', () => {
  it("gives the counselor's own figures next to the team's", async () => {
    const w = await makeWorld();
    const mk = async (token: string, firstContactAgo: number, iuInViewAgo?: number) => {
      const a = await call('POST', '/api/v1/clients', {
        token,
        body: { clientRef: ref(), municipality: 'GM0344', firstContact: addDays(today, -firstContactAgo) },
      });
      if (iuInViewAgo !== undefined) {
        await call('POST', `/api/v1/trajectories/${a.body.trajectoryId}/steps`, {
          token,
          body: { step: 'iu_in_view', date: addDays(today, -iuInViewAgo) },
        });
      }
      return a.body;
    };
    // Counselor's own: A reaches iu_in_view after 10 days, B after 30 days, C has only first contact.
    await mk(w.tokens.counselor, 30, 20);
    await mk(w.tokens.counselor, 40, 10);
    await mk(w.tokens.counselor, 5);
    // Registered by the organisation admin (no counselor): D reaches it after 10 days, then drops out.
    const d = await mk(w.tokens.org_admin, 50, 40);
    await call('POST', `/api/v1/trajectories/${d.trajectoryId}/dropout`, {
      token: w.tokens.org_admin,
      body: { date: addDays(today, -35), reason: 'moved' },
    });

    const a = await call('GET', '/api/v1/caseload/summary', { token: w.tokens.counselor });
    expect(a.status).toBe(200);
    const steps = (iu: number, fc: number) => ({
      first_contact: fc,
      goal_known: 0,
      approach_set: 0,
      iu_in_view: iu,
      iu_in_balance: 0,
      settlement_ready: 0,
    });
    // mine: 3 open (A, B at iu_in_view; C at first contact); median of [10, 30] = 20.
    expect(a.body.mine).toEqual({
      open: 3,
      perStep: steps(2, 1),
      stalled: 0,
      droppedOut: 0,
      medianDaysToIuInView: 20,
      reachedIuInView: 2,
    });
    // team: D is dropped out, so still 3 open; reached: A, B, D; median of [10, 30, 10] = 10.
    expect(a.body.team).toEqual({
      open: 3,
      perStep: steps(2, 1),
      stalled: 0,
      droppedOut: 1,
      medianDaysToIuInView: 10,
      reachedIuInView: 3,
    });
    const admin = await call('GET', '/api/v1/caseload/summary', { token: w.tokens.org_admin });
    expect(admin.body.mine).toBeNull();
    expect((await call('GET', '/api/v1/caseload/summary', { token: w.tokens.policy_advisor })).status).toBe(403);
    // Organisation B sees only its own (empty) team.
    const b = await call('GET', '/api/v1/caseload/summary', { token: w.tokens.orgBCounselor });
    expect(b.body.team).toMatchObject({ open: 0, droppedOut: 0, reachedIuInView: 0, medianDaysToIuInView: null });
  });
});
