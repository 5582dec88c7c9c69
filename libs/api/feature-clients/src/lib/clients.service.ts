import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { STEP_CODES, type CaseloadFigures, type CaseloadItem, type CaseloadResponse, type CaseloadSummaryResponse, type ClientDetail, type CreateClientResponse, type InvitationState, type InvitationView } from '@klantmonitor/shared/domain';
import { effectiveStepDates, todayInAmsterdam } from '@klantmonitor/shared/metrics';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { SecretBox } from '@klantmonitor/server/crypto';
import { appendAudit, prepared, TenantDb } from '@klantmonitor/server/db';
import { requestPlanning } from '@klantmonitor/server/questionnaires';
import { CONTACT_BOX } from './contact-box';
import { refreshTrajectory } from './trajectory-state';
import { CaseloadQueryDto, CreateClientDto } from './dto/clients.dto';

const ISO = (d: Date | null) => (d ? d.toISOString() : null);

/** Caseload filters on trajectories t; $1..$6 = municipality, step, stalled, client_ref pattern, status, counselor. */
/**
 * The caseload's filters ($1..$6). With a search, the page starts from the matching clients
 * (km_search_clients: a trigram index, tenant stated in the function), so it has its own text;
 * without one, $4 is null and unused. Two fixed texts, each planned on its own.
 */
const caseloadFilter = (search: boolean) => `($1::text IS NULL OR t.municipality_code = $1)
  AND ($2::text IS NULL OR t.current_step = $2)
  AND (NOT $3::boolean OR t.stalled_since IS NOT NULL)
  AND ${search ? 't.client_id IN (SELECT km_search_clients($4::text))' : '$4::text IS NULL'}
  AND ($5::text IS NULL OR t.status = $5)
  AND ($6::uuid IS NULL OR t.counselor_id = $6)`;

/** Checks that a municipality is one the caller's organisation serves; names it otherwise. */
export async function assertServed(em: EntityManager, municipality: string, field = 'municipality'): Promise<void> {
  const rows = await em.query(
    'SELECT 1 FROM organisation_municipalities WHERE organisation_id = km_current_organisation_id() AND municipality_code = $1',
    [municipality],
  );
  if (!rows.length) throw fieldError(field, `${municipality} is not a municipality your organisation serves`);
}

@Injectable()
export class ClientsService {
  constructor(
    private readonly db: TenantDb,
    @Inject(CONTACT_BOX) private readonly box: SecretBox,
  ) {}

