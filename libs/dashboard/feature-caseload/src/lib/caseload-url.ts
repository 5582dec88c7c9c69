import { CASELOAD_SORT_FIELDS, STEP_CODES, TEXT_LIMITS } from '@klantmonitor/shared/domain';
import type { CaseloadFilter } from '@klantmonitor/dashboard/data-access';

/** The caseload's view in its URL (#25): back, reload and a shared link show the same list. */
const STATUSES = ['open', 'dropped_out', 'closed'];
const SORTS = CASELOAD_SORT_FIELDS.flatMap((f) => [`${f}:asc`, `${f}:desc`]);
const CURSOR = /^[A-Za-z0-9_.-]{1,640}$/;
const FLAGS = ['alerts', 'stalled', 'mine', 'waiting', 'overdue'] as const;

type Query = Record<string, string | undefined>;

/**
 * The filter a URL's query asks for. A value the page could not have put there (an unknown step,
 * a sort that does not exist) is left out rather than sent to the API for a refusal.
 */
export function caseloadFilterFromQuery(q: Query, pageSize: number): CaseloadFilter {
  const f: CaseloadFilter = { pageSize };
  const text = q['q'];
  if (text && text.length <= TEXT_LIMITS.search) f.q = text;
  if (q['municipality'] && /^GM\d{4}$/.test(q['municipality'])) f.municipality = q['municipality'];
  if (q['step'] && (STEP_CODES as readonly string[]).includes(q['step'])) f.step = q['step'];
  if (q['status'] && STATUSES.includes(q['status'])) f.status = q['status'];
  if (q['clientType'] && /^[a-z0-9_]{1,64}$/.test(q['clientType'])) f.clientType = q['clientType'];
  if (q['sort'] && SORTS.includes(q['sort'])) f.sort = q['sort'];
  for (const flag of FLAGS) if (q[flag] === '1') f[flag] = true;
  if (q['after'] && CURSOR.test(q['after'])) f.after = q['after'];
  else if (q['before'] && CURSOR.test(q['before'])) f.before = q['before'];
  return f;
}

/** The query of a filter: only what differs from the plain list, so a plain URL stays plain. */
export function caseloadQuery(f: CaseloadFilter): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of ['q', 'municipality', 'step', 'status', 'clientType', 'sort', 'after', 'before'] as const)
    out[key] = f[key] ? String(f[key]) : null;
  for (const flag of FLAGS) out[flag] = f[flag] ? '1' : null;
  return out;
}
