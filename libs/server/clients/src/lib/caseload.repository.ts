import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { STEP_CODES, type CaseloadSortField } from '@klantmonitor/shared/domain';
import { namedStatement, prepared, type Statement } from '@klantmonitor/server/db';
/** How a sort key compares: a cursor's text is checked against its type before it reaches SQL. */
export type SortKeyType = 'text' | 'date' | 'int';

export interface CaseloadFilters {
  municipality: string | null;
  step: string | null;
  stalled: boolean;
  /** A LIKE pattern on the client reference (escaped), or null. */
  like: string | null;
  status: string | null;
  counselorId: string | null;
  /** The latest assessment's client type code; `unknown` = no assessment. */
  clientType: string | null;
  /** Only trajectories with an open signal (stalled included). */
  alerts: boolean;
  /** Only open requests waiting for their first meeting (#26). */
  waiting: boolean;
  /** Only waiting requests past their legal term (#26). */
  overdue: boolean;
}

export interface CaseloadSort {
  field: CaseloadSortField;
  direction: 'asc' | 'desc';
}

/** A caseload row as read; mapped to CaseloadItem by the service. */
export interface CaseloadRow {
  id: string;
  client_ref: string;
  trajectory_id: string;
  municipality_code: string;
  municipality_name: string;
  registered_on: string;
  crisis: string | null;
  first_meeting_due: string;
  first_contact: string | null;
  status: string;
  effective_steps: Record<string, string | null>;
  current_step: string | null;
  stalled_since: string | null;
  last_activity_on: string;
  dropout_on: string | null;
  dropout_reason: string | null;
  counselor_id: string | null;
  counselor_name: string | null;
  services: string[];
  client_type: { code: string; name: string } | null;
  open_alerts: number;
  /** The row's sort key as text: what a cursor holds. */
  sort_key: string;
  /** The count of the whole view, on the rows of a page read `withTotal`. */
  total?: number;
}

/** Where a page starts: after (or, reading backwards, before) this row of the same order. */
export interface CaseloadKey {
  key: string;
  id: string;
  side: 'after' | 'before';
}

/** Which page of a view `page` reads, and what comes with it. */
export interface CaseloadPageRead {
  /** The page size (a positive integer, written into the text). */
  limit: number;
  /** Rows skipped (exports, `page` jumps); 0 with a key. */
  offset: number;
  /** Keyset paging: the row the page starts after (or ends before). */
  from: CaseloadKey | null;
  /** Today in Amsterdam: services that ended before it are not listed. */
  today: string;
  /** Each row also carries `total`, the count of the whole view (an empty page carries none: `count` then). */
  withTotal: boolean;
}

/** The type of each sort key, for the cursor's text to compare as the key does. */
const SORT_TYPE: Record<CaseloadSortField, SortKeyType> = {
  clientRef: 'text',
  firstContact: 'date',
  lastActivityOn: 'date',
  currentStep: 'int',
  municipality: 'text',
};

/** What a sort's key is (a cursor's key is checked against it before it reaches SQL). */
export const sortKeyType = (field: CaseloadSortField): SortKeyType => SORT_TYPE[field];

/** Sort keys; each sorts ties by the trajectory id in the same direction, so pages never overlap. */
const SORT_SQL: Record<CaseloadSortField, string> = {
  clientRef: 'c.client_ref',
  // A waiting request sorts by its request date (started_on = coalesce(first_contact, registered_on), indexed).
  firstContact: 't.started_on',
  lastActivityOn: 't.last_activity_on',
  // Waiting requests (no step yet) count as step 0, before first contact.
  currentStep: `coalesce(array_position(ARRAY[${STEP_CODES.map((s) => `'${s}'`).join(', ')}]::text[], t.current_step), 0)`,
  municipality: 'm.name',
};

/**
 * The caseload's WHERE: only the filters that are set, numbered from $1, so the planner sees the
 * query as it is (an index on municipality or step, an index-only count when nothing is filtered)
 * instead of `$n IS NULL OR ...` for every filter. Each combination is one fixed text, prepared once
 * per connection (at most 2^10 of them). With a search, rows start from the matching clients
 * (km_search_clients: a trigram index, tenant stated in the function).
 */
