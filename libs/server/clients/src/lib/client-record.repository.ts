import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { prepared } from '@klantmonitor/server/db';
import type {
  CloseReason,
  DropoutReason,
  HouseholdType,
  IncomeBand,
  StepCode,
  StepDates,
  TrajectoryStatus,
  CrisisKind,
} from '@klantmonitor/shared/domain';

/** Changes to a client's contact and intake fields: per field, whether it is set and to what. */
export interface ClientFieldChanges {
  emailEnc?: Buffer | null;
  phoneEnc?: Buffer | null;
  householdType?: string | null;
  incomeBand?: string | null;
  birthYearBand?: string | null;
}

/** A new client and its first trajectory, as ClientRecordRepository.create stores them. */
export interface NewClient {
  clientRef: string;
  emailEnc: Buffer | null;
  phoneEnc: Buffer | null;
  householdType: string | null;
  incomeBand: string | null;
  birthYearBand: string | null;
  municipality: string;
  registeredOn: string;
  crisis: string | null;
  firstMeetingDue: string;
  firstMeetingAlertOn: string;
  /** Null: the client waits for the first meeting. */
  firstContact: string | null;
  effectiveSteps: Record<string, string | null>;
  counselorId: string | null;
}

/** clients.* with the trajectory's state (the client page's head). */
export interface ClientHeadRow {
  id: string;
  client_ref: string;
  email_enc: Buffer | null;
  phone_enc: Buffer | null;
  contact_erased_at: Date | null;
  household_type: HouseholdType | null;
  income_band: IncomeBand | null;
  birth_year_band: string | null;
  created_at: Date;
  trajectory_id: string;
  municipality_code: string;
  municipality_name: string;
  registered_on: string;
  crisis: CrisisKind | null;
  first_meeting_due: string;
  first_contact: string | null;
  status: TrajectoryStatus;
  effective_steps: StepDates;
  current_step: StepCode | null;
  dropout_on: string | null;
  dropout_reason: DropoutReason | null;
  stalled_since: string | null;
  last_activity_on: string;
  closed_on: string | null;
  closed_reason: CloseReason | null;
}

export interface SummaryRow {
  open: number;
  stalled: number;
  dropped_out: number;
  reached: number;
  median_days: number | string | null;
  per_step: Record<string, number> | null;
}

/** Audit actions a client record's history shows (who did what, when); reads are not among them. */
export const ACTIVITY_ACTIONS = [
  'client.create',
  'client.update',
  'step.withdraw',
  'trajectory.dropout',
  'trajectory.close',
  'trajectory.reopen',
  'trajectory.reassign',
  'service.start',
  'service.end',
  'alert.resolve',
  'intake.form',
] as const;

/**
 * SQL of a client record beyond the caseload: edits of the clients row, reassignment, and the
 * authored reads of the client page (step events and support contacts with who recorded them, the
 * audit history). Colleagues' names come from users, read-only (docs/data-access.md).
 */
