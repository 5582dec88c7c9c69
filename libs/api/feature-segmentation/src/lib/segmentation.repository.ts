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
