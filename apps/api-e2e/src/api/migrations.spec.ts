import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

// tools/ is not an Nx project: the helpers are shared by both e2e projects on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries, @typescript-eslint/no-require-imports
const { createDatabase } = require('../../../../tools/test/stack.cjs');

const API_MAIN = join(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'api', 'main.js');

/**
 * Every migration can be undone (`node main.js migrate:revert`, `npm run db:migration:revert`) and
 * done again, on a database of its own: the newest first, down to an empty schema, then up again.
 */
describe('migrations', () => {
  let urls: { adminUrl: string; appUrl: string };
  const env = () => ({
    ...(JSON.parse(process.env['KM_E2E_ENV'] as string) as Record<string, string>),
    DATABASE_URL: urls.appUrl,
    DATABASE_ADMIN_URL: urls.adminUrl,
    KM_DEMO: 'false',
  });
  const cli = (command: string, extra: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [API_MAIN, command], {
      env: { ...process.env, ...env(), ...extra },
      encoding: 'utf8',
      timeout: 60000,
    });
    if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
    return r.stdout.trim();
  };
  const schema = async () => {
    const c = new Client({ connectionString: urls.adminUrl });
    await c.connect();
    try {
      const tables = await c.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
      );
      const functions = await c.query(`SELECT count(*)::int AS n FROM pg_proc WHERE proname LIKE 'km\\_%'`);
      return {
        tables: tables.rows.map((r) => r.tablename as string),
        functions: functions.rows[0].n as number,
      };
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    urls = await createDatabase('km_migrations_round_trip');
  });

  it('go down one by one to an empty schema and up again to the same schema', async () => {
    const up = cli('migrate');
    const names = up.match(/Migrations run: (.*)/)?.[1].split(', ') ?? [];
    expect(names.length).toBeGreaterThanOrEqual(5);
    const full = await schema();
    expect(full.tables).toEqual(
      expect.arrayContaining(['trajectories', 'analytics_trajectories', 'analytics_responses', 'analytics_items']),
    );
    for (const name of [...names].reverse()) expect(cli('migrate:revert')).toBe(`Migration reverted: ${name}`);
    expect(cli('migrate:revert')).toBe('No migration to revert');
    expect(await schema()).toEqual({ tables: [], functions: 0 });
    expect(cli('migrate').split('\n')[0]).toBe(`Migrations run: ${names.join(', ')}`);
    expect(await schema()).toEqual(full);
  }, 120000);

  it("creates the platform admin when missing and never changes an existing one's password (#22)", async () => {
    const c = new Client({ connectionString: urls.adminUrl });
    await c.connect();
    try {
      const hash = async () =>
        (await c.query(`SELECT password_hash FROM users WHERE role = 'platform_admin'`)).rows.map(
          (r) => r.password_hash as string,
        );
      const before = await hash();
      expect(before).toHaveLength(1); // made by the round trip's migrate
      // Before: every migrate reset it to KM_ADMIN_PASSWORD (here: another one in the environment).
      const out = cli('migrate', { KM_ADMIN_PASSWORD: 'a-different-password-of-the-environment' });
      expect(out).toContain('(exists; its password is left as it is)');
      expect(await hash()).toEqual(before);
      // Gone: made again, with the environment's password.
      await c.query(`DELETE FROM users WHERE role = 'platform_admin'`);
      expect(cli('migrate')).toContain('Platform admin created:');
      expect(await hash()).toHaveLength(1);
    } finally {
      await c.end();
    }
  }, 60000);
});
