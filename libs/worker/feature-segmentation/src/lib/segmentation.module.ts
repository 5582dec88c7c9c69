import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@klantmonitor/server/queues';
import { SegmentationProcessor } from './segmentation.processor';
import { SegmentationWorkerRepository } from './segmentation.repository';

/** Segmentation runs (k-means scenarios over intake answers) in a worker thread. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.segmentation })],
  providers: [SegmentationProcessor, SegmentationWorkerRepository],
})
export class SegmentationModule {}
