-- The session check that stops a transaction (#26): asked in the message of the BEGIN, before the
-- statements of the same message, it raises KM401 when the session is not open (signed out, expired,
-- the account or its organisation deactivated), so PostgreSQL skips the rest of the message and
-- nothing is read or written. The api answers 401 session_ended (TenantDb). Same rule as
-- km_auth_session_open, which the guard asks on its own.
CREATE FUNCTION km_auth_session_require(p_session uuid, p_user uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NOT public.km_auth_session_open(p_session, p_user) THEN
    RAISE EXCEPTION 'session ended' USING ERRCODE = 'KM401';
  END IF;
  RETURN true;
END $$;

ALTER FUNCTION km_auth_session_require(uuid, uuid) OWNER TO klantmonitor_owner;
REVOKE ALL ON FUNCTION km_auth_session_require(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_auth_session_require(uuid, uuid) TO klantmonitor_app;
