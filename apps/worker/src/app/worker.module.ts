import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@klantmonitor/server/config';
import { DbModule } from '@klantmonitor/server/db';
import { createRedis } from '@klantmonitor/server/queues';
import { AccountsModule } from '@klantmonitor/worker/feature-accounts';
import { AnalyticsModule } from '@klantmonitor/worker/feature-analytics';
import { CaseloadModule } from '@klantmonitor/worker/feature-caseload';
import { QuestionnairesModule } from '@klantmonitor/worker/feature-questionnaires';
import { SegmentationModule } from '@klantmonitor/worker/feature-segmentation';
import { SystemModule } from '@klantmonitor/worker/feature-system';

/** Wires the worker feature libs (BullMQ processors and schedulers); no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        DbModule,
        BullModule.forRoot({ connection: createRedis(config.redisUrl, 'worker', 'klantmonitor-worker') }),
        SystemModule,
        CaseloadModule,
        QuestionnairesModule,
        AnalyticsModule,
        SegmentationModule,
        AccountsModule,
      ],
    };
  }
}
