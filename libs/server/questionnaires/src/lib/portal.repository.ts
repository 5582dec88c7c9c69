import type { EntityManager } from 'typeorm';
import type { StepDates, TrajectoryStatus } from '@klantmonitor/shared/domain';

/** A trajectory as its client's own page shows it: no contact data, no client reference, no answers. */
export interface PortalTrajectory {
  id: string;
  client_id: string;
  status: TrajectoryStatus;
  effective_steps: StepDates;
  /** The day it ended (closed or dropout); null while open. */
  ended_on: string | null;
  organisation_name: string;
  municipality_code: string;
  municipality_name: string;
}

/**
 * "Mijn traject" (docs/api.md "A client's own progress"): personal tokens for the client's page,
 * the trajectory behind one, and a fresh questionnaire link for an open invitation. Tokens are
 * stored as SHA-256 only (sql/questionnaires/client-portal-v1.sql).
 */
export const portalRepository = {
  /**
   * The trajectory and its organisation by the token's hash, with when the link ends and whether it
   * was revoked (a definer function: before any tenant is known).
   */
  async byTokenHash(
    db: Pick<EntityManager, 'query'>,
    hash: Buffer,
  ): Promise<{ trajectoryId: string; organisationId: string; expiresAt: Date; revokedAt: Date | null } | null> {
    const rows: { trajectory_id: string; organisation_id: string; expires_at: Date; revoked_at: Date | null }[] =
      await db.query('SELECT trajectory_id, organisation_id, expires_at, revoked_at FROM km_portal_by_token($1)', [
        hash,
      ]);
    const r = rows[0];
    return r
      ? {
          trajectoryId: r.trajectory_id,
          organisationId: r.organisation_id,
          expiresAt: r.expires_at,
          revokedAt: r.revoked_at,
        }
      : null;
  },

  /**
   * Revokes every portal link of the trajectory (and the page's questionnaire links with them);
   * how many links were still working. Null when the trajectory is not the caller's organisation's.
   */
  async revokeAll(em: EntityManager, trajectoryId: string): Promise<number | null> {
    const [t]: { id: string }[] = await em.query('SELECT id FROM trajectories WHERE id = $1', [trajectoryId]);
    if (!t) return null;
    const [rows]: [unknown[], number] = await em.query(
      `UPDATE portal_tokens SET revoked_at = now()
       WHERE trajectory_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING 1`,
      [trajectoryId],
    );
    await em.query(
      `DELETE FROM invitation_tokens WHERE purpose = 'portal'
         AND invitation_id IN (SELECT id FROM invitations WHERE trajectory_id = $1)`,
      [trajectoryId],
    );
    return rows.length;
  },

  /** When the trajectory's portal links were last revoked (null: never): part of the page's questionnaire link. */
  async lastRevocation(em: EntityManager, trajectoryId: string): Promise<Date | null> {
    const [r]: { at: Date | null }[] = await em.query(
      'SELECT max(revoked_at) AS at FROM portal_tokens WHERE trajectory_id = $1',
      [trajectoryId],
    );
    return r?.at ?? null;
  },

  /** A new personal token for the trajectory's page (its hash; the caller keeps the token). */
  async addToken(em: EntityManager, trajectoryId: string, hash: Buffer): Promise<void> {
    await em.query(
      `INSERT INTO portal_tokens (token_hash, organisation_id, trajectory_id) VALUES ($1, km_current_organisation_id(), $2)`,
      [hash, trajectoryId],
    );
  },

  async trajectory(em: EntityManager, trajectoryId: string): Promise<PortalTrajectory | undefined> {
    const [row]: PortalTrajectory[] = await em.query(
      `SELECT t.id, t.client_id, t.status, t.effective_steps,
              CASE WHEN t.status = 'closed' THEN t.closed_on WHEN t.status = 'dropped_out' THEN t.dropout_on END AS ended_on,
              o.name AS organisation_name, t.municipality_code, m.name AS municipality_name
       FROM trajectories t JOIN organisations o ON o.id = t.organisation_id JOIN municipalities m ON m.code = t.municipality_code
       WHERE t.id = $1`,
      [trajectoryId],
    );
    return row;
  },

  /** The open questionnaire of the trajectory (sent, not answered, not expired on `today`), newest first. */
  async openInvitation(em: EntityManager, trajectoryId: string, today: string): Promise<string | null> {
    const [row]: { id: string }[] = await em.query(
      `SELECT id FROM invitations
       WHERE trajectory_id = $1 AND delivery_status = 'sent' AND completed_at IS NULL AND expired_at IS NULL
         AND (expires_on IS NULL OR expires_on >= $2::date)
       ORDER BY sent_on DESC NULLS LAST, created_at DESC LIMIT 1`,
      [trajectoryId, today],
    );
    return row?.id ?? null;
  },

  /**
   * The page's questionnaire link for an open invitation (purpose `portal`): one per invitation
   * (uq_invitation_tokens_portal), the same on every open.
   */
  async addInvitationToken(em: EntityManager, invitationId: string, hash: Buffer): Promise<void> {
    await em.query(
      `INSERT INTO invitation_tokens (token_hash, organisation_id, invitation_id, purpose)
       VALUES ($1, km_current_organisation_id(), $2, 'portal')
       ON CONFLICT (invitation_id) WHERE purpose = 'portal' DO NOTHING`,
      [hash, invitationId],
    );
  },
};
