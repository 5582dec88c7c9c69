import type { EntityManager } from 'typeorm';
import { AuthUser } from '@klantmonitor/api/core';
import { appendAudit } from '@klantmonitor/server/db';

/** An audit entry for something a user did to their own account (password, second factor). */
export function auditOwnAccount(
  em: EntityManager,
  user: AuthUser,
  action: string,
  requestId: string,
  details?: Record<string, unknown>,
): Promise<void> {
  return appendAudit(em, {
    organisationId: user.organisationId,
    actorUserId: user.id,
    actorRole: user.role,
    action,
    entityType: 'user',
    entityId: user.id,
    requestId,
    ...(details ? { details } : {}),
  });
}
