import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, makeWorld, uploadCsv, World } from '../support/http';
import { caseloadJob, type CaseloadJob } from '../support/caseload-job';

const today = todayInAmsterdam();

/**
 * The caseload's unfiltered total is an organisation's kept number of trajectories (#26:
 * trajectory_counts, one row per statement that inserts or deletes trajectories, folded nightly),
 * not a count at every first page. It must always equal the count: after registrations, an import,
 * the nightly fold, a delete and a truncate; per organisation.
 */
describe('the caseload total kept by triggers (#26)', () => {
  let world: World;
  let owner: Client;
  let job: CaseloadJob;

  beforeAll(async () => {
    world = await makeWorld();
    owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    job = await caseloadJob();
  });
  afterAll(async () => {
    await owner.end();
    await job.close();
  });

  /** [trajectories counted, the kept number, its rows] of an organisation, read as the owner. */
  const facts = async (organisationId: string, db: Client = owner) =>
    (
      await db.query(
        `SELECT (SELECT count(*)::int FROM trajectories WHERE organisation_id = $1) AS counted,
                (SELECT coalesce(sum(n), 0)::int FROM trajectory_counts WHERE organisation_id = $1) AS kept,
                (SELECT count(*)::int FROM trajectory_counts WHERE organisation_id = $1) AS rows`,
        [organisationId],
      )
    ).rows[0] as { counted: number; kept: number; rows: number };
  const total = async (token: string, query = '') => {
    const r = await call('GET', `/api/v1/clients?pageSize=1${query}`, { token });
    expect(r.status).toBe(200);
    return r.body.total as number;
  };
  const register = (token: string) =>
    call('POST', '/api/v1/clients', {
      token,
      body: { clientRef: `TC-${randomUUID().slice(0, 8)}`, municipality: 'GM0344', firstContact: addDays(today, -3) },
    });

  it('registrations, an import and the nightly fold keep the total equal to the count, per organisation', async () => {
    const a = world.tokens.counselor;
    const startB = await facts(world.orgB.id);
    for (let i = 0; i < 3; i++) expect((await register(a)).status).toBe(201);
    let f = await facts(world.orgA.id);
    expect(f.kept).toBe(f.counted);
    expect(f.counted).toBeGreaterThanOrEqual(3);
    expect(await total(a)).toBe(f.counted);

    // An import of 4 new rows is one statement: one more row of the kept counts.
    const rowsBefore = f.rows;
    const csv = [
      'client_ref,municipality,first_contact',
      ...[0, 1, 2, 3].map((i) => `TCI-${randomUUID().slice(0, 6)}-${i},GM0344,${addDays(today, -20)}`),
    ].join('\n');
    const imported = await uploadCsv('/api/v1/imports/trajectories', world.tokens.org_admin, csv);
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(4);
    f = await facts(world.orgA.id);
    expect(f).toMatchObject({ kept: f.counted, rows: rowsBefore + 1 });
    expect(await total(a)).toBe(f.counted);
    // A filtered view is counted as before (3 registered today - 3 days, 4 imported: all open).
    expect(await total(a, '&status=open')).toBe(
      (
        await owner.query(
          `SELECT count(*)::int AS n FROM trajectories WHERE organisation_id = $1 AND status = 'open'`,
          [world.orgA.id],
        )
      ).rows[0].n,
    );
    // Organisation B's total did not move.
    expect(await facts(world.orgB.id)).toEqual(startB);
    expect(await total(world.tokens.orgBCounselor)).toBe(startB.counted);

    // The nightly caseload job folds A's rows into one; the total stays; a second run folds nothing.
    const run = () => job.run({ organisationId: world.orgA.id });
    expect((await run()).countsFolded).toBe(f.rows);
    expect(await facts(world.orgA.id)).toEqual({ counted: f.counted, kept: f.counted, rows: 1 });
    expect((await run()).countsFolded).toBe(0);
    expect(await total(a)).toBe(f.counted);
  });

  it('a delete and a truncate keep it right; a trajectory cannot move to another organisation', async () => {
    expect((await register(world.tokens.counselor)).status).toBe(201);
    const {
      rows: [t],
    } = await owner.query(`SELECT id FROM trajectories WHERE organisation_id = $1 ORDER BY created_at DESC LIMIT 1`, [
      world.orgA.id,
    ]);
    await expect(
      owner.query(`UPDATE trajectories SET organisation_id = $1 WHERE id = $2`, [world.orgB.id, t.id]),
    ).rejects.toThrow(/stays with its organisation/);
    // In a transaction that is rolled back: nothing of it stays for the other tests.
    await owner.query(`BEGIN; SET LOCAL lock_timeout = '10s'`);
    try {
      const before = await facts(world.orgA.id);
      await owner.query(`DELETE FROM trajectories WHERE id = $1`, [t.id]);
      expect(await facts(world.orgA.id)).toMatchObject({ counted: before.counted - 1, kept: before.counted - 1 });
      await owner.query(`TRUNCATE trajectories CASCADE`);
      expect(await facts(world.orgA.id)).toEqual({ counted: 0, kept: 0, rows: 0 });
      expect((await facts(world.orgB.id)).kept).toBe(0);
    } finally {
      await owner.query('ROLLBACK');
    }
    const after = await facts(world.orgA.id);
    expect(after.kept).toBe(after.counted);
  });
});
