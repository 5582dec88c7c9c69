import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { AnalyticsExportService } from './analytics-export.service';

@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnalyticsExportService],
})
export class AnalyticsModule {}
