import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type {
  CloseReason,
  CrisisKind,
  RecordSupportRequest,
  StepCode,
  TrajectoryStateResponse,
  TrajectoryStatus,
} from '@klantmonitor/shared/domain';
import { readTrajectoryFacts, type TrajectoryFacts } from './trajectory-state';
import { alertsRepository, namedStatement, prepared, type Statement, type Trip } from '@klantmonitor/server/db';

/** A trajectory as locked for a change. */
export interface LockedTrajectory {
  id: string;
  client_id: string;
  /** Null while the request waits for its first meeting. */
  first_contact: string | null;
  registered_on: string;
  status: TrajectoryStatus;
  dropout_on: string | null;
}

/** What km_step_mark stores in one call (sql/queues/enqueue-v1.sql). */
export interface StepMark {
  trajectoryId: string;
  step: StepCode;
  date: string;
  actorId: string;
  actorRole: string;
  clientId: string;
  requestId: string;
  details: Record<string, unknown>;
  /** Whether a standing event of this step is withdrawn first (a correction). */
  corrects: boolean;
  queue: string;
  job: string;
  jobId: string;
}

/** The two statements of a step mark (#26), prepared once per connection by TenantDb. */
const LOCK_WITH_FACTS =
  namedStatement(`SELECT t.id, t.client_id, t.first_contact, t.registered_on, t.status, t.dropout_on,
              (SELECT json_object_agg(e.step, e.occurred_on) FROM step_events e
                WHERE e.trajectory_id = t.id AND e.withdrawn_at IS NULL) AS recorded,
              (SELECT max(e.occurred_on) FROM step_events e WHERE e.trajectory_id = t.id AND e.withdrawn_at IS NULL) AS last_step,
              (SELECT max(s.occurred_on) FROM support_contacts s WHERE s.trajectory_id = t.id) AS last_support,
              t.xmin::text <> (SELECT s.xmin::text FROM trajectories s WHERE s.id = t.id) AS stale
       FROM trajectories t WHERE t.id = $1::uuid FOR UPDATE OF t`);
const MARK_WITH_STATE = namedStatement(`WITH t AS (
         UPDATE trajectories SET effective_steps = $13::jsonb, current_step = $14, last_activity_on = $15::date, stalled_since = $16::date, updated_at = now()
         WHERE id = $1::uuid
       )
       SELECT km_step_mark($1::uuid, $2, $3::date, $4::uuid, $5, $6::uuid, $7, $8::jsonb, $9, $10, $11, $12), km_alert_sync_stalled($1::uuid, $16::date, $15::date)`);

/**
 * The SQL of the counselor workflow's writes to trajectories, step events, services and support
 * contacts (docs/data-access.md). The derived state (effective steps, stalled) is stored by
 * trajectory-state.ts; the import merges its staged rows in api/feature-import (set-based).
 */
@Injectable()
export class TrajectoriesRepository {
  /** Locks the trajectory for this transaction; undefined when it is not the tenant's. */
  async lock(em: EntityManager, id: string): Promise<LockedTrajectory | undefined> {
    const [t] = await prepared<LockedTrajectory>(
      em,
      'SELECT id, client_id, first_contact, registered_on, status, dropout_on FROM trajectories WHERE id = $1 FOR UPDATE',
      [id],
    );
    return t;
  }

  /**
   * Locks the trajectory and reads the facts its derived state is made of, in one statement when
   * nobody else held the lock (#26: the lock and the read were two round trips of the busiest
   * write). Sent with the BEGIN (TenantDb.run's `first`); `lockedWithFacts` reads its answer. A
   * statement reads with the snapshot it started with: when it had to wait for a concurrent change
   * of the same trajectory, its facts are from before that change. The locked row is the newest
   * version, the subquery's is the snapshot's: when their xmin differ, the facts are read again now
   * (rare: only under contention on one trajectory).
   */
  lockWithFacts(id: string): Statement {
    return { ...LOCK_WITH_FACTS, values: [id] };
  }

  /** The locked trajectory and its facts from the answer of `lockWithFacts`; undefined when it is not the tenant's. */
  async lockedWithFacts(
    em: EntityManager,
    rows: Record<string, unknown>[],
  ): Promise<(LockedTrajectory & TrajectoryFacts) | undefined> {
    const [t] = rows as unknown as (LockedTrajectory & TrajectoryFacts & { stale: boolean })[];
    if (!t) return undefined;
    const { stale, ...row } = t;
    return stale ? { ...row, ...(await readTrajectoryFacts(em, row.id)) } : row;
  }

  /**
   * A step mark and the state it leads to, one statement sent with the COMMIT (`trip.commitWith`):
   * the withdrawal it corrects, the event, the planning request and the audit entry (km_step_mark),
   * the derived state and its stalled alert. The two parts touch different rows (the mark: events,
   * outbox, audit; the state: the trajectory and its alert), so they may run as one statement's
   * parts. Ends the transaction.
   */
  async markStepWithStateAndCommit(trip: Trip, m: StepMark, state: TrajectoryStateResponse): Promise<void> {
    await trip.commitWith({
      ...MARK_WITH_STATE,
      values: [
        m.trajectoryId,
        m.step,
        m.date,
        m.actorId,
        m.actorRole,
        m.clientId,
        m.requestId,
        JSON.stringify(m.details),
        m.corrects,
        m.queue,
        m.job,
        m.jobId,
        JSON.stringify(state.steps),
        state.currentStep,
        state.lastActivityOn,
        state.stalledSince,
      ],
    });
  }

