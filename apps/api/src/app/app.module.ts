import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiErrorFilter, createValidationPipe } from '@klantmonitor/api/core';
import { AnalyticsModule } from '@klantmonitor/api/feature-analytics';
import { AuthModule } from '@klantmonitor/api/feature-auth';
import { ClientsModule } from '@klantmonitor/api/feature-clients';
import { ImportModule } from '@klantmonitor/api/feature-import';
import { SegmentationModule } from '@klantmonitor/api/feature-segmentation';
import { OrganisationsModule } from '@klantmonitor/api/feature-organisations';
import { PlatformModule } from '@klantmonitor/api/feature-platform';
import { QuestionnairesModule } from '@klantmonitor/api/feature-questionnaires';
import { AppConfig, ConfigModule } from '@klantmonitor/server/config';
import { DbModule } from '@klantmonitor/server/db';
import { loggerOptions } from './logging';

/** Wires the feature libs into the HTTP api; no logic of its own. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        DbModule,
        AuthModule,
        OrganisationsModule,
        ClientsModule,
        ImportModule,
        SegmentationModule,
        QuestionnairesModule,
        AnalyticsModule,
        PlatformModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
