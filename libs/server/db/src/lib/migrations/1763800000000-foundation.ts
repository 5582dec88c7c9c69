import { MigrationInterface, QueryRunner } from 'typeorm';
import municipalities from '../../data/municipalities-2026.json';

/**
 * Foundation schema: tenants, municipalities, users, audit log, and row-level security.
 *
 * Tenancy: every organisation-owned table has `organisation_id` and a policy for the application
 * role `klantmonitor_app` that compares it with `app.organisation_id`, set per transaction with
 * set_config(..., true). Unset means NULL, and NULL matches nothing: fail closed. FORCE ROW LEVEL
 * SECURITY applies the policies to the owner too; the owner (the role running migrations) gets an
 * explicit policy of its own, used by migrations, seeds and the SECURITY DEFINER sign-in lookups.
 */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantmonitor_app') THEN
          CREATE ROLE klantmonitor_app NOLOGIN;
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO klantmonitor_app`);

    await q.query(`
      CREATE FUNCTION km_current_organisation_id() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT NULLIF(current_setting('app.organisation_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION km_is_platform_admin() RETURNS boolean LANGUAGE sql STABLE AS
      $$ SELECT coalesce(current_setting('app.platform_admin', true), '') = 'on' $$`);

    await q.query(`
      CREATE TABLE municipalities (
        code text PRIMARY KEY CONSTRAINT ck_municipalities_code CHECK (code ~ '^GM[0-9]{4}$'),
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    await q.query(
      `INSERT INTO municipalities (code, name) SELECT code, name FROM jsonb_to_recordset($1::jsonb) AS m(code text, name text)`,
      [JSON.stringify(municipalities)],
    );

    await q.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CONSTRAINT ck_organisations_name CHECK (length(btrim(name)) BETWEEN 2 AND 200),
        min_cell integer NOT NULL DEFAULT 10 CONSTRAINT ck_organisations_min_cell CHECK (min_cell >= 5),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_organisations_name UNIQUE (name)
      )`);

    await q.query(`
      CREATE TABLE organisation_municipalities (
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        municipality_code text NOT NULL REFERENCES municipalities (code),
        CONSTRAINT pk_organisation_municipalities PRIMARY KEY (organisation_id, municipality_code)
      )`);
    await q.query(`CREATE INDEX ix_organisation_municipalities_code ON organisation_municipalities (municipality_code)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
        email text NOT NULL CONSTRAINT ck_users_email_lower CHECK (email = lower(email)),
        name text,
        role text NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('platform_admin', 'org_admin', 'counselor', 'policy_advisor')),
        password_hash text NOT NULL,
        totp_secret bytea,
        totp_enabled_at timestamptz,
        disabled_at timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_email UNIQUE (email),
        CONSTRAINT ck_users_platform_admin_has_no_organisation CHECK ((role = 'platform_admin') = (organisation_id IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_users_organisation ON users (organisation_id)`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        organisation_id uuid REFERENCES organisations (id),
        actor_user_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text,
        entity_id text,
        request_id text,
        details jsonb
      )`);
    await q.query(`CREATE INDEX ix_audit_events_organisation_time ON audit_events (organisation_id, occurred_at)`);
    await q.query(`CREATE INDEX ix_audit_events_entity ON audit_events (entity_type, entity_id)`);
    await q.query(`
      CREATE FUNCTION km_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`CREATE TRIGGER tg_audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION km_refuse_audit_change()`);
    await q.query(`CREATE TRIGGER tg_audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION km_refuse_audit_change()`);

    // Privileges of the application role: reference data read-only, audit log append-only.
    await q.query(`GRANT SELECT ON municipalities TO klantmonitor_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON organisations, organisation_municipalities, users TO klantmonitor_app`);
    await q.query(`GRANT SELECT, INSERT ON audit_events TO klantmonitor_app`);

    // Row-level security.
    for (const table of ['organisations', 'organisation_municipalities', 'users', 'audit_events']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY owner_maintenance ON ${table} TO CURRENT_USER USING (true) WITH CHECK (true)`);
    }
    // A platform admin lists and creates organisations; everyone else sees only their own.
    await q.query(`CREATE POLICY tenant_isolation ON organisations TO klantmonitor_app
      USING (id = km_current_organisation_id() OR km_is_platform_admin())
      WITH CHECK (id = km_current_organisation_id() OR km_is_platform_admin())`);
    await q.query(`CREATE POLICY tenant_isolation ON organisation_municipalities TO klantmonitor_app
      USING (organisation_id = km_current_organisation_id() OR km_is_platform_admin())
      WITH CHECK (organisation_id = km_current_organisation_id() OR km_is_platform_admin())`);
    // Users only within the current organisation, also for platform admins (they switch context).
    await q.query(`CREATE POLICY tenant_isolation ON users TO klantmonitor_app
      USING (organisation_id = km_current_organisation_id())
      WITH CHECK (organisation_id = km_current_organisation_id())`);
    await q.query(`CREATE POLICY tenant_read ON audit_events FOR SELECT TO klantmonitor_app
      USING (organisation_id = km_current_organisation_id() OR (organisation_id IS NULL AND km_is_platform_admin()))`);
    await q.query(`CREATE POLICY tenant_append ON audit_events FOR INSERT TO klantmonitor_app
      WITH CHECK (organisation_id IS NULL OR organisation_id = km_current_organisation_id())`);

    // Sign-in must find a user before any organisation is known: narrow SECURITY DEFINER lookups.
    await q.query(`
      CREATE FUNCTION km_auth_user_by_email(p_email text)
      RETURNS TABLE (id uuid, organisation_id uuid, email text, name text, role text, password_hash text,
                     totp_secret bytea, totp_enabled_at timestamptz, disabled_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT id, organisation_id, email, name, role, password_hash, totp_secret, totp_enabled_at, disabled_at
         FROM users WHERE email = lower(p_email) $$`);
    await q.query(`
      CREATE FUNCTION km_auth_user_by_id(p_id uuid)
      RETURNS TABLE (id uuid, organisation_id uuid, email text, name text, role text, disabled_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT id, organisation_id, email, name, role, disabled_at FROM users WHERE id = p_id $$`);
    await q.query(`
      CREATE FUNCTION km_auth_record_login(p_id uuid) RETURNS void
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ UPDATE users SET last_login_at = now() WHERE id = p_id $$`);
    for (const fn of ['km_auth_user_by_email(text)', 'km_auth_user_by_id(uuid)', 'km_auth_record_login(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO klantmonitor_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION km_auth_record_login(uuid)`);
    await q.query(`DROP FUNCTION km_auth_user_by_id(uuid)`);
    await q.query(`DROP FUNCTION km_auth_user_by_email(text)`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION km_refuse_audit_change()`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organisation_municipalities`);
    await q.query(`DROP TABLE organisations`);
    await q.query(`DROP TABLE municipalities`);
    await q.query(`DROP FUNCTION km_is_platform_admin()`);
    await q.query(`DROP FUNCTION km_current_organisation_id()`);
  }
}
