import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { AnalyticsExportService } from './analytics-export.service';
import { AnalyticsJobsService } from './analytics-jobs.service';
import { AnalyticsSettingsService } from './analytics-settings.service';

@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnalyticsExportService, AnalyticsJobsService, AnalyticsSettingsService],
})
export class AnalyticsModule {}
