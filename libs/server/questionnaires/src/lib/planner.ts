import { daysBetween, IsoDate } from '@klantmonitor/shared/domain';
import { EntityManager } from 'typeorm';
import { TenantDb } from '@klantmonitor/server/db';
import { deliveryJobId, enqueue, JOBS, QUEUES } from '@klantmonitor/server/queues';
import { Channel, DecidedWave, planWaves, TrajectoryForPlanning } from '@klantmonitor/shared/questionnaires';
import { loadSchedule, loadTemplate } from './schedule.repository';

export interface PlanOptions {
  today: IsoDate;
  /** Only these trajectories (a step change); all open ones when absent. */
  trajectoryIds?: string[];
  /** Channels this installation can deliver on (SMS needs a provider). */
  available: Record<Channel, boolean>;
  /** Trajectories per transaction. */
  chunk?: number;
}

export interface PlanResult {
  trajectories: number;
  invited: number;
  skipped: number;
  /** Invitations that could not go out: the client has no contact data for any channel in use. */
  noContact: number;
}

interface Row {
  id: string;
  first_contact: IsoDate;
  status: TrajectoryForPlanning['status'];
  has_email: boolean;
  has_phone: boolean;
  steps: { step: string; date: IsoDate }[];
  decided: DecidedWave[];
}

/** The first channel of the schedule the client can be reached on, if any. */
export function pickChannel(
  channels: Channel[],
  available: Record<Channel, boolean>,
  contact: { email: boolean; phone: boolean },
): Channel | null {
  return channels.find((c) => available[c] && (c === 'email' ? contact.email : contact.phone)) ?? null;
}

/**
 * Plans one organisation's waves as of `today`: keyset chunks of open trajectories, each chunk in
 * its own transaction with its trajectories locked (a per-trajectory planning run started by a
 * step change waits instead of deciding from stale data). New invitations and their send jobs (in
 * the outbox) are written together; `uq_invitations_wave` makes a second run a no-op.
 */
export async function planOrganisation(db: TenantDb, organisationId: string, o: PlanOptions): Promise<PlanResult> {
  const total: PlanResult = { trajectories: 0, invited: 0, skipped: 0, noContact: 0 };
  const chunk = o.chunk ?? 2000;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const r = await db.run({ organisationId }, (em) => planChunk(em, o, after, chunk));
    total.trajectories += r.count;
    total.invited += r.invited;
    total.skipped += r.skipped;
    total.noContact += r.noContact;
    if (r.count < chunk || !r.last) break;
    after = r.last;
  }
  return total;
}

async function planChunk(em: EntityManager, o: PlanOptions, after: string, chunk: number) {
  const schedule = await loadSchedule(em);
  const template = await loadTemplate(em, schedule.templateId);
  const rows: Row[] = await em.query(
    `SELECT t.id, t.first_contact, t.status,
            (c.email_enc IS NOT NULL) AS has_email, (c.phone_enc IS NOT NULL) AS has_phone,
            COALESCE((SELECT json_agg(json_build_object('step', s.step, 'date', s.occurred_on))
                        FROM step_events s WHERE s.trajectory_id = t.id AND s.withdrawn_at IS NULL), '[]') AS steps,
            COALESCE((SELECT json_agg(json_build_object('key', i.wave_key, 'on', i.planned_on, 'outcome', i.outcome))
                        FROM invitations i WHERE i.trajectory_id = t.id), '[]') AS decided
     FROM trajectories t JOIN clients c ON c.id = t.client_id
     WHERE t.status = 'open' AND t.first_contact IS NOT NULL AND t.id > $1 AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
     ORDER BY t.id LIMIT $3
     FOR UPDATE OF t`,
    [after, o.trajectoryIds ?? null, chunk],
  );
  const cols = {
    trajectory: [] as string[],
    key: [] as string[],
    kind: [] as string[],
    due: [] as string[],
    outcome: [] as string[],
    skipReason: [] as (string | null)[],
    channel: [] as (string | null)[],
    status: [] as (string | null)[],
    failed: [] as (string | null)[],
  };
  let invited = 0;
  let skipped = 0;
  let noContact = 0;
  for (const row of rows) {
    const plan = planWaves(
      { firstContact: row.first_contact, status: row.status, steps: row.steps },
      row.decided,
      schedule,
      o.today,
    );
    const channel = pickChannel(schedule.channels, o.available, { email: row.has_email, phone: row.has_phone });
    for (const w of plan.invite) {
      cols.trajectory.push(row.id);
      cols.key.push(w.key);
      cols.kind.push(w.kind);
      cols.due.push(w.dueOn);
      cols.outcome.push('invited');
      cols.skipReason.push(null);
      cols.channel.push(channel);
      cols.status.push(channel ? 'pending' : 'failed');
      cols.failed.push(channel ? null : 'no_contact');
      invited++;
      if (!channel) noContact++;
    }
    // Waves missed long ago (imported history) are not stored: the rules skip them again each run.
    for (const w of plan.skip) {
      if (daysBetween(w.dueOn, o.today) > schedule.expiryDays) continue;
      cols.trajectory.push(row.id);
      cols.key.push(w.key);
      cols.kind.push(w.kind);
      cols.due.push(w.dueOn);
      cols.outcome.push('skipped');
      cols.skipReason.push('too_soon');
      cols.channel.push(null);
      cols.status.push(null);
      cols.failed.push(null);
      skipped++;
    }
  }
  if (cols.trajectory.length > 0) {
    const pending: { id: string; channel: string | null }[] = await em.query(
      `WITH ins AS (
         INSERT INTO invitations (organisation_id, trajectory_id, wave_key, wave_kind, due_on, planned_on, outcome, skip_reason,
                                  template_id, credit_cents, channel, delivery_status, failed_reason)
         SELECT km_current_organisation_id(), v.trajectory_id, v.wave_key, v.wave_kind, v.due_on, $10::date, v.outcome, v.skip_reason,
                CASE WHEN v.outcome = 'invited' THEN $11::uuid END, CASE WHEN v.outcome = 'invited' THEN $12::int ELSE 0 END,
                v.channel, v.delivery_status, v.failed_reason
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
              AS v(trajectory_id, wave_key, wave_kind, due_on, outcome, skip_reason, channel, delivery_status, failed_reason)
         ON CONFLICT (trajectory_id, wave_key) DO NOTHING
         RETURNING id, channel, delivery_status)
       SELECT id, channel FROM ins WHERE delivery_status = 'pending'`,
      [
        cols.trajectory,
        cols.key,
        cols.kind,
        cols.due,
        cols.outcome,
        cols.skipReason,
        cols.channel,
        cols.status,
        cols.failed,
        o.today,
        template.id,
        schedule.creditCents,
      ],
    );
    // Each invitation to deliver is a job of its channel's queue (one statement for the chunk).
    await enqueue(
      em,
      pending.map((p) => ({
        queue: p.channel === 'sms' ? QUEUES.deliverSms : QUEUES.deliverEmail,
        name: JOBS.sendInvitation,
        jobId: deliveryJobId('send', p.id),
        payload: { invitationId: p.id },
      })),
    );
  }
  return { count: rows.length, last: rows.at(-1)?.id ?? null, invited, skipped, noContact };
}