function whereOf(f: CaseloadFilters): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const p = (v: unknown) => `$${values.push(v)}`;
  const parts = ['TRUE'];
  if (f.municipality !== null) parts.push(`t.municipality_code = ${p(f.municipality)}`);
  if (f.step !== null) parts.push(`t.current_step = ${p(f.step)}`);
  if (f.stalled) parts.push('t.stalled_since IS NOT NULL');
  if (f.like !== null) parts.push(`t.client_id IN (SELECT km_search_clients(${p(f.like)}::text))`);
  if (f.status !== null) parts.push(`t.status = ${p(f.status)}`);
  if (f.counselorId !== null) parts.push(`t.counselor_id = ${p(f.counselorId)}::uuid`);
  if (f.clientType !== null)
    parts.push(`coalesce((SELECT ct.code FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
                          WHERE a.client_id = t.client_id ORDER BY a.assessed_on DESC LIMIT 1), 'unknown') = ${p(f.clientType)}`);
  if (f.alerts) parts.push('EXISTS (SELECT 1 FROM alerts al WHERE al.trajectory_id = t.id AND al.resolved_at IS NULL)');
  // The partial index ix_trajectories_waiting holds exactly these rows.
  if (f.waiting || f.overdue) parts.push(`t.first_contact IS NULL AND t.status = 'open'`);
  // Today in Amsterdam as the server computes it, not a parameter: the planner estimates it when it
  // plans, so the plan it keeps fits the few overdue requests (#26: with a parameter the kept plan read
  // 18-22 ms a page, and planning afresh every time cost 1.2-1.4 ms).
  if (f.overdue) parts.push(`t.first_meeting_due < (now() AT TIME ZONE 'Europe/Amsterdam')::date`);
  return { sql: parts.join('\n  AND '), values };
}

/**
 * The count of a view as SQL: the unfiltered view's is the organisation's kept number of
 * trajectories (trajectory_counts, kept by triggers; #26: counting 50,000 trajectories at every
 * first page cost 4-5 ms of PostgreSQL's time, the page itself about 1 ms); a filtered view is counted.
 */
function totalOf(where: { sql: string }): string {
  return where.sql === 'TRUE'
    ? 'SELECT coalesce(sum(n), 0)::int FROM trajectory_counts'
    : `SELECT count(*)::int FROM trajectories t WHERE ${where.sql}`;
}

/**
 * Folds the caller's organisation's kept trajectory counts into one row (the nightly caseload job):
 * every registration and import adds a row. Answers the rows folded.
 */
export async function foldTrajectoryCounts(em: EntityManager): Promise<number> {
  const [row] = await em.query(`SELECT km_trajectory_counts_fold() AS folded`);
  return row.folded;
}

/** A page after a key is read with the generic plan (see `rows`): this setting, for the transaction. */
const CURSOR_PLAN: Statement = { text: 'SET LOCAL plan_cache_mode = force_generic_plan' };

/**
 * Reads of the caseload (GET /clients and its CSV / XLSX export, GET /client-types). The tables
 * are the counselor workflow's (this lib); users is read for the caseholder's name only
 * (docs/data-access.md).
 */
@Injectable()
export class CaseloadRepository {
  /**
   * One page in the chosen order: the page is cut first, details are looked up for its rows only.
   * With a key (keyset paging) the page starts right after (or ends right before) that row, reading
   * the index from there; without one, `offset` rows are skipped (exports, and `page` jumps).
   */
  async rows(
    em: EntityManager,
    f: CaseloadFilters,
    sort: CaseloadSort,
    limit: number,
    offset: number,
    today: string,
    from: CaseloadKey | null = null,
  ): Promise<CaseloadRow[]> {
    // A page after a key: PostgreSQL cannot judge a key's selectivity in a generic plan, so it planned
    // this statement afresh for every page (#26, pg_stat_statements in bench:import: 3.9 of its 7.9 ms
    // were planning). The generic plan (the index of the order, from the key on) is the right one for
    // every key: kept for the connection, for this transaction's statements (CURSOR_PLAN).
    for (const setting of this.planSettings(from)) await em.query(setting.text);
    const page = this.page(f, sort, { limit, offset, from, today, withTotal: false });
    return prepared<CaseloadRow>(em, page.text, [...(page.values ?? [])]);
  }

  /** The plan settings a page needs, for its transaction: a page after a key the generic plan (see `rows`). */
  planSettings(from: CaseloadKey | null): Statement[] {
    return from ? [CURSOR_PLAN] : [];
  }

