import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/** Nightly at 02:30 Amsterdam time every organisation's figures are recomputed (the cron only fans out). */
@Injectable()
export class AnalyticsScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.analytics) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.recomputeAnalytics,
      { pattern: '30 2 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.recomputeAnalytics, data: { requestedBy: 'nightly' } },
    );
  }
}