  /**
   * The first meeting took place (or its date is corrected): first contact is a column of the
   * trajectory, not an event; the request's first-meeting alert is handled with it.
   */
  async markFirstContact(em: EntityManager, id: string, date: string): Promise<void> {
    // current_step follows in the same statement (a seen trajectory always has one; the state is derived after).
    await em.query(
      `UPDATE trajectories SET first_contact = $2, current_step = coalesce(current_step, 'first_contact'), updated_at = now() WHERE id = $1`,
      [id, date],
    );
    await alertsRepository.resolve(em, id, ['first_meeting']);
  }

  /** The request for help as recorded, and the dates it must not come after (the row is locked by the caller). */
  async registration(
    em: EntityManager,
    id: string,
  ): Promise<{ registered_on: string; crisis: CrisisKind | null; closed_on: string | null }> {
    const [r] = await em.query(`SELECT registered_on, crisis, closed_on FROM trajectories WHERE id = $1`, [id]);
    return r;
  }

  /**
   * The request for help as it should have been recorded (#26): its date, its crisis and the term
   * that follows (the caller computes it with the one term function). A waiting open request's
   * first-meeting alert follows the new alert day: the open one ends, and a new one (with the new
   * due date) is raised when that day has come; the daily check raises it otherwise.
   */
  async setRegistration(
    em: EntityManager,
    id: string,
    r: { registeredOn: string; crisis: CrisisKind | null; firstMeetingDue: string; firstMeetingAlertOn: string },
    waitingAndOpen: boolean,
    today: string,
  ): Promise<void> {
    await em.query(
      `UPDATE trajectories SET registered_on = $2, crisis = $3, first_meeting_due = $4, first_meeting_alert_on = $5, updated_at = now()
       WHERE id = $1`,
      [id, r.registeredOn, r.crisis, r.firstMeetingDue, r.firstMeetingAlertOn],
    );
    if (!waitingAndOpen) return;
    await alertsRepository.resolve(em, id, ['first_meeting']);
    if (r.firstMeetingAlertOn <= today)
      await alertsRepository.raise(em, id, 'first_meeting', r.firstMeetingAlertOn, {
        registeredOn: r.registeredOn,
        dueOn: r.firstMeetingDue,
        crisis: r.crisis,
      });
  }

  /** Withdraws the standing event of a step; its date, or null when none stands. */
  async withdrawStep(em: EntityManager, id: string, step: StepCode, by: string): Promise<string | null> {
    // TypeORM answers an UPDATE ... RETURNING with [rows, rowCount].
    const [[standing]]: [{ occurred_on: string }[], number] = await em.query(
      `UPDATE step_events SET withdrawn_at = now(), withdrawn_by = $3
       WHERE trajectory_id = $1 AND step = $2 AND withdrawn_at IS NULL RETURNING occurred_on`,
      [id, step, by],
    );
    return standing?.occurred_on ?? null;
  }

  /** Ends the trajectory with a dropout; its open signals are handled with it. */
  async dropout(em: EntityManager, id: string, date: string, reason: string): Promise<void> {
    await em.query(
      `UPDATE trajectories SET status = 'dropped_out', dropout_on = $2, dropout_reason = $3, updated_at = now() WHERE id = $1`,
      [id, date, reason],
    );
    await alertsRepository.resolve(em, id);
  }

  async startService(
    em: EntityManager,
    id: string,
    s: { kind: string; startedOn: string; endedOn: string | null },
  ): Promise<void> {
    await em.query(
      `INSERT INTO services (organisation_id, trajectory_id, kind, started_on, ended_on) VALUES (km_current_organisation_id(), $1, $2, $3, $4)`,
      [id, s.kind, s.startedOn, s.endedOn],
    );
  }

  /** A service of this trajectory, locked; undefined when there is none. */
  async lockService(
    em: EntityManager,
    id: string,
    serviceId: string,
  ): Promise<{ kind: string; started_on: string; ended_on: string | null } | undefined> {
    const [service] = await em.query(
      'SELECT kind, started_on, ended_on FROM services WHERE id = $1 AND trajectory_id = $2 FOR UPDATE',
      [serviceId, id],
    );
    return service;
  }

  async endService(em: EntityManager, serviceId: string, endedOn: string): Promise<void> {
    await em.query('UPDATE services SET ended_on = $2 WHERE id = $1', [serviceId, endedOn]);
  }

  /** Closes an open trajectory on `date`; its open signals are handled with it. */
  async close(em: EntityManager, id: string, date: string, reason: CloseReason): Promise<void> {
    await em.query(
      `UPDATE trajectories SET status = 'closed', closed_on = $2, closed_reason = $3, stalled_since = NULL, updated_at = now() WHERE id = $1`,
      [id, date, reason],
    );
    await alertsRepository.resolve(em, id);
  }

  /** Opens a closed trajectory again; the nightly check decides afresh whether it stands still. */
  async reopen(em: EntityManager, id: string): Promise<void> {
    await em.query(
      `UPDATE trajectories SET status = 'open', closed_on = NULL, closed_reason = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** A support contact; the note arrives sealed. */
  async addSupport(
    em: EntityManager,
    id: string,
    c: RecordSupportRequest,
    noteEnc: Buffer | null,
    recordedBy: string,
  ): Promise<void> {
    await em.query(
      `INSERT INTO support_contacts (organisation_id, trajectory_id, occurred_on, type, minutes, channel, note_enc, recorded_by)
       VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6, $7)`,
      [id, c.date, c.type, c.minutes, c.channel, noteEnc, recordedBy],
    );
  }
}
