import { EntityManager } from 'typeorm';
import { STALLED_AFTER_DAYS } from '@klantmonitor/shared/domain';
import { alertsRepository } from '@klantmonitor/server/db';
import { markStalled } from './stalled';

/*
 * The import's writes to the counselor workflow's tables (#26: one data-access home for clients and
 * trajectories). api/feature-import validates the file and stages it in the temporary table
 * `import_trajectories` (columns: see its ImportService); this merges the staged rows, set-based.
 */

/**
 * Merges `import_trajectories` into clients, trajectories and step events (idempotent by client_ref):
 * the file is the truth for the steps of its trajectories. Audits one entry per client.
 */
export async function mergeStagedTrajectories(
  em: EntityManager,
  req: { id: string; role: string; requestId: string },
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
  return { created: created as number, updated: n - (created as number) };
}
