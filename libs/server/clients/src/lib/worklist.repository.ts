import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { FirstMeetingLine } from '@klantmonitor/shared/domain';

/** At most this many lines per list: the worklist is a day's work, not a report. */
export const WORKLIST_LIMIT = 50;
/** Days without a step after which an open, not stalled trajectory counts as quiet. */
export const QUIET_AFTER_DAYS = 30;
/** Answers of the last this many days count as new. */
export const NEW_RESPONSE_DAYS = 7;
/** Invitations that expire within this many days are about to expire. */
export const EXPIRING_WITHIN_DAYS = 3;

export interface WorklistScope {
  /** Only the trajectories of this counselor; null for the whole organisation. */
  counselorId: string | null;
  today: string;
}

/**
 * The scope as its own text, not `($1 IS NULL OR t.counselor_id = $1)`: with the OR the planner
 * could use no index on the counselor and read every trajectory of the organisation, six times a
 * worklist (#26, bench:steps: 106 ms p95 for a counselor with 200 waiting requests). $1 stays the
 * counselor (null for the team), so the parameters are the same for both texts.
 */
const scoped = (s: WorklistScope) => (s.counselorId ? 't.counselor_id = $1' : '$1::uuid IS NULL');

/**
 * The reads behind GET /worklist (one query per list, each ordered by urgency). The tables belong to
 * the counselor workflow and the questionnaires; this only reads them, scoped by RLS and, for "mine",
 * by the trajectory's counselor.
 */
@Injectable()
export class WorklistRepository {
  async alerts(em: EntityManager, s: WorklistScope) {
    return em.query(
      `SELECT c.id AS "clientId", c.client_ref AS "clientRef", coalesce(u.name, u.email) AS "counselorName", a.id AS "alertId", a.kind, a.raised_on::text AS "raisedOn", a.details
       FROM alerts a JOIN trajectories t ON t.id = a.trajectory_id JOIN clients c ON c.id = t.client_id
            LEFT JOIN users u ON u.id = t.counselor_id
       WHERE a.resolved_at IS NULL AND a.kind NOT IN ('stalled', 'first_meeting') AND ${scoped(s)}
       ORDER BY a.raised_on, c.client_ref LIMIT ${WORKLIST_LIMIT}`,
      [s.counselorId],
    ) as Promise<
      {
        clientId: string;
        clientRef: string;
        /** Whose client it is (the team list says so); null when nobody's. */
        counselorName: string | null;
        alertId: string;
        kind: string;
        raisedOn: string;
        details: unknown;
      }[]
    >;
  }

  async stalled(em: EntityManager, s: WorklistScope) {
    return em.query(
      `SELECT c.id AS "clientId", c.client_ref AS "clientRef", coalesce(u.name, u.email) AS "counselorName", t.stalled_since::text AS "stalledSince",
              t.last_activity_on::text AS "lastActivityOn", t.current_step AS "currentStep"
       FROM trajectories t JOIN clients c ON c.id = t.client_id
            LEFT JOIN users u ON u.id = t.counselor_id
       WHERE t.status = 'open' AND t.stalled_since IS NOT NULL AND ${scoped(s)}
       ORDER BY t.stalled_since, c.client_ref LIMIT ${WORKLIST_LIMIT}`,
      [s.counselorId],
    ) as Promise<
      {
        clientId: string;
        clientRef: string;
        /** Whose client it is (the team list says so); null when nobody's. */
        counselorName: string | null;
        stalledSince: string;
        lastActivityOn: string;
        currentStep: string;
      }[]
    >;
  }

