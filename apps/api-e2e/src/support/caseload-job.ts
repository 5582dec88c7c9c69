import { Queue, QueueEvents } from 'bullmq';
import { JOBS, MarkStalledPayload, QUEUES } from '@klantmonitor/server/queues';

/**
 * The worker's nightly caseload job (stalled flags, first-meeting alerts, folding the kept
 * trajectory counts), run by a test and awaited: `run` answers the job's totals.
 */
export async function caseloadJob() {
  const connection = { url: process.env['KM_E2E_REDIS_URL'] as string };
  const queue = new Queue<MarkStalledPayload>(QUEUES.caseload, { connection });
  const events = new QueueEvents(QUEUES.caseload, { connection });
  await events.waitUntilReady();
  return {
    run: async (payload: MarkStalledPayload) =>
      (await queue.add(JOBS.markStalled, payload)).waitUntilFinished(events, 20_000),
    close: async () => {
      await events.close();
      await queue.close();
    },
  };
}

export type CaseloadJob = Awaited<ReturnType<typeof caseloadJob>>;
