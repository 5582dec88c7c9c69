import { Injectable } from '@nestjs/common';
import { AUDIT_COLUMNS, auditParams, type AuditEntry } from './audit-log';
import type { Statement } from './one-trip';
import { TenantDb, type TenantScope } from './tenant-db';

/** At most this many entries go in one INSERT (a page's entry is about 2 KB of SQL text). */
export const AUDIT_BATCH_MAX = 100;

interface Waiting {
  entry: AuditEntry;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The INSERT of several audit entries of one organisation: one row per entry, in the order given.
 * A plain statement (TenantDb.once writes its values in as literals): `entity_ids` as an array literal.
 */
export function auditBatchStatement(entries: readonly AuditEntry[]): Statement {
  const values: unknown[] = [];
  const p = (v: unknown) => `$${values.push(v)}`;
  const rows = entries.map((entry) => {
    const [org, actor, role, action, entityType, entityId, requestId, details, ids] = auditParams(entry);
    const list = ids === null ? null : `{${(ids as string[]).join(',')}}`;
    return `(${p(org)}::uuid, ${p(actor)}::uuid, ${p(role)}::text, ${p(action)}::text, ${p(entityType)}::text, ${p(entityId)}::text, ${p(requestId)}::text, coalesce(${p(details)}::jsonb, '{}'::jsonb), ${p(list)}::uuid[])`;
  });
  return { text: `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES ${rows.join(',\n  ')}`, values };
}

/**
 * Writes the audit entries of reads in group commits (#26, session 21): an entry is written at once
 * when its organisation has no write under way, else with every entry that arrived meanwhile, in
 * the next write (one INSERT, one transaction, one WAL flush for all of them). `append` resolves
 * when the entry is committed and rejects when its write failed: a read answers only after that, so
 * nothing leaves the api before its audit entry is durable, as when the entry was written by the
 * read's own statement; the read itself is then a read-only transaction (no transaction id, no WAL
 * flush at its commit). Entries of different organisations are written apart, each in a transaction
 * with its own organisation set, so row-level security (policy `tenant_append`) checks every row.
 */
@Injectable()
export class AuditWriter {
  /** Per organisation ('' for none): the entries waiting for the next write. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** The organisations with a write under way. */
  private readonly writing = new Set<string>();

  constructor(private readonly db: TenantDb) {}

  /** Resolves once the entry is committed; rejects with the write's error (the caller answers 5xx). */
  append(entry: AuditEntry): Promise<void> {
    const key = entry.organisationId ?? '';
    return new Promise<void>((resolve, reject) => {
      let queue = this.waiting.get(key);
      if (!queue) this.waiting.set(key, (queue = []));
      queue.push({ entry, resolve, reject });
      if (!this.writing.has(key)) void this.writeAll(key);
    });
  }

  /** Writes the organisation's waiting entries, a batch at a time, until none wait. */
  private async writeAll(key: string): Promise<void> {
    this.writing.add(key);
    try {
      for (;;) {
        const queue = this.waiting.get(key);
        if (!queue?.length) break;
        const batch = queue.splice(0, AUDIT_BATCH_MAX);
        const scope: TenantScope = { organisationId: key === '' ? null : key };
        try {
          await this.db.once(scope, [auditBatchStatement(batch.map((w) => w.entry))]);
          for (const w of batch) w.resolve();
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.writing.delete(key);
      if (!this.waiting.get(key)?.length) this.waiting.delete(key);
    }
  }
}
