import { EntityManager } from 'typeorm';
import { prepared } from './prepared';

export interface AuditEntry {
  organisationId: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  entityType?: string;
  entityId?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit log inside the caller's transaction, so the entry and the change land together. */
export async function appendAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  await prepared(
    em,
    `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.organisationId,
      entry.actorUserId,
      entry.actorRole,
      entry.action,
      entry.entityType ?? null,
      entry.entityId ?? null,
      entry.requestId ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
}
