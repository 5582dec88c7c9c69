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

export interface AuditListEntry {
  occurred_at: Date;
  action: string;
  actor_name: string | null;
  details: Record<string, unknown> | null;
}

/**
 * The newest entries of the caller's organisation for these actions (e.g. the import results on the
 * admin's start page), with the actor's name. Uses ix_audit_events_org_action (sql/platform/audit-index-v1.sql).
 */
export function recentAuditEntries(
  em: EntityManager,
  actions: readonly string[],
  limit: number,
): Promise<AuditListEntry[]> {
  return prepared<AuditListEntry>(
    em,
    `SELECT a.occurred_at, a.action, coalesce(u.name, u.email) AS actor_name, a.details
     FROM audit_events a LEFT JOIN users u ON u.id = a.actor_user_id
     WHERE a.organisation_id = km_current_organisation_id() AND a.action = ANY($1::text[])
     ORDER BY a.occurred_at DESC LIMIT $2`,
    [actions, limit],
  );
}
