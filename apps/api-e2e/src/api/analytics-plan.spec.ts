import { Client } from 'pg';
import { FACTS_PARAMS, FACTS_SQL } from '@klantmonitor/server/analytics';

/**
 * The plan of the per-organisation facts statement (docs/analytics.md, "Why the recompute got 19
 * times slower"): its work must grow with the organisation's own rows, linearly. In #13 a NOT
 * EXISTS on `organisations` made the planner expect 1 trajectory and join the assessments and
 * support contacts per trajectory (a re-sorted inner side for every row: 3.6 s instead of 0.1 s per
 * organisation at national scale). Here: three organisations of 400 trajectories each, written,
 * analysed and planned inside one transaction that is rolled back (nothing stays behind for other
 * specs); the statement is run with EXPLAIN ANALYZE as the app role in one organisation's scope.
 *   - every plan node runs once (Actual Loops = 1): no per-row rescans;
 *   - trajectories are read twice (the facts and the support window), assessments and support
 *     contacts once each.
 */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Loops': number;
  'Actual Rows': number;
  Plans?: PlanNode[];
}

const walk = (n: PlanNode, out: PlanNode[] = []): PlanNode[] => {
  out.push(n);
  for (const c of n.Plans ?? []) walk(c, out);
  return out;
};

const PER_ORG = 400;

describe('analytics facts plan', () => {
  let owner: Client;

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
  });
  afterAll(() => owner.end());

  it('runs every node once and reads each table in one pass', async () => {
    await owner.query('BEGIN');
    try {
      const orgs: { id: string }[] = (
        await owner.query(
          `INSERT INTO organisations (name) SELECT 'Plan check ' || g || ' ' || gen_random_uuid() FROM generate_series(1, 3) g RETURNING id`,
        )
      ).rows;
      const ids = orgs.map((o) => o.id);
      await owner.query(
        `INSERT INTO client_types (organisation_id, code, name)
         SELECT o, t.code, t.code FROM unnest($1::uuid[]) o CROSS JOIN (VALUES ('zelfstandige'), ('kwetsbare')) t (code)`,
        [ids],
      );
      await owner.query(
        `CREATE TEMP TABLE plan_t ON COMMIT DROP AS
         SELECT o AS org, gen_random_uuid() AS client_id, gen_random_uuid() AS traj_id, g AS n,
                date '2025-01-01' + (g % 300) AS fc,
                (SELECT code FROM municipalities ORDER BY code OFFSET (g % 5) LIMIT 1) AS muni
         FROM unnest($1::uuid[]) o CROSS JOIN generate_series(1, $2) g`,
        [ids, PER_ORG],
      );
      await owner.query(
        `INSERT INTO clients (id, organisation_id, client_ref) SELECT client_id, org, 'P' || n FROM plan_t`,
      );
      await owner.query(
        `INSERT INTO trajectories (id, organisation_id, client_id, municipality_code, first_contact, status, effective_steps, current_step, last_activity_on,
                                   registered_on, first_meeting_due, first_meeting_alert_on)
         SELECT traj_id, org, client_id, muni, fc, 'open',
                jsonb_build_object('first_contact', fc, 'goal_known', fc + 10), 'goal_known', fc + 10, fc, fc + 28, fc + 27 FROM plan_t`,
      );
      await owner.query(
        `INSERT INTO assessments (organisation_id, client_id, assessed_on, client_type_id, source)
         SELECT p.org, p.client_id, p.fc + (p.n % 40), ct.id, 'import'
         FROM plan_t p JOIN client_types ct ON ct.organisation_id = p.org AND ct.code = CASE WHEN p.n % 2 = 0 THEN 'zelfstandige' ELSE 'kwetsbare' END`,
      );
      await owner.query(
        `INSERT INTO support_contacts (organisation_id, trajectory_id, occurred_on, type, minutes, channel)
         SELECT p.org, p.traj_id, p.fc + k * 20, 'administrative', 30, 'phone' FROM plan_t p CROSS JOIN generate_series(0, 2) k`,
      );
      await owner.query('ANALYZE trajectories, assessments, support_contacts, client_types, organisations, clients');

      await owner.query('SET LOCAL ROLE klantmonitor_app');
      await owner.query(
        `SELECT set_config('app.organisation_id', $1, true), set_config('app.platform_admin', 'off', true)`,
        [ids[1]],
      );
      const [{ 'QUERY PLAN': plan }] = (await owner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${FACTS_SQL}`, FACTS_PARAMS))
        .rows as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      const nodes = walk(plan[0].Plan);

      // The statement did its work: one fact per trajectory of this organisation (the insert's RETURNING rows).
      const insert = nodes.find((n) => n['Node Type'] === 'ModifyTable');
      expect(insert?.['Actual Rows']).toBe(PER_ORG);

      const rescanned = nodes
        .filter((n) => n['Actual Loops'] !== 1)
        .map((n) => `${n['Node Type']} x${n['Actual Loops']}`);
      expect(rescanned).toEqual([]);

      // Each of the organisation's tables is read once, in one pass (a hash join's build or probe side).
      const scans = nodes.filter((n) =>
        ['trajectories', 'assessments', 'support_contacts'].includes(n['Relation Name'] ?? ''),
      );
      expect(scans.map((n) => n['Relation Name']).sort()).toEqual([
        'assessments',
        'support_contacts',
        'trajectories',
        'trajectories',
      ]);
    } finally {
      await owner.query('ROLLBACK');
    }
  });
});
