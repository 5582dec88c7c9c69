-- Every write of the alerts table (the counselor's signals: stalled, low_experience, unanswered)
-- lives in this file (#14: "where is the SQL for alerts?"); the api and the worker call these
-- functions. They run as the caller (row-level security applies), in the caller's transaction. An
-- alert is open until resolved; a trajectory has at most one open alert per kind (uq_alerts_open),
-- so raising an open one again changes nothing.

-- Raises one alert; false when one of that kind was open already.
CREATE FUNCTION km_alert_raise(p_trajectory uuid, p_kind text, p_on date, p_details jsonb) RETURNS boolean
LANGUAGE sql AS $$
  WITH ins AS (
    INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on, details)
    VALUES (km_current_organisation_id(), p_trajectory, p_kind, p_on, p_details)
    ON CONFLICT (trajectory_id, kind) WHERE resolved_at IS NULL DO NOTHING
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM ins)
$$;

-- Resolves a trajectory's open alerts of the given kinds (all kinds when null); how many.
CREATE FUNCTION km_alert_resolve(p_trajectory uuid, p_kinds text[] DEFAULT NULL) RETURNS integer
LANGUAGE sql AS $$
  WITH done AS (
    UPDATE alerts SET resolved_at = now()
    WHERE trajectory_id = p_trajectory AND resolved_at IS NULL AND (p_kinds IS NULL OR kind = ANY (p_kinds))
    RETURNING 1)
  SELECT count(*)::int FROM done
$$;

-- A counselor handles one open alert; its kind and client, nothing when there is no such open one.
CREATE FUNCTION km_alert_resolve_one(p_alert uuid) RETURNS TABLE (kind text, client_id uuid)
LANGUAGE sql AS $$
  UPDATE alerts a SET resolved_at = now() FROM trajectories t
  WHERE a.id = p_alert AND a.resolved_at IS NULL AND t.id = a.trajectory_id
  RETURNING a.kind, t.client_id
$$;

-- The stalled alert follows the trajectory's derived state after every change: raised while it
-- stands still (since p_stalled_since), resolved when it does not.
CREATE FUNCTION km_alert_sync_stalled(p_trajectory uuid, p_stalled_since date, p_last_activity date) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on, details)
  SELECT km_current_organisation_id(), p_trajectory, 'stalled', p_stalled_since,
         jsonb_build_object('lastActivityOn', p_last_activity)
  WHERE p_stalled_since IS NOT NULL
  ON CONFLICT (trajectory_id, kind) WHERE resolved_at IS NULL DO NOTHING;
  UPDATE alerts SET resolved_at = now()
  WHERE p_stalled_since IS NULL AND trajectory_id = p_trajectory AND kind = 'stalled' AND resolved_at IS NULL;
$$;

-- The nightly check: a stalled alert for every stalled open trajectory of the organisation that has
-- none open; how many were raised.
CREATE FUNCTION km_alerts_raise_stalled() RETURNS integer
LANGUAGE sql AS $$
  WITH ins AS (
    INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on, details)
    SELECT organisation_id, id, 'stalled', stalled_since, jsonb_build_object('lastActivityOn', last_activity_on)
    FROM trajectories WHERE status = 'open' AND stalled_since IS NOT NULL
    ON CONFLICT (trajectory_id, kind) WHERE resolved_at IS NULL DO NOTHING
    RETURNING 1)
  SELECT count(*)::int FROM ins
$$;

-- "Two unanswered in a row": of these trajectories, the open ones whose last two ended invitations
-- both expired get an unanswered alert (the details name those invitations, newest first).
CREATE FUNCTION km_alerts_raise_unanswered(p_trajectories uuid[], p_on date) RETURNS integer
LANGUAGE sql AS $$
  WITH ins AS (
    INSERT INTO alerts (organisation_id, trajectory_id, kind, raised_on, details)
    SELECT km_current_organisation_id(), x.trajectory_id, 'unanswered', p_on, jsonb_build_object('invitations', to_jsonb(x.ids))
    FROM (SELECT e.trajectory_id, array_agg(e.id ORDER BY e.sent_at DESC) AS ids, bool_and(e.expired_at IS NOT NULL) AS all_expired, count(*) AS n
          FROM (SELECT i.id, i.trajectory_id, i.sent_at, i.expired_at,
                       row_number() OVER (PARTITION BY i.trajectory_id ORDER BY i.sent_at DESC) AS rn
                FROM invitations i
                WHERE i.trajectory_id = ANY (p_trajectories) AND (i.completed_at IS NOT NULL OR i.expired_at IS NOT NULL)) e
          WHERE e.rn <= 2 GROUP BY e.trajectory_id) x
    JOIN trajectories t ON t.id = x.trajectory_id AND t.status = 'open'
    WHERE x.n = 2 AND x.all_expired
    ON CONFLICT (trajectory_id, kind) WHERE resolved_at IS NULL DO NOTHING
    RETURNING 1)
  SELECT count(*)::int FROM ins
$$;

-- After an import rewrote these trajectories: their stalled alerts end where they no longer stand
-- still, and every alert ends where the trajectory is no longer open; how many.
CREATE FUNCTION km_alerts_resolve_settled(p_trajectories uuid[]) RETURNS integer
LANGUAGE sql AS $$
  WITH done AS (
    UPDATE alerts a SET resolved_at = now() FROM trajectories t
    WHERE t.id = a.trajectory_id AND a.trajectory_id = ANY (p_trajectories) AND a.resolved_at IS NULL
      AND ((a.kind = 'stalled' AND t.stalled_since IS NULL) OR t.status <> 'open')
    RETURNING 1)
  SELECT count(*)::int FROM done
$$;

REVOKE ALL ON FUNCTION km_alert_raise(uuid, text, date, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_alert_resolve(uuid, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_alert_resolve_one(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_alert_sync_stalled(uuid, date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_alerts_raise_stalled() FROM PUBLIC;
REVOKE ALL ON FUNCTION km_alerts_raise_unanswered(uuid[], date) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_alerts_resolve_settled(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_alert_raise(uuid, text, date, jsonb) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_alert_resolve(uuid, text[]) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_alert_resolve_one(uuid) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_alert_sync_stalled(uuid, date, date) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_alerts_raise_stalled() TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_alerts_raise_unanswered(uuid[], date) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_alerts_resolve_settled(uuid[]) TO klantmonitor_app;
