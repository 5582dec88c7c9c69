-- Back to trajectories that start at their first contact: waiting requests cannot be kept.
CREATE OR REPLACE FUNCTION km_analytics_forget_trajectories() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  DELETE FROM analytics_trajectories f USING gone g WHERE f.trajectory_id = g.id;
  DELETE FROM analytics_responses r USING gone g WHERE r.trajectory_id = g.id;
  RETURN NULL;
END $$;
DROP TABLE analytics_requests;
CREATE OR REPLACE FUNCTION km_alerts_resolve_settled(p_trajectories uuid[]) RETURNS integer
LANGUAGE sql AS $$
  WITH done AS (
    UPDATE alerts a SET resolved_at = now() FROM trajectories t
    WHERE t.id = a.trajectory_id AND a.trajectory_id = ANY (p_trajectories) AND a.resolved_at IS NULL
      AND ((a.kind = 'stalled' AND t.stalled_since IS NULL) OR t.status <> 'open')
    RETURNING 1)
  SELECT count(*)::int FROM done
$$;
DROP FUNCTION km_alerts_raise_first_meeting(date);
DELETE FROM alerts WHERE kind = 'first_meeting';
ALTER TABLE alerts DROP CONSTRAINT ck_alerts_kind;
ALTER TABLE alerts ADD CONSTRAINT ck_alerts_kind CHECK (kind IN ('stalled', 'low_experience', 'unanswered'));
DELETE FROM trajectories WHERE first_contact IS NULL;
DROP INDEX ix_trajectories_waiting;
DROP INDEX ix_trajectories_org_started;
ALTER TABLE trajectories DROP CONSTRAINT ck_trajectories_dropout_after_start;
ALTER TABLE trajectories ADD CONSTRAINT ck_trajectories_dropout_after_start CHECK (dropout_on IS NULL OR dropout_on >= first_contact);
ALTER TABLE trajectories
  DROP COLUMN started_on,
  DROP CONSTRAINT ck_trajectories_registered_first,
  DROP CONSTRAINT ck_trajectories_waiting_step,
  DROP CONSTRAINT ck_trajectories_due,
  DROP COLUMN registered_on, DROP COLUMN crisis, DROP COLUMN first_meeting_due, DROP COLUMN first_meeting_alert_on,
  ALTER COLUMN first_contact SET NOT NULL,
  ALTER COLUMN current_step SET NOT NULL,
  ALTER COLUMN current_step SET DEFAULT 'first_contact';
CREATE INDEX ix_trajectories_org_first_contact ON trajectories (organisation_id, first_contact DESC, id DESC);
