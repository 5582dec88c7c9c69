import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@klantmonitor/server/queues';
import { AnalyticsProcessor } from './analytics.processor';
import { AnalyticsScheduler } from './analytics.scheduler';

/** Analytics recompute and the answers computed ahead. */
@Module({
  imports: [
    BullModule.registerQueue({
      name: QUEUES.analytics,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    }),
  ],
  providers: [AnalyticsProcessor, AnalyticsScheduler],
})
export class AnalyticsModule {}
