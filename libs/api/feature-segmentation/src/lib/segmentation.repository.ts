import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { JOBS, QUEUES } from '@klantmonitor/server/queues';

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
}

/** All SQL of the API's side of segmentation_runs and intake_answers (style.md rule 13). */
@Injectable()
export class SegmentationRepository {
  /** Clients whose latest answers in the window exist (before exclusion for gaps). */
  async clientsWithAnswers(
    em: EntityManager,
    from: string | null,
    to: string | null,
  ): Promise<number> {
    const [row]: { n: number }[] = await em.query(
      `SELECT count(DISTINCT client_id)::int AS n FROM intake_answers
       WHERE ($1::date IS NULL OR answered_on >= $1::date) AND ($2::date IS NULL OR answered_on <= $2::date)`,
      [from, to],
    );
    return row.n;
  }

  /** The run and its job (through the outbox, in the same transaction). */
  async create(
    em: EntityManager,
    params: Record<string, unknown>,
    userId: string,
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await em.query(
      `INSERT INTO segmentation_runs (organisation_id, params, created_by) VALUES (km_current_organisation_id(), $1::jsonb, $2) RETURNING id`,
      [JSON.stringify(params), userId],
    );
    await em.query(
      `INSERT INTO outbox (organisation_id, queue, job_name, job_id, payload)
       VALUES (km_current_organisation_id(), $1, $2, $3, jsonb_build_object('organisationId', km_current_organisation_id(), 'runId', $4::text))`,
      [
        QUEUES.segmentation,
        JOBS.segmentationRun,
        `segmentation-${id}-${randomUUID()}`,
        id,
      ],
    );
    return id;
  }

  async list(em: EntityManager): Promise<RunRow[]> {
    return em.query(
      `SELECT id, state, progress, params, n, excluded, items, dropped_items, error, created_at, finished_at
       FROM segmentation_runs ORDER BY created_at DESC, id LIMIT 100`,
    );
  }

