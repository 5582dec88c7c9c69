import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  firstMeetingDue,
  isStepCode,
  previousWorkingDay,
  STEP_CODES,
  type StepCode,
  type TrajectoryStateResponse,
  todayInAmsterdam,
} from '@klantmonitor/shared/domain';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { JOBS, QUEUES, requestPlanning } from '@klantmonitor/server/queues';
import { randomUUID } from 'node:crypto';
import {
  AssignCounselorDto,
  CloseTrajectoryDto,
  EndServiceDto,
  MarkStepDto,
  RecordDropoutDto,
  RecordSupportDto,
  RegistrationDto,
  StartServiceDto,
} from './dto/clients.dto';
import { SecretBox } from '@klantmonitor/server/crypto';
import { CONTACT_BOX } from './contact-box';
import {
  ClientRecordRepository,
  deriveTrajectoryState,
  readTrajectoryFacts,
  refreshTrajectory,
  storeTrajectoryState,
  TrajectoriesRepository,
  type LockedTrajectory,
} from '@klantmonitor/server/clients';

type Locked = LockedTrajectory;

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
   * The busiest write of the product, so in two round trips (#26): the session check, the lock of
   * the trajectory and the read of its standing events ride with the BEGIN; the new state is
   * derived here; one statement for the event (and the withdrawal of the one it corrects), the
   * planning request (outbox), the audit entry and the derived state rides with the COMMIT.
   */
  markStep(user: AuthUser, id: string, dto: MarkStepDto, requestId: string): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    const scope = { organisationId: user.organisationId, session: user.deferredSession };
    if (dto.step === 'first_contact') return this.markFirstContact(user, id, dto.date, requestId, today);
    return this.db.run(
      scope,
      async (em, trip) => {
        const facts = await this.repo.lockedWithFacts(em, trip.first);
        if (!facts) throw new NotFoundException('Trajectory not found');
        const t = facts;
        this.assertDate('date', dto.date, t, today);
        this.assertOpen(t);
        this.assertSeen(t);
        const standing = facts.recorded?.[dto.step] ?? null;
        if (standing === dto.date) return storeTrajectoryState(em, id, facts, today); // the same mark twice changes nothing
        assertStepOrder(dto.step, dto.date, facts.recorded ?? {});
        // Withdrawing a standing event (a correction), the new event, the planning request and the
        // audit entry: km_step_mark (sql/queues/enqueue-v1.sql), with the state in the same statement.
        const details = {
          trajectoryId: id,
          step: dto.step,
          date: dto.date,
          ...(standing ? { previousDate: standing } : {}),
        };
        const recorded = { ...(facts.recorded ?? {}), [dto.step]: dto.date };
        const lastStep = Object.values(recorded).sort().at(-1) ?? null;
        const state = deriveTrajectoryState(id, { ...facts, recorded, last_step: lastStep }, today);
        await this.repo.markStepWithStateAndCommit(
          trip,
          {
            trajectoryId: id,
            step: dto.step,
            date: dto.date,
            actorId: user.id,
            actorRole: user.role,
            clientId: t.client_id,
            requestId,
            details,
            corrects: standing !== null,
            queue: QUEUES.questionnaires,
            job: JOBS.planInvitations,
            jobId: `plan-${randomUUID()}`,
          },
          state,
        );
        return state;
      },
      { first: this.repo.lockWithFacts(id) },
    );
  }

  /**
   * The first meeting (#26): a waiting request becomes a trajectory that has started; on one that
   * started, the date is corrected. Not before the request, not after a later step; the alert of the
   * term is handled, the intake questionnaire planned, the change audited like every step mark.
   */
  private markFirstContact(
    user: AuthUser,
    id: string,
    date: string,
    requestId: string,
    today: string,
  ): Promise<TrajectoryStateResponse> {
    // The route leaves the session check to this transaction (@SessionCheckedInTransaction).
    return this.db.run({ organisationId: user.organisationId, session: user.deferredSession }, async (em) => {
      const t = await this.lock(em, id);
      if (date > today) throw fieldError('date', 'must not be in the future');
      if (date < t.registered_on)
        throw fieldError('date', `must not be before the request for help (${t.registered_on})`);
      this.assertOpen(t);
      const facts = await readTrajectoryFacts(em, id);
      if (t.first_contact === date) return storeTrajectoryState(em, id, facts, today);
      assertStepOrder('first_contact', date, facts.recorded ?? {});
      await this.repo.markFirstContact(em, id, date);
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: t.first_contact ? 'step.correct' : 'step.mark',
        entityType: 'client',
        entityId: t.client_id,
        requestId,
        details: {
          trajectoryId: id,
          step: 'first_contact',
          date,
          ...(t.first_contact ? { previousDate: t.first_contact } : {}),
        },
      });
      await requestPlanning(em, [id]); // the intake questionnaire is due from the first meeting
      return storeTrajectoryState(em, id, { ...facts, first_contact: date }, today);
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
        const date = await this.repo.withdrawStep(em, id, step as StepCode, user.id);
        if (date === null) throw new NotFoundException(`Step ${step} is not recorded for this trajectory`);
        return { action: 'step.withdraw', details: { step, date, ...this.sealedNote(note) } };
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
        await this.repo.dropout(em, id, dto.date, dto.reason);
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
        this.assertSeen(t);
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
        this.assertSeen(t);
        await this.repo.startService(em, id, {
          kind: dto.kind,
          startedOn: dto.startedOn,
          endedOn: dto.endedOn ?? null,
        });
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
        const service = await this.repo.lockService(em, id, serviceId);
        if (!service) throw new NotFoundException('Service not found');
        if (dto.endedOn < service.started_on)
          throw fieldError('endedOn', `must not be before the start (${service.started_on})`);
        await this.repo.endService(em, serviceId, dto.endedOn);
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

  /**
   * Corrects the request for help (#26): its date and crisis, and the legal term that follows from
   * them (shared/domain first-meeting-term.ts). The date may not be in the future nor after the first
   * contact, the dropout or the closing; an unchanged request writes nothing. Audited with both values.
   */
  setRegistration(
    user: AuthUser,
    id: string,
    dto: RegistrationDto,
    requestId: string,
  ): Promise<TrajectoryStateResponse> {
    const today = todayInAmsterdam();
    return this.change(
      user,
      id,
      async (em, t) => {
        const before = await this.repo.registration(em, id);
        if (before.registered_on === dto.registeredOn && before.crisis === dto.crisis) return null;
        const after = (field: string, date: string | null, what: string) => {
          if (date !== null && dto.registeredOn > date) throw fieldError(field, `must not be after ${what} (${date})`);
        };
        if (dto.registeredOn > today) throw fieldError('registeredOn', 'must not be in the future');
        after('registeredOn', t.first_contact, 'the first contact');
        after('registeredOn', t.dropout_on, 'the dropout');
        after('registeredOn', before.closed_on, 'the closing');
        const due = firstMeetingDue(dto.registeredOn, dto.crisis);
        const term = { registeredOn: dto.registeredOn, crisis: dto.crisis, firstMeetingDue: due };
        await this.repo.setRegistration(
          em,
          id,
          { ...term, firstMeetingAlertOn: previousWorkingDay(due) },
          t.first_contact === null && t.status === 'open',
          today,
        );
        return {
          action: 'trajectory.registration',
          details: { from: { registeredOn: before.registered_on, crisis: before.crisis }, to: term },
        };
      },
      requestId,
      today,
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
    const t = await this.repo.lock(em, id);
    if (!t) throw new NotFoundException('Trajectory not found');
    return t;
  }

  private assertDate(field: string, date: string, t: Locked, today: string): void {
    if (date > today) throw fieldError(field, 'must not be in the future');
    if (t.first_contact === null) {
      if (date < t.registered_on)
        throw fieldError(field, `must not be before the request for help (${t.registered_on})`);
    } else if (date < t.first_contact)
      throw fieldError(field, `must not be before the first contact (${t.first_contact})`);
  }

  /** Steps, support and services come after the first meeting; a waiting request can only drop out or close. */
  private assertSeen(t: Locked): void {
    if (t.first_contact === null)
      throw new ConflictException({
        message: 'The client waits for the first meeting: mark first_contact first',
        details: [{ field: 'status', message: 'waiting' }],
      });
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
