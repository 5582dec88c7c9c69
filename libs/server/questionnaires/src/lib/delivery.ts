/**
 * The database half of sending one message. PostgreSQL decides who may send: a claim flips the
 * invitation (or its reminder) to `sending` with a timestamp, and only a `pending` one, or a
 * `sending` one whose lease ran out (its worker was killed), can be claimed. A message is sent
 * only after a committed claim and recorded right after, so a job that BullMQ runs again after
 * the message was recorded sends nothing. The one window left is between the provider's "accepted"
 * and the commit of `sent` (milliseconds): a worker killed exactly there sends once more on retry.
 * Each claim adds a token, so every link that may have gone out keeps working, and a token for the
 * client's own page ("Mijn traject", portal_tokens) that the message links to as well.
 */
import { IsoDate } from '@klantmonitor/shared/domain';
import { EntityManager } from 'typeorm';
import { Channel, DEFAULT_SCHEDULE, KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';
import { newToken } from './tokens';

export type DeliveryKind = 'invitation' | 'reminder';

export interface ClaimedDelivery {
  state: 'claimed';
  invitationId: string;
  channel: Channel;
  token: string;
  /** The client's own page ("Mijn traject"): a new personal token with every message. */
  portalToken: string;
  creditCents: number;
  expiresOn: IsoDate;
  organisationName: string;
  /** The rated questions of the invitation's template (the comment not counted). */
  questionCount: number;
  emailEnc: Buffer | null;
  phoneEnc: Buffer | null;
  attempt: number;
}

export type Claim = ClaimedDelivery | { state: 'busy'; retryAt: Date } | { state: 'done'; status: string };

const columns = (kind: DeliveryKind) =>
  kind === 'invitation'
    ? { status: 'delivery_status', claimed: 'claimed_at' }
    : { status: 'reminder_status', claimed: 'reminder_claimed_at' };

export async function claimDelivery(
  em: EntityManager,
  invitationId: string,
  kind: DeliveryKind,
  leaseSeconds: number,
  today: IsoDate,
): Promise<Claim> {
  const c = columns(kind);
  const { token, hash } = newToken();
  const portal = newToken();
  // One round trip: claim, add the token and read what the message needs (this runs per message).
  const rows: Record<string, unknown>[] = await em.query(
    `WITH s AS (
       SELECT COALESCE((SELECT expiry_days FROM questionnaire_schedules WHERE organisation_id = km_current_organisation_id()), $4::int) AS expiry_days),
     claimed AS (
       UPDATE invitations SET ${c.status} = 'sending', ${c.claimed} = now(),
              delivery_attempts = delivery_attempts + 1,
              expires_on = COALESCE(expires_on, $3::date + (SELECT expiry_days FROM s))
       WHERE id = $1 AND completed_at IS NULL AND expired_at IS NULL
         AND (${c.status} = 'pending' OR (${c.status} = 'sending' AND ${c.claimed} < now() - make_interval(secs => $2)))
       RETURNING id, trajectory_id, channel, credit_cents, expires_on, delivery_attempts, template_id),
     token AS (
       INSERT INTO invitation_tokens (token_hash, organisation_id, invitation_id, purpose)
       SELECT $5, km_current_organisation_id(), claimed.id, $6 FROM claimed RETURNING invitation_id),
     portal AS (
       INSERT INTO portal_tokens (token_hash, organisation_id, trajectory_id)
       SELECT $7, km_current_organisation_id(), claimed.trajectory_id FROM claimed RETURNING 1)
     SELECT claimed.*, cl.email_enc, cl.phone_enc, o.name, (SELECT count(*) FROM token)::int AS tokens,
            jsonb_array_length(qt.items) AS question_count
     FROM claimed JOIN trajectories t ON t.id = claimed.trajectory_id JOIN clients cl ON cl.id = t.client_id
          JOIN organisations o ON o.id = t.organisation_id
          LEFT JOIN questionnaire_templates qt ON qt.id = claimed.template_id`,
    [invitationId, leaseSeconds, today, DEFAULT_SCHEDULE.expiryDays, hash, kind, portal.hash],
  );
  const claimed = rows[0];
  if (!claimed) {
    const now: Record<string, unknown>[] = await em.query(
      `SELECT ${c.status} AS status, ${c.claimed} AS claimed_at, completed_at, expired_at FROM invitations WHERE id = $1`,
      [invitationId],
    );
    const r = now[0];
    if (!r) return { state: 'done', status: 'missing' };
    if (r['completed_at']) return { state: 'done', status: 'completed' };
    if (r['expired_at']) return { state: 'done', status: 'expired' };
    if (r['status'] === 'sending') {
      return { state: 'busy', retryAt: new Date((r['claimed_at'] as Date).getTime() + leaseSeconds * 1000) };
    }
    return { state: 'done', status: String(r['status']) };
  }
  return {
    state: 'claimed',
    invitationId,
    channel: claimed['channel'] as Channel,
    token,
    portalToken: portal.token,
    creditCents: Number(claimed['credit_cents']),
    expiresOn: claimed['expires_on'] as IsoDate,
    organisationName: String(claimed['name'] ?? ''),
    // The questions the answer page asks (the comment is extra): the message says the same number.
    questionCount: Number(claimed['question_count'] ?? KLANTBELEVING_V1.items.length),
    emailEnc: (claimed['email_enc'] as Buffer | null) ?? null,
    phoneEnc: (claimed['phone_enc'] as Buffer | null) ?? null,
    attempt: Number(claimed['delivery_attempts']),
  };
}

/**
 * Records a delivered message; only the holder of the claim can. One statement outside a
 * transaction (km_mark_delivered names the organisation), so the window between "accepted by the
 * provider" and "recorded" stays as short as it can be.
 */
export async function markDelivered(
  global: EntityManager,
  organisationId: string,
  invitationId: string,
  kind: DeliveryKind,
  today: IsoDate,
): Promise<boolean> {
  const [r] = await global.query('SELECT km_mark_delivered($1, $2, $3, $4) AS ok', [
    organisationId,
    invitationId,
    kind,
    today,
  ]);
  return r?.ok === true;
}

/** Gives the claim back: `failed` for good (with the reason the counselor sees), or `pending` to be tried again. */
export async function releaseDelivery(
  em: EntityManager,
  invitationId: string,
  kind: DeliveryKind,
  reason: string,
  final: boolean,
): Promise<void> {
  const c = columns(kind);
  await em.query(
    `UPDATE invitations SET ${c.status} = $2, failed_reason = $3, ${c.claimed} = NULL WHERE id = $1 AND ${c.status} = 'sending'`,
    [invitationId, final ? 'failed' : 'pending', reason.slice(0, 300)],
  );
}