  async newResponses(em: EntityManager, s: WorklistScope) {
    return em.query(
      `SELECT c.id AS "clientId", c.client_ref AS "clientRef", coalesce(u.name, u.email) AS "counselorName", r.responded_on::text AS "respondedOn", r.phase
       FROM responses r JOIN trajectories t ON t.id = r.trajectory_id JOIN clients c ON c.id = t.client_id
            LEFT JOIN users u ON u.id = t.counselor_id
       WHERE r.responded_on > $2::date - ${NEW_RESPONSE_DAYS} AND ${scoped(s)}
       ORDER BY r.responded_on DESC, c.client_ref LIMIT ${WORKLIST_LIMIT}`,
      [s.counselorId, s.today],
    ) as Promise<
      {
        clientId: string;
        clientRef: string;
        /** Whose client it is (the team list says so); null when nobody's. */
        counselorName: string | null;
        respondedOn: string;
        phase: string;
      }[]
    >;
  }

  async expiringInvitations(em: EntityManager, s: WorklistScope) {
    return em.query(
      `SELECT c.id AS "clientId", c.client_ref AS "clientRef", coalesce(u.name, u.email) AS "counselorName", i.id AS "invitationId", i.expires_on::text AS "expiresOn",
              i.channel, i.wave_kind AS "waveKind"
       FROM invitations i JOIN trajectories t ON t.id = i.trajectory_id JOIN clients c ON c.id = t.client_id
            LEFT JOIN users u ON u.id = t.counselor_id
       WHERE i.delivery_status = 'sent' AND i.completed_at IS NULL AND i.expired_at IS NULL
         AND i.expires_on BETWEEN $2::date AND $2::date + ${EXPIRING_WITHIN_DAYS}
         AND t.status = 'open' AND ${scoped(s)}
       ORDER BY i.expires_on, c.client_ref LIMIT ${WORKLIST_LIMIT}`,
      [s.counselorId, s.today],
    ) as Promise<
      {
        clientId: string;
        clientRef: string;
        /** Whose client it is (the team list says so); null when nobody's. */
        counselorName: string | null;
        invitationId: string;
        expiresOn: string;
        channel: string | null;
        waveKind: string;
      }[]
    >;
  }

  /**
   * Waiting requests (#26), the one due first first (overdue ones have the earliest due dates): the
   * partial index ix_trajectories_waiting holds exactly these rows in this order.
   */
  async firstMeetings(em: EntityManager, s: WorklistScope) {
    return em.query(
      `SELECT c.id AS "clientId", c.client_ref AS "clientRef", coalesce(u.name, u.email) AS "counselorName",
              t.registered_on::text AS "registeredOn", t.crisis, t.first_meeting_due::text AS "dueOn"
       FROM trajectories t JOIN clients c ON c.id = t.client_id
            LEFT JOIN users u ON u.id = t.counselor_id
       WHERE t.first_contact IS NULL AND t.status = 'open' AND ${scoped(s)}
       ORDER BY t.first_meeting_due, t.id LIMIT ${WORKLIST_LIMIT}`,
      [s.counselorId],
    ) as Promise<Omit<FirstMeetingLine, 'overdueDays'>[]>;
  }

  /** Open, not stalled, and the latest step reached more than QUIET_AFTER_DAYS days ago. */
  async quiet(em: EntityManager, s: WorklistScope) {
    return em.query(
      `SELECT c.id AS "clientId", c.client_ref AS "clientRef", coalesce(u.name, u.email) AS "counselorName", t.current_step AS "currentStep", q.last_step::text AS "lastStepOn",
              ($2::date - q.last_step) AS "days"
       FROM trajectories t JOIN clients c ON c.id = t.client_id
            LEFT JOIN users u ON u.id = t.counselor_id
       CROSS JOIN LATERAL (SELECT max(value::date) AS last_step FROM jsonb_each_text(t.effective_steps) WHERE value IS NOT NULL) q
       WHERE t.status = 'open' AND t.stalled_since IS NULL AND ${scoped(s)}
         AND q.last_step <= $2::date - ${QUIET_AFTER_DAYS}
       ORDER BY q.last_step, c.client_ref LIMIT ${WORKLIST_LIMIT}`,
      [s.counselorId, s.today],
    ) as Promise<
      {
        clientId: string;
        clientRef: string;
        /** Whose client it is (the team list says so); null when nobody's. */
        counselorName: string | null;
        currentStep: string;
        lastStepOn: string;
        days: number;
      }[]
    >;
  }
}
