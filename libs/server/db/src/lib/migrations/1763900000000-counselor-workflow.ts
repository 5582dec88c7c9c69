import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counselor workflow: clients (pseudonymous, contact data encrypted), trajectories with their step
 * events (corrections withdraw, never delete), dropout, support contacts, services, client types,
 * assessments and alerts. Every table is organisation-owned under the same row-level security as
 * the foundation. `trajectories.effective_steps` / `current_step` hold the monotone closure
 * computed by @klantmonitor/shared/metrics on every change, so lists can filter in SQL.
 */
const STEPS = `'first_contact','goal_known','approach_set','iu_in_view','iu_in_balance','settlement_ready'`;

export class CounselorWorkflow1763900000000 implements MigrationInterface {
  name = 'CounselorWorkflow1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE client_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        code text NOT NULL CONSTRAINT ck_client_types_code CHECK (code ~ '^[a-z0-9_\\-]{1,64}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_client_types_code UNIQUE (organisation_id, code)
      )`);

    await q.query(`
      CREATE TABLE clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        client_ref text NOT NULL CONSTRAINT ck_clients_ref CHECK (client_ref ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
        email_enc bytea,
        phone_enc bytea,
        household_type text CONSTRAINT ck_clients_household CHECK (household_type IN ('single','single_parent','couple','couple_with_children','other')),
        income_band text CONSTRAINT ck_clients_income CHECK (income_band IN ('benefit','low_income','middle_income','other')),
        birth_year_band text CONSTRAINT ck_clients_birth_band CHECK (birth_year_band ~ '^(19|20)[0-9]0-(19|20)[0-9]9$'),
        contact_erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_clients_ref UNIQUE (organisation_id, client_ref)
      )`);

    await q.query(`
      CREATE TABLE trajectories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        municipality_code text NOT NULL REFERENCES municipalities (code),
        counselor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        first_contact date NOT NULL,
        status text NOT NULL DEFAULT 'open' CONSTRAINT ck_trajectories_status CHECK (status IN ('open','closed','dropped_out')),
        dropout_on date,
        dropout_reason text CONSTRAINT ck_trajectories_dropout_reason
          CHECK (dropout_reason IN ('moved','deceased','no_show','lost_motivation','terms_not_accepted','organisation_reputation','other')),
        closed_on date,
        effective_steps jsonb NOT NULL,
        current_step text NOT NULL DEFAULT 'first_contact' CONSTRAINT ck_trajectories_current_step CHECK (current_step IN (${STEPS})),
        last_activity_on date NOT NULL,
        stalled_since date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_trajectories_client UNIQUE (client_id),
        CONSTRAINT ck_trajectories_dropout CHECK ((status = 'dropped_out') = (dropout_on IS NOT NULL) AND (dropout_reason IS NULL OR dropout_on IS NOT NULL)),
        CONSTRAINT ck_trajectories_dropout_after_start CHECK (dropout_on IS NULL OR dropout_on >= first_contact),
        CONSTRAINT ck_trajectories_closed CHECK ((status = 'closed') = (closed_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_trajectories_org_municipality ON trajectories (organisation_id, municipality_code)`);
    await q.query(`CREATE INDEX ix_trajectories_org_step ON trajectories (organisation_id, current_step)`);
    // The caseload's order (newest first contact first) with a stable tie-breaker, straight from the index.
    await q.query(`CREATE INDEX ix_trajectories_org_first_contact ON trajectories (organisation_id, first_contact DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_trajectories_counselor ON trajectories (counselor_id)`);
    await q.query(`CREATE INDEX ix_trajectories_stalled ON trajectories (organisation_id) WHERE stalled_since IS NOT NULL`);

    await q.query(`
      CREATE TABLE step_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
        step text NOT NULL CONSTRAINT ck_step_events_step CHECK (step IN (${STEPS}) AND step <> 'first_contact'),
        occurred_on date NOT NULL,
        source text NOT NULL DEFAULT 'manual' CONSTRAINT ck_step_events_source CHECK (source IN ('manual','import')),
        recorded_by uuid,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        withdrawn_by uuid
      )`);
    // At most one standing event per step; a correction withdraws it (kept for the history).
    await q.query(`CREATE UNIQUE INDEX uq_step_events_active ON step_events (trajectory_id, step) WHERE withdrawn_at IS NULL`);

    await q.query(`
      CREATE TABLE support_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
        occurred_on date NOT NULL,
        type text NOT NULL CONSTRAINT ck_support_type CHECK (type IN ('administrative','financial_coaching','income_management','legal','psychosocial')),
        minutes integer NOT NULL CONSTRAINT ck_support_minutes CHECK (minutes BETWEEN 1 AND 1440),
        channel text NOT NULL CONSTRAINT ck_support_channel CHECK (channel IN ('in_person','home_visit','phone','video','email','chat')),
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_support_contacts_trajectory ON support_contacts (trajectory_id, occurred_on)`);

    await q.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
        kind text NOT NULL CONSTRAINT ck_services_kind CHECK (kind IN ('budget_management','protection','budget_coaching','other')),
        started_on date NOT NULL,
        ended_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_services_period CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await q.query(`CREATE INDEX ix_services_trajectory ON services (trajectory_id)`);

    await q.query(`
      CREATE TABLE assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        assessed_on date NOT NULL,
        client_type_id uuid NOT NULL REFERENCES client_types (id),
        source text NOT NULL DEFAULT 'manual' CONSTRAINT ck_assessments_source CHECK (source IN ('manual','import','model')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_assessments_client_day UNIQUE (client_id, assessed_on)
      )`);

    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
        kind text NOT NULL CONSTRAINT ck_alerts_kind CHECK (kind IN ('stalled','low_experience','unanswered')),
        raised_on date NOT NULL,
        details jsonb,
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_alerts_open ON alerts (trajectory_id, kind) WHERE resolved_at IS NULL`);

    const tables = ['client_types', 'clients', 'trajectories', 'step_events', 'support_contacts', 'services', 'assessments', 'alerts'];
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${tables.join(', ')} TO klantmonitor_app`);
    // Bulk imports refresh planner statistics of what they changed (MAINTAIN exists from PostgreSQL 17).
    await q.query(`DO $$ BEGIN
      IF current_setting('server_version_num')::int >= 170000 THEN
        EXECUTE 'GRANT MAINTAIN ON clients, trajectories, step_events, assessments, client_types TO klantmonitor_app';
      END IF;
    END $$`);
    // Only mistakes in services and client types may be removed; step events are withdrawn instead.
    await q.query(`GRANT DELETE ON services, client_types TO klantmonitor_app`);
    for (const table of tables) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY owner_maintenance ON ${table} TO CURRENT_USER USING (true) WITH CHECK (true)`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} TO klantmonitor_app
        USING (organisation_id = km_current_organisation_id())
        WITH CHECK (organisation_id = km_current_organisation_id())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['alerts', 'assessments', 'services', 'support_contacts', 'step_events', 'trajectories', 'clients', 'client_types']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
