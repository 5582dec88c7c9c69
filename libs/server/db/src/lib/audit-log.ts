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

/**
 * The INSERT of one audit entry with its parameters numbered from `first`, for callers that put it
 * in one statement with their change (a round trip less on hot paths); see `auditParams`.
 */
export function auditInsertSql(first = 1): string {
  const p = (k: number) => `$${first + k}`;
  return `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details)
     VALUES (${p(0)}::uuid, ${p(1)}::uuid, ${p(2)}::text, ${p(3)}::text, ${p(4)}::text, ${p(5)}::text, ${p(6)}::text, ${p(7)}::jsonb)`;
}

export function auditParams(entry: AuditEntry): unknown[] {
  return [
    entry.organisationId,
    entry.actorUserId,
    entry.actorRole,
    entry.action,
    entry.entityType ?? null,
    entry.entityId ?? null,
    entry.requestId ?? null,
    entry.details ? JSON.stringify(entry.details) : null,
  ];
}

/** Appends to the audit log inside the caller's transaction, so the entry and the change land together. */
export async function appendAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  await prepared(em, auditInsertSql(), auditParams(entry));
}
