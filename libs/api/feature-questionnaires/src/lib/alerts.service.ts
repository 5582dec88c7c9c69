import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthUser } from '@klantmonitor/api/core';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';

/** A counselor marks an alert as handled: it stays in the history, and the audit log says who. */
@Injectable()
export class AlertsService {
  constructor(private readonly db: TenantDb) {}

  resolve(user: AuthUser, id: string, requestId: string): Promise<{ id: string; resolved: true }> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const r = await resolveOpenAlert(em, id);
      if (!r) throw new NotFoundException('No open alert with this id');
      await appendAudit(em, {
        organisationId: user.organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'alert.resolve',
        entityType: 'client',
        entityId: r.client_id,
        requestId,
        details: { alertId: id, kind: r.kind },
      });
      return { id, resolved: true };
    });
  }
}

/** Resolves one open alert of the caller's organisation (row-level security); null when there is none. */
async function resolveOpenAlert(em: EntityManager, id: string): Promise<{ kind: string; client_id: string } | null> {
  const [rows]: [{ kind: string; client_id: string }[], number] = await em.query(
    `UPDATE alerts a SET resolved_at = now() FROM trajectories t
     WHERE a.id = $1 AND a.resolved_at IS NULL AND t.id = a.trajectory_id RETURNING a.kind, t.client_id`,
    [id],
  );
  return rows[0] ?? null;
}