  async create(user: AuthUser, dto: CreateClientDto, requestId: string): Promise<CreateClientResponse> {
    const today = todayInAmsterdam();
    if (dto.firstContact > today) throw fieldError('firstContact', 'must not be in the future');
    try {
      return await this.db.run({ organisationId: user.organisationId }, async (em) => {
        await assertServed(em, dto.municipality);
        const [client] = await em.query(
          `INSERT INTO clients (organisation_id, client_ref, email_enc, phone_enc, household_type, income_band, birth_year_band)
           VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6) RETURNING id`,
          [
            dto.clientRef,
            dto.email ? this.box.seal(dto.email) : null,
            dto.phone ? this.box.seal(dto.phone) : null,
            dto.householdType ?? null,
            dto.incomeBand ?? null,
            dto.birthYearBand ?? null,
          ],
        );
        const steps = effectiveStepDates({ first_contact: dto.firstContact });
        const [trajectory] = await em.query(
          `INSERT INTO trajectories (organisation_id, client_id, municipality_code, counselor_id, first_contact, effective_steps, current_step, last_activity_on)
           VALUES (km_current_organisation_id(), $1, $2, $5, $3, $4, 'first_contact', $3) RETURNING id`,
          [client.id, dto.municipality, dto.firstContact, JSON.stringify(steps), user.role === 'counselor' ? user.id : null],
        );
        await appendAudit(em, {
          organisationId: user.organisationId,
          actorUserId: user.id,
          actorRole: user.role,
          action: 'client.create',
          entityType: 'client',
          entityId: client.id,
          requestId,
          details: { municipality: dto.municipality, firstContact: dto.firstContact },
        });
        await refreshTrajectory(em, trajectory.id, today); // a client registered late may be stalled at once
        await requestPlanning(em, [trajectory.id]); // the intake questionnaire
        return { id: client.id, trajectoryId: trajectory.id };
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
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const today = todayInAmsterdam();
    const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const filters = [query.municipality ?? null, query.step ?? null, query.stalled === 'true', like, query.status ?? null, query.mine === 'true' ? user.id : null];
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      // Page the trajectories first (index order), then look up details for those rows only.
      const rows = await prepared<Record<string, unknown> & { id: string }>(
        em,
        `WITH page AS (
           SELECT t.id, t.client_id, t.municipality_code, t.first_contact, t.status, t.effective_steps, t.current_step,
                  t.stalled_since, t.last_activity_on, t.dropout_on, t.dropout_reason
           FROM trajectories t
           WHERE ${caseloadFilter(like !== null)}
           ORDER BY t.first_contact DESC, t.id DESC
           LIMIT $7 OFFSET $8
         )
         SELECT c.id, c.client_ref, p.id AS trajectory_id, p.municipality_code, m.name AS municipality_name,
                p.first_contact, p.status, p.effective_steps, p.current_step, p.stalled_since, p.last_activity_on,
                p.dropout_on, p.dropout_reason,
                (SELECT coalesce(json_agg(DISTINCT s.kind), '[]') FROM services s
                  WHERE s.trajectory_id = p.id AND (s.ended_on IS NULL OR s.ended_on >= $9)) AS services,
                (SELECT json_build_object('code', ct.code, 'name', ct.name) FROM assessments a
                  JOIN client_types ct ON ct.id = a.client_type_id
                  WHERE a.client_id = c.id ORDER BY a.assessed_on DESC LIMIT 1) AS client_type,
                (SELECT count(*)::int FROM alerts al WHERE al.trajectory_id = p.id AND al.resolved_at IS NULL) AS open_alerts
         FROM page p JOIN clients c ON c.id = p.client_id JOIN municipalities m ON m.code = p.municipality_code
         ORDER BY p.first_contact DESC, p.id DESC`,
        [...filters, pageSize, (page - 1) * pageSize, today],
      );
      // A first page that is not full is the whole answer; otherwise count.
      const total =
        page === 1 && rows.length < pageSize
          ? rows.length
          : (await em.query(`SELECT count(*)::int AS n FROM trajectories t WHERE ${caseloadFilter(like !== null)}`, filters))[0].n;
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'caseload.read',
        entityType: 'client',
        requestId,
        details: { filters: { ...query }, clientIds: rows.map((r: { id: string }) => r.id) },
      });
      return { items: rows.map(toCaseloadItem), total, page, pageSize };
    });
  }

  /** Clients per step and speed to "income and expenses in view": the counselor's own next to the team's. */
  summary(user: AuthUser): Promise<CaseloadSummaryResponse> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const figures = async (counselorId: string | null): Promise<CaseloadFigures> => {
        const [row] = await em.query(
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
        const perStep = Object.fromEntries(STEP_CODES.map((s) => [s, Number(row.per_step?.[s] ?? 0)])) as CaseloadFigures['perStep'];
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
      const [c] = await em.query(
        `SELECT c.*, t.id AS trajectory_id, t.municipality_code, m.name AS municipality_name, t.first_contact, t.status,
                t.effective_steps, t.current_step, t.dropout_on, t.dropout_reason, t.stalled_since, t.last_activity_on,
                t.closed_on, t.closed_reason
         FROM clients c JOIN trajectories t ON t.client_id = c.id JOIN municipalities m ON m.code = t.municipality_code
         WHERE c.id = $1`,
        [id],
      );
      if (!c) throw new NotFoundException('Client not found');
      const [events, support, services, assessments, alerts, invitations, responses, ledger] = await Promise.all([
        em.query(
          `SELECT id, step, occurred_on, source, recorded_at, recorded_by, withdrawn_at FROM step_events
           WHERE trajectory_id = $1 ORDER BY occurred_on, recorded_at`,
          [c.trajectory_id],
        ),
        em.query(`SELECT id, occurred_on, type, minutes, channel FROM support_contacts WHERE trajectory_id = $1 ORDER BY occurred_on, created_at`, [
          c.trajectory_id,
        ]),
        em.query(`SELECT id, kind, started_on, ended_on FROM services WHERE trajectory_id = $1 ORDER BY started_on`, [c.trajectory_id]),
        em.query(
          `SELECT a.assessed_on, a.source, ct.code, ct.name FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
           WHERE a.client_id = $1 ORDER BY a.assessed_on`,
          [id],
        ),
        em.query(`SELECT id, kind, raised_on, details FROM alerts WHERE trajectory_id = $1 AND resolved_at IS NULL ORDER BY raised_on`, [
          c.trajectory_id,
        ]),
        em.query(`SELECT * FROM invitations WHERE trajectory_id = $1 ORDER BY due_on, created_at`, [c.trajectory_id]),
        em.query(
          `SELECT r.id, r.invitation_id, r.responded_on, r.phase, r.answers, r.comment_enc, q.code, q.version
           FROM responses r JOIN questionnaire_templates q ON q.id = r.template_id WHERE r.trajectory_id = $1 ORDER BY r.responded_on, r.created_at`,
          [c.trajectory_id],
        ),
        em.query(`SELECT COALESCE(SUM(amount_cents), 0)::int AS cents FROM spaartegoed_entries WHERE client_id = $1`, [id]),
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
          firstContact: c.first_contact,
          status: c.status,
          steps: c.effective_steps,
          currentStep: c.current_step,
          stepEvents: events.map((e: Record<string, any>) => ({
            id: e['id'],
            step: e['step'],
            date: e['occurred_on'],
            source: e['source'],
            recordedAt: e['recorded_at'].toISOString(),
            recordedBy: e['recorded_by'],
            withdrawnAt: ISO(e['withdrawn_at']),
          })),
          dropout: c.dropout_on ? { date: c.dropout_on, reason: c.dropout_reason } : null,
          closed: c.closed_on ? { date: c.closed_on, reason: c.closed_reason } : null,
          stalledSince: c.stalled_since,
          lastActivityOn: c.last_activity_on,
        },
        support: support.map((s: Record<string, any>) => ({ id: s['id'], date: s['occurred_on'], type: s['type'], minutes: s['minutes'], channel: s['channel'] })),
        services: services.map((s: Record<string, any>) => ({ id: s['id'], kind: s['kind'], startedOn: s['started_on'], endedOn: s['ended_on'] })),
        assessments: assessments.map((a: Record<string, any>) => ({ assessedOn: a['assessed_on'], source: a['source'], clientType: { code: a['code'], name: a['name'] } })),
        alerts: alerts.map((a: Record<string, any>) => ({ id: a['id'], kind: a['kind'], raisedOn: a['raised_on'], details: a['details'] })),
        questionnaires: {
          invitations: invitations.map((i: Record<string, any>) => invitationView(i)),
          responses: responses.map((r: Record<string, any>) => ({
            id: r['id'],
            invitationId: r['invitation_id'],
            respondedOn: r['responded_on'],
            phase: r['phase'],
            template: { code: r['code'], version: r['version'] },
            answers: r['answers'],
            comment: r['comment_enc'] ? this.box.open(r['comment_enc']) : null,
          })),
        },
        spaartegoed: { balance: Number(ledger[0].cents) / 100 },
      };
    });
  }
}

function toCaseloadItem(r: Record<string, any>): CaseloadItem {
  return {
    id: r['id'],
    clientRef: r['client_ref'],
    trajectoryId: r['trajectory_id'],
    municipality: { code: r['municipality_code'], name: r['municipality_name'] },
    firstContact: r['first_contact'],
    status: r['status'],
    steps: r['effective_steps'],
    currentStep: r['current_step'],
    stalledSince: r['stalled_since'],
    lastActivityOn: r['last_activity_on'],
    dropout: r['dropout_on'] ? { date: r['dropout_on'], reason: r['dropout_reason'] } : null,
    services: r['services'],
    clientType: r['client_type'],
    openAlerts: r['open_alerts'],
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
