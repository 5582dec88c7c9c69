import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { dirname, join } from 'node:path';
import { TenantDb } from '@klantmonitor/server/db';
import { QUEUES, SegmentationRunPayload } from '@klantmonitor/server/queues';
import { prepareSegmentationData, profile } from '@klantmonitor/shared/metrics';
import { computeScenarios, PoolCancelled, type PoolRun } from './segmentation-pool';
import { SegmentationResult, SegmentationWorkerRepository } from './segmentation.repository';

/** The thread entry: beside the worker's own bundle (apps/worker's second webpack entry). */
function threadScript(): string {
  return join(dirname(require.main?.filename ?? process.argv[1]), 'segmentation-thread.js');
}

/** Threads per run: the machine's cores, at most 4 (the rest of the worker keeps running). */
export const SEGMENTATION_THREADS = Math.max(1, Math.min(4, availableParallelism()));

/**
 * A run stopped because the worker shuts down: the job fails this attempt and BullMQ runs it again
 * on the next start (attempts and backoff of DEFAULT_JOB_OPTIONS); the run stays `running` meanwhile.
 */
export class InterruptedByShutdown extends Error {
  constructor() {
    super('segmentation run interrupted by the worker shutting down; it runs again on the next start');
  }
}

/** Progress is written at most this often (and whenever a multiple of `restarts` is done). */
const PROGRESS_EVERY_MS = 1000;

/**
 * One segmentation run: reads each client's latest intake answers in the window, prepares them
 * here, computes every scenario in worker threads (so this thread keeps renewing the job lock and
 * notices a cancellation), the profiles here, and stores the result. One run at a time per worker:
 * it uses the cores fully.
 */
@Processor(QUEUES.segmentation, { concurrency: 1, lockDuration: 60_000 })
export class SegmentationProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SegmentationProcessor.name);
  /** Set on SIGTERM: running threads are stopped, so the shutdown does not wait for a whole run. */
  private stopping = false;
  private readonly pools = new Set<PoolRun>();

  constructor(
    private readonly db: TenantDb,
    private readonly runs: SegmentationWorkerRepository,
  ) {
    super();
  }

  /** Before BullMQ closes its workers (which waits for running jobs): stop the threads. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.pools].map((p) => p.cancel()));
  }

  async process(job: Job<SegmentationRunPayload>): Promise<unknown> {
    const { organisationId, runId } = job.data;
    const scope = { organisationId };
    const run = await this.db.run(scope, (em) => this.runs.run(em, runId));
    if (!run) return { outcome: 'nothing_to_do', detail: 'no such run' };
    if (!(await this.db.run(scope, (em) => this.runs.start(em, runId))))
      return { outcome: 'nothing_to_do', detail: run.state };
    const p = run.params;
    try {
      const data = prepareSegmentationData(
        await this.db.run(scope, (em) => this.runs.latestAnswers(em, p.answeredFrom, p.answeredTo)),
        p.items,
      );
      const n = data.clientIds.length;
      if (n < Math.max(p.kMax, 2)) {
        await this.db.run(scope, (em) =>
          this.runs.fail(em, runId, 'too_few_clients', {
            n,
            excluded: data.excluded,
          }),
        );
        return { outcome: 'too_few', n };
      }
      const started = Date.now();
      let mainHeapPeak = 0;
      const sampleHeap = () => (mainHeapPeak = Math.max(mainHeapPeak, getHeapStatistics().used_heap_size / 1048576));
      sampleHeap();
      let lastWrite = 0;
      let cancelled = false;
      const pool = computeScenarios(
        data.z,
        { kMin: p.kMin, kMax: p.kMax, restarts: p.restarts, seed: p.seed },
        {
          script: threadScript(),
          threads: SEGMENTATION_THREADS,
          onProgress: (done, total) => {
            sampleHeap();
            const now = Date.now();
            if (now - lastWrite < PROGRESS_EVERY_MS && done % p.restarts) return;
            lastWrite = now;
            void this.writeProgress(job, scope, runId, done / total).then((state) => {
              if (state !== 'cancelled' || cancelled) return;
              cancelled = true;
              void pool.cancel();
            });
          },
        },
      );
      this.pools.add(pool);
      if (this.stopping) void pool.cancel();
      let scenarios;
      try {
        scenarios = await pool.result;
      } catch (e) {
        if (e instanceof PoolCancelled && !cancelled && this.stopping) throw new InterruptedByShutdown();
        if (e instanceof PoolCancelled) return { outcome: 'cancelled' };
        throw e;
      } finally {
        this.pools.delete(pool);
      }
      const result: SegmentationResult = {
        clientIds: data.clientIds,
        excluded: data.excluded,
        items: data.items,
        droppedItems: data.droppedItems,
        means: data.means,
        sds: data.sds,
        scenarios: scenarios.map((s) => ({
          ...s,
          profile: profile(data.raw, data.z, s.clusters, s.k, data.items),
        })),
      };
      sampleHeap();
      await this.db.run(scope, (em) => this.runs.complete(em, runId, result));
      const figures = {
        n,
        seconds: (Date.now() - started) / 1000,
        threads: SEGMENTATION_THREADS,
        heapPeakMb: Math.round(mainHeapPeak + pool.threadHeapPeakMb()),
      };
      this.logger.log(`segmentation run ${runId} completed: ${JSON.stringify(figures)}`);
      return { outcome: 'completed', ...figures };
    } catch (e) {
      if (!(e instanceof InterruptedByShutdown))
        await this.db.run(scope, (em) => this.runs.fail(em, runId, 'computation_failed'));
      throw e;
    }
  }

  /** Progress in the job and the run (below 1 until stored); the run's state after the write. */
  private async writeProgress(
    job: Job,
    scope: { organisationId: string },
    runId: string,
    progress: number,
  ): Promise<string | null> {
    try {
      await job.updateProgress(Math.round(progress * 100));
      return await this.db.run(scope, (em) => this.runs.progress(em, runId, Math.min(progress, 0.99)));
    } catch (e) {
      this.logger.warn(`progress of run ${runId}: ${(e as Error).message}`);
      return null;
    }
  }
}
