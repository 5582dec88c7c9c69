/**
 * The one TypeORM data source definition, used by the api, the worker and the TypeORM CLI
 * (`npm run db:migration:run`). The schema changes only through migrations.
 */
import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

// Calendar dates stay 'YYYY-MM-DD' strings: turning them into JS Dates would shift them by time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export function dataSourceOptions(
  url: string,
  options: { poolSize?: number; applicationName?: string } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      // Idle connections are kept 5 minutes (pg-pool's default is 10 s): after a quiet spell the next
      // requests would each open one again, a SCRAM handshake of tens of milliseconds of CPU apiece,
      // all at once; that was the 400-550 ms p99 of the caseload view measured after one (#26).
      idleTimeoutMillis: 300_000,
      application_name: options.applicationName ?? 'klantmonitor',
      // A transaction left open while the process waits on something else (an upload, a peer)
      // holds a pool connection and its locks; PostgreSQL ends such a session after a minute.
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}

/** For the TypeORM CLI: connects as the owner (DATABASE_ADMIN_URL), never as the app role. */
export default new DataSource(
  dataSourceOptions(process.env['DATABASE_ADMIN_URL'] ?? process.env['DATABASE_URL'] ?? ''),
);
