import { EntityManager } from 'typeorm';

/**
 * Erases the e-mail address and phone number of the current organisation's clients whose
 * trajectory ended (closed or dropped out) at least `retentionDays` days before `today`
 * (docs/product.md: contact data are erased after closure + retention period). What is left is
 * pseudonymous: the reference, the bands, the steps and the answers, so the figures stay.
 * Every erasure is in the audit log (one row per client, actor "system"). Idempotent.
 */
export async function eraseContacts(
  em: EntityManager,
  today: string,
  retentionDays: number,
): Promise<{ erased: number }> {
  const rows: { id: string }[] = await em.query(
    `WITH gone AS (
       UPDATE clients c SET email_enc = NULL, phone_enc = NULL, contact_erased_at = now(), updated_at = now()
       FROM trajectories t
       WHERE t.client_id = c.id
         AND t.status IN ('closed', 'dropped_out')
         AND coalesce(t.closed_on, t.dropout_on) + $2::int <= $1::date
         AND (c.email_enc IS NOT NULL OR c.phone_enc IS NOT NULL)
       RETURNING c.id, c.organisation_id, coalesce(t.closed_on, t.dropout_on) AS ended_on
     )
     INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, details)
     SELECT organisation_id, NULL, 'system', 'client.contact_erased', 'client', id,
            jsonb_build_object('reason', 'retention', 'endedOn', ended_on, 'retentionDays', $2::int)
     FROM gone
     RETURNING entity_id AS id`,
    [today, retentionDays],
  );
  return { erased: rows.length };
}