  async get(
    em: EntityManager,
    id: string,
  ): Promise<(RunRow & { scenarios: ScenarioRow[] | null }) | null> {
    const [row] = await em.query(
      `SELECT id, state, progress, params, n, excluded, items, dropped_items, error, created_at, finished_at,
              (SELECT jsonb_agg(jsonb_build_object('k', s->'k', 'sizes', s->'sizes', 'withinSS', s->'withinSS', 'silhouette', s->'silhouette',
                                                   'calinskiHarabasz', s->'calinskiHarabasz') ORDER BY (s->>'k')::int)
               FROM jsonb_array_elements(scenarios) s) AS scenarios
       FROM segmentation_runs WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** One scenario's segments per client (with the client's reference) and its profile. */
  async scenario(
    em: EntityManager,
    id: string,
    k: number,
  ): Promise<{
    assignments: { clientRef: string; segment: number }[];
    profile: unknown[];
    sizes: number[];
  } | null> {
    const [row]: {
      scenario: ScenarioRow & { clusters: number[]; profile: unknown[] };
      client_ids: string[];
    }[] = await em.query(
      `SELECT (SELECT s FROM jsonb_array_elements(scenarios) s WHERE (s->>'k')::int = $2) AS scenario, client_ids
       FROM segmentation_runs WHERE id = $1 AND state = 'completed'`,
      [id, k],
    );
    if (!row?.scenario) return null;
    const refs: { id: string; client_ref: string }[] = await em.query(
      `SELECT id, client_ref FROM clients WHERE id = ANY($1::uuid[])`,
      [row.client_ids],
    );
    const refOf = new Map(refs.map((r) => [r.id, r.client_ref]));
    return {
      sizes: row.scenario.sizes,
      profile: row.scenario.profile,
      assignments: row.client_ids.map((c, i) => ({
        clientRef: refOf.get(c) ?? '',
        segment: row.scenario.clusters[i],
      })),
    };
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

/** What activation needs of a completed run's scenario. */
export interface ScenarioModel {
  clientIds: string[];
  clusters: number[];
  centroids: number[][];
  items: string[];
  means: number[];
  sds: number[];
  answeredFrom: string | null;
  answeredTo: string | null;
}

export async function scenarioModel(
  em: EntityManager,
  id: string,
  k: number,
): Promise<ScenarioModel | null> {
  const [row]: {
    s: { clusters: number[]; centroids: number[][] } | null;
    client_ids: string[];
    items: string[];
    means: number[];
    sds: number[];
    params: { answeredFrom: string | null; answeredTo: string | null };
  }[] = await em.query(
    `SELECT (SELECT jsonb_build_object('clusters', s->'clusters', 'centroids', s->'centroids') FROM jsonb_array_elements(scenarios) s WHERE (s->>'k')::int = $2) AS s,
              client_ids, items, means, sds, params
       FROM segmentation_runs WHERE id = $1 AND state = 'completed'`,
    [id, k],
  );
  if (!row?.s) return null;
  return {
    clientIds: row.client_ids,
    clusters: row.s.clusters,
    centroids: row.s.centroids,
    items: row.items,
    means: row.means.map(Number),
    sds: row.sds.map(Number),
    answeredFrom: row.params.answeredFrom,
    answeredTo: row.params.answeredTo,
  };
}

/** The day of each client's latest answers in the window (the assessment's date). */
export async function latestAnswerDays(
  em: EntityManager,
  clientIds: string[],
  from: string | null,
  to: string | null,
): Promise<Map<string, string>> {
  const rows: { client_id: string; day: string }[] = await em.query(
    `SELECT client_id, max(answered_on)::text AS day FROM intake_answers
     WHERE client_id = ANY($1::uuid[]) AND ($2::date IS NULL OR answered_on >= $2::date) AND ($3::date IS NULL OR answered_on <= $3::date)
     GROUP BY client_id`,
    [clientIds, from, to],
  );
  return new Map(rows.map((r) => [r.client_id, r.day]));
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
    [
      types.map((t) => t.code),
      types.map((t) => t.name),
      types.map((t) => t.description),
    ],
  );
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return types.map((t) => byCode.get(t.code) as string);
}

/**
 * Transitions (metrics.md): clients with an assessment on or before both dates; the latest on or
 * before each date; counts per (type at from, type at to).
 */
export async function transitionCounts(
  em: EntityManager,
  from: string,
  to: string,
): Promise<{ from_code: string; to_code: string; n: number }[]> {
  return em.query(
    `WITH at_from AS (
       SELECT DISTINCT ON (client_id) client_id, client_type_id FROM assessments WHERE assessed_on <= $1::date ORDER BY client_id, assessed_on DESC),
     at_to AS (
       SELECT DISTINCT ON (client_id) client_id, client_type_id FROM assessments WHERE assessed_on <= $2::date ORDER BY client_id, assessed_on DESC)
     SELECT tf.code AS from_code, tt.code AS to_code, count(*)::int AS n
     FROM at_from f JOIN at_to t USING (client_id)
     JOIN client_types tf ON tf.id = f.client_type_id JOIN client_types tt ON tt.id = t.client_type_id
     GROUP BY 1, 2`,
    [from, to],
  );
}

export async function clientTypeCodes(
  em: EntityManager,
): Promise<{ code: string; name: string }[]> {
  return em.query('SELECT code, name FROM client_types ORDER BY code');
}

/** The trajectories of the given clients, as the metrics library reads them. */
export async function trajectoriesOf(
  em: EntityManager,
  clientIds: string[],
): Promise<
  {
    clientId: string;
    municipality: string;
    firstContact: string;
    steps: Record<string, string>;
    dropoutOn: string | null;
  }[]
> {
  const rows: {
    client_id: string;
    municipality_code: string;
    first_contact: string;
    effective_steps: Record<string, string>;
    dropout_on: string | null;
  }[] = await em.query(
    `SELECT client_id, municipality_code, first_contact::text AS first_contact, effective_steps, dropout_on::text AS dropout_on
     FROM trajectories WHERE client_id = ANY($1::uuid[])`,
    [clientIds],
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    municipality: r.municipality_code,
    firstContact: r.first_contact,
    steps: r.effective_steps,
    dropoutOn: r.dropout_on,
  }));
}
