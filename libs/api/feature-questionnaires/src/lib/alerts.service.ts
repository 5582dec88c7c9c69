import { Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import { alertsRepository, appendAudit, TenantDb } from '@klantmonitor/server/db';

/** A counselor marks an alert as handled: it stays in the history, and the audit log says who. */
@Injectable()
export class AlertsService {
  constructor(private readonly db: TenantDb) {}

  resolve(user: AuthUser, id: string, requestId: string): Promise<{ id: string; resolved: true }> {
    return this.db.run({ organisationId: user.organisationId }, async (em) => {
      const r = await alertsRepository.resolveOne(em, id);
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
