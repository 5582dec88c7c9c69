import type { EntityManager } from 'typeorm';

/** An invitation as the client's answer page needs it. */
export interface InvitationForClient {
  id: string;
  trajectory_id: string;
  template_id: string | null;
  credit_cents: number;
  expires_on: string | null;
  completed_at: Date | null;
  expired_at: Date | null;
  client_id: string;
  effective_steps: Record<string, string | null>;
  organisation_name: string;
}

/**
 * The client's side of invitations (docs/data-access.md): the token lookup, the invitation behind
 * it, the answer with its spaartegoed credit, and the balance. Invitations are planned, sent and
 * expired by planner.ts, delivery.ts and sweeps.ts of this lib; this file is where they are answered.
 */
export const responsesRepository = {
  /** The invitation and its organisation by the token's hash (a definer function: before any tenant is known). */
  async byTokenHash(
    db: Pick<EntityManager, 'query'>,
    hash: Buffer,
  ): Promise<{ invitationId: string; organisationId: string } | null> {
    const rows: { invitation_id: string; organisation_id: string }[] = await db.query(
      'SELECT invitation_id, organisation_id FROM km_invitation_by_token($1)',
      [hash],
    );
    return rows[0] ? { invitationId: rows[0].invitation_id, organisationId: rows[0].organisation_id } : null;
  },

  /** The invitation with its trajectory's facts; `lock` holds it until the answer is stored. */
  async invitation(em: EntityManager, invitationId: string, lock: boolean): Promise<InvitationForClient | undefined> {
    const [inv]: InvitationForClient[] = await em.query(
      `SELECT i.id, i.trajectory_id, i.template_id, i.credit_cents, i.expires_on, i.completed_at, i.expired_at,
              t.client_id, t.effective_steps, o.name AS organisation_name
       FROM invitations i JOIN trajectories t ON t.id = i.trajectory_id JOIN organisations o ON o.id = i.organisation_id
       WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [invitationId],
    );
    return inv;
  },

  /** The client's spaartegoed in cents. */
  async balanceCents(em: EntityManager, clientId: string): Promise<number> {
    const [r]: { cents: number }[] = await em.query(
      'SELECT COALESCE(SUM(amount_cents), 0)::int AS cents FROM spaartegoed_entries WHERE client_id = $1',
      [clientId],
    );
    return Number(r.cents);
  },

  /**
   * Stores an answer: the response, the invitation completed, and the credit booked once per
   * invitation. Returns the cents credited now (0 when it was booked before).
   */
  async answer(
    em: EntityManager,
    a: {
      invitation: InvitationForClient;
      /** The template version answered (the organisation's current one when the invitation names none). */
      templateId: string;
      answers: Record<string, number>;
      commentSealed: Buffer | null;
      phase: string | null;
      day: string;
    },
  ): Promise<number> {
    await em.query(
      `INSERT INTO responses (organisation_id, invitation_id, trajectory_id, template_id, answers, comment_enc, phase, responded_on)
       VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6, $7)`,
      [
        a.invitation.id,
        a.invitation.trajectory_id,
        a.templateId,
        JSON.stringify(a.answers),
        a.commentSealed,
        a.phase,
        a.day,
      ],
    );
    await em.query('UPDATE invitations SET completed_at = now() WHERE id = $1', [a.invitation.id]);
    const credited: { amount_cents: number }[] = await em.query(
      `INSERT INTO spaartegoed_entries (organisation_id, client_id, invitation_id, amount_cents, booked_on)
       VALUES (km_current_organisation_id(), $1, $2, $3, $4)
       ON CONFLICT (invitation_id) DO NOTHING RETURNING amount_cents`,
      [a.invitation.client_id, a.invitation.id, a.invitation.credit_cents, a.day],
    );
    return credited[0]?.amount_cents ?? 0;
  },

  /** Every invitation of a trajectory (the client page's questionnaire list), oldest due first. */
  invitationsOf(em: EntityManager, trajectoryId: string): Promise<Record<string, unknown>[]> {
    return em.query(`SELECT * FROM invitations WHERE trajectory_id = $1 ORDER BY due_on, created_at`, [trajectoryId]);
  },

  /** Every answer of a trajectory with its template version; the comment stays sealed. */
  responsesOf(
    em: EntityManager,
    trajectoryId: string,
  ): Promise<
    {
      id: string;
      invitation_id: string;
      responded_on: string;
      phase: string | null;
      answers: Record<string, number>;
      comment_enc: Buffer | null;
      code: string;
      version: number;
    }[]
  > {
    return em.query(
      `SELECT r.id, r.invitation_id, r.responded_on, r.phase, r.answers, r.comment_enc, q.code, q.version
       FROM responses r JOIN questionnaire_templates q ON q.id = r.template_id
       WHERE r.trajectory_id = $1 ORDER BY r.responded_on, r.created_at`,
      [trajectoryId],
    );
  },
};
