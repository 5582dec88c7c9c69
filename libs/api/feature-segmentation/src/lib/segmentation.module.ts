import { Module } from '@nestjs/common';
import { ClientTypesController, SegmentationController } from './segmentation.controller';
import { SegmentationRepository } from './segmentation.repository';
import { SegmentationService } from './segmentation.service';

/** Segmentation runs: started here, computed by the worker (docs/api.md "Segmentation"). */
@Module({
  controllers: [SegmentationController, ClientTypesController],
  providers: [SegmentationService, SegmentationRepository],
})
export class SegmentationModule {}
