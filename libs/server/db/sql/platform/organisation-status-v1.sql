-- Organisations that a platform admin deactivates (#13: a contract ended, a merger). A deactivated
-- organisation keeps its data (retention runs on) but signs nobody in, its open sessions end at
-- once, no account e-mails go out, no questionnaire invitations are planned, and its trajectories
-- leave the benchmark (analytics facts; server/analytics facts.ts). Reactivating undoes all of it
-- except the sessions: everyone signs in again.

ALTER TABLE organisations ADD COLUMN deactivated_at timestamptz;

-- Sign-in and the session check see an account of a deactivated organisation as disabled.
CREATE OR REPLACE FUNCTION km_auth_user_by_email(p_email text)
RETURNS TABLE (id uuid, organisation_id uuid, email text, name text, role text, password_hash text,
               totp_secret bytea, totp_enabled_at timestamptz, disabled_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT u.id, u.organisation_id, u.email, u.name, u.role, u.password_hash, u.totp_secret, u.totp_enabled_at,
          coalesce(u.disabled_at, o.deactivated_at)
   FROM public.users u LEFT JOIN public.organisations o ON o.id = u.organisation_id
   WHERE u.email = lower(p_email) $$;

CREATE OR REPLACE FUNCTION km_auth_user_by_id(p_id uuid)
RETURNS TABLE (id uuid, organisation_id uuid, email text, name text, role text, disabled_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT u.id, u.organisation_id, u.email, u.name, u.role, coalesce(u.disabled_at, o.deactivated_at)
   FROM public.users u LEFT JOIN public.organisations o ON o.id = u.organisation_id
   WHERE u.id = p_id $$;

CREATE OR REPLACE FUNCTION km_auth_session_open(p_session uuid, p_user uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.user_sessions s JOIN public.users u ON u.id = s.user_id
    LEFT JOIN public.organisations o ON o.id = u.organisation_id
    WHERE s.id = p_session AND s.user_id = p_user AND s.ended_at IS NULL AND s.expires_at > now()
      AND u.disabled_at IS NULL AND o.deactivated_at IS NULL)
$$;

-- No new links (forgotten password, invitation) for an account of a deactivated organisation, and
-- none of its waiting ones are sent.
CREATE OR REPLACE FUNCTION km_account_link_request(p_email text, p_purpose text, p_minutes integer) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH u AS (
    SELECT u.id FROM public.users u LEFT JOIN public.organisations o ON o.id = u.organisation_id
    WHERE u.email = lower(p_email) AND u.disabled_at IS NULL AND o.deactivated_at IS NULL
  ), old AS (
    UPDATE public.account_links l SET used_at = now()
    FROM u WHERE l.user_id = u.id AND l.purpose = p_purpose AND l.used_at IS NULL RETURNING 1
  ), fresh AS (
    INSERT INTO public.account_links (user_id, purpose, valid_minutes)
    SELECT id, p_purpose, p_minutes FROM u RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM fresh)
$$;

CREATE OR REPLACE FUNCTION km_account_links_due(p_limit integer)
RETURNS TABLE (id uuid, purpose text, valid_minutes integer, send_attempts integer, email text, name text, organisation text)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT l.id, l.purpose, l.valid_minutes, l.send_attempts, u.email, u.name, o.name
  FROM public.account_links l
  JOIN public.users u ON u.id = l.user_id
  LEFT JOIN public.organisations o ON o.id = u.organisation_id
  WHERE l.sent_at IS NULL AND l.used_at IS NULL AND l.send_attempts < 5 AND u.disabled_at IS NULL
    AND o.deactivated_at IS NULL
  ORDER BY l.created_at
  LIMIT p_limit
  FOR UPDATE OF l SKIP LOCKED
$$;

-- Deactivation ends the sessions of every account of the organisation (as a user's deactivation
-- does, sql/auth/sessions-v1.sql), so reactivation does not bring old sessions back.
CREATE FUNCTION km_organisations_end_sessions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  UPDATE public.user_sessions s SET ended_at = now(), ended_reason = 'account_changed'
  FROM public.users u
  WHERE u.id = s.user_id AND u.organisation_id = NEW.id AND s.ended_at IS NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER tg_organisations_end_sessions AFTER UPDATE OF deactivated_at ON organisations
  FOR EACH ROW WHEN (OLD.deactivated_at IS NULL AND NEW.deactivated_at IS NOT NULL)
  EXECUTE FUNCTION km_organisations_end_sessions();
REVOKE ALL ON FUNCTION km_organisations_end_sessions() FROM PUBLIC;

-- Definer functions run as klantmonitor_owner (platform/definer-owner-v1.sql); the replaced ones
-- keep their owner.
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_organisations_end_sessions() OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
