import { ConflictException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import {
  STEP_CODES,
  type CaseloadFigures,
  type CaseloadSortField,
  type DropoutReason,
  type StepCode,
  type SupportChannel,
  type SupportType,
  type AssessmentView,
  type ServiceKind,
  type CaseloadItem,
  type CaseloadResponse,
  type CaseloadSummaryResponse,
  type ClientDetail,
  type CreateClientResponse,
  type InvitationState,
  type InvitationView,
  todayInAmsterdam,
  type CrisisKind,
  firstMeetingDue,
  previousWorkingDay,
} from '@klantmonitor/shared/domain';
import { effectiveStepDates } from '@klantmonitor/shared/metrics';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { alertsRepository, appendAudit, AuditWriter, TenantDb } from '@klantmonitor/server/db';
import { requestPlanning } from '@klantmonitor/server/queues';
import { responsesRepository } from '@klantmonitor/server/questionnaires';
import { CONTACT_BOX } from './contact-box';
import { refreshTrajectory } from '@klantmonitor/server/clients';
import {
  CaseloadFilters,
  CaseloadKey,
  CaseloadRepository,
  CaseloadRow,
  CaseloadSort,
  sortKeyType,
} from '@klantmonitor/server/clients';
import { CASELOAD_EXPORT_LIMIT, caseloadFile, type CaseloadFile } from './caseload-export';
import { CursorCodec, viewHash } from './caseload-cursor';
import { ClientRecordRepository } from '@klantmonitor/server/clients';
import { CaseloadQueryDto, CreateClientDto, UpdateClientDto } from './dto/clients.dto';

const ISO = (d: Date | null) => (d ? d.toISOString() : null);

@Injectable()
export class ClientsService {
  private readonly cursors: CursorCodec;

  constructor(
    private readonly db: TenantDb,
    @Inject(CONTACT_BOX) private readonly box: SecretBox,
    private readonly caseloadRepo: CaseloadRepository,
    private readonly record: ClientRecordRepository,
    private readonly audit: AuditWriter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cursors = new CursorCodec(config.jwt.secret);
  }

  async create(user: AuthUser, dto: CreateClientDto, requestId: string): Promise<CreateClientResponse> {
    const today = todayInAmsterdam();
    const request = checkRequest(dto, today);
    try {
      return await this.db.run({ organisationId: user.organisationId }, async (em) => {
        if (!(await this.record.serves(em, dto.municipality)))
          throw fieldError('municipality', `${dto.municipality} is not a municipality your organisation serves`);
        const { clientId, trajectoryId } = await this.record.create(em, {
          clientRef: dto.clientRef,
          emailEnc: dto.email ? this.box.seal(dto.email) : null,
          phoneEnc: dto.phone ? this.box.seal(dto.phone) : null,
          householdType: dto.householdType ?? null,
          incomeBand: dto.incomeBand ?? null,
          birthYearBand: dto.birthYearBand ?? null,
          municipality: dto.municipality,
          ...request,
          firstContact: dto.firstContact ?? null,
          effectiveSteps: dto.firstContact ? effectiveStepDates({ first_contact: dto.firstContact }) : {},
          counselorId: user.role === 'counselor' ? user.id : null,
        });
        await appendAudit(em, {
          organisationId: user.organisationId,
          actorUserId: user.id,
          actorRole: user.role,
          action: 'client.create',
          entityType: 'client',
          entityId: clientId,
          requestId,
          details: {
            municipality: dto.municipality,
            registeredOn: request.registeredOn,
            crisis: request.crisis,
            firstContact: dto.firstContact ?? null,
          },
        });
        await refreshTrajectory(em, trajectoryId, today); // a client registered late may be stalled at once
        if (dto.firstContact) await requestPlanning(em, [trajectoryId]); // the intake questionnaire (after the first meeting)
        return { id: clientId, trajectoryId };
      });
    } catch (e) {
      const err = e as QueryFailedError & { driverError?: { code?: string; constraint?: string } };
      if (err instanceof QueryFailedError && err.driverError?.constraint === 'uq_clients_ref') {
        throw new ConflictException({
          message: `A client with reference ${dto.clientRef} already exists`,
          details: [{ field: 'clientRef', message: 'is already in use in your organisation' }],
        });
      }
      throw e;
    }
  }

  async caseload(user: AuthUser, query: CaseloadQueryDto, requestId: string): Promise<CaseloadResponse> {
    const pageSize = query.pageSize ?? 50;
    const filters = caseloadFilters(user, query);
    const sort = caseloadSort(query.sort);
    if (query.after !== undefined && query.before !== undefined)
      throw fieldError('before', 'can not be given with after: one cursor at a time');
    const cursorField = query.after !== undefined ? 'after' : query.before !== undefined ? 'before' : null;
    if (cursorField && query.page !== undefined)
      throw fieldError('page', `can not be given with ${cursorField}: the cursor knows its page`);
    const view = viewHash({ ...filters, sort: `${sort.field}:${sort.direction}`, pageSize });
    const cursor = cursorField
      ? this.cursors.decode(cursorField, query[cursorField] as string, view, sortKeyType(sort.field))
      : null;
    const page = cursor?.page ?? query.page ?? 1;
    // One round trip for a page (#26): the session check, the plan settings, the rows (with the
    // count of the view, unless a cursor carries it) and their audit entry, written by the page's own
    // statement, go with the BEGIN and the COMMIT.
    const scope = { organisationId: user.organisationId, session: user.deferredSession };
    const from: CaseloadKey | null =
      cursor && cursorField ? { key: cursor.key, id: cursor.id, side: cursorField } : null;
    const pageStatement = this.caseloadRepo.page(filters, sort, {
      limit: pageSize,
      offset: cursor ? 0 : (page - 1) * pageSize,
      from,
      today: todayInAmsterdam(),
      withTotal: !cursor,
    });
    const statements = [...this.caseloadRepo.planSettings(from), pageStatement];
    const rows = (await this.db.once(scope, statements)).at(-1) as unknown as CaseloadRow[];
    // The read's audit entry lists the page's clients in its order; the page is answered only once
    // the entry is committed (AuditWriter writes the entries of concurrent reads in one commit).
    await this.audit.append({
      organisationId: user.organisationId,
      actorUserId: user.id,
      actorRole: user.role,
      action: 'caseload.read',
      entityType: 'client',
      requestId,
      details: { filters: { ...query } },
      entityIds: rows.map((r) => r.id),
    });
    // The total: the cursor carries the first page's count; otherwise the rows carry it (an empty
    // page past the end of the view, or an empty view, does not: counted then, in a read of its own).
    const total =
      cursor?.total ??
      rows[0]?.total ??
      (await this.db.run({ organisationId: user.organisationId }, (em) => this.caseloadRepo.count(em, filters)));
    const at = (r: CaseloadRow, to: number) =>
      this.cursors.encode({ key: r.sort_key, id: r.trajectory_id, page: to, total, view });
    const last = rows.length === pageSize && page * pageSize < total ? rows[rows.length - 1] : null;
    return {
      items: rows.map(toCaseloadItem),
      total,
      page,
      pageSize,
      nextCursor: last ? at(last, page + 1) : null,
      prevCursor: page > 1 && rows.length > 0 ? at(rows[0], page - 1) : null,
    };
  }

  /**
   * The caseload as it is filtered and sorted, every page, as CSV or XLSX (at most
   * CASELOAD_EXPORT_LIMIT rows: a larger view is refused with 422 naming the limit, never cut).
   */
  async caseloadExport(
    user: AuthUser,
    query: CaseloadQueryDto,
    format: 'csv' | 'xlsx',
    requestId: string,
  ): Promise<CaseloadFile> {
    const filters = caseloadFilters(user, query);
    const sort = caseloadSort(query.sort);
    // The route leaves its session check to this transaction (@SessionCheckedInTransaction).
    const scope = { organisationId: user.organisationId, session: user.deferredSession };
    const rows = await this.db.run(scope, async (em) => {
      const found = await this.caseloadRepo.rows(em, filters, sort, CASELOAD_EXPORT_LIMIT + 1, 0, todayInAmsterdam());
      if (found.length > CASELOAD_EXPORT_LIMIT)
        throw new UnprocessableEntityException({
          message: `The export holds at most ${CASELOAD_EXPORT_LIMIT} clients; narrow the filters`,
          details: [{ field: 'export', message: 'too_many_rows', limit: CASELOAD_EXPORT_LIMIT }],
        });
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'caseload.export',
        entityType: 'client',
        requestId,
        details: { format, filters: { ...query } },
        entityIds: found.map((r) => r.id),
      });
      return found;
    });
    return caseloadFile(rows.map(toCaseloadItem), format);
  }

  clientTypes(user: AuthUser): Promise<{ code: string; name: string }[]> {
    return this.db.run({ organisationId: user.organisationId }, (em) => this.caseloadRepo.clientTypes(em));
  }

  /** Contact and intake fields; the audit entry names the fields, never their values. */
  async update(user: AuthUser, id: string, dto: UpdateClientDto, requestId: string): Promise<ClientDetail> {
    const fields = (['email', 'phone', 'householdType', 'incomeBand', 'birthYearBand'] as const).filter(
      (f) => dto[f] !== undefined,
    );
    if (!fields.length)
      throw fieldError('body', 'names no field to change (email, phone, householdType, incomeBand, birthYearBand)');
    const seal = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : this.box.seal(v));
    await this.db.run({ organisationId: user.organisationId }, async (em) => {
      const found = await this.record.update(em, id, {
        emailEnc: seal(dto.email),
        phoneEnc: seal(dto.phone),
        householdType: dto.householdType,
        incomeBand: dto.incomeBand,
        birthYearBand: dto.birthYearBand,
      });
      if (!found) throw new NotFoundException('Client not found');
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'client.update',
        entityType: 'client',
        entityId: id,
        requestId,
        details: { fields },
      });
    });
    return this.detail(user, id, requestId);
  }

  /** Clients per step and speed to "income and expenses in view": the counselor's own next to the team's. */
  summary(user: AuthUser): Promise<CaseloadSummaryResponse> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const figures = async (counselorId: string | null): Promise<CaseloadFigures> => {
        const row = await this.record.summary(em, counselorId);
        const perStep = Object.fromEntries(
          STEP_CODES.map((s) => [s, Number(row.per_step?.[s] ?? 0)]),
        ) as CaseloadFigures['perStep'];
        return {
          open: row.open,
          perStep,
          stalled: row.stalled,
          droppedOut: row.dropped_out,
          medianDaysToIuInView: row.median_days === null ? null : Number(row.median_days),
          reachedIuInView: row.reached,
        };
      };
      return { mine: user.role === 'counselor' ? await figures(user.id) : null, team: await figures(null) };
    });
  }

  async detail(user: AuthUser, id: string, requestId: string): Promise<ClientDetail> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const c = await this.record.head(em, id);
      if (!c) throw new NotFoundException('Client not found');
      const [events, support, services, assessments, alerts, invitations, responses, ledger] = await Promise.all([
        this.record.stepEvents(em, c.trajectory_id),
        this.record.support(em, c.trajectory_id),
        this.record.services(em, c.trajectory_id),
        this.record.assessments(em, id),
        alertsRepository.open(em, c.trajectory_id),
        responsesRepository.invitationsOf(em, c.trajectory_id),
        responsesRepository.responsesOf(em, c.trajectory_id),
        responsesRepository.balanceCents(em, id),
      ]);
      const [activity, counselor] = await Promise.all([
        this.record.activity(em, id),
        this.record.counselor(em, c.trajectory_id),
      ]);
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'client.read',
        entityType: 'client',
        entityId: id,
        requestId,
      });
      return {
        id: c.id,
        clientRef: c.client_ref,
        email: c.email_enc ? this.box.open(c.email_enc) : null,
        phone: c.phone_enc ? this.box.open(c.phone_enc) : null,
        contactErasedAt: c.contact_erased_at ? new Date(c.contact_erased_at).toISOString() : null,
        householdType: c.household_type,
        incomeBand: c.income_band,
        birthYearBand: c.birth_year_band,
        createdAt: c.created_at.toISOString(),
        trajectory: {
          id: c.trajectory_id,
          municipality: { code: c.municipality_code, name: c.municipality_name },
          registeredOn: c.registered_on,
          crisis: c.crisis,
          firstMeetingDue: c.first_meeting_due,
          firstContact: c.first_contact,
          status: c.status,
          steps: c.effective_steps,
          currentStep: c.current_step,
          stepEvents: events.map((e) => ({
            id: e.id,
            step: e.step as StepCode,
            date: e.occurred_on,
            source: e.source,
            recordedAt: e.recorded_at.toISOString(),
            recordedBy: e.recorded_by,
            recordedByName: e.recorded_by_name,
            withdrawnAt: ISO(e.withdrawn_at),
          })),
          dropout: c.dropout_on ? { date: c.dropout_on, reason: c.dropout_reason } : null,
          closed: c.closed_on ? { date: c.closed_on, reason: c.closed_reason } : null,
          stalledSince: c.stalled_since,
          lastActivityOn: c.last_activity_on,
          counselor,
        },
        support: support.map((s) => ({
          id: s.id,
          date: s.occurred_on,
          type: s.type as SupportType,
          minutes: s.minutes,
          channel: s.channel as SupportChannel,
          note: s.note_enc ? this.box.open(s.note_enc) : null,
          recordedAt: s.created_at.toISOString(),
          recordedByName: s.recorded_by_name,
        })),
        activity: activity.map((a) => {
          const { noteEnc, ...details } = a.details ?? {};
          return {
            at: a.occurred_at.toISOString(),
            action: a.action,
            actorName: a.actor_name,
            note: typeof noteEnc === 'string' ? this.box.open(Buffer.from(noteEnc, 'base64')) : null,
            details: a.details ? details : null,
          };
        }),
        services: services.map((s) => ({
          id: s.id,
          kind: s.kind as ServiceKind,
          startedOn: s.started_on,
          endedOn: s.ended_on,
        })),
        assessments: assessments.map((a) => ({
          assessedOn: a.assessed_on,
          source: a.source as AssessmentView['source'],
          clientType: { code: a.code, name: a.name },
        })),
        alerts: alerts.map((a: Record<string, any>) => ({
          id: a['id'],
          kind: a['kind'],
          raisedOn: a['raised_on'],
          details: a['details'],
        })),
        questionnaires: {
          invitations: invitations.map((i) => invitationView(i)),
          responses: responses.map((r) => ({
            id: r.id,
            invitationId: r.invitation_id,
            respondedOn: r.responded_on,
            phase: r.phase as StepCode,
            template: { code: r.code, version: r.version },
            answers: r.answers,
            comment: r.comment_enc ? this.box.open(r.comment_enc) : null,
          })),
        },
        spaartegoed: { balance: ledger / 100 },
      };
    });
  }
}

