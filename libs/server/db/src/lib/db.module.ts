import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { dataSourceOptions } from './data-source';
import { AuditWriter } from './audit-writer';
import { TenantDb } from './tenant-db';

/** PostgreSQL for the api and worker, connected as the non-owner application role. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database.url, { poolSize: config.database.poolSize }),
        retryAttempts: 10,
        retryDelay: 2000,
      }),
    }),
  ],
  providers: [TenantDb, AuditWriter],
  exports: [TenantDb, AuditWriter],
})
export class DbModule {}
