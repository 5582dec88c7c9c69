-- Sessions that can end (security review, #11; api-v1.md "Auth and tenants"). Every access token
-- names its session; the api accepts a token only while its session is open and the account
-- active. Sign-out ends one session. Anything that changes who someone is or how they prove it
-- (password, role, organisation, deactivation, two-step verification) ends all of that account's
-- sessions, in this one trigger, whichever code path made the change. The app role reaches this
-- table only through the functions below.

CREATE TABLE user_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_reason text CHECK (ended_reason IN ('sign_out', 'account_changed'))
);
CREATE INDEX ix_user_sessions_open ON user_sessions (user_id) WHERE ended_at IS NULL;
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_sessions FORCE ROW LEVEL SECURITY;

CREATE FUNCTION km_users_end_sessions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  UPDATE public.user_sessions SET ended_at = now(), ended_reason = 'account_changed'
  WHERE user_id = NEW.id AND ended_at IS NULL;
  RETURN NEW;
END $$;

CREATE TRIGGER users_end_sessions AFTER UPDATE ON users FOR EACH ROW
WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash
   OR OLD.role IS DISTINCT FROM NEW.role
   OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
   OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at
   OR OLD.totp_enabled_at IS DISTINCT FROM NEW.totp_enabled_at)
EXECUTE FUNCTION km_users_end_sessions();

-- A new session for an active account, open for p_seconds; also forgets this account's sessions
-- that ended or expired more than a day ago.
CREATE FUNCTION km_auth_session_start(p_user uuid, p_seconds integer) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.user_sessions WHERE user_id = p_user AND coalesce(ended_at, expires_at) < now() - interval '1 day';
  INSERT INTO public.user_sessions (user_id, expires_at)
  SELECT id, now() + make_interval(secs => p_seconds) FROM public.users WHERE id = p_user AND disabled_at IS NULL
  RETURNING id;
$$;

-- Is this session of this user open, and the account active?
CREATE FUNCTION km_auth_session_open(p_session uuid, p_user uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.user_sessions s JOIN public.users u ON u.id = s.user_id
    WHERE s.id = p_session AND s.user_id = p_user AND s.ended_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL)
$$;

-- Sign-out of one session; true when it was open.
CREATE FUNCTION km_auth_session_end(p_session uuid, p_user uuid) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH ended AS (
    UPDATE public.user_sessions SET ended_at = now(), ended_reason = 'sign_out'
    WHERE id = p_session AND user_id = p_user AND ended_at IS NULL RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM ended)
$$;

REVOKE ALL ON FUNCTION km_users_end_sessions() FROM PUBLIC;
REVOKE ALL ON FUNCTION km_auth_session_start(uuid, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_auth_session_open(uuid, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_auth_session_end(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_auth_session_start(uuid, integer) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_auth_session_open(uuid, uuid) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_auth_session_end(uuid, uuid) TO klantmonitor_app;
