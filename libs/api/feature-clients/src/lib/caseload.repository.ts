import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { STEP_CODES, type CaseloadSortField } from '@klantmonitor/shared/domain';
import { prepared } from '@klantmonitor/server/db';

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
  first_contact: string;
  status: string;
  effective_steps: Record<string, string | null>;
  current_step: string;
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
}

/** Where a page starts: after (or, reading backwards, before) this row of the same order. */
export interface CaseloadKey {
  key: string;
  id: string;
  side: 'after' | 'before';
}

/** The type of each sort key, for the cursor's text to compare as the key does. */
const SORT_TYPE: Record<CaseloadSortField, string> = {
  clientRef: 'text',
  firstContact: 'date',
  lastActivityOn: 'date',
  currentStep: 'int',
  municipality: 'text',
};

/** Sort keys; each sorts ties by the trajectory id in the same direction, so pages never overlap. */
const SORT_SQL: Record<CaseloadSortField, string> = {
  clientRef: 'c.client_ref',
  firstContact: 't.first_contact',
  lastActivityOn: 't.last_activity_on',
  currentStep: `array_position(ARRAY[${STEP_CODES.map((s) => `'${s}'`).join(', ')}]::text[], t.current_step)`,
  municipality: 'm.name',
};

/**
 * The caseload's filters ($1..$8). With a search, rows start from the matching clients
 * (km_search_clients: a trigram index, tenant stated in the function); without one $4 is null and
 * unused. Fixed texts per (search, sort), each planned once per connection.
 */
const filterSql = (search: boolean) => `($1::text IS NULL OR t.municipality_code = $1)
  AND ($2::text IS NULL OR t.current_step = $2)
  AND (NOT $3::boolean OR t.stalled_since IS NOT NULL)
  AND ${search ? 't.client_id IN (SELECT km_search_clients($4::text))' : '$4::text IS NULL'}
  AND ($5::text IS NULL OR t.status = $5)
  AND ($6::uuid IS NULL OR t.counselor_id = $6)
  AND ($7::text IS NULL OR coalesce((SELECT ct.code FROM assessments a JOIN client_types ct ON ct.id = a.client_type_id
                                     WHERE a.client_id = t.client_id ORDER BY a.assessed_on DESC LIMIT 1), 'unknown') = $7)
  AND (NOT $8::boolean OR EXISTS (SELECT 1 FROM alerts al WHERE al.trajectory_id = t.id AND al.resolved_at IS NULL))`;

const params = (f: CaseloadFilters) => [
  f.municipality,
  f.step,
  f.stalled,
  f.like,
  f.status,
  f.counselorId,
  f.clientType,
  f.alerts,
];

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
  rows(
    em: EntityManager,
    f: CaseloadFilters,
    sort: CaseloadSort,
    limit: number,
    offset: number,
    today: string,
    from: CaseloadKey | null = null,
  ): Promise<CaseloadRow[]> {
    // Reading backwards (before a row) walks the order the other way; the answer is turned back.
    const forward = from?.side !== 'before';
    const asc = (sort.direction === 'asc') === forward;
    const dir = asc ? 'ASC' : 'DESC';
    const outDir = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const key = SORT_SQL[sort.field];
    const keyset = from
      ? `AND (${key}, t.id) ${asc ? '>' : '<'} ($12::${SORT_TYPE[sort.field]}, $13::uuid)`
      : 'AND $12::text IS NULL AND $13::uuid IS NULL';
    return prepared<CaseloadRow>(
      em,
      `WITH page AS (
         SELECT t.id, t.client_id, c.client_ref, t.municipality_code, m.name AS municipality_name, t.first_contact, t.status,
                t.effective_steps, t.current_step, t.stalled_since, t.last_activity_on, t.dropout_on, t.dropout_reason,
                t.counselor_id, ${key} AS sort_key
         FROM trajectories t JOIN clients c ON c.id = t.client_id JOIN municipalities m ON m.code = t.municipality_code
         WHERE ${filterSql(f.like !== null)} ${keyset}
         ORDER BY ${key} ${dir}, t.id ${dir}
         LIMIT $9 OFFSET $10
       )
       SELECT p.client_id AS id, p.client_ref, p.id AS trajectory_id, p.municipality_code, p.municipality_name,
              p.first_contact, p.status, p.effective_steps, p.current_step, p.stalled_since, p.last_activity_on,
              p.dropout_on, p.dropout_reason, p.counselor_id, coalesce(u.name, u.email) AS counselor_name,
              (SELECT coalesce(json_agg(DISTINCT s.kind), '[]') FROM services s
                WHERE s.trajectory_id = p.id AND (s.ended_on IS NULL OR s.ended_on >= $11)) AS services,
              (SELECT json_build_object('code', ct.code, 'name', ct.name) FROM assessments a
                JOIN client_types ct ON ct.id = a.client_type_id
                WHERE a.client_id = p.client_id ORDER BY a.assessed_on DESC LIMIT 1) AS client_type,
              (SELECT count(*)::int FROM alerts al WHERE al.trajectory_id = p.id AND al.resolved_at IS NULL) AS open_alerts,
              p.sort_key::text AS sort_key
       FROM page p LEFT JOIN users u ON u.id = p.counselor_id
       ORDER BY p.sort_key ${outDir}, p.id ${outDir}`,
      [...params(f), limit, offset, today, from?.key ?? null, from?.id ?? null],
    );
  }

  /** The organisation's client types (the caseload's filter offers them, and `unknown`). */
  clientTypes(em: EntityManager): Promise<{ code: string; name: string }[]> {
    return em.query(`SELECT code, name FROM client_types ORDER BY lower(name), code`);
  }

  async count(em: EntityManager, f: CaseloadFilters): Promise<number> {
    const [row] = await prepared<{ n: number }>(
      em,
      `SELECT count(*)::int AS n FROM trajectories t WHERE ${filterSql(f.like !== null)}`,
      params(f),
    );
    return row.n;
  }
}