function caseloadFilters(user: AuthUser, query: CaseloadQueryDto): CaseloadFilters {
  return {
    municipality: query.municipality ?? null,
    step: query.step ?? null,
    stalled: query.stalled === 'true',
    like: query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    status: query.status ?? null,
    counselorId: query.mine === 'true' ? user.id : null,
    clientType: query.clientType ?? null,
    alerts: query.alerts === 'true',
    waiting: query.waiting === 'true',
    overdue: query.overdue === 'true',
  };
}

/**
 * The request of a new client (#26): registeredOn defaults to the first contact; one of the two is
 * needed; neither in the future; the request not after the first contact. The term follows from
 * the one pure function (shared/domain first-meeting-term.ts).
 */
export function checkRequest(
  dto: { registeredOn?: string; firstContact?: string; crisis?: CrisisKind | null },
  today: string,
): { registeredOn: string; crisis: CrisisKind | null; firstMeetingDue: string; firstMeetingAlertOn: string } {
  if (dto.firstContact !== undefined && dto.firstContact > today)
    throw fieldError('firstContact', 'must not be in the future');
  if (dto.registeredOn !== undefined && dto.registeredOn > today)
    throw fieldError('registeredOn', 'must not be in the future');
  const registeredOn = dto.registeredOn ?? dto.firstContact;
  if (registeredOn === undefined)
    throw fieldError(
      'registeredOn',
      'is required when there is no firstContact yet (the date of the request for help)',
    );
  if (dto.firstContact !== undefined && registeredOn > dto.firstContact)
    throw fieldError('registeredOn', `must not be after the first contact (${dto.firstContact})`);
  const crisis = dto.crisis ?? null;
  const due = firstMeetingDue(registeredOn, crisis);
  return { registeredOn, crisis, firstMeetingDue: due, firstMeetingAlertOn: previousWorkingDay(due) };
}

