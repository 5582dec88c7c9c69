import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { DataSource } from 'typeorm';
import { SecretBox } from '@klantmonitor/server/crypto';
import { alertsRepository } from '../alerts.repository';
import { DEMO_ORGANISATIONS } from './demo.seed';
import { prng, seedOrganisation } from './demo-clients.seed';

/** Organisations of the national comparison set: synthetic, never with sign-ins. */
export const COMPARISON_ORGANISATION_PREFIX = 'Vergelijkingsgroep ';
const REGIONS = [
  'Noord',
  'Oost',
  'Zuid',
  'West',
  'Midden',
  'Kust',
  'Rivierenland',
  'Heuvelland',
  'Polder',
  'Veluwe',
  'Delta',
  'Wadden',
];
const MUNICIPALITIES_EACH = 4;
const CLIENTS_EACH = 440;

/**
 * A national comparison set for the demo's benchmark page: 12 synthetic organisations over 48
 * municipalities (besides the demo's six), ~110 clients each, with paces and client mixes that
 * vary a little per municipality, so the funnel plot has a real cloud to compare with. No users:
 * nobody signs in as them; their figures are seen only as suppressed aggregates. Safe to run again.
 */
export async function seedComparisonSet(ds: DataSource, box: SecretBox, today = todayInAmsterdam()): Promise<number> {
  const taken = new Set<string>(DEMO_ORGANISATIONS.flatMap((o) => [...o.municipalities]));
  const all: { code: string }[] = await ds.query('SELECT code FROM municipalities WHERE active ORDER BY code');
  // Every 6th municipality (deterministic), skipping the demo's own.
  const pool = all.map((m) => m.code).filter((c, i) => i % 6 === 3 && !taken.has(c));
  let made = 0;
  for (const [k, region] of REGIONS.entries()) {
    const municipalities = pool.slice(k * MUNICIPALITIES_EACH, (k + 1) * MUNICIPALITIES_EACH);
    if (municipalities.length < MUNICIPALITIES_EACH) break;
    const name = `${COMPARISON_ORGANISATION_PREFIX}${region} (synthetisch)`;
    await ds.transaction(async (em) => {
      const [{ id }] = await em.query(
        `INSERT INTO organisations (name) VALUES ($1)
         ON CONFLICT ON CONSTRAINT uq_organisations_name DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [name],
      );
      const [{ n }] = await em.query('SELECT count(*)::int AS n FROM clients WHERE organisation_id = $1', [id]);
      if (n > 0) return; // seeded before
      await em.query(
        `INSERT INTO organisation_municipalities (organisation_id, municipality_code)
         SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [id, municipalities],
      );
      const rand = prng(7300 + k);
      // Pace 0.93..1.08 per municipality and a client mix around the study's: a realistic spread.
      const pace = Object.fromEntries(municipalities.map((m) => [m, 0.93 + 0.15 * rand()]));
      const zelfstandig = 0.37 + 0.06 * rand();
      const afhankelijk = 0.33 + 0.04 * rand();
      // Waits before the first meeting differ by municipality: 5 to 30 days on average (#26).
      const waitDays = Object.fromEntries(municipalities.map((m) => [m, 5 + 25 * rand()]));
      made += await seedOrganisation(em, id, 100 + k, `VG${String(k + 1).padStart(2, '0')}`, box, CLIENTS_EACH, today, {
        pace,
        waitDays,
        waiting: 12,
        typeShares: [zelfstandig, afhankelijk, 1 - zelfstandig - afhankelijk],
        seed: 880000 + k,
        withContacts: false,
      });
      await em.query(`SELECT set_config('app.organisation_id', $1, true)`, [id]);
      // The signals the nightly check would raise (stalled_since is set per row above, by the same rule).
      await alertsRepository.raiseStalled(em);
      await alertsRepository.raiseFirstMeeting(em, today);
    });
  }
  return made;
}

/**
 * Demo comparison groups (#24): one platform group everyone can compare with, made of the demo's
 * own municipalities and a few of the comparison set, and one own group of Schuldhulp Noord-Oost.
 * Safe to run again (the names are unique per owner).
 */
export async function seedDemoComparisonGroups(ds: DataSource): Promise<number> {
  const pool: { code: string }[] = await ds.query(
    `SELECT DISTINCT municipality_code AS code FROM organisation_municipalities ORDER BY 1 LIMIT 14`,
  );
  const platformMembers = [
    ...new Set([...DEMO_ORGANISATIONS.flatMap((o) => [...o.municipalities]), ...pool.map((p) => p.code)]),
  ].slice(0, 14);
  const made: unknown[] = await ds.query(
    `INSERT INTO comparison_groups (organisation_id, name, municipalities)
     SELECT NULL, 'Middelgrote gemeenten (voorbeeld)', $1::text[]
     UNION ALL
     SELECT o.id, 'Apeldoorn en Zwolle', ARRAY['GM0200', 'GM0193'] FROM organisations o WHERE o.name = 'Schuldhulp Noord-Oost'
     ON CONFLICT DO NOTHING RETURNING id`,
    [platformMembers.sort()],
  );
  return made.length;
}
