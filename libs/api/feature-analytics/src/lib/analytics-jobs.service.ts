import { Inject, Injectable, NotFoundException, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AuthUser } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { createRedis, JOBS, QUEUES, recomputeJobOptions } from '@klantmonitor/server/queues';
import type { JobStatus } from '@klantmonitor/shared/domain';
import { paramError } from './analytics-params';

/** The api's side of the analytics queue: asks for a recompute and reports on its job. */
@Injectable()
export class AnalyticsJobsService implements OnModuleDestroy {
  private readonly redis;
  private readonly queue: Queue;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = createRedis(config.redisUrl, 'client', 'klantmonitor-api-analytics');
    this.queue = new Queue(QUEUES.analytics, { connection: this.redis });
    this.queue.on('error', () => undefined);
  }

  /** Queues a recompute of the caller's organisation (deduplicated: one runs, one may wait). */
  async recompute(user: AuthUser, requestId: string): Promise<{ jobId: string }> {
    const organisationId = user.organisationId as string;
    let jobId: string;
    try {
      const job = await this.queue.add(
        JOBS.recomputeAnalytics,
        { organisationId, requestedBy: user.id },
        recomputeJobOptions(organisationId),
      );
      jobId = job.id as string;
    } catch {
      throw new ServiceUnavailableException(
        'The job queue cannot be reached right now; the figures were not recomputed. Try again in a minute.',
      );
    }
    await this.db.run({ organisationId }, (em) =>
      appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'analytics.recompute',
        requestId,
        details: { jobId },
      }),
    );
    return { jobId };
  }

  /** A job of the caller's organisation; another organisation's job is "not found", like a missing one. */
  async job(user: AuthUser, jobId: string): Promise<JobStatus> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(jobId)) throw paramError('jobId', 'is not a job id');
    let job;
    let state: JobStatus['state'];
    try {
      // State first, then the job: a job that completes between the two reads then still shows its
      // result (read the other way round, the job was loaded before it finished: "completed", no result).
      state = (await this.queue.getJobState(jobId)) as JobStatus['state'];
      job = await this.queue.getJob(jobId);
    } catch {
      throw new ServiceUnavailableException('The job queue cannot be reached right now. Try again in a minute.');
    }
    if (!job || job.data?.organisationId !== user.organisationId)
      throw new NotFoundException(`No job ${jobId} for your organisation`);
    const progress = typeof job.progress === 'number' ? job.progress : 0;
    return {
      jobId,
      name: job.name,
      state,
      progress: state === 'completed' ? 100 : progress,
      ...(state === 'completed' ? { result: job.returnvalue } : {}),
      ...(state === 'failed' ? { failedReason: 'The recompute failed; it is retried automatically.' } : {}),
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.redis.disconnect();
  }
}
