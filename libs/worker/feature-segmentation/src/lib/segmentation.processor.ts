import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { Worker } from 'node:worker_threads';
import { TenantDb } from '@klantmonitor/server/db';
import { QUEUES, SegmentationRunPayload } from '@klantmonitor/server/queues';
import type {
  SegmentationThreadInput,
  SegmentationThreadMessage,
} from './segmentation-thread';
import { SegmentationWorkerRepository } from './segmentation.repository';

/** The script a thread starts with: the worker's own bundle (its main.ts hands the thread over). */
function threadScript(): string {
  return require.main?.filename ?? process.argv[1];
}

/**
 * One segmentation run: reads each client's latest intake answers in the window, computes every
 * scenario in a worker thread (so this thread keeps renewing the job lock and can notice a
 * cancellation), stores the result. One run at a time per worker: it uses a core fully.
 */
@Processor(QUEUES.segmentation, { concurrency: 1, lockDuration: 60_000 })
export class SegmentationProcessor extends WorkerHost {
  private readonly logger = new Logger(SegmentationProcessor.name);

  constructor(
    private readonly db: TenantDb,
    private readonly runs: SegmentationWorkerRepository,
  ) {
    super();
  }

  async process(job: Job<SegmentationRunPayload>): Promise<unknown> {
    const { organisationId, runId } = job.data;
    const scope = { organisationId };
    const run = await this.db.run(scope, (em) => this.runs.run(em, runId));
    if (!run) return { outcome: 'nothing_to_do', detail: 'no such run' };
    if (!(await this.db.run(scope, (em) => this.runs.start(em, runId))))
      return { outcome: 'nothing_to_do', detail: run.state };
    const p = run.params;
    const rows = await this.db.run(scope, (em) =>
      this.runs.latestAnswers(em, p.answeredFrom, p.answeredTo),
    );
    const input: SegmentationThreadInput = {
      task: 'segmentation',
      rows,
      items: p.items,
      options: {
        kMin: p.kMin,
        kMax: p.kMax,
        restarts: p.restarts,
        seed: p.seed,
      },
    };
    try {
      const result = await new Promise<SegmentationThreadMessage | 'cancelled'>(
        (resolve, reject) => {
          const thread = new Worker(threadScript(), { workerData: input });
          let settled = false;
          const finish = (v: SegmentationThreadMessage | 'cancelled') => {
            if (settled) return;
            settled = true;
            resolve(v);
          };
          thread.on('message', (m: SegmentationThreadMessage) => {
            if (m.type !== 'progress') return finish(m);
            void (async () => {
              const progress = m.done / m.total;
              await job.updateProgress(Math.round(progress * 100));
              const state = await this.db.run(scope, (em) =>
                this.runs.progress(em, runId, Math.min(progress, 0.99)),
              );
              if (state === 'cancelled') {
                await thread.terminate();
                finish('cancelled');
              }
            })().catch((e) =>
              this.logger.warn(
                `progress of run ${runId}: ${(e as Error).message}`,
              ),
            );
          });
          thread.on('error', (e) =>
            settled ? undefined : ((settled = true), reject(e)),
          );
          thread.on('exit', (code) =>
            settled
              ? undefined
              : ((settled = true),
                reject(
                  new Error(`the segmentation thread stopped with ${code}`),
                )),
          );
        },
      );
      if (result === 'cancelled') return { outcome: 'cancelled' };
      if (result.type === 'too-few') {
        await this.db.run(scope, (em) =>
          this.runs.fail(em, runId, 'too_few_clients', result),
        );
        return { outcome: 'too_few', n: result.n };
      }
      if (result.type === 'done')
        await this.db.run(scope, (em) => this.runs.complete(em, runId, result));
      return {
        outcome: 'completed',
        n: result.type === 'done' ? result.clientIds.length : 0,
      };
    } catch (e) {
      await this.db.run(scope, (em) =>
        this.runs.fail(em, runId, 'computation_failed'),
      );
      throw e;
    }
  }
}
