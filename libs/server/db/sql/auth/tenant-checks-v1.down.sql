-- The definitions before tenant-checks-v1.sql (migrations 1763800000000, 1764300000000, 1764600000000).
CREATE OR REPLACE FUNCTION km_auth_totp_state(p_user uuid)
RETURNS TABLE (secret bytea, enabled_at timestamptz, last_step bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = p_user $$;

CREATE OR REPLACE FUNCTION km_auth_totp_store(p_user uuid, p_secret bytea) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ UPDATE users SET totp_secret = p_secret, totp_last_step = NULL
   WHERE id = p_user AND totp_enabled_at IS NULL RETURNING true $$;

CREATE OR REPLACE FUNCTION km_auth_totp_accept(p_user uuid, p_step bigint, p_enable boolean) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ UPDATE users SET totp_last_step = p_step,
                    totp_enabled_at = CASE WHEN p_enable THEN coalesce(totp_enabled_at, now()) ELSE totp_enabled_at END
   WHERE id = p_user AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < p_step)
   RETURNING true $$;

CREATE OR REPLACE FUNCTION km_auth_totp_remove(p_user uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = p_user $$;

CREATE OR REPLACE FUNCTION km_auth_record_login(p_id uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ UPDATE users SET last_login_at = now() WHERE id = p_id $$;

CREATE OR REPLACE FUNCTION km_auth_session_start(p_user uuid, p_seconds integer) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.user_sessions WHERE user_id = p_user AND coalesce(ended_at, expires_at) < now() - interval '1 day';
  INSERT INTO public.user_sessions (user_id, expires_at)
  SELECT id, now() + make_interval(secs => p_seconds) FROM public.users WHERE id = p_user AND disabled_at IS NULL
  RETURNING id;
$$;
