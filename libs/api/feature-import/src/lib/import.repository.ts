import { EntityManager } from 'typeorm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { type ImportRowError } from '@klantmonitor/shared/domain';
import { mergeStagedTrajectories } from '@klantmonitor/server/clients';
import { assignByActiveModel } from '@klantmonitor/server/segmentation';
import { copyText } from './copy-text';
import type { RowSpool } from './row-spool';

/**
 * The SQL of imports (docs/data-access.md "Imports"): staging tables filled by COPY, the checks only
 * the database can make, and the set-based merges into clients, trajectories, step events, intake
 * answers and assessments. These merges are the one place besides the owners' repositories that
 * writes those tables: a 50,000-row file is a few statements over a staging table, not 50,000 calls
 * of the owners' one-row methods, in the one transaction of the import (under the tenant's RLS).
 */

const BATCH = 1000;

/** Who imports: the audit entries and withdrawn steps name them. */
export interface ImportActor {
  id: string;
  role: string;
  requestId: string;
}

/** A staging table: its columns, their types, and how a validated row becomes a COPY line. */
export interface Staging<T> {
  table: string;
  columns: string;
  types: string[];
  toRow(rowNumber: number, value: T): unknown[];
}

/** The temporary staging table of one import (dropped at commit). */
export async function createStaging<T>(em: EntityManager, staging: Staging<T>): Promise<void> {
  await em.query(
    `CREATE TEMP TABLE ${staging.table} (${staging.columns
      .split(', ')
      .map((c, i) => `${c} ${staging.types[i]}`)
      .join(', ')}) ON COMMIT DROP`,
  );
}

/** The organisation's client types, for the templates' code list. */
export function clientTypes(em: EntityManager): Promise<{ code: string; name: string }[]> {
  return em.query('SELECT code, name FROM client_types ORDER BY name, code');
}

/** The caller's organisation's municipalities, code and name (for checks and for the templates' code list). */
export function servedMunicipalities(em: EntityManager): Promise<{ code: string; name: string }[]> {
  return em.query(
    `SELECT m.code, m.name FROM organisation_municipalities om JOIN municipalities m ON m.code = om.municipality_code
     WHERE om.organisation_id = km_current_organisation_id() ORDER BY m.name`,
  );
}

/**
 * Row problems of a staged file keyed by client and day: a client_ref that is not a client of the
 * organisation, and a second row for the same client and day (`duplicate` names the problem).
 */
export async function clientRefProblems(
  em: EntityManager,
  table: 'import_assessments' | 'import_intake',
  dateColumn: 'assessed_on' | 'answered_on',
  duplicate: (ref: string, date: string) => { code: string; message: string },
): Promise<ImportRowError[]> {
  const unknown: { row_number: number; client_ref: string }[] = await em.query(`
    SELECT s.row_number, s.client_ref FROM ${table} s
    WHERE NOT EXISTS (SELECT 1 FROM clients c WHERE c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref)
    ORDER BY s.row_number`);
  const twice: { row_number: number; client_ref: string; day: string }[] = await em.query(`
    SELECT s.row_number, s.client_ref, s.${dateColumn}::text AS day FROM ${table} s
    WHERE EXISTS (SELECT 1 FROM ${table} o WHERE o.client_ref = s.client_ref AND o.${dateColumn} = s.${dateColumn} AND o.row_number < s.row_number)
    ORDER BY s.row_number`);
  return [
    ...unknown.map((r) => ({
      row: r.row_number,
      column: 'client_ref',
      code: 'unknown_client',
      params: { ref: r.client_ref },
      message: `${r.client_ref} is not a client of your organisation`,
    })),
    ...twice.map((r) => ({
      row: r.row_number,
      column: dateColumn,
      params: { ref: r.client_ref, date: r.day },
      ...duplicate(r.client_ref, r.day),
    })),
  ].sort((a, b) => a.row - b.row);
}

/**
 * After a large import the planner's statistics are stale until autovacuum comes by; refresh them
 * now so the caseload keeps its index plans. Every table the import grows and a caseload page reads
 * is named (#26, session 22: `alerts` was not; the import raised 30,787 stalled alerts in a 50,000-row
 * file, the planner still took the table for nearly empty and joined a page's 50 rows against all of
 * its open alerts, 1.5 million comparisons: the first page cost PostgreSQL 100-180 ms until autovacuum
 * came by, against 1-1.5 ms after). Without the MAINTAIN privilege (PostgreSQL < 17) PostgreSQL skips
 * this with a warning.
 */
export async function analyzeIfLarge(em: EntityManager, rows: number, tables: string[]): Promise<void> {
  if (rows >= 1000) await em.query(`ANALYZE ${tables.join(', ')}`);
}

