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

/** Undoes the newest migration that ran; returns its name, or null when none has run. */
export async function revertLastMigration(adminUrl: string): Promise<string | null> {
  const ds = new DataSource(dataSourceOptions(adminUrl, { poolSize: 1, applicationName: 'klantmonitor-migrate' }));
  await ds.initialize();
  try {
    const table = ds.options.migrationsTableName ?? 'migrations';
    const ran: { name: string }[] = await ds.query(
      `SELECT name FROM ${table} ORDER BY timestamp DESC, id DESC LIMIT 1`,
    );
    if (ran.length === 0) return null;
    await ds.undoLastMigration({ transaction: 'each' });
    return ran[0].name;
  } finally {
    await ds.destroy();
  }
}

/** Opens an owner connection for seeding; the caller destroys it. */
export async function openAdminDataSource(adminUrl: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(adminUrl, { poolSize: 2, applicationName: 'klantmonitor-seed' }));
  return ds.initialize();
}