@Injectable()
export class ClientRecordRepository {
  /** Whether the tenant serves this municipality. */
  async serves(em: EntityManager, municipality: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'SELECT 1 FROM organisation_municipalities WHERE organisation_id = km_current_organisation_id() AND municipality_code = $1',
      [municipality],
    );
    return rows.length > 0;
  }

  /** A new client with its first trajectory (contact data sealed by the caller); ids of both. */
  async create(em: EntityManager, c: NewClient): Promise<{ clientId: string; trajectoryId: string }> {
    const [client]: { id: string }[] = await em.query(
      `INSERT INTO clients (organisation_id, client_ref, email_enc, phone_enc, household_type, income_band, birth_year_band)
       VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6) RETURNING id`,
      [c.clientRef, c.emailEnc, c.phoneEnc, c.householdType, c.incomeBand, c.birthYearBand],
    );
    const [trajectory]: { id: string }[] = await em.query(
      `INSERT INTO trajectories (organisation_id, client_id, municipality_code, counselor_id, first_contact, effective_steps, current_step,
                                 last_activity_on, registered_on, crisis, first_meeting_due, first_meeting_alert_on)
       VALUES (km_current_organisation_id(), $1, $2, $5, $3, $4, CASE WHEN $3::date IS NOT NULL THEN 'first_contact' END,
               coalesce($3::date, $6::date), $6, $7, $8, $9) RETURNING id`,
      [
        client.id,
        c.municipality,
        c.firstContact,
        JSON.stringify(c.effectiveSteps),
        c.counselorId,
        c.registeredOn,
        c.crisis,
        c.firstMeetingDue,
        c.firstMeetingAlertOn,
      ],
    );
    return { clientId: client.id, trajectoryId: trajectory.id };
  }

  /** The client row with its trajectory's state and municipality name: the head of the client page. */
  async head(em: EntityManager, clientId: string): Promise<ClientHeadRow | undefined> {
    const [row]: ClientHeadRow[] = await em.query(
      `SELECT c.*, t.id AS trajectory_id, t.municipality_code, m.name AS municipality_name, t.first_contact, t.status,
              t.registered_on, t.crisis, t.first_meeting_due,
              t.effective_steps, t.current_step, t.dropout_on, t.dropout_reason, t.stalled_since, t.last_activity_on,
              t.closed_on, t.closed_reason
       FROM clients c JOIN trajectories t ON t.client_id = c.id JOIN municipalities m ON m.code = t.municipality_code
       WHERE c.id = $1`,
      [clientId],
    );
    return row;
  }

  services(
    em: EntityManager,
    trajectoryId: string,
  ): Promise<{ id: string; kind: string; started_on: string; ended_on: string | null }[]> {
    return em.query(
      `SELECT id, kind, started_on, ended_on FROM services WHERE trajectory_id = $1 ORDER BY started_on`,
      [trajectoryId],
    );
  }

  assessments(
    em: EntityManager,
    clientId: string,
  ): Promise<{ assessed_on: string; source: string; code: string; name: string }[]> {
    return em.query(
      `SELECT a.assessed_on, a.source, ct.code, ct.name FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
       WHERE a.client_id = $1 ORDER BY a.assessed_on`,
      [clientId],
    );
  }

  /** Open clients per step, stalled, dropped out and the speed to "income and expenses in view"; one counselor's or all. */
  async summary(em: EntityManager, counselorId: string | null): Promise<SummaryRow> {
    const [row]: SummaryRow[] = await em.query(
      `SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE status = 'open' AND stalled_since IS NOT NULL)::int AS stalled,
              count(*) FILTER (WHERE status = 'dropped_out')::int AS dropped_out,
              count(*) FILTER (WHERE effective_steps->>'iu_in_view' IS NOT NULL)::int AS reached,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY (effective_steps->>'iu_in_view')::date - first_contact)
                FILTER (WHERE effective_steps->>'iu_in_view' IS NOT NULL) AS median_days,
              coalesce(json_object_agg(current_step, n) FILTER (WHERE current_step IS NOT NULL), '{}') AS per_step
       FROM (SELECT t.*, count(*) FILTER (WHERE t.status = 'open') OVER (PARTITION BY t.current_step) AS n
             FROM trajectories t WHERE ($1::uuid IS NULL OR t.counselor_id = $1)) x`,
      [counselorId],
    );
    return row;
  }

  /** One fixed statement: each field is changed only when its flag is set. False when the client is not the caller's. */
  async update(em: EntityManager, clientId: string, c: ClientFieldChanges): Promise<boolean> {
    const rows = await prepared<{ id: string }>(
      em,
      `UPDATE clients SET
         email_enc = CASE WHEN $2 THEN $3::bytea ELSE email_enc END,
         phone_enc = CASE WHEN $4 THEN $5::bytea ELSE phone_enc END,
         household_type = CASE WHEN $6 THEN $7::text ELSE household_type END,
         income_band = CASE WHEN $8 THEN $9::text ELSE income_band END,
         birth_year_band = CASE WHEN $10 THEN $11::text ELSE birth_year_band END
       WHERE id = $1 RETURNING id`,
      [
        clientId,
        c.emailEnc !== undefined,
        c.emailEnc ?? null,
        c.phoneEnc !== undefined,
        c.phoneEnc ?? null,
        c.householdType !== undefined,
        c.householdType ?? null,
        c.incomeBand !== undefined,
        c.incomeBand ?? null,
        c.birthYearBand !== undefined,
        c.birthYearBand ?? null,
      ],
    );
    return rows.length === 1;
  }

  /**
   * Hands the trajectory to `userId` when that is an active counselor the caller's organisation
   * has (RLS on users keeps other organisations' people out). Returns the previous counselor, or
   * `undefined` when the user does not qualify.
   */
  async assignCounselor(
    em: EntityManager,
    trajectoryId: string,
    userId: string,
  ): Promise<{ previous: string | null } | undefined> {
    const rows = await prepared<{ previous: string | null }>(
      em,
      `WITH target AS (
         SELECT u.id FROM users u WHERE u.id = $2 AND u.role = 'counselor' AND u.disabled_at IS NULL
       ), old AS (
         SELECT counselor_id FROM trajectories WHERE id = $1
       ), done AS (
         UPDATE trajectories t SET counselor_id = target.id, updated_at = now() FROM target WHERE t.id = $1 RETURNING t.id
       )
       SELECT (SELECT counselor_id FROM old) AS previous FROM done`,
      [trajectoryId, userId],
    );
    return rows[0];
  }

  stepEvents(em: EntityManager, trajectoryId: string) {
    return prepared<{
      id: string;
      step: string;
      occurred_on: string;
      source: 'manual' | 'import';
      recorded_at: Date;
      recorded_by: string | null;
      recorded_by_name: string | null;
      withdrawn_at: Date | null;
    }>(
      em,
      `SELECT e.id, e.step, e.occurred_on, e.source, e.recorded_at, e.recorded_by, coalesce(u.name, u.email) AS recorded_by_name, e.withdrawn_at
       FROM step_events e LEFT JOIN users u ON u.id = e.recorded_by
       WHERE e.trajectory_id = $1 ORDER BY e.occurred_on, e.recorded_at`,
      [trajectoryId],
    );
  }

  support(em: EntityManager, trajectoryId: string) {
    return prepared<{
      id: string;
      occurred_on: string;
      type: string;
      minutes: number;
      channel: string;
      note_enc: Buffer | null;
      created_at: Date;
      recorded_by_name: string | null;
    }>(
      em,
      `SELECT s.id, s.occurred_on, s.type, s.minutes, s.channel, s.note_enc, s.created_at, coalesce(u.name, u.email) AS recorded_by_name
       FROM support_contacts s LEFT JOIN users u ON u.id = s.recorded_by
       WHERE s.trajectory_id = $1 ORDER BY s.occurred_on, s.created_at`,
      [trajectoryId],
    );
  }

  /** The record's history from the audit log, newest first (at most 200 entries). */
  activity(em: EntityManager, clientId: string) {
    return prepared<{
      occurred_at: Date;
      action: string;
      actor_name: string | null;
      details: Record<string, unknown> | null;
    }>(
      em,
      `SELECT a.occurred_at, a.action, coalesce(u.name, u.email) AS actor_name, a.details
       FROM audit_events a LEFT JOIN users u ON u.id = a.actor_user_id
       WHERE a.entity_type = 'client' AND a.entity_id = $1 AND a.action = ANY($2::text[])
       ORDER BY a.occurred_at DESC LIMIT 200`,
      [clientId, ACTIVITY_ACTIONS],
    );
  }

  async counselor(em: EntityManager, trajectoryId: string): Promise<{ id: string; name: string } | null> {
    const [row] = await prepared<{ id: string; name: string }>(
      em,
      `SELECT u.id, coalesce(u.name, u.email) AS name FROM trajectories t JOIN users u ON u.id = t.counselor_id WHERE t.id = $1`,
      [trajectoryId],
    );
    return row ?? null;
  }
}
