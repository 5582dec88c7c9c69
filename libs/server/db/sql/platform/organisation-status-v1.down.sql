-- Undoes organisation-status-v1.sql: the functions as they were before it.
DROP TRIGGER tg_organisations_end_sessions ON organisations;
DROP FUNCTION km_organisations_end_sessions();

CREATE OR REPLACE FUNCTION km_auth_user_by_email(p_email text)
RETURNS TABLE (id uuid, organisation_id uuid, email text, name text, role text, password_hash text,
               totp_secret bytea, totp_enabled_at timestamptz, disabled_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT id, organisation_id, email, name, role, password_hash, totp_secret, totp_enabled_at, disabled_at
   FROM public.users WHERE email = lower(p_email) $$;

CREATE OR REPLACE FUNCTION km_auth_user_by_id(p_id uuid)
RETURNS TABLE (id uuid, organisation_id uuid, email text, name text, role text, disabled_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT id, organisation_id, email, name, role, disabled_at FROM public.users WHERE id = p_id $$;

CREATE OR REPLACE FUNCTION km_auth_session_open(p_session uuid, p_user uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.user_sessions s JOIN public.users u ON u.id = s.user_id
    WHERE s.id = p_session AND s.user_id = p_user AND s.ended_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL)
$$;

CREATE OR REPLACE FUNCTION km_account_link_request(p_email text, p_purpose text, p_minutes integer) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH u AS (
    SELECT id FROM public.users WHERE email = lower(p_email) AND disabled_at IS NULL
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
  ORDER BY l.created_at
  LIMIT p_limit
  FOR UPDATE OF l SKIP LOCKED
$$;

ALTER TABLE organisations DROP COLUMN deactivated_at;
