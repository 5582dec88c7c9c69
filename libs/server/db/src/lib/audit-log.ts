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

/** The INSERT of one audit entry (a fixed text, so it is prepared once per connection). */
const AUDIT_INSERT = `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details, entity_ids)
  VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb, $9::uuid[])`;

function auditParams(entry: AuditEntry): unknown[] {
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

/** Where a read's audit entry takes the ids it lists (`auditCte`). */
export interface AuditedRows {
  /** The CTE (or table expression) of the rows read. */
  from: string;
  /** The id column of those rows. */
  id: string;
  /** Their order, as the read answers them. */
  order: string;
}

/**
 * A read's audit entry as a data-modifying CTE of the read's own statement (#26): the entry lists
 * the ids of the rows read in `entity_ids` (a uuid[]: #26, session 20, building the list as jsonb in
 * `details` cost PostgreSQL 0.13-0.19 ms more per caseload page, and twice the bytes), so the read
 * and its audit are one statement, sent with the BEGIN and the COMMIT in one round trip
 * (TenantDb.once). PostgreSQL runs the INSERT once, whether or not the statement's result refers to
 * it. `p` numbers the entry's values among the statement's own (they are parameters of a prepared
 * text); the entry's own `entityIds`, if any, are replaced by the rows'.
 */
export function auditCte(entry: AuditEntry, p: (value: unknown) => string, rows: AuditedRows): string {
  // Every value but entityIds (the rows' ids are the list): a parameter the text does not use has no type.
  const [org, actor, role, action, entityType, entityId, requestId, details] = auditParams(entry).slice(0, 8).map(p);
  return `INSERT INTO audit_events (organisation_id, actor_user_id, actor_role, action, entity_type, entity_id, request_id, details, entity_ids)
         SELECT ${org}::uuid, ${actor}::uuid, ${role}::text, ${action}::text, ${entityType}::text, ${entityId}::text, ${requestId}::text,
                coalesce(${details}::jsonb, '{}'::jsonb),
                coalesce((SELECT array_agg(${rows.id} ORDER BY ${rows.order}) FROM ${rows.from}), '{}'::uuid[])`;
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
