import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { AnalyticsExportService } from './analytics-export.service';
import { AnalyticsJobsService } from './analytics-jobs.service';
import { AnalyticsSettingsService } from './analytics-settings.service';
import { ComparisonController } from './comparison/comparison.controller';
import { ComparisonService } from './comparison/comparison.service';

@Module({
  controllers: [AnalyticsController, ComparisonController],
  providers: [
    AnalyticsService,
    AnalyticsExportService,
    AnalyticsJobsService,
    AnalyticsSettingsService,
    ComparisonService,
  ],
})
export class AnalyticsModule {}
