import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { fieldError } from '@klantmonitor/api/core';

/**
 * Keyset paging of the caseload (docs/api.md "Caseload"): a cursor names the row a page starts
 * after (or ends before) by its sort key and trajectory id, so page 500 costs what page 1 costs
 * (OFFSET read every skipped row). It also carries the page number and the total counted for the
 * first page, so following pages need no count of every row; and a short hash of the view (filters
 * and sort), so a cursor is never applied to another view.
 *
 * Signed (#22): an HMAC with a key of the server's own covers all of it, so page number and total
 * are the server's and never a caller's (a tampered cursor is a 400, as is one whose key does not
 * fit the sort: a date for a date sort, a whole number for the step, text without control
 * characters). Opaque to callers.
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

/** What the sort key is in SQL (caseload.repository.ts SORT_TYPE). */
import type { SortKeyType } from '@klantmonitor/server/clients';
export type { SortKeyType };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const NOT_OURS = 'is not a cursor of this list (take nextCursor or prevCursor of an answer)';

/** The views hashed lately (a view is a few filters: few differ; cleared when full). */
const viewHashes = new Map<string, string>();
const VIEW_HASHES_KEPT = 1000;

/**
 * A short, stable name of a view: its filters and sort, in one order. Kept for views seen lately
 * (#26, session 21: a SHA-256 per caseload page was about 2 % of the api's CPU in a profile).
 */
export function viewHash(view: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(view)
      .sort()
      .map((k) => [k, view[k] ?? null]),
  );
  let hash = viewHashes.get(canonical);
  if (hash === undefined) {
    hash = createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
    if (viewHashes.size >= VIEW_HASHES_KEPT) viewHashes.clear();
    viewHashes.set(canonical, hash);
  }
  return hash;
}

/** Whether a sort key is one the database could have given for a sort of this type. */
export function keyFits(key: string, type: SortKeyType): boolean {
  if (key.length > 200 || CONTROL.test(key)) return false;
  if (type === 'int') return /^-?\d{1,9}$/.test(key);
  if (type === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) return false;
    const d = new Date(`${key}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === key;
  }
  return true;
}

/** Writes and reads the caseload's cursors with the server's signing key. */
export class CursorCodec {
  private readonly key: KeyObject;

  /**
   * `secret`: a server secret; a key of its own is derived for cursors. Kept as a KeyObject: an HMAC
   * with a Buffer key prepares the key again on every call (11 us against 2 us a signature, #26;
   * three signatures a caseload page).
   */
  constructor(secret: Buffer | string) {
    this.key = createSecretKey(createHmac('sha256', secret).update('klantmonitor caseload cursor v1').digest());
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 22);
  }

  encode(c: CaseloadCursor): string {
    const payload = Buffer.from(JSON.stringify([c.key, c.id, c.page, c.total, c.view])).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /**
   * The cursor of `after` / `before`; a 400 naming the parameter when it is not one of ours
   * (unsigned, tampered, malformed), its key does not fit the sort, or it is another view's.
   */
  decode(field: 'after' | 'before', text: string, view: string, sortType: SortKeyType): CaseloadCursor {
    const [payload, mac, extra] = text.split('.');
    if (!payload || !mac || extra !== undefined || !safeEqual(mac, this.sign(payload)))
      throw fieldError(field, NOT_OURS);
    let parts: unknown;
    try {
      parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw fieldError(field, NOT_OURS);
    }
    const [key, id, page, total, hash] = Array.isArray(parts) ? parts : [];
    if (
      typeof key !== 'string' ||
      typeof id !== 'string' ||
      !UUID.test(id) ||
      !Number.isSafeInteger(page) ||
      page < 1 ||
      !Number.isSafeInteger(total) ||
      total < 0 ||
      typeof hash !== 'string'
    )
      throw fieldError(field, NOT_OURS);
    if (hash !== view)
      throw fieldError(field, 'belongs to other filters or another order: start again from the first page');
    if (!keyFits(key, sortType)) throw fieldError(field, `does not fit this order (its key is not a ${sortType})`);
    return { key, id, page, total, view: hash };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
