import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics';

/** Operations endpoints: health and metrics (Bull Board and OpenAPI are mounted in main.ts). */
@Module({ controllers: [HealthController, MetricsController] })
export class PlatformModule {}
