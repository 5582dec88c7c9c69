import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

/** Runs pending migrations as the owner role; returns the names of those it ran. */
export async function runMigrations(adminUrl: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(adminUrl, { poolSize: 1, applicationName: 'klantmonitor-migrate' }));
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** Opens an owner connection for seeding; the caller destroys it. */
export async function openAdminDataSource(adminUrl: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(adminUrl, { poolSize: 2, applicationName: 'klantmonitor-seed' }));
  return ds.initialize();
}
