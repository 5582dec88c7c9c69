/**
 * The database half of sending one message. PostgreSQL decides who may send: a claim flips the
 * invitation (or its reminder) to `sending` with a timestamp, and only a `pending` one, or a
 * `sending` one whose lease ran out (its worker was killed), can be claimed. A message is sent
 * only after a committed claim and recorded right after, so a job that BullMQ runs again after
 * the message was recorded sends nothing. The one window left is between the provider's "accepted"
 * and the commit of `sent` (milliseconds): a worker killed exactly there sends once more on retry.
 * Each claim adds a token, so every link that may have gone out keeps working.
 */
import { EntityManager } from 'typeorm';
import { Channel } from '@klantmonitor/shared/questionnaires';
import { addDays, IsoDate } from '@klantmonitor/shared/metrics';
import { loadSchedule } from './schedule.repository';
import { newToken } from './tokens';

export type DeliveryKind = 'invitation' | 'reminder';

export interface ClaimedDelivery {
  state: 'claimed';
  invitationId: string;
  channel: Channel;
  token: string;
  creditCents: number;
  expiresOn: IsoDate;
  organisationName: string;
  emailEnc: Buffer | null;
  phoneEnc: Buffer | null;
  attempt: number;
}

export type Claim = ClaimedDelivery | { state: 'busy'; retryAt: Date } | { state: 'done'; status: string };

const columns = (kind: DeliveryKind) =>
  kind === 'invitation' ? { status: 'delivery_status', claimed: 'claimed_at' } : { status: 'reminder_status', claimed: 'reminder_claimed_at' };

export async function claimDelivery(em: EntityManager, invitationId: string, kind: DeliveryKind, leaseSeconds: number, today: IsoDate): Promise<Claim> {
  const c = columns(kind);
  const schedule = await loadSchedule(em);
  const [rows] = await em.query(
    `UPDATE invitations SET ${c.status} = 'sending', ${c.claimed} = now(),
            delivery_attempts = delivery_attempts + 1,
            expires_on = COALESCE(expires_on, $3::date)
     WHERE id = $1 AND completed_at IS NULL AND expired_at IS NULL
       AND (${c.status} = 'pending' OR (${c.status} = 'sending' AND ${c.claimed} < now() - make_interval(secs => $2)))
     RETURNING id, trajectory_id, channel, credit_cents, expires_on, delivery_attempts`,
    [invitationId, leaseSeconds, addDays(today, schedule.expiryDays)],
  );
  const claimed = (rows as Record<string, unknown>[])[0];
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
  const { token, hash } = newToken();
  await em.query(
    `INSERT INTO invitation_tokens (token_hash, organisation_id, invitation_id, purpose) VALUES ($1, km_current_organisation_id(), $2, $3)`,
    [hash, invitationId, kind],
  );
  const contact: Record<string, unknown>[] = await em.query(
    `SELECT c.email_enc, c.phone_enc, o.name
     FROM trajectories t JOIN clients c ON c.id = t.client_id JOIN organisations o ON o.id = t.organisation_id
     WHERE t.id = $1`,
    [claimed['trajectory_id']],
  );
  return {
    state: 'claimed',
    invitationId,
    channel: claimed['channel'] as Channel,
    token,
    creditCents: Number(claimed['credit_cents']),
    expiresOn: claimed['expires_on'] as IsoDate,
    organisationName: String(contact[0]?.['name'] ?? ''),
    emailEnc: (contact[0]?.['email_enc'] as Buffer | null) ?? null,
    phoneEnc: (contact[0]?.['phone_enc'] as Buffer | null) ?? null,
    attempt: Number(claimed['delivery_attempts']),
  };
}

/** Records a delivered message; only the holder of the claim can. */
export async function markDelivered(em: EntityManager, invitationId: string, kind: DeliveryKind, today: IsoDate): Promise<boolean> {
  const [, count] =
    kind === 'invitation'
      ? await em.query(
          `UPDATE invitations SET delivery_status = 'sent', sent_at = now(), sent_on = $2, failed_reason = NULL
           WHERE id = $1 AND delivery_status = 'sending'`,
          [invitationId, today],
        )
      : await em.query(
          `UPDATE invitations SET reminder_status = 'sent', reminded_at = now() WHERE id = $1 AND reminder_status = 'sending'`,
          [invitationId],
        );
  return Number(count) === 1;
}

/** Gives the claim back: `failed` for good (with the reason the counselor sees), or `pending` to be tried again. */
export async function releaseDelivery(em: EntityManager, invitationId: string, kind: DeliveryKind, reason: string, final: boolean): Promise<void> {
  const c = columns(kind);
  await em.query(
    `UPDATE invitations SET ${c.status} = $2, failed_reason = $3, ${c.claimed} = NULL WHERE id = $1 AND ${c.status} = 'sending'`,
    [invitationId, final ? 'failed' : 'pending', reason.slice(0, 300)],
  );
}
