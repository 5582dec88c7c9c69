import { MigrationInterface, QueryRunner } from 'typeorm';
import { KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';

/**
 * Questionnaires: versioned templates (platform-wide), a schedule per organisation, invitations
 * (one row per wave of a trajectory, unique per wave, with delivery and reminder state), the tokens
 * of their links (SHA-256 only), responses, the spaartegoed ledger (one credit per invitation) and a
 * transactional outbox that a relay moves to BullMQ.
 *
 * Exactly-once rests on unique keys here, not on Redis: `uq_invitations_wave` (one invitation per
 * wave), `delivery_status` claimed with a lease (one message per invitation), `uq_responses_invitation`
 * and `uq_spaartegoed_invitation` (one answer, one credit).
 */
const STEPS = `'first_contact','goal_known','approach_set','iu_in_view','iu_in_balance','settlement_ready'`;

export class Questionnaires1764000000000 implements MigrationInterface {
  name = 'Questionnaires1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE questionnaire_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CONSTRAINT ck_questionnaire_templates_code CHECK (code ~ '^[a-z0-9_]{1,64}$'),
        version integer NOT NULL CONSTRAINT ck_questionnaire_templates_version CHECK (version >= 1),
        title jsonb NOT NULL,
        items jsonb NOT NULL,
        comment_max_length integer NOT NULL DEFAULT 1000,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        CONSTRAINT uq_questionnaire_templates_version UNIQUE (code, version)
      )`);
    await q.query(
      `INSERT INTO questionnaire_templates (code, version, title, items, comment_max_length) VALUES ($1, $2, $3, $4, $5)`,
      [
        KLANTBELEVING_V1.code,
        KLANTBELEVING_V1.version,
        JSON.stringify(KLANTBELEVING_V1.title),
        JSON.stringify(KLANTBELEVING_V1.items),
        KLANTBELEVING_V1.commentMaxLength,
      ],
    );

    await q.query(`
      CREATE TABLE questionnaire_schedules (
        organisation_id uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
        template_id uuid REFERENCES questionnaire_templates (id),
        interval_weeks integer NOT NULL CONSTRAINT ck_schedules_interval CHECK (interval_weeks BETWEEN 1 AND 52),
        delay_after_step_days integer NOT NULL CONSTRAINT ck_schedules_delay CHECK (delay_after_step_days BETWEEN 0 AND 30),
        reminder_after_days integer NOT NULL CONSTRAINT ck_schedules_reminder CHECK (reminder_after_days BETWEEN 1 AND 89),
        expiry_days integer NOT NULL CONSTRAINT ck_schedules_expiry CHECK (expiry_days BETWEEN 1 AND 90),
        credit_cents integer NOT NULL CONSTRAINT ck_schedules_credit CHECK (credit_cents BETWEEN 0 AND 10000),
        channels text[] NOT NULL CONSTRAINT ck_schedules_channels CHECK (cardinality(channels) >= 1 AND channels <@ ARRAY['email','sms']::text[]),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid,
        CONSTRAINT ck_schedules_reminder_before_expiry CHECK (reminder_after_days < expiry_days)
      )`);

    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
        wave_key text NOT NULL,
        wave_kind text NOT NULL CONSTRAINT ck_invitations_wave_kind CHECK (wave_kind IN ('intake','periodic','step')),
        due_on date NOT NULL,
        planned_on date NOT NULL,
        outcome text NOT NULL CONSTRAINT ck_invitations_outcome CHECK (outcome IN ('invited','skipped')),
        skip_reason text CONSTRAINT ck_invitations_skip_reason CHECK (skip_reason IN ('too_soon','missed')),
        template_id uuid REFERENCES questionnaire_templates (id),
        credit_cents integer NOT NULL DEFAULT 0 CONSTRAINT ck_invitations_credit CHECK (credit_cents >= 0),
        channel text CONSTRAINT ck_invitations_channel CHECK (channel IN ('email','sms')),
        delivery_status text CONSTRAINT ck_invitations_delivery CHECK (delivery_status IN ('pending','sending','sent','failed')),
        delivery_attempts integer NOT NULL DEFAULT 0,
        claimed_at timestamptz,
        sent_at timestamptz,
        sent_on date,
        expires_on date,
        failed_reason text,
        reminder_status text CONSTRAINT ck_invitations_reminder CHECK (reminder_status IN ('pending','sending','sent','failed')),
        reminder_claimed_at timestamptz,
        reminded_at timestamptz,
        completed_at timestamptz,
        expired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_invitations_wave UNIQUE (trajectory_id, wave_key),
        CONSTRAINT ck_invitations_invited CHECK ((outcome = 'invited') = (delivery_status IS NOT NULL AND template_id IS NOT NULL)),
        CONSTRAINT ck_invitations_skipped CHECK ((outcome = 'skipped') = (skip_reason IS NOT NULL)),
        CONSTRAINT ck_invitations_sent CHECK ((delivery_status = 'sent') = (sent_at IS NOT NULL AND sent_on IS NOT NULL AND expires_on IS NOT NULL))
      )`);
    // Reminder and expiry sweeps read only the open, sent invitations.
    await q.query(`CREATE INDEX ix_invitations_open ON invitations (organisation_id, sent_on)
      WHERE delivery_status = 'sent' AND completed_at IS NULL AND expired_at IS NULL`);
    await q.query(`CREATE INDEX ix_invitations_org_sent ON invitations (organisation_id, sent_on) WHERE sent_on IS NOT NULL`);

    // A link is valid while its invitation is open; a reminder (or a retried send) adds a token, so
    // every link that may have reached the client keeps working. Only the SHA-256 is stored.
    await q.query(`
      CREATE TABLE invitation_tokens (
        token_hash bytea PRIMARY KEY CONSTRAINT ck_invitation_tokens_hash CHECK (length(token_hash) = 32),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        invitation_id uuid NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
        purpose text NOT NULL CONSTRAINT ck_invitation_tokens_purpose CHECK (purpose IN ('invitation','reminder')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_invitation_tokens_invitation ON invitation_tokens (invitation_id)`);

    await q.query(`
      CREATE TABLE responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        invitation_id uuid NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
        trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
        template_id uuid NOT NULL REFERENCES questionnaire_templates (id),
        answers jsonb NOT NULL,
        comment_enc bytea,
        phase text NOT NULL CONSTRAINT ck_responses_phase CHECK (phase IN (${STEPS})),
        responded_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_responses_invitation UNIQUE (invitation_id)
      )`);
    await q.query(`CREATE INDEX ix_responses_org_day ON responses (organisation_id, responded_on)`);
    await q.query(`CREATE INDEX ix_responses_trajectory ON responses (trajectory_id)`);

    await q.query(`
      CREATE TABLE spaartegoed_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        invitation_id uuid NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
        amount_cents integer NOT NULL CONSTRAINT ck_spaartegoed_amount CHECK (amount_cents >= 0),
        booked_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_spaartegoed_invitation UNIQUE (invitation_id)
      )`);
    await q.query(`CREATE INDEX ix_spaartegoed_client ON spaartegoed_entries (client_id)`);

    // Jobs that a change must cause are written here in the change's own transaction.
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        queue text NOT NULL,
        job_name text NOT NULL,
        job_id text NOT NULL CONSTRAINT ck_outbox_job_id CHECK (job_id !~ ':'),
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON outbox (id) WHERE relayed_at IS NULL`);

    // The relay works across organisations but sees only job envelopes (ids, no personal data).
    await q.query(`
      CREATE FUNCTION km_outbox_pending(p_limit integer)
      RETURNS TABLE (id bigint, queue text, job_name text, job_id text, payload jsonb)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT o.id, o.queue, o.job_name, o.job_id, o.payload FROM outbox o WHERE o.relayed_at IS NULL ORDER BY o.id LIMIT p_limit $$`);
    await q.query(`
      CREATE FUNCTION km_outbox_mark_relayed(p_ids bigint[]) RETURNS integer
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ WITH u AS (UPDATE outbox SET relayed_at = now() WHERE id = ANY(p_ids) AND relayed_at IS NULL RETURNING 1) SELECT count(*)::int FROM u $$`);
    await q.query(`
      CREATE FUNCTION km_outbox_prune(p_older_than interval) RETURNS integer
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ WITH d AS (DELETE FROM outbox WHERE relayed_at < now() - p_older_than RETURNING 1) SELECT count(*)::int FROM d $$`);
    // A client's link names no organisation: find the invitation by the token's hash, nothing more.
    await q.query(`
      CREATE FUNCTION km_invitation_by_token(p_hash bytea)
      RETURNS TABLE (invitation_id uuid, organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT t.invitation_id, t.organisation_id FROM invitation_tokens t WHERE t.token_hash = p_hash $$`);
    // Recording a delivered message is one statement per message on the hot path: a narrow function
    // that names the organisation explicitly saves the transaction around it (one round trip, not four).
    await q.query(`
      CREATE FUNCTION km_mark_delivered(p_organisation_id uuid, p_invitation_id uuid, p_kind text, p_today date) RETURNS boolean
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ WITH u AS (
           UPDATE invitations SET
             delivery_status = CASE WHEN p_kind = 'invitation' THEN 'sent' ELSE delivery_status END,
             sent_at = CASE WHEN p_kind = 'invitation' THEN now() ELSE sent_at END,
             sent_on = CASE WHEN p_kind = 'invitation' THEN p_today ELSE sent_on END,
             failed_reason = CASE WHEN p_kind = 'invitation' THEN NULL ELSE failed_reason END,
             reminder_status = CASE WHEN p_kind = 'reminder' THEN 'sent' ELSE reminder_status END,
             reminded_at = CASE WHEN p_kind = 'reminder' THEN now() ELSE reminded_at END
           WHERE id = p_invitation_id AND organisation_id = p_organisation_id
             AND ((p_kind = 'invitation' AND delivery_status = 'sending') OR (p_kind = 'reminder' AND reminder_status = 'sending'))
           RETURNING 1)
         SELECT count(*) = 1 FROM u $$`);
    for (const fn of ['km_outbox_pending(integer)', 'km_outbox_mark_relayed(bigint[])', 'km_outbox_prune(interval)', 'km_invitation_by_token(bytea)', 'km_mark_delivered(uuid, uuid, text, date)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO klantmonitor_app`);
    }

    // Templates are platform reference data: everyone reads them, only platform admins add versions.
    await q.query(`GRANT SELECT, INSERT ON questionnaire_templates TO klantmonitor_app`);
    await q.query(`ALTER TABLE questionnaire_templates ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE questionnaire_templates FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY owner_maintenance ON questionnaire_templates TO CURRENT_USER USING (true) WITH CHECK (true)`);
    await q.query(`CREATE POLICY read_all ON questionnaire_templates FOR SELECT TO klantmonitor_app USING (true)`);
    await q.query(`CREATE POLICY platform_admin_adds ON questionnaire_templates FOR INSERT TO klantmonitor_app WITH CHECK (km_is_platform_admin())`);

    const tables = ['questionnaire_schedules', 'invitations', 'invitation_tokens', 'responses', 'spaartegoed_entries', 'outbox'];
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${tables.join(', ')} TO klantmonitor_app`);
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
    for (const fn of ['km_mark_delivered(uuid, uuid, text, date)', 'km_invitation_by_token(bytea)', 'km_outbox_prune(interval)', 'km_outbox_mark_relayed(bigint[])', 'km_outbox_pending(integer)']) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    for (const table of ['outbox', 'spaartegoed_entries', 'responses', 'invitation_tokens', 'invitations', 'questionnaire_schedules', 'questionnaire_templates']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
