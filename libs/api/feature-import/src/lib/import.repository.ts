import { EntityManager } from 'typeorm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { STALLED_AFTER_DAYS, type ImportRowError } from '@klantmonitor/shared/domain';
import { alertsRepository, markStalled } from '@klantmonitor/server/db';
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
 * now so the caseload keeps its index plans. Without the MAINTAIN privilege (PostgreSQL < 17)
 * PostgreSQL skips this with a warning.
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
 * Merges `import_trajectories` into clients, trajectories and step events (idempotent by client_ref):
 * the file is the truth for the steps of its trajectories. Audits one entry per client.
 */
export async function mergeTrajectories(
  em: EntityManager,
  req: ImportActor,
  today: string,
): Promise<{ created: number; updated: number }> {
  const [, created] = await em
    .query(
      `INSERT INTO clients (organisation_id, client_ref)
       SELECT km_current_organisation_id(), client_ref FROM import_trajectories
       ON CONFLICT ON CONSTRAINT uq_clients_ref DO NOTHING RETURNING id`,
    )
    .then((rows: unknown[]) => [rows, rows.length]);
  // One write per trajectory: status, last activity (the file's steps plus support already
  // recorded) and stalled follow the same rules as a manual change (shared constant, SQL form).
  // SET expressions see the old row, hence the repetition.
  await em.query(
    `INSERT INTO trajectories (organisation_id, client_id, municipality_code, first_contact, status, dropout_on, dropout_reason,
                                 effective_steps, current_step, last_activity_on, stalled_since,
                                 registered_on, crisis, first_meeting_due, first_meeting_alert_on)
       SELECT km_current_organisation_id(), c.id, s.municipality, s.first_contact,
              CASE WHEN s.dropout_on IS NULL THEN 'open' ELSE 'dropped_out' END, s.dropout_on, s.dropout_reason,
              s.effective_steps, s.current_step, s.last_step,
              CASE WHEN s.dropout_on IS NULL AND s.first_contact IS NOT NULL AND s.last_step < $1::date - $2::int THEN s.last_step + ($2::int + 1) END,
              s.registered_on, s.crisis, s.first_meeting_due, s.first_meeting_alert_on
       FROM import_trajectories s
       JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref
       ON CONFLICT ON CONSTRAINT uq_trajectories_client DO UPDATE SET
         municipality_code = EXCLUDED.municipality_code,
         first_contact = EXCLUDED.first_contact,
         registered_on = EXCLUDED.registered_on,
         crisis = EXCLUDED.crisis,
         first_meeting_due = EXCLUDED.first_meeting_due,
         first_meeting_alert_on = EXCLUDED.first_meeting_alert_on,
         status = CASE WHEN EXCLUDED.dropout_on IS NOT NULL THEN 'dropped_out' WHEN trajectories.status = 'closed' THEN 'closed' ELSE 'open' END,
         closed_on = CASE WHEN EXCLUDED.dropout_on IS NULL AND trajectories.status = 'closed' THEN trajectories.closed_on END,
         dropout_on = EXCLUDED.dropout_on,
         dropout_reason = EXCLUDED.dropout_reason,
         effective_steps = EXCLUDED.effective_steps,
         current_step = EXCLUDED.current_step,
         last_activity_on = greatest(EXCLUDED.last_activity_on, (SELECT max(sc.occurred_on) FROM support_contacts sc WHERE sc.trajectory_id = trajectories.id)),
         stalled_since = CASE WHEN EXCLUDED.first_contact IS NOT NULL AND CASE WHEN EXCLUDED.dropout_on IS NOT NULL THEN 'dropped_out' WHEN trajectories.status = 'closed' THEN 'closed' ELSE 'open' END = 'open' AND greatest(EXCLUDED.last_activity_on, (SELECT max(sc.occurred_on) FROM support_contacts sc WHERE sc.trajectory_id = trajectories.id)) < $1::date - $2::int
                              THEN greatest(EXCLUDED.last_activity_on, (SELECT max(sc.occurred_on) FROM support_contacts sc WHERE sc.trajectory_id = trajectories.id)) + ($2::int + 1) END,
         updated_at = now()`,
    [today, STALLED_AFTER_DAYS],
  );
  await em.query(`
      CREATE TEMP TABLE import_map ON COMMIT DROP AS
      SELECT s.row_number, s.steps, c.id AS client_id, t.id AS trajectory_id
      FROM import_trajectories s
      JOIN clients c ON c.organisation_id = km_current_organisation_id() AND c.client_ref = s.client_ref
      JOIN trajectories t ON t.client_id = c.id`);
  await em.query(`CREATE INDEX ON import_map (trajectory_id)`);
  // The file is the truth for the steps of its trajectories: other standing steps are withdrawn
  // (kept in the history), new ones added with source 'import'.
  await em.query(`
      CREATE TEMP TABLE import_steps ON COMMIT DROP AS
      SELECT m.trajectory_id, kv.key AS step, kv.value::date AS occurred_on
      FROM import_map m, jsonb_each_text(m.steps) kv`);
  await em.query(
    `UPDATE step_events e SET withdrawn_at = now(), withdrawn_by = $1
       FROM import_map m
       WHERE e.trajectory_id = m.trajectory_id AND e.withdrawn_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM import_steps st WHERE st.trajectory_id = e.trajectory_id AND st.step = e.step AND st.occurred_on = e.occurred_on)`,
    [req.id],
  );
  await em.query(
    `INSERT INTO step_events (organisation_id, trajectory_id, step, occurred_on, source, recorded_by)
       SELECT km_current_organisation_id(), st.trajectory_id, st.step, st.occurred_on, 'import', $1
       FROM import_steps st
       WHERE NOT EXISTS (SELECT 1 FROM step_events e WHERE e.trajectory_id = st.trajectory_id AND e.step = st.step AND e.withdrawn_at IS NULL)`,
    [req.id],
  );
  const [{ ids }]: { ids: string[] | null }[] = await em.query(
    'SELECT array_agg(trajectory_id) AS ids FROM import_map',
  );
  await alertsRepository.resolveSettled(em, ids ?? []);
  await markStalled(em, today);
  await em.query(
    `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details)
       SELECT km_current_organisation_id(), $1, $2, 'client.import', 'client', m.client_id::text, $3, json_build_object('row', m.row_number)
       FROM import_map m`,
    [req.id, req.role, req.requestId],
  );
  const [{ n }] = await em.query('SELECT count(*)::int AS n FROM import_trajectories');
  await analyzeIfLarge(em, n, ['clients', 'trajectories', 'step_events']);
  return { created: created as number, updated: n - (created as number) };
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
