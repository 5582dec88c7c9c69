import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { enqueue, JOBS, QUEUES } from '@klantmonitor/server/queues';

export interface RunRow {
  id: string;
  state: string;
  progress: number;
  params: Record<string, unknown>;
  n: number | null;
  excluded: number | null;
  items: string[] | null;
  dropped_items: string[] | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  /** k of the organisation's model when it came from this run. */
  active_k: number | null;
}

const ACTIVE_K = `(SELECT m.k FROM segmentation_models m WHERE m.run_id = segmentation_runs.id) AS active_k`;

/** All SQL of the API's side of segmentation_runs and intake_answers (docs/data-access.md). */
@Injectable()
export class SegmentationRepository {
  /** Clients whose latest answers in the window exist (before exclusion for gaps). */
  async clientsWithAnswers(em: EntityManager, from: string | null, to: string | null): Promise<number> {
    const [row]: { n: number }[] = await em.query(
      `SELECT count(DISTINCT client_id)::int AS n FROM intake_answers
       WHERE ($1::date IS NULL OR answered_on >= $1::date) AND ($2::date IS NULL OR answered_on <= $2::date)`,
      [from, to],
    );
    return row.n;
  }

  /** The run and its job (through the outbox, in the same transaction). */
  async create(em: EntityManager, params: Record<string, unknown>, userId: string): Promise<string> {
    const [{ id }]: { id: string }[] = await em.query(
      `INSERT INTO segmentation_runs (organisation_id, params, created_by) VALUES (km_current_organisation_id(), $1::jsonb, $2) RETURNING id`,
      [JSON.stringify(params), userId],
    );
    await enqueue(em, [
      {
        queue: QUEUES.segmentation,
        name: JOBS.segmentationRun,
        jobId: `segmentation-${id}-${randomUUID()}`,
        payload: { runId: id },
      },
    ]);
    return id;
  }

  /** The organisation's run that is waiting or running (at most one: uq_segmentation_runs_active). */
  async active(em: EntityManager): Promise<{ id: string; state: string } | null> {
    const [row]: { id: string; state: string }[] = await em.query(
      `SELECT id, state FROM segmentation_runs WHERE state IN ('queued', 'running') LIMIT 1`,
    );
    return row ?? null;
  }

  async list(em: EntityManager): Promise<RunRow[]> {
    return em.query(
      `SELECT id, state, progress, params, n, excluded, items, dropped_items, error, created_at, finished_at, ${ACTIVE_K}
       FROM segmentation_runs ORDER BY created_at DESC, id LIMIT 100`,
    );
  }

