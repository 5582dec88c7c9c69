-- Definer functions that act on one user check that user's organisation against the caller's
-- (security review, #11: as the app role with one organisation set, km_auth_totp_remove(<another
-- organisation's user>) turned that user's TOTP off). The caller's organisation is the one its
-- transaction set (app.organisation_id); platform admins have none, so an organisation's session
-- can never reach them, nor they an organisation's users through these functions.

CREATE OR REPLACE FUNCTION km_auth_totp_state(p_user uuid)
RETURNS TABLE (secret bytea, enabled_at timestamptz, last_step bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT totp_secret, totp_enabled_at, totp_last_step FROM public.users
   WHERE id = p_user AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id() $$;

CREATE OR REPLACE FUNCTION km_auth_totp_store(p_user uuid, p_secret bytea) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ UPDATE public.users SET totp_secret = p_secret, totp_last_step = NULL
   WHERE id = p_user AND totp_enabled_at IS NULL
     AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
   RETURNING true $$;

CREATE OR REPLACE FUNCTION km_auth_totp_accept(p_user uuid, p_step bigint, p_enable boolean) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ UPDATE public.users SET totp_last_step = p_step,
                          totp_enabled_at = CASE WHEN p_enable THEN coalesce(totp_enabled_at, now()) ELSE totp_enabled_at END
   WHERE id = p_user AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < p_step)
     AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
   RETURNING true $$;

CREATE OR REPLACE FUNCTION km_auth_totp_remove(p_user uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ UPDATE public.users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL
   WHERE id = p_user AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id() $$;

CREATE OR REPLACE FUNCTION km_auth_record_login(p_id uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ UPDATE public.users SET last_login_at = now()
   WHERE id = p_id AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id() $$;

CREATE OR REPLACE FUNCTION km_auth_session_start(p_user uuid, p_seconds integer) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.user_sessions WHERE user_id = p_user AND coalesce(ended_at, expires_at) < now() - interval '1 day';
  INSERT INTO public.user_sessions (user_id, expires_at)
  SELECT id, now() + make_interval(secs => p_seconds) FROM public.users
  WHERE id = p_user AND disabled_at IS NULL AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
  RETURNING id;
$$;
