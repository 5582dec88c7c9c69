import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@klantmonitor/server/queues';
import { StalledProcessor } from './stalled.processor';
import { StalledScheduler } from './stalled.scheduler';

/** The `caseload` queue: nightly stalled flags and alerts. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.caseload, defaultJobOptions: DEFAULT_JOB_OPTIONS })],
  providers: [StalledProcessor, StalledScheduler],
})
export class CaseloadModule {}