  /**
   * The page as a statement (named: prepared once per connection and filter combination), for
   * TenantDb.once (#26: the session check, the plan settings, the rows and the COMMIT in one round
   * trip; the read's audit entry follows through AuditWriter).
   */
  page(f: CaseloadFilters, sort: CaseloadSort, read: CaseloadPageRead): Statement {
    const { limit, offset, from, today, withTotal } = read;
    // Reading backwards (before a row) walks the order the other way; the answer is turned back.
    const forward = from?.side !== 'before';
    const asc = (sort.direction === 'asc') === forward;
    const dir = asc ? 'ASC' : 'DESC';
    const outDir = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const key = SORT_SQL[sort.field];
    const where = whereOf(f);
    const values = [...where.values];
    const p = (v: unknown) => `$${values.push(v)}`;
    const keyset = from
      ? `AND (${key}, t.id) ${asc ? '>' : '<'} (${p(from.key)}::${SORT_TYPE[sort.field]}, ${p(from.id)}::uuid)`
      : '';
    // The page size is written into the text and an offset of 0 left out (#26): with `LIMIT $n` the
    // planner cannot cost a generic plan, so it planned every page afresh (1.2-1.4 ms of the server's
    // time per request in bench:import); a fixed LIMIT lets it keep the plan. A page size is one of
    // few (1-200), an offset stays a parameter.
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`caseload page: limit ${limit} is not a positive integer`);
    const cut = offset > 0 ? `LIMIT ${limit} OFFSET ${p(offset)}` : `LIMIT ${limit}`;
    const today$ = p(today);
    const total = withTotal
      ? `,
              (${totalOf(where)}) AS total`
      : '';
    return {
      ...namedStatement(
        `WITH page AS (
         SELECT t.id, t.client_id, c.client_ref, t.municipality_code, m.name AS municipality_name, t.first_contact, t.status,
                t.registered_on, t.crisis, t.first_meeting_due,
                t.effective_steps, t.current_step, t.stalled_since, t.last_activity_on, t.dropout_on, t.dropout_reason,
                t.counselor_id, ${key} AS sort_key
         FROM trajectories t JOIN clients c ON c.id = t.client_id JOIN municipalities m ON m.code = t.municipality_code
         WHERE ${where.sql} ${keyset}
         ORDER BY ${key} ${dir}, t.id ${dir}
         ${cut}
       ),
       -- The page's services, type and open signals, each read once for the whole page (#26: a
       -- subquery per row cost 15-18 % of a cheap view's rate in bench:import).
       svc AS (
         SELECT s.trajectory_id, json_agg(s.kind) AS kinds FROM services s
         WHERE s.trajectory_id IN (SELECT id FROM page) AND (s.ended_on IS NULL OR s.ended_on >= ${today$}::date)
         GROUP BY s.trajectory_id
       ),
       ty AS (
         SELECT DISTINCT ON (a.client_id) a.client_id, json_build_object('code', ct.code, 'name', ct.name) AS client_type
         FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
         WHERE a.client_id IN (SELECT client_id FROM page)
         ORDER BY a.client_id, a.assessed_on DESC
       ),
       al AS (
         SELECT al.trajectory_id, count(*)::int AS n FROM alerts al
         WHERE al.trajectory_id IN (SELECT id FROM page) AND al.resolved_at IS NULL
         GROUP BY al.trajectory_id
       )
       SELECT p.client_id AS id, p.client_ref, p.id AS trajectory_id, p.municipality_code, p.municipality_name,
              p.first_contact, p.registered_on, p.crisis, p.first_meeting_due, p.status, p.effective_steps, p.current_step, p.stalled_since, p.last_activity_on,
              p.dropout_on, p.dropout_reason, p.counselor_id, coalesce(u.name, u.email) AS counselor_name,
              coalesce(svc.kinds, '[]') AS services, ty.client_type, coalesce(al.n, 0) AS open_alerts,
              p.sort_key::text AS sort_key${total}
       FROM page p LEFT JOIN users u ON u.id = p.counselor_id
         LEFT JOIN svc ON svc.trajectory_id = p.id
         LEFT JOIN ty ON ty.client_id = p.client_id
         LEFT JOIN al ON al.trajectory_id = p.id
       ORDER BY p.sort_key ${outDir}, p.id ${outDir}`,
      ),
      values,
    };
  }

  /** The organisation's client types (the caseload's filter offers them, and `unknown`). */
  clientTypes(em: EntityManager): Promise<{ code: string; name: string }[]> {
    return em.query(`SELECT code, name FROM client_types ORDER BY lower(name), code`);
  }

  async count(em: EntityManager, f: CaseloadFilters): Promise<number> {
    const where = whereOf(f);
    const [row] = await prepared<{ n: number }>(em, `SELECT (${totalOf(where)}) AS n`, where.values);
    return row.n;
  }
}
