-- Requests before the first meeting (#26, metrics.md "Waiting time and the legal first-meeting
-- term"): a trajectory starts at the request for help (registered_on); until its first contact it
-- is a waiting request (first_contact IS NULL, current_step IS NULL: no step reached yet).
-- first_meeting_due and first_meeting_alert_on are computed by the one pure function of the term
-- (shared/domain first-meeting-term.ts: holidays and working days are not counted twice, in SQL)
-- by every writer (create, import, demo); a change of registered_on or crisis writes them again.
ALTER TABLE trajectories
  ADD COLUMN registered_on date,
  ADD COLUMN crisis text CONSTRAINT ck_trajectories_crisis CHECK (crisis IN ('eviction', 'energy_water', 'health_insurance')),
  ADD COLUMN first_meeting_due date,
  ADD COLUMN first_meeting_alert_on date;

-- Every trajectory so far started at its first contact: that is its request, without a crisis
-- (28 days: no working days to count).
UPDATE trajectories SET registered_on = first_contact, first_meeting_due = first_contact + 28,
                        first_meeting_alert_on = first_contact + 27;

ALTER TABLE trajectories
  ALTER COLUMN registered_on SET NOT NULL,
  ALTER COLUMN first_meeting_due SET NOT NULL,
  ALTER COLUMN first_meeting_alert_on SET NOT NULL,
  ALTER COLUMN first_contact DROP NOT NULL,
  ALTER COLUMN current_step DROP NOT NULL,
  ALTER COLUMN current_step DROP DEFAULT,
  ADD CONSTRAINT ck_trajectories_registered_first CHECK (first_contact IS NULL OR first_contact >= registered_on),
  -- A waiting request has reached no step; a seen one always has one.
  ADD CONSTRAINT ck_trajectories_waiting_step CHECK ((first_contact IS NULL) = (current_step IS NULL)),
  ADD CONSTRAINT ck_trajectories_due CHECK (first_meeting_due > registered_on AND first_meeting_alert_on < first_meeting_due),
  -- Where the caseload's default order puts a row: its first contact, or its request while waiting.
  ADD COLUMN started_on date GENERATED ALWAYS AS (coalesce(first_contact, registered_on)) STORED;

ALTER TABLE trajectories DROP CONSTRAINT ck_trajectories_dropout_after_start;
ALTER TABLE trajectories ADD CONSTRAINT ck_trajectories_dropout_after_start
  CHECK (dropout_on IS NULL OR dropout_on >= coalesce(first_contact, registered_on));

DROP INDEX ix_trajectories_org_first_contact;
CREATE INDEX ix_trajectories_org_started ON trajectories (organisation_id, started_on DESC, id DESC);
-- The worklist's "Eerste gesprek plannen", the caseload's waiting filters and the daily alert: few rows.
CREATE INDEX ix_trajectories_waiting ON trajectories (organisation_id, first_meeting_due, id)
  WHERE first_contact IS NULL AND status = 'open';

ALTER TABLE alerts DROP CONSTRAINT ck_alerts_kind;
ALTER TABLE alerts ADD CONSTRAINT ck_alerts_kind CHECK (kind IN ('stalled', 'low_experience', 'unanswered', 'first_meeting'));

-- The daily check: a first_meeting alert for every waiting open request whose alert day (the last
-- working day before its due date) has come and that has none open; how many were raised.
CREATE FUNCTION km_alerts_raise_first_meeting(p_today date) RETURNS integer
LANGUAGE sql AS $$
  WITH ins AS (
    INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on, details)
    SELECT organisation_id, id, 'first_meeting', first_meeting_alert_on,
           jsonb_build_object('registeredOn', registered_on, 'dueOn', first_meeting_due, 'crisis', crisis)
    FROM trajectories
    WHERE first_contact IS NULL AND status = 'open' AND first_meeting_alert_on <= p_today
    ON CONFLICT (trajectory_id, kind) WHERE resolved_at IS NULL DO NOTHING
    RETURNING 1)
  SELECT count(*)::int FROM ins
$$;
-- After an import: also a first-meeting alert ends once the first contact is there.
CREATE OR REPLACE FUNCTION km_alerts_resolve_settled(p_trajectories uuid[]) RETURNS integer
LANGUAGE sql AS $$
  WITH done AS (
    UPDATE alerts a SET resolved_at = now() FROM trajectories t
    WHERE t.id = a.trajectory_id AND a.trajectory_id = ANY (p_trajectories) AND a.resolved_at IS NULL
      AND ((a.kind = 'stalled' AND t.stalled_since IS NULL) OR (a.kind = 'first_meeting' AND t.first_contact IS NOT NULL)
           OR t.status <> 'open')
    RETURNING 1)
  SELECT count(*)::int FROM done
$$;

REVOKE ALL ON FUNCTION km_alerts_raise_first_meeting(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_alerts_raise_first_meeting(date) TO klantmonitor_app;

-- The waiting-time facts (#26): one row per request of the organisation, seen or not, beside
-- analytics_trajectories (which keeps only trajectories with a first contact: every existing metric
-- starts there). Rewritten with the analytics recompute; the client type as for the other facts,
-- the earliest assessment within 30 days of the first contact (of the request while waiting).
CREATE TABLE analytics_requests (
  trajectory_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  municipality_code text NOT NULL,
  client_type text NOT NULL,
  type_assessed_on date,
  registered_on date NOT NULL,
  first_contact date,
  crisis boolean NOT NULL,
  due_on date NOT NULL
);
CREATE INDEX ix_analytics_requests_org ON analytics_requests (organisation_id);
ALTER TABLE analytics_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_maintenance ON analytics_requests TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant_isolation ON analytics_requests TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));
GRANT SELECT, INSERT, DELETE ON analytics_requests TO klantmonitor_app;
DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 170000 THEN
    EXECUTE 'GRANT MAINTAIN ON analytics_requests TO klantmonitor_app';
  END IF;
END $$;

-- A deleted trajectory's facts go with it, its request's too.
CREATE OR REPLACE FUNCTION km_analytics_forget_trajectories() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  DELETE FROM analytics_trajectories f USING gone g WHERE f.trajectory_id = g.id;
  DELETE FROM analytics_responses r USING gone g WHERE r.trajectory_id = g.id;
  DELETE FROM analytics_requests q USING gone g WHERE q.trajectory_id = g.id;
  RETURN NULL;
END $$;
