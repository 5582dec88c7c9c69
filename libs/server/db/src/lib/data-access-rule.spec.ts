import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Style rules 13-16 (docs/data-access.md "Owners"):
 * 1. services, controllers, processors and schedulers of the api, the worker and the server libs
 *    hold no SQL; they call their lib's repository (or a server lib's). A query call (`.query(`,
 *    `prepared(`) in such a file fails here with the file's name; the few allowed are listed with
 *    their reason.
 * 2. every table is written by its owner only (#26): a write (`INSERT INTO`, `UPDATE`, `DELETE
 *    FROM`) of a table in a TypeScript file outside the table's owners fails here with the table and
 *    the file; a written table that has no owner fails too. (SQL functions live in
 *    libs/server/db/sql, per area; the outbox is written by km_enqueue only, through enqueue().)
 */
const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const ALLOWED: Record<string, string> = {
  'libs/api/feature-platform/src/lib/health.service.ts': "the readiness probe's SELECT 1",
  'libs/worker/feature-analytics/src/lib/analytics.processor.ts':
    'calls of the analytics definer functions and ANALYZE around a recompute (server/analytics owns the tables)',
  'libs/worker/feature-accounts/src/lib/account-links.processor.ts':
    'calls of the account-link definer functions (sql/auth), the mails are its job',
  'libs/worker/feature-questionnaires/src/lib/outbox-relay.service.ts': "the outbox's prune function",
};

/** Table -> the directories (or files) that may write it, each with why when there is more than one. */
const OWNERS: Record<string, string[]> = {
  // The counselor workflow: one data-access home (#26).
  clients: ['libs/server/clients/'],
  trajectories: ['libs/server/clients/'],
  // Kept by triggers on trajectories; folded by the clients lib (sql/clients/trajectory-counts-v1.sql).
  trajectory_counts: ['libs/server/clients/'],
  step_events: ['libs/server/clients/'],
  services: ['libs/server/clients/'],
  support_contacts: ['libs/server/clients/'],
  // The audit log: appendAudit, AuditWriter (the group-committed entries of hot reads); set-based
  // writes (the clients lib's, an import's merge) add one row per client in the same statement.
  audit_events: [
    'libs/server/db/src/lib/audit-log.ts',
    'libs/server/db/src/lib/audit-writer.ts',
    'libs/server/clients/',
    'libs/api/feature-import/',
  ],
  alerts: ['libs/server/db/src/lib/alerts.repository.ts'],
  outbox: ['libs/server/queues/'],
  // Client types and assessments: segmentation's; the import merges an organisation's own file.
  assessments: ['libs/server/segmentation/', 'libs/api/feature-import/'],
  client_types: ['libs/server/segmentation/', 'libs/api/feature-segmentation/', 'libs/api/feature-import/'],
  intake_answers: ['libs/server/segmentation/', 'libs/api/feature-import/'],
  segmentation_runs: ['libs/api/feature-segmentation/', 'libs/worker/feature-segmentation/'],
  segmentation_models: ['libs/server/segmentation/'],
  segmentation_assignments: ['libs/worker/feature-segmentation/'],
  // Questionnaires.
  invitations: ['libs/server/questionnaires/'],
  invitation_tokens: ['libs/server/questionnaires/'],
  portal_tokens: ['libs/server/questionnaires/'],
  responses: ['libs/server/questionnaires/'],
  spaartegoed_entries: ['libs/server/questionnaires/'],
  questionnaire_schedules: ['libs/server/questionnaires/'],
  questionnaire_templates: ['libs/server/questionnaires/'],
  // Analytics: the facts and answers; the api bumps the settings version with a setting it changes.
  analytics_trajectories: ['libs/server/analytics/'],
  analytics_requests: ['libs/server/analytics/'],
  analytics_responses: ['libs/server/analytics/'],
  analytics_recomputes: ['libs/server/analytics/'],
  analytics_results: ['libs/server/analytics/'],
  analytics_protected: ['libs/server/analytics/'],
  analytics_state: ['libs/server/analytics/', 'libs/api/feature-analytics/'],
  comparison_groups: ['libs/api/feature-analytics/'],
  saved_views: ['libs/api/feature-analytics/'],
  // Organisations and accounts; an organisation's small-cell setting is the analytics settings'.
  organisations: ['libs/api/feature-organisations/', 'libs/api/feature-analytics/'],
  organisation_municipalities: ['libs/api/feature-organisations/'],
  organisation_sso: ['libs/api/feature-organisations/'],
  organisation_sso_domains: ['libs/api/feature-organisations/'],
  platform_settings: ['libs/api/feature-organisations/'],
  users: ['libs/api/feature-organisations/'],
  // A linked identity: made at the first sign-in (auth), removed by the admin (organisations).
  sso_identities: ['libs/api/feature-auth/', 'libs/api/feature-organisations/'],
};
/** The demo and the first platform admin are seeded through the tables themselves (migrate --demo). */
const SEEDS = 'libs/server/db/src/lib/seeds/';
const WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)/gi;
/** Words after UPDATE that are no table: `DO UPDATE SET`, `FOR UPDATE OF t`, prose. */
const NOT_TABLES = new Set(['set', 'of', 'skip', 'nowait', 'the', 'a', 'it', 'its', 'one', 'every', 'to', 'and', 'or']);

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)],
  );
const QUERY = /\.query\s*[(<]|\bprepared\s*[(<]/;

/** Every table a source text writes. */
export function writtenTables(text: string): string[] {
  return [...text.matchAll(WRITE)].map((m) => m[1].toLowerCase()).filter((t) => !NOT_TABLES.has(t));
}

describe('where SQL lives (rules 13-16)', () => {
  const sources = ['api', 'worker', 'server']
    .flatMap((side) => walk(join(ROOT, 'libs', side)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.includes('/migrations/'))
    .map((f) => relative(ROOT, f));

  it('no service, controller, processor or scheduler of the api, the worker or a server lib runs a query itself', () => {
    const files = sources.filter((f) => /\.(service|controller|processor|scheduler)\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(25);
    expect(files.some((f) => f.endsWith('.scheduler.ts'))).toBe(true);
    const offenders = files.filter((f) => !(f in ALLOWED) && QUERY.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('lists no allowed file that has become clean (the list shrinks with the code)', () => {
    const stale = Object.keys(ALLOWED).filter((f) => !QUERY.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(stale).toEqual([]);
  });

  it('writes every table from its owner only, and every written table has an owner', () => {
    const outside: string[] = [];
    const seen = new Set<string>();
    for (const f of sources) {
      for (const table of writtenTables(readFileSync(join(ROOT, f), 'utf8'))) {
        seen.add(table);
        if (f.startsWith(SEEDS)) continue;
        const owners = OWNERS[table];
        if (!owners) outside.push(`${table}: no owner (written in ${f})`);
        else if (!owners.some((o) => f.startsWith(o)))
          outside.push(`${table}: written in ${f}, owned by ${owners.join(', ')}`);
      }
    }
    expect(outside).toEqual([]);
    // The scan finds the writes it is about (a regex that matched nothing would pass everything).
    for (const t of ['trajectories', 'step_events', 'clients', 'invitations', 'analytics_trajectories'])
      expect(seen.has(t)).toBe(true);
  });

  it('finds a write outside its owner (the rule can fail)', () => {
    expect(writtenTables('await em.query(`UPDATE trajectories SET status = $1`)')).toEqual(['trajectories']);
    expect(writtenTables('INSERT INTO outbox (queue) VALUES ($1)')).toEqual(['outbox']);
    expect(writtenTables('ON CONFLICT (id) DO UPDATE SET x = 1; SELECT 1 FROM t FOR UPDATE OF t')).toEqual([]);
    expect(writtenTables('DELETE FROM analytics_requests WHERE true')).toEqual(['analytics_requests']);
  });
});
