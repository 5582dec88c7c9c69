import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsController } from './metrics';

/** Operations endpoints: health and metrics (Bull Board and OpenAPI are mounted in main.ts). */
@Module({ controllers: [HealthController, MetricsController], providers: [HealthService] })
export class PlatformModule {}
