import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { addDays, STEP_CODES, todayInAmsterdam, type IsoDate, type StepCode } from '@klantmonitor/shared/domain';
import { phaseOn, type EffectiveSteps } from '@klantmonitor/shared/metrics';
import {
  candidateWaves,
  DEFAULT_SCHEDULE,
  MIN_DAYS_BETWEEN_INVITATIONS,
  responseSignals,
  type WaveKind,
} from '@klantmonitor/shared/questionnaires';
import { DEMO_ORGANISATIONS } from './demo.seed';
import { COMPARISON_ORGANISATION_PREFIX } from './demo-comparison.seed';
import { insertRows, prng, TYPES } from './demo-clients.seed';

/**
 * How the demo's clients answer the "Klantbeleving" questionnaire (issue #24: experience figures
 * that exist), shaped like the seed study: about 55% of invitations answered, fewer by the
 * vulnerable; the self-reliant more positive; worries going down and belief in a solution going up
 * as the client gets further; clients who later drop out feel less listened to and less helped
 * (product.md). Means on the 1..5 scale at first contact, and the change per step further.
 */
export const DEMO_RESPONSE_PROFILE = {
  /** Chance to answer an invitation, by type (order of TYPES). */
  answers: [0.64, 0.55, 0.42],
  items: {
    onrust_financien: { mean: [3.3, 3.7, 4.1], perStep: -0.3 },
    geloof_in_oplossing: { mean: [3.6, 3.2, 2.8], perStep: 0.2 },
    geluisterd: { mean: [4.1, 3.8, 3.4], perStep: 0.05 },
    goed_geholpen: { mean: [4.0, 3.6, 3.2], perStep: 0.12 },
    weet_wat_te_doen: { mean: [3.9, 3.3, 2.8], perStep: 0.15 },
  },
  /** Clients who drop out: this much lower on being listened to and helped. */
  dropoutPenalty: 0.8,
} as const;

export interface DemoTrajectory {
  firstContact: IsoDate;
  /** Dropout or closure day; null while open. */
  endOn: IsoDate | null;
  droppedOut: boolean;
  steps: { step: string; date: IsoDate }[];
  effective: EffectiveSteps;
  /** Index in TYPES; null without a client type (answers as the middle type). */
  type: number | null;
}

export interface DemoInvitation {
  waveKey: string;
  waveKind: WaveKind;
  dueOn: IsoDate;
  /** Null: skipped (another invitation went out fewer than 7 days before). */
  sentOn: IsoDate | null;
  expiresOn: IsoDate | null;
  respondedOn: IsoDate | null;
  phase: StepCode | null;
  answers: Record<string, number> | null;
}

/**
 * The invitations the planner would have made for one trajectory up to `today` (DEFAULT_SCHEDULE,
 * the planner running daily: a wave goes out on its due day, or is skipped when the last one went
 * out fewer than 7 days before), and which of them the client answered, when, and how. Pure.
 */
export function demoHistory(t: DemoTrajectory, today: IsoDate, rand: () => number): DemoInvitation[] {
  const until = t.endOn && t.endOn <= today ? addDays(t.endOn, -1) : today;
  if (until < t.firstContact) return [];
  const type = t.type ?? 1;
  const out: DemoInvitation[] = [];
  let last: IsoDate | null = null;
  for (const wave of candidateWaves(
    { firstContact: t.firstContact, status: 'open', steps: t.steps },
    DEFAULT_SCHEDULE,
    until,
  )) {
    if (last !== null && days(last, wave.dueOn) < MIN_DAYS_BETWEEN_INVITATIONS) {
      out.push({
        waveKey: wave.key,
        waveKind: wave.kind,
        dueOn: wave.dueOn,
        sentOn: null,
        expiresOn: null,
        respondedOn: null,
        phase: null,
        answers: null,
      });
      continue;
    }
    last = wave.dueOn;
    const expiresOn = addDays(wave.dueOn, DEFAULT_SCHEDULE.expiryDays);
    let respondedOn: IsoDate | null = null;
    if (rand() < DEMO_RESPONSE_PROFILE.answers[type]) {
      // Most answer within a few days; the reminder (day 4) brings a second group.
      const after = rand() < 0.7 ? Math.floor(rand() * 3) : 4 + Math.floor(rand() * 6);
      const day = addDays(wave.dueOn, after);
      if (day <= today && day <= expiresOn) respondedOn = day;
    }
    const phase = respondedOn ? phaseOn(t.effective, respondedOn) : null;
    out.push({
      waveKey: wave.key,
      waveKind: wave.kind,
      dueOn: wave.dueOn,
      sentOn: wave.dueOn,
      expiresOn,
      respondedOn,
      phase,
      answers: respondedOn && phase ? demoAnswers(type, phase, t.droppedOut, rand) : null,
    });
  }
  return out;
}

