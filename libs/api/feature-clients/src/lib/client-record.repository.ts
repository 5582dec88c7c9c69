import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { prepared } from '@klantmonitor/server/db';

/** Changes to a client's contact and intake fields: per field, whether it is set and to what. */
export interface ClientFieldChanges {
  emailEnc?: Buffer | null;
  phoneEnc?: Buffer | null;
  householdType?: string | null;
  incomeBand?: string | null;
  birthYearBand?: string | null;
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
