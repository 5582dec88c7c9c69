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

/**
 * Asks for the trajectory's waves to be planned now (a new client, a step change). Written in the
 * caller's transaction, so the request never depends on Redis and never loses the job.
 */
export async function requestPlanning(em: EntityManager, trajectoryIds: string[]): Promise<void> {
  if (trajectoryIds.length === 0) return;
  await em.query(
    `INSERT INTO outbox (organisation_id, queue, job_name, job_id, payload)
     VALUES (km_current_organisation_id(), $1::text, $2::text, $3::text, jsonb_set($4::jsonb, '{organisationId}', to_jsonb(km_current_organisation_id())))`,
    planningParams(trajectoryIds),
  );
}

function planningParams(trajectoryIds: string[]): unknown[] {
  const payload: PlanInvitationsPayload = { trajectoryIds };
  return [QUEUES.questionnaires, JOBS.planInvitations, `plan-${randomUUID()}`, JSON.stringify(payload)];
}

/**
 * Asks for the current organisation's analytics to be recomputed (after an import), in the
 * caller's transaction like every job a change causes.
 */
export async function requestAnalyticsRecompute(em: EntityManager, requestedBy: string): Promise<void> {
  await em.query(
    `INSERT INTO outbox (organisation_id, queue, job_name, job_id, payload)
     VALUES (km_current_organisation_id(), $1, $2, $3, jsonb_build_object('organisationId', km_current_organisation_id(), 'requestedBy', $4::text))`,
    [QUEUES.analytics, JOBS.recomputeAnalytics, `recompute-${randomUUID()}`, requestedBy],
  );
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
