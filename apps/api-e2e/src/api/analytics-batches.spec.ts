import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { computeAnswer, computeBatch, dashboardQueries, planBatches } from '@klantmonitor/server/analytics';

/**
 * The answers computed ahead in batches (#27: one scan for several answers) are exactly the answers
 * of one question at a time. Facts of 600 synthetic trajectories (3 municipalities, 3 client types,
 * steps, dropouts, support minutes, answers with scores) are written and compared inside one
 * transaction that is rolled back, so no other spec sees them; every other fact in the database
 * counts the same on both sides.
 */
const AS_OF = '2026-06-30';

/** An answer with every number to 12 significant digits. */
const rounded = (a: unknown): unknown =>
  JSON.parse(JSON.stringify(a), (_k, v) =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
  );

describe('analytics answers in batches', () => {
  let owner: Client;
  const em = {
    query: async (sql: string, params?: unknown[]) => (await owner.query(sql, params)).rows,
  } as unknown as EntityManager;

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
  });
  afterAll(() => owner.end());

  it('gives every dashboard question the same answer as computing it alone', async () => {
    await owner.query('BEGIN');
    try {
      await owner.query('SELECT km_analytics_sync_items()');
      const {
        rows: [org],
      } = await owner.query(
        `INSERT INTO organisations (name) VALUES ('Batch check ' || gen_random_uuid()) RETURNING id`,
      );
      const munis: string[] = (await owner.query(`SELECT code FROM municipalities ORDER BY code LIMIT 3`)).rows.map(
        (r: { code: string }) => r.code,
      );
      // Deterministic spread: first contact over 18 months, each step a little later, some missing, 1 in 7 dropped.
      await owner.query(
        `INSERT INTO analytics_trajectories (trajectory_id, organisation_id, municipality_code, client_type, type_assessed_on, first_contact,
           eff_goal_known, eff_approach_set, eff_iu_in_view, eff_iu_in_balance, eff_settlement_ready, dropout_on,
           sup_administrative, sup_financial_coaching, sup_income_management, sup_legal, sup_psychosocial)
         SELECT gen_random_uuid(), $1, ($2::text[])[1 + g % 3], (ARRAY['zelfstandige', 'afhankelijke', 'kwetsbare'])[1 + (g / 3) % 3],
                fc + 5, fc, fc + 3 + g % 20, CASE WHEN g % 4 <> 0 THEN fc + 20 + g % 30 END, fc + 40 + g % 50,
                CASE WHEN g % 5 <> 0 THEN fc + 70 + g % 90 END, CASE WHEN g % 3 = 0 THEN fc + 160 + g % 120 END,
                CASE WHEN g % 7 = 0 THEN fc + 10 + g % 200 END,
                (g % 4) * 15, (g % 3) * 20, 0, (g % 5) * 10, (g % 2) * 30
         FROM generate_series(1, 600) g CROSS JOIN LATERAL (SELECT date '2025-01-01' + (g * 7) % 540 AS fc) d`,
        [org.id, munis],
      );
      await owner.query(
        `INSERT INTO analytics_responses (organisation_id, trajectory_id, municipality_code, client_type, type_assessed_on,
           first_contact, responded_on, phase, scores)
         SELECT f.organisation_id, f.trajectory_id, f.municipality_code, f.client_type, f.type_assessed_on, f.first_contact,
                f.first_contact + k * 30, km_analytics_phase(f.first_contact + k * 30, f.first_contact, f.eff_goal_known,
                  f.eff_approach_set, f.eff_iu_in_view, f.eff_iu_in_balance, f.eff_settlement_ready),
                (SELECT array_agg(CASE WHEN (i + k + length(f.municipality_code)) % 6 = 0 THEN NULL ELSE 1 + (i * 7 + k) % 5 END ORDER BY i)
                 FROM generate_series(1, (SELECT max(idx) FROM analytics_items)) i)::smallint[]
         FROM analytics_trajectories f CROSS JOIN generate_series(1, 3) k WHERE f.organisation_id = $1`,
        [org.id],
      );

      const restricted = dashboardQueries(AS_OF).map((q) => ({ ...q, municipalities: munis }));
      const queries = [
        ...dashboardQueries(AS_OF),
        ...restricted,
        ...restricted.map((q) => ({ ...q, cohortFrom: '2025-03-01', cohortTo: '2025-12-31' })),
      ];
      const batches = planBatches(queries);
      expect(batches.filter((b) => b.kind !== 'single').length).toBeGreaterThanOrEqual(3 * 5);
      let compared = 0;
      let withRows = 0;
      for (const b of batches) {
        if (b.kind === 'single') continue;
        const together = await computeBatch(em, b);
        for (const [i, q] of b.queries.entries()) {
          const alone = await computeAnswer(em, q);
          // The same figures; sums of fractions (case-mix `expected`) may add in another order, so
          // numbers are compared to 12 significant digits (1e-12 relative), the rest exactly.
          expect({ q, answer: rounded(together[i]) }).toEqual({ q, answer: rounded(alone) });
          compared++;
          if ((alone.rows as unknown[]).length > 0) withRows++;
        }
      }
      // 23 batched questions per set (5 experience, 10 attainment, 8 additive: waiting time too), three sets.
      expect(compared).toBe(69);
      expect(withRows).toBeGreaterThanOrEqual(50);
    } finally {
      await owner.query('ROLLBACK');
    }
  });
});
