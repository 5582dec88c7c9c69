import type { EntityManager } from 'typeorm';

/**
 * Reference data the analytics name things with: municipality names (CBS, changed only by
 * migrations, so kept for the life of the process) and the caller's organisation's name and own
 * municipalities (under row-level security: the caller's organisation only).
 */
let names: Promise<Map<string, string>> | null = null;

export function municipalityNames(em: EntityManager): Promise<Map<string, string>> {
  names ??= em
    .query('SELECT code, name FROM municipalities')
    .then((rows: { code: string; name: string }[]) => new Map(rows.map((r) => [r.code, r.name])))
    .catch((e: unknown) => {
      names = null;
      throw e;
    });
  return names;
}

/** The current organisation (set in the transaction): its name and the municipalities it serves. */
export async function ownOrganisation(em: EntityManager): Promise<{ name: string; municipalities: string[] }> {
  const [row]: { name: string; municipalities: string[] | null }[] = await em.query(
    `SELECT o.name, array_agg(om.municipality_code ORDER BY om.municipality_code) FILTER (WHERE om.municipality_code IS NOT NULL) AS municipalities
     FROM organisations o LEFT JOIN organisation_municipalities om ON om.organisation_id = o.id
     WHERE o.id = km_current_organisation_id() GROUP BY o.name`,
  );
  return { name: row?.name ?? '', municipalities: row?.municipalities ?? [] };
}

/**
 * The current organisation's own names of its client types (code -> name): the benchmark speaks of
 * a type by the name the organisation gave it, as the caseload does (#25).
 */
export async function ownClientTypeNames(em: EntityManager): Promise<Record<string, string>> {
  const rows: { code: string; name: string }[] = await em.query(
    `SELECT code, name FROM client_types WHERE organisation_id = km_current_organisation_id() ORDER BY code`,
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.name]));
}
