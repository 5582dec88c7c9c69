import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { IntakeRow, ProfileRow, Scenario } from '@klantmonitor/shared/metrics';

/** A finished run: the clients and standardisation it used, every scenario with its profile. */
export interface SegmentationResult {
  clientIds: string[];
  excluded: number;
  items: string[];
  droppedItems: string[];
  means: number[];
  sds: number[];
  scenarios: (Scenario & { profile: ProfileRow[] })[];
}

export interface RunParams {
  kMin: number;
  kMax: number;
  restarts: number;
  seed: number;
  items: string[];
  answeredFrom: string | null;
  answeredTo: string | null;
}

/** All SQL of the worker's side of segmentation_runs and its reads of intake_answers (rule 13). */
@Injectable()
export class SegmentationWorkerRepository {
  async run(em: EntityManager, id: string): Promise<{ state: string; params: RunParams } | null> {
    const [row]: { state: string; params: RunParams }[] = await em.query(
      'SELECT state, params FROM segmentation_runs WHERE id = $1',
      [id],
    );
    return row ?? null;
  }

  /** Queued -> running; false when it was cancelled (or taken) meanwhile. */
  async start(em: EntityManager, id: string): Promise<boolean> {
    // CTEs: TypeORM answers a bare UPDATE ... RETURNING with [rows, count], a SELECT with rows.
    const rows: unknown[] = await em.query(
      `WITH u AS (UPDATE segmentation_runs SET state = 'running', started_at = now() WHERE id = $1 AND state IN ('queued', 'running') RETURNING id)
       SELECT id FROM u`,
      [id],
    );
    return rows.length > 0;
  }

  /** Each client's latest answers in the window (docs/api.md). */
  async latestAnswers(em: EntityManager, from: string | null, to: string | null): Promise<IntakeRow[]> {
    const rows: { client_id: string; answers: Record<string, number> }[] = await em.query(
      `SELECT DISTINCT ON (client_id) client_id, answers FROM intake_answers
       WHERE ($1::date IS NULL OR answered_on >= $1::date) AND ($2::date IS NULL OR answered_on <= $2::date)
       ORDER BY client_id, answered_on DESC`,
      [from, to],
    );
    return rows.map((r) => ({ clientId: r.client_id, answers: r.answers }));
  }

  /** Progress 0..1; returns the run's state (the API may have cancelled it). */
  async progress(em: EntityManager, id: string, progress: number): Promise<string> {
    const [row]: { state: string }[] = await em.query(
      `WITH u AS (UPDATE segmentation_runs SET progress = CASE WHEN state = 'running' THEN $2 ELSE progress END WHERE id = $1 RETURNING state)
       SELECT state FROM u`,
      [id, progress],
    );
    return row?.state ?? 'cancelled';
  }

  /**
   * Stores a finished run: its figures, centroids and profiles in the run, each client's segment
   * per scenario in segmentation_assignments (in chunks: 100,000 clients are one statement each
   * 20,000), all in the caller's transaction.
   */
  async complete(em: EntityManager, id: string, r: SegmentationResult): Promise<void> {
    const scenarios = r.scenarios.map(({ clusters: _c, ...rest }) => rest);
    const updated: unknown[] = await em.query(
      `WITH u AS (
         UPDATE segmentation_runs SET state = 'completed', progress = 1, finished_at = now(), n = $2, excluded = $3, items = $4,
                dropped_items = $5, means = $6, sds = $7, scenarios = $8::jsonb
         WHERE id = $1 AND state = 'running' RETURNING id)
       SELECT id FROM u`,
      [id, r.clientIds.length, r.excluded, r.items, r.droppedItems, r.means, r.sds, JSON.stringify(scenarios)],
    );
    if (updated.length === 0) return; // cancelled at the last moment: nothing to store
    const CHUNK = 20_000;
    for (let start = 0; start < r.clientIds.length; start += CHUNK) {
      const ids = r.clientIds.slice(start, start + CHUNK);
      const segments = ids.map((_, i) => `{${r.scenarios.map((s) => s.clusters[start + i]).join(',')}}`);
      await em.query(
        `INSERT INTO segmentation_assignments (organisation_id, run_id, client_id, segments)
         SELECT km_current_organisation_id(), $1, t.client_id, t.segments::smallint[]
         FROM unnest($2::uuid[], $3::text[]) AS t(client_id, segments)
         JOIN clients c ON c.id = t.client_id`,
        [id, ids, segments],
      );
    }
    // Statistics for the reads that follow at once (activation, outcomes): without them the planner
    // takes 100,000 fresh rows for a handful.
    if (r.clientIds.length >= 1000) await em.query('ANALYZE segmentation_assignments');
  }

  /** `code`: too_few_clients (after leaving out clients with too many gaps) or computation_failed. */
  async fail(
    em: EntityManager,
    id: string,
    code: 'too_few_clients' | 'computation_failed',
    counts?: { n: number; excluded: number },
  ): Promise<void> {
    await em.query(
      `UPDATE segmentation_runs SET state = 'failed', finished_at = now(), error = $2, n = coalesce($3, n), excluded = coalesce($4, excluded)
       WHERE id = $1 AND state IN ('queued', 'running')`,
      [id, code, counts?.n ?? null, counts?.excluded ?? null],
    );
  }
}