  async get(
    em: EntityManager,
    id: string,
  ): Promise<
    | (RunRow & {
        scenarios: ScenarioRow[] | null;
        active_types: { name: string; description: string | null }[] | null;
      })
    | null
  > {
    const [row] = await em.query(
      `SELECT id, state, progress, params, n, excluded, items, dropped_items, error, created_at, finished_at, ${ACTIVE_K},
              (SELECT json_agg(json_build_object('name', ct.name, 'description', ct.description) ORDER BY u.ord)
               FROM segmentation_models m CROSS JOIN LATERAL unnest(m.client_type_ids) WITH ORDINALITY AS u(id, ord)
               JOIN client_types ct ON ct.id = u.id WHERE m.run_id = segmentation_runs.id) AS active_types,
              (SELECT jsonb_agg(jsonb_build_object('k', s->'k', 'sizes', s->'sizes', 'withinSS', s->'withinSS', 'silhouette', s->'silhouette',
                                                   'calinskiHarabasz', s->'calinskiHarabasz') ORDER BY (s->>'k')::int)
               FROM jsonb_array_elements(scenarios) s) AS scenarios
       FROM segmentation_runs WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** One scenario's sizes and profile (null: no such completed run or k). */
  async scenario(em: EntityManager, id: string, k: number): Promise<{ profile: unknown[]; sizes: number[] } | null> {
    const [row]: {
      scenario: { sizes: number[]; profile: unknown[] } | null;
    }[] = await em.query(
      `SELECT (SELECT jsonb_build_object('sizes', s->'sizes', 'profile', s->'profile') FROM jsonb_array_elements(scenarios) s
               WHERE (s->>'k')::int = $2) AS scenario
       FROM segmentation_runs WHERE id = $1 AND state = 'completed'`,
      [id, k],
    );
    return row?.scenario ?? null;
  }

  /** Each client's segment in scenario k, by client reference (null: no such completed run or k). */
  async assignments(
    em: EntityManager,
    id: string,
    k: number,
  ): Promise<{ clientRef: string; segment: number }[] | null> {
    const [row]: { rows: { clientRef: string; segment: number }[] | null }[] = await em.query(
      `SELECT (SELECT coalesce(json_agg(json_build_object('clientRef', c.client_ref, 'segment', a.segments[$2 - (r.params->>'kMin')::int + 1])
                                          ORDER BY c.client_ref), '[]')
                 FROM segmentation_assignments a JOIN clients c ON c.id = a.client_id WHERE a.run_id = r.id) AS rows
         FROM segmentation_runs r
         WHERE r.id = $1 AND r.state = 'completed' AND $2 BETWEEN (r.params->>'kMin')::int AND (r.params->>'kMax')::int`,
      [id, k],
    );
    return row ? (row.rows ?? []) : null;
  }

  /** Queued or running -> cancelled; returns the state afterwards, null for no such run. */
  async cancel(em: EntityManager, id: string): Promise<string | null> {
    // As a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count], a SELECT with rows.
    const [row]: { state: string }[] = await em.query(
      `WITH u AS (
         UPDATE segmentation_runs SET state = CASE WHEN state IN ('queued', 'running') THEN 'cancelled' ELSE state END,
                finished_at = CASE WHEN state IN ('queued', 'running') THEN now() ELSE finished_at END
         WHERE id = $1 RETURNING state)
       SELECT state FROM u`,
      [id],
    );
    return row?.state ?? null;
  }
}

export interface ScenarioRow {
  k: number;
  sizes: number[];
  withinSS: number;
  silhouette: number | null;
  calinskiHarabasz: number | null;
}

/** What activation and the outcomes need of a completed run's scenario. */
export interface ScenarioModel {
  centroids: number[][];
  items: string[];
  means: number[];
  sds: number[];
  answeredFrom: string | null;
  answeredTo: string | null;
  /** Position of k in each client's `segments` (1-based, as PostgreSQL arrays are). */
  index: number;
}

export async function scenarioModel(em: EntityManager, id: string, k: number): Promise<ScenarioModel | null> {
  const [row]: {
    centroids: number[][] | null;
    items: string[];
    means: number[];
    sds: number[];
    params: {
      answeredFrom: string | null;
      answeredTo: string | null;
      kMin: number;
    };
  }[] = await em.query(
    `SELECT (SELECT s->'centroids' FROM jsonb_array_elements(scenarios) s WHERE (s->>'k')::int = $2) AS centroids,
            items, means, sds, params
     FROM segmentation_runs WHERE id = $1 AND state = 'completed'`,
    [id, k],
  );
  if (!row?.centroids) return null;
  return {
    centroids: row.centroids,
    items: row.items,
    means: row.means.map(Number),
    sds: row.sds.map(Number),
    answeredFrom: row.params.answeredFrom,
    answeredTo: row.params.answeredTo,
    index: k - Number(row.params.kMin) + 1,
  };
}

/** The run's clients with their segment and the day of their latest answers in the run's window. */
export async function segmentsWithAnswerDays(
  em: EntityManager,
  id: string,
  m: ScenarioModel,
): Promise<{ clientId: string; segment: number; day: string }[]> {
  const [row]: {
    rows: { clientId: string; segment: number; day: string }[] | null;
  }[] = await em.query(
    // A join with the grouped answers, not a LATERAL per client: right after the worker wrote the
    // assignments the planner has no statistics for them, and a LATERAL there once ran for minutes.
    `SELECT json_agg(json_build_object('clientId', a.client_id, 'segment', a.segments[$2], 'day', d.day)) AS rows
     FROM segmentation_assignments a
     JOIN (SELECT client_id, max(answered_on)::text AS day FROM intake_answers
           WHERE ($3::date IS NULL OR answered_on >= $3::date) AND ($4::date IS NULL OR answered_on <= $4::date)
           GROUP BY client_id) d ON d.client_id = a.client_id
     WHERE a.run_id = $1`,
    [id, m.index, m.answeredFrom, m.answeredTo],
  );
  return row?.rows ?? [];
}

/** Client types by code, created or renamed; ids in the order given. */
export async function upsertClientTypes(
  em: EntityManager,
  types: { code: string; name: string; description: string | null }[],
): Promise<string[]> {
  const rows: { id: string; code: string }[] = await em.query(
    `INSERT INTO client_types (organisation_id, code, name, description)
     SELECT km_current_organisation_id(), t.code, t.name, t.description FROM unnest($1::text[], $2::text[], $3::text[]) AS t(code, name, description)
     ON CONFLICT ON CONSTRAINT uq_client_types_code DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description
     RETURNING id, code`,
    [types.map((t) => t.code), types.map((t) => t.name), types.map((t) => t.description)],
  );
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return types.map((t) => byCode.get(t.code) as string);
}

/**
 * Transitions (docs/metrics.md): clients with an assessment on or before both dates; the latest on or
 * before each date; counts per (type at from, type at to), by client type id. One pass over the
 * assessments grouped by client (`from` <= `to`: the service checks). Written this way after the
 * form with two DISTINCT ON sets joined on the client took 90 s at 100,000 clients: the planner
 * estimated 305 rows for one side and chose a nested loop.
 */
export async function transitionCounts(
  em: EntityManager,
  from: string,
  to: string,
): Promise<{ from_id: string; to_id: string; n: number }[]> {
  return em.query(
    `SELECT f AS from_id, t AS to_id, count(*)::int AS n
     FROM (SELECT (array_agg(client_type_id ORDER BY assessed_on DESC) FILTER (WHERE assessed_on <= $1::date))[1] AS f,
                  (array_agg(client_type_id ORDER BY assessed_on DESC))[1] AS t
           FROM assessments WHERE assessed_on <= $2::date GROUP BY client_id) x
     WHERE f IS NOT NULL
     GROUP BY 1, 2`,
    [from, to],
  );
}

export async function clientTypeCodes(em: EntityManager): Promise<{ id: string; code: string; name: string }[]> {
  return em.query('SELECT id, code, name FROM client_types ORDER BY code');
}

/**
 * The trajectories of a run's clients with their segment in scenario `index`, as the metrics library
 * reads them. One JSON document rather than a row per client: at 100,000 clients PostgreSQL builds
 * it faster than node-postgres parses the rows.
 */
export async function segmentTrajectories(
  em: EntityManager,
  id: string,
  index: number,
): Promise<
  {
    segment: number;
    municipality: string;
    firstContact: string;
    steps: Record<string, string>;
    dropoutOn: string | null;
  }[]
> {
  const [row]: {
    rows: [number, string, string, Record<string, string>, string | null][] | null;
  }[] = await em.query(
    `SELECT json_agg(json_build_array(a.segments[$2], t.municipality_code, t.first_contact, t.effective_steps, t.dropout_on)) AS rows
     FROM segmentation_assignments a JOIN trajectories t ON t.client_id = a.client_id
     WHERE a.run_id = $1 AND t.first_contact IS NOT NULL`,
    [id, index],
  );
  return (row?.rows ?? []).map(([segment, municipality, firstContact, steps, dropoutOn]) => ({
    segment,
    municipality,
    firstContact,
    steps,
    dropoutOn,
  }));
}

/**
 * A fingerprint of the organisation's rows of `table`: their number and the sum of the ids of the
 * transactions that last wrote them (xmin). Any insert, update or delete changes it, whatever the
 * statement; the result cache compares it (result-cache.ts). The sum is taken through age(): each
 * age(xmin) is "newest transaction - xmin", and subtracting count * age(xid 3) cancels the newest
 * transaction, leaving count * 3 - sum(xmin), the same between calls while nothing changed. Four
 * times faster than casting every xmin to text (13 against 58 ms for 200,000 rows); exact for rows
 * written within the last 2 billion transactions, which freezing keeps true.
 */
export async function rowsFingerprint(em: EntityManager, table: 'trajectories' | 'assessments'): Promise<string> {
  const [row]: { f: string }[] = await em.query(
    `SELECT count(*)::text || ':' || coalesce(sum(age(xmin)::bigint) - count(*) * age('3'::xid)::bigint, 0)::text AS f FROM ${table}`,
  );
  return row.f;
}

/** The organisation's small-cell setting (organisations.min_cell; null: not set). */
export async function organisationMinCell(em: EntityManager): Promise<number | null> {
  const [row]: { min_cell: number | null }[] = await em.query(
    'SELECT min_cell FROM organisations WHERE id = km_current_organisation_id()',
  );
  return row?.min_cell ?? null;
}
