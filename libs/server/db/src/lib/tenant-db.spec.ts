import type { DataSource } from 'typeorm';
import { TenantDb } from './tenant-db';

describe('TenantDb', () => {
  // The organisation id goes into SQL text (one round trip for BEGIN and the tenant): only a uuid may.
  it('refuses an organisation id that is not a uuid before touching the database', async () => {
    const createQueryRunner = jest.fn();
    const db = new TenantDb({ createQueryRunner } as unknown as DataSource);
    for (const organisationId of ["x', true); DROP TABLE clients; --", '', '123e4567-e89b-12d3-a456-42661417400']) {
      const run = db.run({ organisationId: organisationId || 'not-a-uuid' }, async () => 1);
      await expect(run).rejects.toThrow('organisationId is not a uuid');
    }
    expect(createQueryRunner).not.toHaveBeenCalled();
  });

  it('begins, sets the tenant and commits on one connection, and rolls back when the work fails', async () => {
    const sent: string[] = [];
    const qr = {
      connect: jest.fn(async () => undefined),
      release: jest.fn(async () => undefined),
      query: jest.fn(async (sql: string) => void sent.push(sql)),
      manager: { marker: 'em' },
    };
    const db = new TenantDb({ createQueryRunner: () => qr } as unknown as DataSource);
    const org = '123e4567-e89b-12d3-a456-426614174000';
    await expect(
      db.run({ organisationId: org }, async (em) => (em as unknown as { marker: string }).marker),
    ).resolves.toBe('em');
    expect(sent).toEqual([
      `START TRANSACTION; SELECT set_config('app.organisation_id', '${org}', true), set_config('app.platform_admin', 'off', true)`,
      'COMMIT',
    ]);
    sent.length = 0;
    await expect(
      db.run({ organisationId: null, platformAdmin: true }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(sent).toEqual([
      `START TRANSACTION; SELECT set_config('app.organisation_id', '', true), set_config('app.platform_admin', 'on', true)`,
      'ROLLBACK',
    ]);
    expect(qr.release).toHaveBeenCalledTimes(2);
  });

  describe('one-trip work (#26)', () => {
    const org = '123e4567-e89b-12d3-a456-426614174000';
    const sid = '223e4567-e89b-12d3-a456-426614174000';
    const uid = '323e4567-e89b-12d3-a456-426614174000';
    /** A query runner whose connection answers multi-statement texts with `answer(text)`. */
    const fake = (answer: (text: string) => { rows: Record<string, unknown>[] }[]) => {
      const sent: string[] = [];
      const client = {
        query: jest.fn(async (text: string) => {
          sent.push(text);
          const r = answer(text);
          return r.length === 1 ? r[0] : r;
        }),
      };
      const qr = {
        connect: jest.fn(async () => client),
        release: jest.fn(async () => undefined),
        query: jest.fn(async (sql: string) => void sent.push(sql)),
        manager: {},
      };
      return { sent, qr, db: new TenantDb({ createQueryRunner: () => qr } as unknown as DataSource) };
    };
    const session = () => ({ id: sid, userId: uid, checked: false, ended: () => new Error('session ended') });

    it('checks the session and runs the first statement with the BEGIN; the last one with the COMMIT', async () => {
      const { sent, db } = fake((text) =>
        text.startsWith('START')
          ? [{ rows: [] }, { rows: [{ open: true }] }, { rows: [{ id: 'T1' }] }]
          : text.startsWith('PREPARE')
            ? [{ rows: [] }]
            : [{ rows: [{ done: 1 }] }, { rows: [] }],
      );
      const s = session();
      const result = await db.run(
        { organisationId: org, session: s },
        async (_em, trip) => {
          expect(s.checked).toBe(true);
          expect(trip.first).toEqual([{ id: 'T1' }]);
          return trip.commitWith({ text: 'SELECT $1::uuid, $2', values: [org, "it's"] });
        },
        { first: { text: 'SELECT id FROM trajectories WHERE id = $1::uuid FOR UPDATE', values: [org] } },
      );
      expect(result).toEqual([{ done: 1 }]);
      expect(sent).toEqual([
        `START TRANSACTION; SELECT set_config('app.organisation_id', '${org}', true), set_config('app.platform_admin', 'off', true), km_auth_session_require('${sid}', '${uid}') AS open; SELECT id FROM trajectories WHERE id = '${org}'::uuid FOR UPDATE`,
        `SELECT '${org}'::uuid, 'it''s'; COMMIT`,
      ]); // no COMMIT of its own after commitWith
    });

    /** What PostgreSQL answers when km_auth_session_require finds the session closed. */
    const sessionEnded = () => Object.assign(new Error('session ended'), { code: 'KM401' });

    it('an ended session: the work never runs, the transaction is rolled back, ended() is thrown', async () => {
      const { sent, db } = fake(() => {
        throw sessionEnded();
      });
      const work = jest.fn(async () => 1);
      const s = { ...session(), ended: () => new Error('401 session_ended') };
      await expect(db.run({ organisationId: org, session: s }, work)).rejects.toThrow('401 session_ended');
      expect(work).not.toHaveBeenCalled();
      expect(s.checked).toBe(false);
      expect(sent.at(-1)).toBe('ROLLBACK');
    });

    it('once: the BEGIN, the session check, the statements and the COMMIT in one message; rows per statement', async () => {
      const { sent, db } = fake(() => [
        { rows: [] },
        { rows: [{ open: true }] },
        { rows: [] },
        { rows: [{ id: 'A' }, { id: 'B' }] },
        { rows: [] },
      ]);
      const s = session();
      const rows = await db.once({ organisationId: org, session: s }, [
        { text: 'SET LOCAL plan_cache_mode = force_generic_plan' },
        { text: 'SELECT id FROM t WHERE x = $1', values: ["o'k"] },
      ]);
      expect(rows).toEqual([[], [{ id: 'A' }, { id: 'B' }]]);
      expect(s.checked).toBe(true);
      expect(sent).toEqual([
        `START TRANSACTION; SELECT set_config('app.organisation_id', '${org}', true), set_config('app.platform_admin', 'off', true), km_auth_session_require('${sid}', '${uid}') AS open; SET LOCAL plan_cache_mode = force_generic_plan; SELECT id FROM t WHERE x = 'o''k'; COMMIT`,
      ]);
    });

    it('once: a closed session is ended() and rolled back; another error is rolled back and thrown', async () => {
      const ended = fake(() => {
        throw sessionEnded();
      });
      const s = { ...session(), ended: () => new Error('401 session_ended') };
      await expect(ended.db.once({ organisationId: org, session: s }, [{ text: 'SELECT 1' }])).rejects.toThrow(
        '401 session_ended',
      );
      expect(s.checked).toBe(false);
      expect(ended.sent.at(-1)).toBe('ROLLBACK');
      const failing = fake(() => {
        throw Object.assign(new Error('division by zero'), { code: '22012' });
      });
      await expect(failing.db.once({ organisationId: org }, [{ text: 'SELECT 1/0' }])).rejects.toThrow(
        'division by zero',
      );
      expect(failing.sent.at(-1)).toBe('ROLLBACK');
      await expect(failing.db.once({ organisationId: org }, [])).rejects.toThrow('no statements');
    });

    it('refuses session ids that are not uuids before touching the database', async () => {
      const { qr, db } = fake(() => []);
      const s = { ...session(), id: "x'), true; --" };
      await expect(db.run({ organisationId: org, session: s }, async () => 1)).rejects.toThrow('not uuids');
      expect(qr.connect).not.toHaveBeenCalled();
    });

    it('prepares a named statement once per connection and then executes it by name', async () => {
      const { sent, db } = fake((text) =>
        text.startsWith('START') ? [{ rows: [] }, { rows: [] }, { rows: [{ n: 1 }] }] : [{ rows: [] }],
      );
      const first = { text: 'SELECT $1::int AS n', values: [1], name: 'km_trip_test' };
      await db.run({ organisationId: org }, async (_em, trip) => trip.first, { first });
      await db.run({ organisationId: org }, async (_em, trip) => trip.first, { first });
      expect(sent.filter((t) => t.startsWith('PREPARE'))).toEqual(['PREPARE km_trip_test AS SELECT $1::int AS n']);
      expect(sent.filter((t) => t.startsWith('START')).map((t) => t.split('; ').at(-1))).toEqual([
        'EXECUTE km_trip_test(1)',
        'EXECUTE km_trip_test(1)',
      ]);
    });

    it('a failing last statement rolls back (its COMMIT never ran)', async () => {
      const { sent, db } = fake((text) => {
        if (text.startsWith('START')) return [{ rows: [] }, { rows: [] }];
        throw new Error('unique violation');
      });
      await expect(
        db.run({ organisationId: org }, async (_em, trip) => trip.commitWith({ text: 'SELECT 1' })),
      ).rejects.toThrow('unique violation');
      expect(sent.at(-1)).toBe('ROLLBACK');
    });
  });
});
