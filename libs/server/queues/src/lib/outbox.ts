/**
 * The transactional outbox every queue uses (docs/data-access.md, the outbox): a change writes the job it causes
 * into `outbox` in its own transaction, so the job is never lost and never depends on Redis being
 * up; the worker's relay (OutboxRelayService) moves the rows to BullMQ. The table and its functions:
 * libs/server/db/sql and the questionnaires migration.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { JOBS, outboxJobOptions, PlanInvitationsPayload, QUEUES } from './queues';

export interface OutboxRow {
  id: string;
  queue: string;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
}

/** A job a change causes: its queue, name, id (the queue dedupes by it) and payload. */
export interface OutboxJob {
  queue: string;
  name: string;
  jobId: string;
  payload: Record<string, unknown>;
}

/**
 * The one way into the outbox (#26): the jobs as rows of the current organisation (its id added to
 * every payload as `organisationId`), in the caller's transaction, so a job is never lost and never
 * depends on Redis being up. One statement for any number of jobs (sql/queues/enqueue-v1.sql
 * km_enqueue, which the step mark calls too). Returns how many were written.
 */
export async function enqueue(em: Pick<EntityManager, 'query'>, jobs: readonly OutboxJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const [r]: { n: number }[] = await em.query(
    'SELECT km_enqueue($1::text[], $2::text[], $3::text[], $4::jsonb[]) AS n',
    [
      jobs.map((j) => j.queue),
      jobs.map((j) => j.name),
      jobs.map((j) => j.jobId),
      jobs.map((j) => JSON.stringify(j.payload)),
    ],
  );
  return r.n;
}

/**
 * Asks for the trajectory's waves to be planned now (a new client, a step change). Written in the
 * caller's transaction, so the request never depends on Redis and never loses the job.
 */
export async function requestPlanning(em: EntityManager, trajectoryIds: string[]): Promise<void> {
  if (trajectoryIds.length === 0) return;
  const payload: PlanInvitationsPayload = { trajectoryIds };
  await enqueue(em, [
    {
      queue: QUEUES.questionnaires,
      name: JOBS.planInvitations,
      jobId: `plan-${randomUUID()}`,
      payload: { ...payload },
    },
  ]);
}

/**
 * Asks for the current organisation's analytics to be recomputed (after an import), in the
 * caller's transaction like every job a change causes.
 */
export async function requestAnalyticsRecompute(em: EntityManager, requestedBy: string): Promise<void> {
  await enqueue(em, [
    {
      queue: QUEUES.analytics,
      name: JOBS.recomputeAnalytics,
      jobId: `recompute-${randomUUID()}`,
      payload: { requestedBy },
    },
  ]);
}

/** Adds jobs in bulk; the queue dedupes by job id, so relaying a row twice is harmless. */
export type AddBulk = (
  queue: string,
  jobs: { name: string; data: Record<string, unknown>; opts: { jobId: string } & Record<string, unknown> }[],
) => Promise<void>;

/**
 * Moves unrelayed outbox rows to BullMQ, oldest first, in batches; marks them relayed only after
 * Redis accepted them. A failure leaves the rows for the next pass (at least once; ids dedupe).
 */
export async function relayOutbox(
  global: EntityManager,
  addBulk: AddBulk,
  batch = 1000,
  maxBatches = 20,
): Promise<number> {
  let moved = 0;
  for (let b = 0; b < maxBatches; b++) {
    const rows: OutboxRow[] = await global.query(`SELECT * FROM km_outbox_pending($1)`, [batch]);
    if (rows.length === 0) break;
    const byQueue = new Map<string, OutboxRow[]>();
    for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    for (const [queue, list] of byQueue) {
      await addBulk(
        queue,
        list.map((r) => ({
          name: r.job_name,
          data: r.payload,
          opts: { jobId: r.job_id, ...outboxJobOptions(r.queue, r.job_name, r.payload) },
        })),
      );
    }
    await global.query(`SELECT km_outbox_mark_relayed($1::bigint[])`, [rows.map((r) => r.id)]);
    moved += rows.length;
    if (rows.length < batch) break;
  }
  return moved;
}
