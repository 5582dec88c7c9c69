import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@klantmonitor/server/queues';
import { CaseloadProcessor } from './caseload.processor';
import { CaseloadScheduler } from './caseload.scheduler';

/** The `caseload` queue: nightly stalled flags and alerts, and contact erasure after the retention period. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.caseload, defaultJobOptions: DEFAULT_JOB_OPTIONS })],
  providers: [CaseloadProcessor, CaseloadScheduler],
})
export class CaseloadModule {}