/** One answer set: the profile's mean for the type and phase, plus noise of about one point. */
export function demoAnswers(
  type: number,
  phase: StepCode,
  droppedOut: boolean,
  rand: () => number,
): Record<string, number> {
  const steps = STEP_CODES.indexOf(phase);
  const out: Record<string, number> = {};
  for (const [code, item] of Object.entries(DEMO_RESPONSE_PROFILE.items)) {
    let mean = item.mean[type] + item.perStep * steps;
    if (droppedOut && (code === 'geluisterd' || code === 'goed_geholpen')) mean -= DEMO_RESPONSE_PROFILE.dropoutPenalty;
    // Sum of two uniforms: a triangle from -1 to 1 around the mean.
    const noise = rand() + rand() - 1;
    out[code] = Math.min(5, Math.max(1, Math.round(mean + 1.2 * noise)));
  }
  return out;
}

function days(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/**
 * Demo only: the questionnaire history of the demo organisations and the national comparison set,
 * written to the tables real answers go to (invitations sent, expired or answered; responses with
 * the phase on the answer day; spaartegoed booked once per answered invitation; an audit entry
 * `questionnaire.respond` per answer, dated on its day). Waves already there (the open invitations
 * of seedDemoInvitations) are left as they are. Runs once per organisation.
 */
export async function seedDemoResponses(ds: DataSource, today = todayInAmsterdam()): Promise<number> {
  const names = DEMO_ORGANISATIONS.map((o) => o.name);
  const orgs: { id: string; name: string }[] = await ds.query(
    `SELECT o.id, o.name FROM organisations o
     WHERE (o.name = ANY($1) OR o.name LIKE $2 || '%')
       AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.organisation_id = o.id AND r.responded_on < $3::date - 14)
     ORDER BY o.name`,
    [names, COMPARISON_ORGANISATION_PREFIX, today],
  );
  const [template]: { id: string }[] = await ds.query(
    `SELECT id FROM questionnaire_templates WHERE code = 'klantbeleving' ORDER BY version DESC LIMIT 1`,
  );
  if (!template) return 0;
  let made = 0;
  for (const [k, org] of orgs.entries()) {
    await ds.transaction(async (em) => {
      made += await seedOrganisationResponses(em, org.id, template.id, today, prng(550000 + k));
    });
  }
  return made;
}

async function seedOrganisationResponses(
  em: EntityManager,
  orgId: string,
  templateId: string,
  today: IsoDate,
  rand: () => number,
): Promise<number> {
  const trajectories: {
    id: string;
    client_id: string;
    first_contact: string;
    status: string;
    closed_on: string | null;
    dropout_on: string | null;
    effective_steps: EffectiveSteps;
    steps: { step: string; date: string }[];
    type_code: string | null;
    has_email: boolean;
    taken: string[];
  }[] = await em.query(
    `SELECT t.id, t.client_id, t.first_contact::text, t.status, t.closed_on::text, t.dropout_on::text, t.effective_steps,
            COALESCE((SELECT json_agg(json_build_object('step', s.step, 'date', s.occurred_on::text) ORDER BY s.occurred_on)
                      FROM step_events s WHERE s.trajectory_id = t.id AND s.withdrawn_at IS NULL AND s.step <> 'first_contact'), '[]') AS steps,
            (SELECT ct.code FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
             WHERE a.client_id = t.client_id ORDER BY a.assessed_on LIMIT 1) AS type_code,
            c.email_enc IS NOT NULL AS has_email,
            ARRAY(SELECT i.wave_key FROM invitations i WHERE i.trajectory_id = t.id) AS taken
     FROM trajectories t JOIN clients c ON c.id = t.client_id
     WHERE t.organisation_id = $1 AND t.first_contact IS NOT NULL ORDER BY t.first_contact, t.id`,
    [orgId],
  );
  const invitations: unknown[][] = [];
  const responses: unknown[][] = [];
  const credits: unknown[][] = [];
  const audits: unknown[][] = [];
  for (const t of trajectories) {
    const typeIndex = TYPES.findIndex((x) => x.code === t.type_code);
    const history = demoHistory(
      {
        firstContact: t.first_contact,
        endOn: t.dropout_on ?? t.closed_on,
        droppedOut: t.status === 'dropped_out',
        steps: t.steps,
        effective: t.effective_steps,
        type: typeIndex >= 0 ? typeIndex : null,
      },
      today,
      rand,
    );
    const taken = new Set(t.taken);
    for (const h of history) {
      if (taken.has(h.waveKey)) continue;
      const id = randomUUID();
      const channel = t.has_email ? 'email' : 'sms';
      const expired = h.sentOn && !h.respondedOn && (h.expiresOn as string) < today;
      invitations.push([
        id,
        t.id,
        h.waveKey,
        h.waveKind,
        h.dueOn,
        h.dueOn,
        h.sentOn ? 'invited' : 'skipped',
        h.sentOn ? null : 'too_soon',
        h.sentOn ? templateId : null,
        h.sentOn ? DEFAULT_SCHEDULE.creditCents : 0,
        h.sentOn ? channel : null,
        h.sentOn ? 'sent' : null,
        h.sentOn ? `${h.sentOn} 09:00+01` : null,
        h.sentOn,
        h.expiresOn,
        h.respondedOn ? `${h.respondedOn} 12:00+01` : null,
        expired ? `${addDays(h.expiresOn as string, 1)} 03:00+01` : null,
      ]);
      if (!h.respondedOn || !h.answers) continue;
      responses.push([t.id, id, templateId, JSON.stringify(h.answers), h.phase, h.respondedOn]);
      credits.push([t.client_id, id, DEFAULT_SCHEDULE.creditCents, h.respondedOn]);
      audits.push([
        'client',
        'questionnaire.respond',
        'client',
        t.client_id,
        'demo-seed',
        JSON.stringify({ invitationId: id, phase: h.phase, signals: responseSignals(h.answers) }),
        `${h.respondedOn} 12:00+01`,
      ]);
    }
  }
  await insertRows(
    em,
    'invitations',
    orgId,
    [
      'id',
      'trajectory_id',
      'wave_key',
      'wave_kind',
      'due_on',
      'planned_on',
      'outcome',
      'skip_reason',
      'template_id',
      'credit_cents',
      'channel',
      'delivery_status',
      'sent_at',
      'sent_on',
      'expires_on',
      'completed_at',
      'expired_at',
    ],
    invitations,
  );
  await insertRows(
    em,
    'responses',
    orgId,
    ['trajectory_id', 'invitation_id', 'template_id', 'answers', 'phase', 'responded_on'],
    responses,
  );
  await insertRows(
    em,
    'spaartegoed_entries',
    orgId,
    ['client_id', 'invitation_id', 'amount_cents', 'booked_on'],
    credits,
  );
  await insertRows(
    em,
    'audit_events',
    orgId,
    ['actor_role', 'action', 'entity_type', 'entity_id', 'request_id', 'details', 'occurred_at'],
    audits,
  );
  return responses.length;
}