/**
 * Fills the staging table from the spool with COPY on the transaction's own connection (#14: it
 * replaced multi-row INSERTs; the staging is 0.45 s of a 50,000-row import).
 */
export async function copyIntoStaging<T>(em: EntityManager, staging: Staging<T>, spool: RowSpool): Promise<void> {
  // Always inside TenantDb.run: the transaction has a connection of its own.
  const client = (em.queryRunner as unknown as { databaseConnection: { query: (q: unknown) => unknown } })
    .databaseConnection;
  const lines = async function* () {
    for await (const batch of spool.batches(BATCH))
      yield batch.map((row) => `${row.map(copyText).join('\t')}\n`).join('');
  };
  const copy = client.query(copyFrom(`COPY ${staging.table} (${staging.columns}) FROM STDIN`)) as NodeJS.WritableStream;
  await pipeline(Readable.from(lines()), copy);
}

/**
 * Merges `import_trajectories` into clients, trajectories and step events: the SQL lives with the
 * tables' owner (server/clients trajectory-import.ts); here it is called with the import's actor.
 */
export async function mergeTrajectories(
  em: EntityManager,
  req: ImportActor,
  today: string,
): Promise<{ created: number; updated: number }> {
  const r = await mergeStagedTrajectories(em, req, today);
  // The stalled alerts markStalled raised are read by every caseload page (its open signals).
  await analyzeIfLarge(em, r.created + r.updated, ['clients', 'trajectories', 'step_events', 'alerts']);
  return r;
}

/** Merges `import_intake`: re-importing a client and day replaces the answers; the active model assigns types. */
export async function mergeIntakeAnswers(
  em: EntityManager,
  req: ImportActor,
): Promise<{ created: number; updated: number }> {
  const rows: { inserted: boolean }[] = await em.query(`
      INSERT INTO intake_answers (organisation_id, client_id, answered_on, answers, source)
      SELECT km_current_organisation_id(), c.id, s.answered_on, s.answers, 'import'
      FROM import_intake s
      JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref
      ON CONFLICT ON CONSTRAINT uq_intake_answers_client_day DO UPDATE SET answers = EXCLUDED.answers, source = 'import', updated_at = now()
      RETURNING (xmax = 0) AS inserted`);
  // With an active segmentation model, each set of answers gets the nearest segment's client type.
  const staged: { client_id: string; day: string; answers: Record<string, number> }[] = await em.query(`
      SELECT c.id AS client_id, s.answered_on::text AS day, s.answers FROM import_intake s
      JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref`);
  await assignByActiveModel(
    em,
    staged.map((r) => ({ clientId: r.client_id, day: r.day, answers: r.answers })),
  );
  await em.query(
    `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id)
       SELECT km_current_organisation_id(), $1, $2, 'intake.import', 'client', c.id::text, $3
       FROM (SELECT DISTINCT c.id FROM import_intake s JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref) c`,
    [req.id, req.role, req.requestId],
  );
  const created = rows.filter((r) => r.inserted).length;
  await analyzeIfLarge(em, rows.length, ['intake_answers']);
  return { created, updated: rows.length - created };
}

/** Merges `import_assessments` (new client type codes are added to the organisation's list). */
export async function mergeAssessments(
  em: EntityManager,
  req: ImportActor,
): Promise<{ created: number; updated: number }> {
  await em.query(`
      INSERT INTO client_types (organisation_id, code, name)
      SELECT DISTINCT km_current_organisation_id(), client_type, initcap(replace(client_type, '_', ' ')) FROM import_assessments
      ON CONFLICT ON CONSTRAINT uq_client_types_code DO NOTHING`);
  const rows: { inserted: boolean; client_id: string }[] = await em.query(`
      INSERT INTO assessments (organisation_id, client_id, assessed_on, client_type_id, source)
      SELECT km_current_organisation_id(), c.id, s.assessed_on, ct.id, 'import'
      FROM import_assessments s
      JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref
      JOIN client_types ct ON ct.organisation_id = km_current_organisation_id() AND ct.code = s.client_type
      ON CONFLICT ON CONSTRAINT uq_assessments_client_day DO UPDATE SET client_type_id = EXCLUDED.client_type_id, source = 'import'
      RETURNING (xmax = 0) AS inserted, client_id`);
  await em.query(
    `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id)
       SELECT km_current_organisation_id(), $1, $2, 'assessment.import', 'client', c.id::text, $3
       FROM (SELECT DISTINCT c.id FROM import_assessments s JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref) c`,
    [req.id, req.role, req.requestId],
  );
  const created = rows.filter((r) => r.inserted).length;
  await analyzeIfLarge(em, rows.length, ['assessments', 'client_types']);
  return { created, updated: rows.length - created };
}
