import type { EntityManager } from 'typeorm';

/**
 * The organisations a nightly job walks one by one (in a platform-admin transaction): all of them,
 * or only the active ones. Written here once for the caseload, analytics and planning workers.
 */
export async function organisationIds(em: EntityManager, only: 'all' | 'active' = 'all'): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    only === 'active'
      ? 'SELECT id FROM organisations WHERE deactivated_at IS NULL ORDER BY id'
      : 'SELECT id FROM organisations ORDER BY id',
  );
  return rows.map((r) => r.id);
}
