import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Municipality } from '@klantmonitor/shared/domain';

export interface OrganisationRow {
  id: string;
  name: string;
  created_at: Date;
  deactivated_at: Date | null;
  municipalities: Municipality[];
}

/** The organisations table and the municipalities each serves (docs/data-access.md: their SQL lives here). */
@Injectable()
export class OrganisationsRepository {
  /** One organisation or (no id) all the caller may see under row-level security, by name. */
  list(em: EntityManager, id?: string): Promise<OrganisationRow[]> {
    return em.query(
      `SELECT o.id, o.name, o.created_at, o.deactivated_at,
              coalesce(json_agg(json_build_object('code', m.code, 'name', m.name) ORDER BY m.name)
                       FILTER (WHERE m.code IS NOT NULL), '[]') AS municipalities
       FROM organisations o
       LEFT JOIN organisation_municipalities om ON om.organisation_id = o.id
       LEFT JOIN municipalities m ON m.code = om.municipality_code
       WHERE ($1::uuid IS NULL OR o.id = $1::uuid)
       GROUP BY o.id ORDER BY o.name`,
      [id ?? null],
    );
  }

  /** The codes of `codes` that are not current CBS municipalities. */
  async unknownMunicipalities(em: EntityManager, codes: string[]): Promise<string[]> {
    const known: { code: string }[] = await em.query(
      'SELECT code FROM municipalities WHERE active AND code = ANY($1::text[])',
      [codes],
    );
    const knownCodes = new Set(known.map((k) => k.code));
    return codes.filter((c) => !knownCodes.has(c));
  }

  async create(em: EntityManager, name: string, municipalities: string[]): Promise<string> {
    const [{ id }]: { id: string }[] = await em.query('INSERT INTO organisations (name) VALUES ($1) RETURNING id', [
      name,
    ]);
    await this.addMunicipalities(em, id, municipalities);
    return id;
  }

  /** Renames and/or (de)activates; undefined leaves a field as it is. False when there is no such row. */
  async update(em: EntityManager, id: string, change: { name?: string; active?: boolean }): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `UPDATE organisations SET name = coalesce($2, name),
              deactivated_at = CASE WHEN $3::boolean IS NULL THEN deactivated_at
                                    WHEN $3 THEN NULL ELSE coalesce(deactivated_at, now()) END
       WHERE id = $1 RETURNING id`,
      [id, change.name ?? null, change.active ?? null],
    );
    return (rows[0] as unknown[]).length > 0;
  }

  /**
   * Of the municipalities the organisation would stop serving, those where it still has
   * trajectories: they cannot go (their clients would lose their municipality in every figure).
   */
  async municipalitiesInUse(em: EntityManager, id: string, keep: string[]): Promise<string[]> {
    const rows: { code: string }[] = await em.query(
      `SELECT DISTINCT t.municipality_code AS code FROM trajectories t
       WHERE t.organisation_id = $1 AND NOT (t.municipality_code = ANY($2::text[]))
       ORDER BY 1`,
      [id, keep],
    );
    return rows.map((r) => r.code);
  }

  /** Sets the municipalities served to exactly `codes`; returns what was added and removed. */
  async setMunicipalities(
    em: EntityManager,
    id: string,
    codes: string[],
  ): Promise<{ added: string[]; removed: string[] }> {
    const removed: { municipality_code: string }[] = await em
      .query(
        `DELETE FROM organisation_municipalities WHERE organisation_id = $1 AND NOT (municipality_code = ANY($2::text[]))
       RETURNING municipality_code`,
        [id, codes],
      )
      .then(([rows]: [{ municipality_code: string }[]]) => rows);
    const added = await this.addMunicipalities(em, id, codes);
    return { added, removed: removed.map((r) => r.municipality_code).sort() };
  }

  private async addMunicipalities(em: EntityManager, id: string, codes: string[]): Promise<string[]> {
    const rows: { municipality_code: string }[] = await em.query(
      `INSERT INTO organisation_municipalities (organisation_id, municipality_code)
       SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING municipality_code`,
      [id, codes],
    );
    return rows.map((r) => r.municipality_code).sort();
  }

  /** The active municipalities (CBS list), by name. */
  municipalities(db: Pick<EntityManager, 'query'>): Promise<{ code: string; name: string }[]> {
    return db.query('SELECT code, name FROM municipalities WHERE active ORDER BY name');
  }
}
