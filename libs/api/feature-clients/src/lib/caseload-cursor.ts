import { createHash } from 'node:crypto';
import { fieldError } from '@klantmonitor/api/core';

/**
 * Keyset paging of the caseload (docs/api.md "Caseload"): a cursor names the row a page starts
 * after (or ends before) by its sort key and trajectory id, so page 500 costs what page 1 costs
 * (OFFSET read every skipped row). It also carries the page number and the total counted for the
 * first page, so following pages need no count of every row; and a short hash of the view (filters
 * and sort), so a cursor is never applied to another view. Opaque to callers; only the server reads
 * it, and what a caller could change in it only changes what that caller sees of its own rows.
 */
export interface CaseloadCursor {
  /** The sort key of the row, as text (`2025-03-01`, `B-0421`, `3`). */
  key: string;
  /** The row's trajectory id: ties on the key are ordered by it. */
  id: string;
  /** The page the cursor leads to. */
  page: number;
  /** The total of the view when its first page was read. */
  total: number;
  view: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A short, stable name of a view: its filters and sort, in one order. */
export function viewHash(view: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(view)
      .sort()
      .map((k) => [k, view[k] ?? null]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

export function encodeCursor(c: CaseloadCursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id, c.page, c.total, c.view])).toString('base64url');
}

/** The cursor of `after` / `before`; a 400 naming the parameter when it is not one of ours or not this view's. */
export function decodeCursor(field: 'after' | 'before', text: string, view: string): CaseloadCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw fieldError(field, 'is not a cursor of this list (take nextCursor or prevCursor of an answer)');
  }
  const [key, id, page, total, hash] = Array.isArray(parts) ? parts : [];
  if (
    typeof key !== 'string' ||
    key.length > 200 ||
    typeof id !== 'string' ||
    !UUID.test(id) ||
    !Number.isInteger(page) ||
    page < 1 ||
    !Number.isInteger(total) ||
    total < 0 ||
    typeof hash !== 'string'
  )
    throw fieldError(field, 'is not a cursor of this list (take nextCursor or prevCursor of an answer)');
  if (hash !== view)
    throw fieldError(field, 'belongs to other filters or another order: start again from the first page');
  return { key, id, page, total, view: hash };
}
