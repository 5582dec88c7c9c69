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
  /** The entities a list read showed (the caseload's clients), in its order: `entity_ids`. */
  entityIds?: readonly string[];
}

/** The columns an audit entry is written to, in the order of `auditParams`. */
export const AUDIT_COLUMNS =
  'organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details, entity_ids';

/** The INSERT of one audit entry (a fixed text, so it is prepared once per connection). */
const AUDIT_INSERT = `INSERT INTO audit_events (${AUDIT_COLUMNS})
  VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb, $9::uuid[])`;

/** An entry's values, in the order of AUDIT_COLUMNS. */
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
    entry.entityIds ? [...entry.entityIds] : null,
  ];
}

/** Appends to the audit log inside the caller's transaction, so the entry and the change land together. */
export async function appendAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  await prepared(em, AUDIT_INSERT, auditParams(entry));
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
