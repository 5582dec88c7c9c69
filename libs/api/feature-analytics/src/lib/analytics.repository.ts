import type { EntityManager } from 'typeorm';

/**
 * The SQL of the analytics api (docs/data-access.md): the data and settings versions
 * (`analytics_state`), the organisation's small-cell setting (`organisations.min_cell`, a column
 * this feature owns) and what a caller may name in a query. The figures themselves are read and
 * computed by `server/analytics` (facts, cells, stored answers).
 */
export const analyticsRepository = {
  /** The data version (stored answers) and the settings version (small cells): one tiny query. */
  async versions(db: Pick<EntityManager, 'query'>): Promise<{ version: number; settingsVersion: number }> {
    const [row]: { version: string; settings_version: string }[] = await db.query(
      'SELECT version, settings_version FROM analytics_state WHERE id = 1',
    );
    return { version: Number(row.version), settingsVersion: Number(row.settings_version) };
  },

  /** Every other organisation's strictest setting per municipality that takes part (definer function). */
  municipalityMinCells(em: EntityManager): Promise<{ municipality_code: string; min_cell: number | null }[]> {
    return em.query('SELECT municipality_code, min_cell FROM km_analytics_municipality_min_cells()');
  },

  /** Client type codes of every organisation (definer function: codes only). */
  async clientTypeCodes(em: EntityManager): Promise<string[]> {
    const rows: { code: string }[] = await em.query('SELECT code FROM km_analytics_client_types()');
    return rows.map((r) => r.code);
  },

  /** Item codes of every questionnaire template version. */
  async itemCodes(em: EntityManager): Promise<string[]> {
    const rows: { code: string }[] = await em.query(
      `SELECT DISTINCT i ->> 'code' AS code FROM questionnaire_templates, jsonb_array_elements(items) i`,
    );
    return rows.map((r) => r.code);
  },

  /** The tenant's own small-cell setting. */
  async ownMinCell(em: EntityManager): Promise<number | null> {
    const [row]: { min_cell: number }[] = await em.query(
      'SELECT min_cell FROM organisations WHERE id = km_current_organisation_id()',
    );
    return row?.min_cell ?? null;
  },

  /**
   * Sets the tenant's small-cell setting and returns the one it replaces; bumps the settings version
   * so every api instance reads the settings again.
   */
  async setOwnMinCell(em: EntityManager, minCell: number): Promise<number> {
    const [[row]]: [{ previous: number }[], number] = await em.query(
      `UPDATE organisations o SET min_cell = $1
       FROM (SELECT min_cell AS previous FROM organisations WHERE id = km_current_organisation_id()) p
       WHERE o.id = km_current_organisation_id() RETURNING p.previous`,
      [minCell],
    );
    await em.query('UPDATE analytics_state SET settings_version = settings_version + 1 WHERE id = 1');
    return row.previous;
  },
};
