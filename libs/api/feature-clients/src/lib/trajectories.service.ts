import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  isStepCode,
  STEP_CODES,
  type StepCode,
  type TrajectoryStateResponse,
  type TrajectoryStatus,
  todayInAmsterdam,
} from '@klantmonitor/shared/domain';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { alertsRepository, appendAudit, prepared, TenantDb } from '@klantmonitor/server/db';
import { JOBS, QUEUES } from '@klantmonitor/server/queues';
import { randomUUID } from 'node:crypto';
import {
  AssignCounselorDto,
  CloseTrajectoryDto,
  EndServiceDto,
  MarkStepDto,
  RecordDropoutDto,
  RecordSupportDto,
  StartServiceDto,
} from './dto/clients.dto';
import { SecretBox } from '@klantmonitor/server/crypto';
import { ClientRecordRepository } from './client-record.repository';
import { CONTACT_BOX } from './contact-box';
import { TrajectoriesRepository } from './trajectories.repository';
import { readTrajectoryFacts, refreshTrajectory, storeTrajectoryState } from './trajectory-state';

interface Locked {
  id: string;
  client_id: string;
  first_contact: string;
  status: TrajectoryStatus;
  dropout_on: string | null;
}

/** Step updates, corrections, dropout and support: each one transaction, audited, then re-derived. */
@Injectable()
export class TrajectoriesService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: TrajectoriesRepository,
    private readonly record: ClientRecordRepository,
    @Inject(CONTACT_BOX) private readonly box: SecretBox,
  ) {}

  /**
   * The busiest write of the product, so in few round trips: lock the trajectory, read its standing
   * events (after the lock, so they are current), then one call for the event (and the withdrawal of
   * the one it corrects), the planning request (outbox) and the audit entry, and one statement for the
   * derived state.
   */
  markStep(user: AuthUser, id: string, dto: MarkStepDto, requestId: string): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const t = await this.lock(em, id);
      this.assertDate('date', dto.date, t, today);
      this.assertOpen(t);
      const facts = await readTrajectoryFacts(em, id);
      const standing = facts.recorded?.[dto.step] ?? null;
      if (standing === dto.date) return storeTrajectoryState(em, id, facts, today); // the same mark twice changes nothing
      assertStepOrder(dto.step, dto.date, facts.recorded ?? {});
      // Withdrawing a standing event (a correction), the new event, the planning request and the
      // audit entry: one call (sql/clients/step-mark-v1.sql).
      const details = {
        trajectoryId: id,
        step: dto.step,
        date: dto.date,
        ...(standing ? { previousDate: standing } : {}),
      };
      await prepared(em, 'SELECT km_step_mark($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', [
        id,
        dto.step,
        dto.date,
        user.id,
        user.role,
        t.client_id,
        requestId,
        JSON.stringify(details),
        standing !== null,
        QUEUES.questionnaires,
        JOBS.planInvitations,
        `plan-${randomUUID()}`,
      ]);
      const recorded = { ...(facts.recorded ?? {}), [dto.step]: dto.date };
      const lastStep = Object.values(recorded).sort().at(-1) ?? null;
      return storeTrajectoryState(em, id, { ...facts, recorded, last_step: lastStep }, today);
    });
  }

  withdrawStep(
    user: AuthUser,
    id: string,
    step: string,
    requestId: string,
    note?: string,
  ): Promise<TrajectoryStateResponse> {
    if (!isStepCode(step)) throw fieldError('step', 'is not a step code');
    if (step === 'first_contact')
      throw fieldError('step', 'first_contact cannot be withdrawn; it starts the trajectory');
    return this.change(
      user,
      id,
      async (em) => {
        // TypeORM answers an UPDATE ... RETURNING with [rows, rowCount].
        const [[standing]] = await em.query(
          `UPDATE step_events SET withdrawn_at = now(), withdrawn_by = $3
         WHERE trajectory_id = $1 AND step = $2 AND withdrawn_at IS NULL RETURNING occurred_on`,
          [id, step as StepCode, user.id],
        );
        if (!standing) throw new NotFoundException(`Step ${step} is not recorded for this trajectory`);
        return { action: 'step.withdraw', details: { step, date: standing.occurred_on, ...this.sealedNote(note) } };
      },
      requestId,
    );
  }

  recordDropout(
    user: AuthUser,
    id: string,
    dto: RecordDropoutDto,
    requestId: string,
  ): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    return this.change(
      user,
      id,
      async (em, t) => {
        this.assertDate('date', dto.date, t, today);
        this.assertOpen(t);
        await em.query(
          `UPDATE trajectories SET status = 'dropped_out', dropout_on = $2, dropout_reason = $3, updated_at = now() WHERE id = $1`,
          [id, dto.date, dto.reason],
        );
        await alertsRepository.resolve(em, id);
        return {
          action: 'trajectory.dropout',
          details: { date: dto.date, reason: dto.reason, ...this.sealedNote(dto.note) },
        };
      },
      requestId,
      today,
    );
  }

  /**
   * Closes an open trajectory (the stabilisation phase ended): no more invitations, its open signals
   * handled. Not before the last recorded step: the close would come before what it closes.
   */
  close(user: AuthUser, id: string, dto: CloseTrajectoryDto, requestId: string): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    return this.change(
      user,
      id,
      async (em, t) => {
        this.assertDate('date', dto.date, t, today);
        this.assertOpen(t);
        const facts = await readTrajectoryFacts(em, id);
        if (facts.last_step && dto.date < facts.last_step)
          throw fieldError('date', `must not be before the last step (${facts.last_step})`);
        await this.repo.close(em, id, dto.date, dto.reason);
        return { action: 'trajectory.close', details: { date: dto.date, reason: dto.reason } };
      },
      requestId,
      today,
    );
  }

  /** Opens a closed trajectory again (closed by mistake, or the client came back). */
  reopen(user: AuthUser, id: string, requestId: string): Promise<TrajectoryStateResponse> {
    return this.change(
      user,
      id,
      async (em, t) => {
        if (t.status !== 'closed')
          throw new ConflictException({
            message: `Only a closed trajectory can be reopened; this one is ${t.status}`,
            details: [{ field: 'status', message: t.status }],
          });
        await this.repo.reopen(em, id);
        return { action: 'trajectory.reopen', details: {} };
      },
      requestId,
    );
  }

  recordSupport(
    user: AuthUser,
    id: string,
    dto: RecordSupportDto,
    requestId: string,
  ): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    return this.change(
      user,
      id,
      async (em, t) => {
        this.assertDate('date', dto.date, t, today);
        this.assertOpen(t);
        await this.repo.addSupport(em, id, dto, dto.note ? this.box.seal(dto.note) : null, user.id);
        return {
          action: 'support.record',
          details: { date: dto.date, type: dto.type, minutes: dto.minutes, channel: dto.channel, note: !!dto.note },
        };
      },
      requestId,
      today,
    );
  }

  /** A service (budget management, protection, coaching) from a date, optionally until a date. */
  startService(user: AuthUser, id: string, dto: StartServiceDto, requestId: string): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    return this.change(
      user,
      id,
      async (em, t) => {
        this.assertDate('startedOn', dto.startedOn, t, today);
        if (dto.endedOn !== undefined && dto.endedOn < dto.startedOn)
          throw fieldError('endedOn', 'must not be before startedOn');
        this.assertOpen(t);
        await em.query(
          `INSERT INTO services (organisation_id, trajectory_id, kind, started_on, ended_on) VALUES (km_current_organisation_id(), $1, $2, $3, $4)`,
          [id, dto.kind, dto.startedOn, dto.endedOn ?? null],
        );
        return {
          action: 'service.start',
          details: { kind: dto.kind, startedOn: dto.startedOn, endedOn: dto.endedOn ?? null },
        };
      },
      requestId,
      today,
    );
  }

  endService(
    user: AuthUser,
    id: string,
    serviceId: string,
    dto: EndServiceDto,
    requestId: string,
  ): Promise<TrajectoryStateResponse> {
    return this.change(
      user,
      id,
      async (em) => {
        const [service] = await em.query(
          'SELECT kind, started_on, ended_on FROM services WHERE id = $1 AND trajectory_id = $2 FOR UPDATE',
          [serviceId, id],
        );
        if (!service) throw new NotFoundException('Service not found');
        if (dto.endedOn < service.started_on)
          throw fieldError('endedOn', `must not be before the start (${service.started_on})`);
        await em.query('UPDATE services SET ended_on = $2 WHERE id = $1', [serviceId, dto.endedOn]);
        return {
          action: 'service.end',
          details: { serviceId, kind: service.kind, endedOn: dto.endedOn, previous: service.ended_on },
        };
      },
      requestId,
    );
  }

  /** Hands the trajectory to a colleague: an active counselor of the same organisation (else 400 naming userId). */
  assignCounselor(
    user: AuthUser,
    id: string,
    dto: AssignCounselorDto,
    requestId: string,
  ): Promise<TrajectoryStateResponse> {
    return this.change(
      user,
      id,
      async (em) => {
        const done = await this.record.assignCounselor(em, id, dto.userId);
        if (!done) throw fieldError('userId', 'is not an active counselor of your organisation');
        return { action: 'trajectory.reassign', details: { from: done.previous, to: dto.userId } };
      },
      requestId,
    );
  }

  /** A note given with a change, sealed for the audit log (it may say anything about a person). */
  private sealedNote(note: string | undefined): { noteEnc?: string } {
    return note ? { noteEnc: this.box.seal(note).toString('base64') } : {};
  }

  /** Locks the trajectory (404 when it is not the caller's), applies the change, audits, re-derives. */
  private change(
    user: AuthUser,
    id: string,
    apply: (em: EntityManager, t: Locked) => Promise<{ action: string; details: Record<string, unknown> } | null>,
    requestId: string,
    today = todayInAmsterdam(),
  ): Promise<TrajectoryStateResponse> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const t = await this.lock(em, id);
      const change = await apply(em, t);
      if (change) {
        await appendAudit(em, {
          organisationId: user.organisationId,
          actorUserId: user.id,
          actorRole: user.role,
          action: change.action,
          entityType: 'client',
          entityId: t.client_id,
          requestId,
          details: { trajectoryId: id, ...change.details },
        });
      }
      return refreshTrajectory(em, id, today);
    });
  }

  /** Locks the trajectory for this transaction; 404 when it is not the caller's organisation's. */
  private async lock(em: EntityManager, id: string): Promise<Locked> {
    const [t] = await prepared<Locked>(
      em,
      'SELECT id, client_id, first_contact, status, dropout_on FROM trajectories WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!t) throw new NotFoundException('Trajectory not found');
    return t;
  }

  private assertDate(field: string, date: string, t: Locked, today: string): void {
    if (date > today) throw fieldError(field, 'must not be in the future');
    if (date < t.first_contact) throw fieldError(field, `must not be before the first contact (${t.first_contact})`);
  }

  private assertOpen(t: Locked): void {
    if (t.status === 'dropped_out') {
      throw new ConflictException({
        message: `The trajectory ended with a dropout on ${t.dropout_on}`,
        details: [{ field: 'status', message: 'dropped_out' }],
      });
    }
    if (t.status === 'closed')
      throw new ConflictException({
        message: 'The trajectory is closed',
        details: [{ field: 'status', message: 'closed' }],
      });
  }
}

/**
 * Steps keep their order: a date after a later step's recorded date, or before an earlier step's,
 * would silently move the other step's date (effective dates are a monotone closure). Refused with
 * the step and date that stand in the way, so the page can say why.
 */
export function assertStepOrder(
  step: StepCode,
  date: string,
  recorded: Partial<Record<StepCode, string | null>>,
): void {
  const at = STEP_CODES.indexOf(step);
  for (const other of STEP_CODES) {
    const d = recorded[other];
    if (!d || other === step) continue;
    const later = STEP_CODES.indexOf(other) > at;
    if ((later && d < date) || (!later && d > date))
      throw new BadRequestException({
        message: `date ${date} ${later ? 'is after' : 'is before'} ${other} (${d}); steps keep their order`,
        details: [{ field: 'date', message: later ? 'after_later_step' : 'before_earlier_step', step: other, date: d }],
      });
  }
}
