import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { call, expectError, makeWorld, newColleague, World } from '../support/http';

/**
 * The counselor's client record and caseload (#13): sorting, the client-type and signal filters,
 * the caseholder column and the export of the view; contact edits, support notes, authors on the
 * timeline, handing a client to a colleague, and step dates that would reorder the steps.
 */
describe('client record and caseload', () => {
  let world: World;
  const today = todayInAmsterdam();
  const tag = randomUUID().slice(0, 6);
  const register = async (ref: string, firstContact: string, municipality = 'GM0344', token?: string) => {
    const c = await call('POST', '/api/v1/clients', {
      token: token ?? world.tokens.counselor,
      body: {
        clientRef: ref,
        municipality,
        firstContact,
        email: `${ref.toLowerCase()}@example.nl`,
      },
    });
    expect(c.status).toBe(201);
    return c.body as { id: string; trajectoryId: string };
  };
  const detail = async (id: string, token = world.tokens.counselor) =>
    (await call('GET', `/api/v1/clients/${id}`, { token })).body;
  const caseload = (query: string, token = world.tokens.counselor) =>
    call('GET', `/api/v1/clients?q=${tag}&${query}`, { token });

  // Three clients of this test, told apart by the tag in their reference:
  //   A: first contact 40 days ago, Utrecht (GM0344), steps up to approach_set, client type zelfstandige
  //   B: first contact 20 days ago, Leiden (GM0546), no steps, an open signal (made by SQL)
  //   C: first contact 30 days ago, Utrecht, step goal_known, handed to a colleague
  let a: { id: string; trajectoryId: string };
  let b: { id: string; trajectoryId: string };
  let c: { id: string; trajectoryId: string };
  let colleague: { id: string; token: string };

  beforeAll(async () => {
    world = await makeWorld();
    a = await register(`A-${tag}`, addDays(today, -40));
    b = await register(`B-${tag}`, addDays(today, -20), 'GM0546');
    c = await register(`C-${tag}`, addDays(today, -30));
    for (const [step, days] of [
      ['goal_known', -35],
      ['approach_set', -25],
    ] as const)
      expect(
        (
          await call('POST', `/api/v1/trajectories/${a.trajectoryId}/steps`, {
            token: world.tokens.counselor,
            body: { step, date: addDays(today, days) },
          })
        ).status,
      ).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, {
          token: world.tokens.counselor,
          body: { step: 'goal_known', date: addDays(today, -5) },
        })
      ).status,
    ).toBe(200);
    colleague = await newColleague(world, `colleague-${tag}@example.nl`, 'Fatima de Vries');
    const owner = new Client({
      connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
    });
    await owner.connect();
    try {
      // B: a signal of its own; A: a client type from an assessment.
      await owner.query(
        `INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on) SELECT organisation_id, id, 'unanswered', $2 FROM trajectories WHERE id = $1`,
        [b.trajectoryId, today],
      );
      await owner.query(
        `INSERT INTO client_types (organisation_id, code, name) VALUES ($1, 'zelfstandige', 'Zelfstandige') ON CONFLICT DO NOTHING`,
        [world.orgA.id],
      );
      await owner.query(
        `INSERT INTO assessments (organisation_id, client_id, client_type_id, assessed_on, source)
         SELECT $1, $2, ct.id, $3, 'manual' FROM client_types ct WHERE ct.organisation_id = $1 AND ct.code = 'zelfstandige'`,
        [world.orgA.id, a.id, addDays(today, -39)],
      );
    } finally {
      await owner.end();
    }
  });

  describe('caseload', () => {
    it('sorts on each field both ways, on the server', async () => {
      const refs = async (sort: string) =>
        ((await caseload(`sort=${sort}`)).body.items as { clientRef: string }[])
          .map((i) => i.clientRef.slice(0, 1))
          .join('');
      // first contact: A -40, C -30, B -20 days.
      expect(await refs('firstContact:asc')).toBe('ACB');
      expect(await refs('firstContact:desc')).toBe('BCA');
      expect(await refs('clientRef:asc')).toBe('ABC');
      expect(await refs('clientRef:desc')).toBe('CBA');
      // current step: B first_contact, C goal_known, A approach_set.
      expect(await refs('currentStep:asc')).toBe('BCA');
      expect(await refs('currentStep:desc')).toBe('ACB');
      // municipality by name: Leiden (B) before Utrecht (A, C; ties by trajectory id, so only B's place is fixed).
      expect((await refs('municipality:asc')).charAt(0)).toBe('B');
      expect((await refs('municipality:desc')).charAt(2)).toBe('B');
      // last activity: A -25, C -5, B -20.
      expect(await refs('lastActivityOn:asc')).toBe('ABC');
      expect(await refs('lastActivityOn:desc')).toBe('CBA');
    });

    it('filters on client type and open signals, and shows the caseholder', async () => {
      const types = await call('GET', '/api/v1/client-types', {
        token: world.tokens.counselor,
      });
      expect(types.body).toEqual([{ code: 'zelfstandige', name: 'Zelfstandige' }]);
      expect(
        (
          await call('GET', '/api/v1/client-types', {
            token: world.tokens.orgBCounselor,
          })
        ).body,
      ).toEqual([]);
      expectError(
        await call('GET', '/api/v1/client-types', {
          token: world.tokens.policy_advisor,
        }),
        403,
      );
      const typed = await caseload('clientType=zelfstandige');
      expect(typed.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
      expect(typed.body.items[0].clientType).toEqual({
        code: 'zelfstandige',
        name: 'Zelfstandige',
      });
      const unknown = await caseload('clientType=unknown&sort=clientRef:asc');
      expect(unknown.body.items.map((i: { id: string }) => i.id)).toEqual([b.id, c.id]);
      const signalled = await caseload('alerts=true');
      expect(signalled.body.total).toBe(1);
      expect(signalled.body.items[0]).toMatchObject({
        id: b.id,
        openAlerts: 1,
      });
      expect(signalled.body.items[0].counselor).toEqual({
        id: world.users['aCounselor'],
        name: 'aCounselor',
      });
    });

    it('names a bad sort, client type or format', async () => {
      expect(expectError(await caseload('sort=email:asc'), 400).details?.[0].field).toBe('sort');
      expect(expectError(await caseload('sort=clientRef'), 400).details?.[0].field).toBe('sort');
      expect(expectError(await caseload('clientType=Zelf%20standige'), 400).details?.[0].field).toBe('clientType');
      expect(expectError(await caseload(`clientType=${'x'.repeat(65)}`), 400).details?.[0].field).toBe('clientType');
      expect(expectError(await caseload('alerts=yes'), 400).details?.[0].field).toBe('alerts');
      expect(expectError(await caseload('format=pdf'), 400).details?.[0].field).toBe('format');
      expectError(await caseload('sort=clientRef:asc', world.tokens.policy_advisor), 403);
      expectError(await call('GET', '/api/v1/clients?format=csv'), 401);
    });

    it('exports the whole view as CSV and XLSX, with what the page shows', async () => {
      const csv = await call('GET', `/api/v1/clients?q=${tag}&sort=clientRef:asc&format=csv&pageSize=1`, {
        token: world.tokens.counselor,
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(
        /^attachment; filename="klantmonitor-clienten-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      // Header and all three clients (pageSize does not cut an export).
      expect(lines).toHaveLength(4);
      expect(lines[0].split(';').slice(0, 4)).toEqual(['Cliëntnummer', 'Gemeente', 'CBS-code', 'Status']);
      const header = lines[0].split(';');
      const rowA = lines[1].split(';');
      expect(rowA[0]).toBe(`A-${tag}`);
      const day = (n: number) => addDays(today, n).split('-').reverse().join('-');
      expect(rowA[header.indexOf('Aanpak bepaald')]).toBe(day(-25));
      expect(rowA[header.indexOf('Klanttype')]).toBe('Zelfstandige');
      expect(rowA[header.indexOf('Casehouder')]).toBe('aCounselor');
      expect(lines[2].split(';')[header.indexOf('Open signalen')]).toBe('1');

      const xlsx = await fetch(
        `${process.env['KM_E2E_BASE_URL']}/api/v1/clients?q=${tag}&sort=clientRef:desc&format=xlsx`,
        {
          headers: { authorization: `Bearer ${world.tokens.counselor}` },
        },
      );
      expect(xlsx.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('Cliënten');
      expect(sheet?.rowCount).toBe(4);
      expect(sheet?.getRow(2).getCell(1).value).toBe(`C-${tag}`);
      const firstContact = sheet?.getRow(4).getCell(header.indexOf('Eerste contact') + 1).value as Date;
      expect(firstContact.toISOString().slice(0, 10)).toBe(addDays(today, -40));

      // Another organisation exports its own clients only; the export is audited.
      const other = await call('GET', `/api/v1/clients?q=${tag}&format=csv`, {
        token: world.tokens.orgBCounselor,
      });
      expect(
        other.text
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n'),
      ).toHaveLength(1);
      // Each export's entry lists the clients it held, in the file's order (entity_ids, #26).
      const shown = (
        await call('GET', `/api/v1/clients?q=${tag}&sort=clientRef:asc`, { token: world.tokens.counselor })
      ).body.items.map((i: { id: string }) => i.id);
      const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
      await owner.connect();
      try {
        const { rows } = await owner.query(
          `SELECT organisation_id, details->>'format' AS format, entity_ids FROM audit_events
           WHERE action = 'caseload.export' AND details->'filters'->>'q' = $1 ORDER BY id`,
          [tag],
        );
        expect(rows.map((r) => [r.organisation_id, r.format, r.entity_ids])).toEqual([
          [world.orgA.id, 'csv', shown],
          [world.orgA.id, 'xlsx', [...shown].reverse()],
          [world.orgB.id, 'csv', []],
        ]);
      } finally {
        await owner.end();
      }
    });
  });

  describe('client record', () => {
    it('edits contact and intake fields, audited by name of field only; null clears', async () => {
      const path = `/api/v1/clients/${c.id}`;
      const changed = await call('PATCH', path, {
        token: world.tokens.counselor,
        body: {
          email: ' Nieuw@Example.NL ',
          phone: '06-12345678',
          householdType: 'single_parent',
          incomeBand: null,
        },
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        email: 'nieuw@example.nl',
        phone: '0612345678',
        householdType: 'single_parent',
        incomeBand: null,
      });
      const entry = changed.body.activity.find((x: { action: string }) => x.action === 'client.update');
      expect(entry).toMatchObject({
        actorName: 'aCounselor',
        details: { fields: ['email', 'phone', 'householdType', 'incomeBand'] },
      });
      expect(JSON.stringify(changed.body.activity)).not.toContain('nieuw@example.nl');
      const cleared = await call('PATCH', path, {
        token: world.tokens.org_admin,
        body: { phone: null },
      });
      expect(cleared.body.phone).toBeNull();
      expect(cleared.body.email).toBe('nieuw@example.nl');

      // Each refusal names the field: an empty change, a bad e-mail or phone, an oversized one, an unknown field.
      const refused = async (body: unknown) =>
        expectError(await call('PATCH', path, { token: world.tokens.counselor, body }), 400).details?.[0].field;
      expect(await refused({})).toBe('body');
      expect(await refused({ email: 'geen-adres' })).toBe('email');
      expect(await refused({ phone: '12' })).toBe('phone');
      expect(await refused({ email: `${'x'.repeat(250)}@example.nl` })).toBe('email');
      expect(await refused({ bsn: '123456782' })).toBe('bsn');
      expectError(
        await call('PATCH', path, {
          token: world.tokens.counselor,
          body: '{"email":',
        }),
        400,
      );
      expectError(
        await call('PATCH', path, {
          token: world.tokens.orgBCounselor,
          body: { householdType: 'single' },
        }),
        404,
      );
      expectError(
        await call('PATCH', path, {
          token: world.tokens.policy_advisor,
          body: { householdType: 'single' },
        }),
        403,
      );
      expectError(
        await call('PATCH', `/api/v1/clients/${randomUUID()}`, {
          token: world.tokens.counselor,
          body: { householdType: 'single' },
        }),
        404,
      );
      expectError(
        await call('PATCH', '/api/v1/clients/not-a-uuid', {
          token: world.tokens.counselor,
          body: { householdType: 'single' },
        }),
        400,
      );
    });

    it('keeps a sealed note with a support contact and says who recorded it', async () => {
      const path = `/api/v1/trajectories/${a.trajectoryId}/support`;
      const note = 'Samen de post doorgenomen; volgende keer loonstroken mee.';
      const r = await call('POST', path, {
        token: world.tokens.counselor,
        body: {
          date: today,
          type: 'administrative',
          minutes: 45,
          channel: 'home_visit',
          note,
        },
      });
      expect(r.status).toBe(201);
      const s = (await detail(a.id)).support.find((x: { note: string | null }) => x.note === note);
      expect(s).toMatchObject({ minutes: 45, recordedByName: 'aCounselor' });
      expect(Date.parse(s.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
      const owner = new Client({
        connectionString: process.env['KM_E2E_ADMIN_DB_URL'],
      });
      await owner.connect();
      try {
        const { rows } = await owner.query(`SELECT note_enc FROM support_contacts WHERE id = $1`, [s.id]);
        expect(rows[0].note_enc).toBeInstanceOf(Buffer);
        expect(rows[0].note_enc.toString('latin1')).not.toContain('loonstroken');
      } finally {
        await owner.end();
      }
      expect(
        expectError(
          await call('POST', path, {
            token: world.tokens.counselor,
            body: {
              date: today,
              type: 'administrative',
              minutes: 5,
              channel: 'phone',
              note: 'x'.repeat(1001),
            },
          }),
          400,
        ).details?.[0].field,
      ).toBe('note');
      expect(
        expectError(
          await call('POST', path, {
            token: world.tokens.counselor,
            body: {
              date: today,
              type: 'administrative',
              minutes: 5,
              channel: 'phone',
              note: 12,
            },
          }),
          400,
        ).details?.[0].field,
      ).toBe('note');
    });

    it('refuses a step date that would move another step, naming that step', async () => {
      // A: goal_known -35, approach_set -25 days.
      const steps = `/api/v1/trajectories/${a.trajectoryId}/steps`;
      const after = expectError(
        await call('POST', steps, {
          token: world.tokens.counselor,
          body: { step: 'goal_known', date: addDays(today, -20) },
        }),
        400,
      );
      expect(after.details?.[0]).toEqual({
        field: 'date',
        message: 'after_later_step',
        step: 'approach_set',
        date: addDays(today, -25),
      });
      const before = expectError(
        await call('POST', steps, {
          token: world.tokens.counselor,
          body: { step: 'iu_in_view', date: addDays(today, -30) },
        }),
        400,
      );
      expect(before.details?.[0]).toEqual({
        field: 'date',
        message: 'before_earlier_step',
        step: 'approach_set',
        date: addDays(today, -25),
      });
      // Nothing was written: the dates stand as they were.
      expect((await detail(a.id)).trajectory.steps).toMatchObject({
        goal_known: addDays(today, -35),
        approach_set: addDays(today, -25),
        iu_in_view: null,
      });
      // A date between its neighbours is fine, and the author is on the event.
      expect(
        (
          await call('POST', steps, {
            token: world.tokens.counselor,
            body: { step: 'goal_known', date: addDays(today, -30) },
          })
        ).status,
      ).toBe(200);
      const events = (await detail(a.id)).trajectory.stepEvents.filter(
        (e: { withdrawnAt: string | null }) => !e.withdrawnAt,
      );
      expect(events.find((e: { step: string }) => e.step === 'goal_known')).toMatchObject({
        date: addDays(today, -30),
        recordedByName: 'aCounselor',
      });
    });

    it('hands a client to a colleague, lists only active counselors of the organisation', async () => {
      const listed = await call('GET', '/api/v1/counselors', {
        token: world.tokens.counselor,
      });
      expect(listed.status).toBe(200);
      const names = listed.body.map((u: { name: string }) => u.name);
      expect(names).toEqual(expect.arrayContaining(['aCounselor', 'Fatima de Vries']));
      expect(names).not.toContain('bCounselor');
      expect(names).not.toContain('aAdmin');
      expectError(
        await call('GET', '/api/v1/counselors', {
          token: world.tokens.policy_advisor,
        }),
        403,
      );

      const path = `/api/v1/trajectories/${c.trajectoryId}/counselor`;
      const moved = await call('PUT', path, {
        token: world.tokens.counselor,
        body: { userId: colleague.id },
      });
      expect(moved.status).toBe(200);
      const d = await detail(c.id, colleague.token);
      expect(d.trajectory.counselor).toEqual({
        id: colleague.id,
        name: 'Fatima de Vries',
      });
      expect(d.activity.find((x: { action: string }) => x.action === 'trajectory.reassign')).toMatchObject({
        actorName: 'aCounselor',
        details: { from: world.users['aCounselor'], to: colleague.id },
      });
      // Now in the colleague's own list, not in the first counselor's.
      expect(
        (
          await call('GET', `/api/v1/clients?q=${tag}&mine=true`, {
            token: colleague.token,
          })
        ).body.items.map((i: { id: string }) => i.id),
      ).toEqual([c.id]);

      const refuse = async (userId: unknown) =>
        expectError(
          await call('PUT', path, {
            token: world.tokens.counselor,
            body: { userId },
          }),
          400,
        ).details?.[0].field;
      expect(await refuse(world.users['bCounselor'])).toBe('userId'); // another organisation's counselor
      expect(await refuse(world.users['aPolicy'])).toBe('userId'); // not a counselor
      expect(await refuse(randomUUID())).toBe('userId');
      expect(await refuse('nobody')).toBe('userId');
      expect(await refuse(undefined)).toBe('userId');
      expectError(
        await call('PUT', path, {
          token: world.tokens.orgBAdmin,
          body: { userId: world.users['bCounselor'] },
        }),
        404,
      );
      // A deactivated colleague is no longer offered nor accepted.
      expect(
        (
          await call('PATCH', `/api/v1/organisations/${world.orgA.id}/users/${colleague.id}`, {
            token: world.tokens.org_admin,
            body: { active: false },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call('GET', '/api/v1/counselors', {
            token: world.tokens.counselor,
          })
        ).body.map((u: { id: string }) => u.id),
      ).not.toContain(colleague.id);
      expect(await refuse(colleague.id)).toBe('userId');
    });

    it('keeps the note given with a dropout or a withdrawn step in the history', async () => {
      const withdrawn = await call('DELETE', `/api/v1/trajectories/${a.trajectoryId}/steps/approach_set`, {
        token: world.tokens.counselor,
        body: { note: 'Per ongeluk gezet.' },
      });
      expect(withdrawn.status).toBe(200);
      // Without a body it works too.
      expect(
        (
          await call('DELETE', `/api/v1/trajectories/${a.trajectoryId}/steps/goal_known`, {
            token: world.tokens.counselor,
          })
        ).status,
      ).toBe(200);
      const dropout = await call('POST', `/api/v1/trajectories/${b.trajectoryId}/dropout`, {
        token: world.tokens.counselor,
        body: {
          date: today,
          reason: 'no_show',
          note: 'Drie keer niet gekomen.',
        },
      });
      expect(dropout.status).toBe(200);
      const notes = (await detail(a.id)).activity.map((x: { action: string; note: string | null }) => [
        x.action,
        x.note,
      ]);
      expect(notes).toEqual(
        expect.arrayContaining([
          ['step.withdraw', 'Per ongeluk gezet.'],
          ['step.withdraw', null],
        ]),
      );
      expect(
        (await detail(b.id)).activity.find((x: { action: string }) => x.action === 'trajectory.dropout'),
      ).toMatchObject({
        note: 'Drie keer niet gekomen.',
        actorName: 'aCounselor',
        details: { reason: 'no_show' },
      });
      expect(
        expectError(
          await call('DELETE', `/api/v1/trajectories/${c.trajectoryId}/steps/goal_known`, {
            token: world.tokens.counselor,
            body: { note: 'x'.repeat(1001) },
          }),
          400,
        ).details?.[0].field,
      ).toBe('note');
    });
  });
});