function caseloadSort(sort: string | undefined): CaseloadSort {
  if (!sort) return { field: 'firstContact', direction: 'desc' };
  const [field, direction] = sort.split(':') as [CaseloadSortField, 'asc' | 'desc'];
  return { field, direction };
}

function toCaseloadItem(r: CaseloadRow): CaseloadItem {
  return {
    id: r.id,
    clientRef: r.client_ref,
    trajectoryId: r.trajectory_id,
    municipality: { code: r.municipality_code, name: r.municipality_name },
    registeredOn: r.registered_on,
    crisis: r.crisis as CaseloadItem['crisis'],
    firstMeetingDue: r.first_meeting_due,
    firstContact: r.first_contact,
    status: r.status as CaseloadItem['status'],
    steps: r.effective_steps as CaseloadItem['steps'],
    currentStep: r.current_step as CaseloadItem['currentStep'],
    stalledSince: r.stalled_since,
    lastActivityOn: r.last_activity_on,
    dropout: r.dropout_on ? { date: r.dropout_on, reason: r.dropout_reason as DropoutReason | null } : null,
    // Each kind once, in order: the page reads the services as they are, without a DISTINCT sort in
    // PostgreSQL (#26: the caseload page's details are read once per page).
    services: [...new Set(r.services as CaseloadItem['services'])].sort(),
    clientType: r.client_type,
    openAlerts: r.open_alerts,
    counselor: r.counselor_id ? { id: r.counselor_id, name: r.counselor_name ?? '' } : null,
  };
}

/** One word for the counselor: where the invitation stands. */
function invitationView(i: Record<string, any>): InvitationView {
  const state: InvitationState =
    i['outcome'] === 'skipped'
      ? 'skipped'
      : i['completed_at']
        ? 'completed'
        : i['expired_at']
          ? 'expired'
          : i['delivery_status'] === 'sent'
            ? 'open'
            : i['delivery_status'] === 'failed'
              ? 'failed'
              : 'queued';
  return {
    id: i['id'],
    wave: i['wave_key'],
    waveKind: i['wave_kind'],
    dueOn: i['due_on'],
    plannedOn: i['planned_on'],
    state,
    skipReason: i['skip_reason'],
    channel: i['channel'],
    deliveryStatus: i['delivery_status'],
    failedReason: i['failed_reason'],
    sentOn: i['sent_on'],
    expiresOn: i['expires_on'],
    reminderStatus: i['reminder_status'],
    remindedAt: ISO(i['reminded_at']),
    completedAt: ISO(i['completed_at']),
    expiredAt: ISO(i['expired_at']),
  };
}
