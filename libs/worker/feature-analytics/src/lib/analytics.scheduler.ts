import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { lastRecomputedAt } from '@klantmonitor/server/analytics';
import { TenantDb } from '@klantmonitor/server/db';
import { JOBS, QUEUES, SCHEDULERS } from '@klantmonitor/server/queues';

/**
 * Nightly at 02:30 Amsterdam time every organisation's figures are recomputed (the cron only fans
 * out). A database that was never recomputed (a fresh install, the demo) gets its first run at start.
 */
@Injectable()
export class AnalyticsScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.analytics) private readonly queue: Queue,
    private readonly db: TenantDb,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULERS.recomputeAnalytics,
      { pattern: '30 2 * * *', tz: 'Europe/Amsterdam' },
      { name: JOBS.recomputeAnalytics, data: { requestedBy: 'nightly' } },
    );
    if (!(await lastRecomputedAt(this.db.global))) {
      await this.queue.add(
        JOBS.recomputeAnalytics,
        { requestedBy: 'first-start' },
        { deduplication: { id: 'recompute-first-start' } },
      );
    }
  }
}
