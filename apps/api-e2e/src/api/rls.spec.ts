import { Client } from 'pg';
import { call, makeWorld, World } from '../support/http';

/**
 * Row-level security proven from outside the api: hand-written SQL as the application role, the
 * role the api connects as. Whatever the application code does, PostgreSQL itself keeps tenants apart.
 */
describe('row-level security for the application role', () => {
  let world: World;
  let app: Client;

  beforeAll(async () => {
    world = await makeWorld();
    app = new Client({ connectionString: process.env['KM_E2E_APP_DB_URL'] });
    await app.connect();
  });
  afterAll(() => app.end());

  async function asOrg<T>(org: string | null, sql: string, params: unknown[] = [], platform = false): Promise<T[]> {
    await app.query('BEGIN');
    try {
      await app.query(
        `SELECT set_config('app.organisation_id', $1, true), set_config('app.platform_admin', $2, true)`,
        [org ?? '', platform ? 'on' : 'off'],
      );
      const r = await app.query(sql, params);
      await app.query('COMMIT');
      return r.rows as T[];
    } catch (e) {
      await app.query('ROLLBACK');
      throw e;
    }
  }

  it('connects as a role that owns nothing and cannot bypass RLS', async () => {
    const r = await app.query(
      `SELECT current_user AS me, r.rolsuper, r.rolbypassrls,
              (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)::int AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(r.rows[0]).toEqual({ me: 'klantmonitor_app', rolsuper: false, rolbypassrls: false, owned: 0 });
    await expect(app.query('ALTER TABLE users DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
  });

  it('forces RLS on every organisation-owned table', async () => {
    const r = await app.query(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organisation_id'
       WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
    );
    expect(r.rows.map((x) => x.relname)).toEqual(
      expect.arrayContaining(['audit_events', 'organisation_municipalities', 'users']),
    );
    for (const row of r.rows) expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('reads the tenant once per query in every policy (an InitPlan), not once per row', async () => {
    const r = await app.query(
      `SELECT pol.polrelid::regclass::text AS rel, pg_get_expr(pol.polqual, pol.polrelid) AS qual, pg_get_expr(pol.polwithcheck, pol.polrelid) AS chk
       FROM pg_policy pol WHERE pol.polname = 'tenant_isolation' ORDER BY 1`,
    );
    expect(r.rows.length).toBeGreaterThanOrEqual(20);
    const perRow = (expr: string | null) =>
      (expr ?? '')
        .replace(/\( SELECT km_current_organisation_id\(\) AS km_current_organisation_id\)/g, '')
        .replace(/\( SELECT km_is_platform_admin\(\) AS km_is_platform_admin\)/g, '');
    const bare = r.rows.filter((p) =>
      /km_current_organisation_id\(\)|km_is_platform_admin\(\)/.test(perRow(p.qual) + perRow(p.chk)),
    );
    expect(bare.map((p) => p.rel)).toEqual([]);
    expect(
      r.rows.every((p) => p.qual.includes('( SELECT km_current_organisation_id() AS km_current_organisation_id)')),
    ).toBe(true);
  });

  it('reads nothing at all when no organisation is set (fail closed)', async () => {
    for (const table of ['organisations', 'organisation_municipalities', 'users', 'audit_events']) {
      const rows = await app.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n: rows.rows[0].n }).toEqual({ table, n: 0 });
    }
    // Reference data is not tenant data.
    expect((await app.query('SELECT count(*)::int AS n FROM municipalities')).rows[0].n).toBe(342);
  });

  it("does not show organisation B's rows to organisation A, even when asked for by id", async () => {
    const users = await asOrg<{ organisation_id: string }>(world.orgA.id, 'SELECT organisation_id FROM users');
    expect(users.length).toBeGreaterThanOrEqual(3);
    expect(new Set(users.map((u) => u.organisation_id))).toEqual(new Set([world.orgA.id]));
    expect(await asOrg(world.orgA.id, 'SELECT * FROM users WHERE organisation_id = $1', [world.orgB.id])).toEqual([]);
    expect(await asOrg(world.orgA.id, 'SELECT * FROM organisations WHERE id = $1', [world.orgB.id])).toEqual([]);
    expect(
      await asOrg(world.orgA.id, 'SELECT * FROM organisation_municipalities WHERE organisation_id = $1', [
        world.orgB.id,
      ]),
    ).toEqual([]);
    expect(
      await asOrg(world.orgA.id, 'SELECT * FROM audit_events WHERE organisation_id = $1', [world.orgB.id]),
    ).toEqual([]);
    // ... while organisation B sees its own.
    expect(
      (await asOrg(world.orgB.id, 'SELECT * FROM audit_events WHERE organisation_id = $1', [world.orgB.id])).length,
    ).toBeGreaterThan(0);
  });

  it("cannot write into or change organisation B's rows from organisation A", async () => {
    await expect(
      asOrg(
        world.orgA.id,
        `INSERT INTO users (organisation_id, email, role, password_hash) VALUES ($1, 'sneaky@example.nl', 'counselor', 'x')`,
        [world.orgB.id],
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await asOrg(
      world.orgA.id,
      `UPDATE users SET name = 'hacked' WHERE organisation_id = $1 RETURNING id`,
      [world.orgB.id],
    );
    expect(updated).toEqual([]);
    const deleted = await asOrg(
      world.orgA.id,
      'DELETE FROM organisation_municipalities WHERE organisation_id = $1 RETURNING 1',
      [world.orgB.id],
    );
    expect(deleted).toEqual([]);
  });

  it("gives the platform flag organisations, but never other tenants' users", async () => {
    const orgs = await asOrg<{ id: string }>(null, 'SELECT id FROM organisations', [], true);
    expect(orgs.map((o) => o.id)).toEqual(expect.arrayContaining([world.orgA.id, world.orgB.id]));
    expect(await asOrg(null, 'SELECT * FROM users', [], true)).toEqual([]);
  });

  it('keeps the audit log append-only, even for its owner', async () => {
    await expect(asOrg(world.orgA.id, 'UPDATE audit_events SET action = $1', ['x'])).rejects.toThrow(
      /permission denied/,
    );
    await expect(asOrg(world.orgA.id, 'DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
      await expect(owner.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });

  it('audits sign-ins, failed sign-ins and creations', async () => {
    const me = await call('GET', '/api/v1/me', { token: world.tokens.counselor });
    expect(
      (await call('POST', '/api/v1/auth/login', { body: { email: me.body.email, password: 'wrong-password' } })).status,
    ).toBe(401);
    const owner = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await owner.connect();
    try {
      const r = await owner.query(
        `SELECT action, count(*)::int AS n FROM audit_events WHERE organisation_id = $1 GROUP BY action`,
        [world.orgA.id],
      );
      const byAction = Object.fromEntries(r.rows.map((x) => [x.action, x.n]));
      expect(byAction['organisation.create']).toBeGreaterThanOrEqual(1);
      expect(byAction['user.create']).toBeGreaterThanOrEqual(3);
      expect(byAction['auth.login']).toBeGreaterThanOrEqual(3);
      expect(byAction['auth.login_failed']).toBeGreaterThanOrEqual(1);
    } finally {
      await owner.end();
    }
  });

  // Security review (#11): all definer functions were owned by the migrating superuser, and as the
  // app role with one organisation set, km_auth_totp_remove(<another organisation's user>) worked.
  it('runs every SECURITY DEFINER function as a NOLOGIN, non-superuser owner with a fixed search_path', async () => {
    const r = await app.query(
      `SELECT p.oid::regprocedure::text AS fn, o.rolname AS owner, o.rolsuper, o.rolcanlogin, p.proconfig
       FROM pg_proc p JOIN pg_roles o ON o.oid = p.proowner
       WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef ORDER BY 1`,
    );
    expect(r.rows.length).toBeGreaterThanOrEqual(25);
    for (const row of r.rows)
      expect(row).toEqual({
        fn: row.fn,
        owner: 'klantmonitor_owner',
        rolsuper: false,
        rolcanlogin: false,
        proconfig: ['search_path=pg_catalog, public, pg_temp'],
      });
    // The owner owns no table and creates nothing.
    const owner = await app.query(
      `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'klantmonitor_owner')::int AS tables,
              has_schema_privilege('klantmonitor_owner', 'public', 'CREATE') AS can_create,
              has_database_privilege('klantmonitor_owner', current_database(), 'CREATE') AS can_create_schema`,
    );
    expect(owner.rows[0]).toEqual({ tables: 0, can_create: false, can_create_schema: false });
  });

  it("keeps the definer functions that act on one user inside the caller's organisation", async () => {
    const bUser = world.users['bCounselor'];
    const adminDb = new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });
    await adminDb.connect();
    try {
      await adminDb.query(
        `UPDATE users SET totp_secret = '\\x0102'::bytea, totp_enabled_at = now(), totp_last_step = 1 WHERE id = $1`,
        [bUser],
      );
      // As organisation A: B's user is out of reach for every one of them.
      expect(await asOrg(world.orgA.id, 'SELECT * FROM km_auth_totp_state($1)', [bUser])).toEqual([]);
      await asOrg(world.orgA.id, 'SELECT km_auth_totp_remove($1)', [bUser]);
      expect(await asOrg(world.orgA.id, 'SELECT km_auth_totp_accept($1, 999999999, true) AS ok', [bUser])).toEqual([
        { ok: null },
      ]);
      expect(await asOrg(world.orgA.id, `SELECT km_auth_totp_store($1, '\\x09'::bytea) AS ok`, [bUser])).toEqual([
        { ok: null },
      ]);
      expect(await asOrg(world.orgA.id, 'SELECT km_auth_session_start($1, 600) AS id', [bUser])).toEqual([
        { id: null },
      ]);
      await asOrg(world.orgA.id, 'SELECT km_auth_record_login($1)', [bUser]);
      // Nor without any organisation (a platform-level session).
      await asOrg(null, 'SELECT km_auth_totp_remove($1)', [bUser], true);
      const after = await adminDb.query(
        `SELECT totp_secret IS NOT NULL AS secret, totp_enabled_at IS NOT NULL AS enabled, totp_last_step FROM users WHERE id = $1`,
        [bUser],
      );
      expect(after.rows[0]).toEqual({ secret: true, enabled: true, totp_last_step: '1' });
      // As B itself it works: the check is the tenant, not a blanket refusal.
      expect(
        await asOrg(world.orgB.id, 'SELECT secret IS NOT NULL AS has FROM km_auth_totp_state($1)', [bUser]),
      ).toEqual([{ has: true }]);
      await asOrg(world.orgB.id, 'SELECT km_auth_totp_remove($1)', [bUser]);
      const removed = await adminDb.query(`SELECT totp_enabled_at FROM users WHERE id = $1`, [bUser]);
      expect(removed.rows[0].totp_enabled_at).toBeNull();
    } finally {
      await adminDb.end();
    }
  });
});
