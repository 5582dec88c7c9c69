import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { PrometheusController } from './prometheus';

/** Operations endpoints: health and metrics (Bull Board and OpenAPI are mounted in main.ts). */
@Module({ controllers: [HealthController, PrometheusController], providers: [HealthService] })
export class PlatformModule {}
