import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Searching the caseload on part of a client reference. `client_ref ILIKE '%...%'` scanned every
 * client of the organisation, and under row-level security no index can help: ILIKE is not
 * leakproof, so PostgreSQL applies it only after the policy. A trigram index (pg_trgm) with a
 * SECURITY DEFINER function that states the tenant condition itself lets the search use the index
 * (50,000 clients: about 15 ms -> 1 ms). The function returns only ids of the caller's own
 * organisation; ROWS 50 tells the planner to start from the matches, not from the whole caseload.
 */
export class ClientSearch1764500000000 implements MigrationInterface {
  name = 'ClientSearch1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX ix_clients_ref_trgm ON clients USING gin (client_ref gin_trgm_ops)`);
    await q.query(`
      CREATE FUNCTION km_search_clients(p_pattern text) RETURNS SETOF uuid
      LANGUAGE sql STABLE SECURITY DEFINER ROWS 50 SET search_path = public, pg_temp AS
      $$ SELECT id FROM clients WHERE organisation_id = km_current_organisation_id() AND client_ref ILIKE p_pattern $$`);
    await q.query(`REVOKE ALL ON FUNCTION km_search_clients(text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION km_search_clients(text) TO klantmonitor_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION km_search_clients(text)`);
    await q.query(`DROP INDEX ix_clients_ref_trgm`);
    await q.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
