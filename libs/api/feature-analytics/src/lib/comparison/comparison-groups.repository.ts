import type { EntityManager } from 'typeorm';

export interface ComparisonGroupRow {
  id: string;
  /** Null: a platform group (everyone sees it; part of the protected table). */
  organisation_id: string | null;
  name: string;
  municipalities: string[];
  updated_at: Date;
}

export interface SavedViewRow {
  id: string;
  name: string;
  query: string;
  created_at: Date;
}

/**
 * The SQL of comparison groups and saved views (sql/analytics/comparison-groups-v1.sql): row-level
 * security shows the platform's groups and the caller's organisation's; writes of platform groups
 * need the platform admin's scope. Saved views are the caller's own (user_id, within its organisation).
 */
export const comparisonRepository = {
  list(em: EntityManager): Promise<ComparisonGroupRow[]> {
    return em.query(
      `SELECT id, organisation_id, name, municipalities, updated_at FROM comparison_groups
       ORDER BY organisation_id IS NOT NULL, lower(name)`,
    );
  },

  async get(em: EntityManager, id: string): Promise<ComparisonGroupRow | null> {
    const [row]: ComparisonGroupRow[] = await em.query(
      'SELECT id, organisation_id, name, municipalities, updated_at FROM comparison_groups WHERE id = $1',
      [id],
    );
    return row ?? null;
  },

  async insert(
    em: EntityManager,
    g: { organisationId: string | null; name: string; municipalities: string[]; createdBy: string },
  ): Promise<ComparisonGroupRow> {
    const [row]: ComparisonGroupRow[] = await em.query(
      `INSERT INTO comparison_groups (organisation_id, name, municipalities, created_by) VALUES ($1, $2, $3, $4)
       RETURNING id, organisation_id, name, municipalities, updated_at`,
      [g.organisationId, g.name, g.municipalities, g.createdBy],
    );
    return row;
  },

  async update(
    em: EntityManager,
    id: string,
    g: { name: string; municipalities: string[] },
  ): Promise<ComparisonGroupRow | null> {
    // UPDATE ... RETURNING answers [rows, count] (TypeORM's postgres driver).
    const [[row]]: [ComparisonGroupRow[], number] = await em.query(
      `UPDATE comparison_groups SET name = $2, municipalities = $3, updated_at = now() WHERE id = $1
       RETURNING id, organisation_id, name, municipalities, updated_at`,
      [id, g.name, g.municipalities],
    );
    return row ?? null;
  },

  async remove(em: EntityManager, id: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await em.query('DELETE FROM comparison_groups WHERE id = $1', [id]);
    return count > 0;
  },

  /** Codes of the list that are no active municipality. */
  async unknownCodes(em: EntityManager, codes: string[]): Promise<string[]> {
    const rows: { code: string }[] = await em.query(
      `SELECT c AS code FROM unnest($1::text[]) c WHERE NOT EXISTS (SELECT 1 FROM municipalities m WHERE m.code = c AND m.active)`,
      [codes],
    );
    return rows.map((r) => r.code);
  },

  /** The municipalities the caller's organisation serves. */
  async servedCodes(em: EntityManager): Promise<string[]> {
    const rows: { code: string }[] = await em.query(
      `SELECT municipality_code AS code FROM organisation_municipalities WHERE organisation_id = km_current_organisation_id()`,
    );
    return rows.map((r) => r.code);
  },

  /** A platform group changed: the protected table's pattern is made again (settings version). */
  async bumpSettings(em: EntityManager): Promise<void> {
    await em.query('UPDATE analytics_state SET settings_version = settings_version + 1 WHERE id = 1');
  },

  views(em: EntityManager, userId: string): Promise<SavedViewRow[]> {
    return em.query('SELECT id, name, query, created_at FROM saved_views WHERE user_id = $1 ORDER BY lower(name)', [
      userId,
    ]);
  },

  async insertView(
    em: EntityManager,
    v: { organisationId: string; userId: string; name: string; query: string },
  ): Promise<SavedViewRow> {
    const [row]: SavedViewRow[] = await em.query(
      `INSERT INTO saved_views (organisation_id, user_id, name, query) VALUES ($1, $2, $3, $4)
       RETURNING id, name, query, created_at`,
      [v.organisationId, v.userId, v.name, v.query],
    );
    return row;
  },

  async removeView(em: EntityManager, userId: string, id: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await em.query('DELETE FROM saved_views WHERE id = $1 AND user_id = $2', [
      id,
      userId,
    ]);
    return count > 0;
  },
};
