-- Recovery codes for two-step verification (#13): ten single-use codes, shown once when the second
-- factor is turned on, for a lost or broken phone. Only their SHA-256 is kept. Like the other
-- definer functions on one user, each checks that user's organisation against the caller's
-- (tenant-checks-v1.sql). Turning the second factor off (oneself or an admin's reset) removes them.

CREATE TABLE totp_recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);
ALTER TABLE totp_recovery_codes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON totp_recovery_codes FROM PUBLIC;

-- A new set replaces the old one (only while the second factor is on).
CREATE FUNCTION km_auth_recovery_store(p_user uuid, p_hashes bytea[]) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH u AS (
    SELECT id FROM public.users
    WHERE id = p_user AND totp_enabled_at IS NOT NULL
      AND organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
  ), gone AS (
    DELETE FROM public.totp_recovery_codes c USING u WHERE c.user_id = u.id RETURNING 1
  ), fresh AS (
    INSERT INTO public.totp_recovery_codes (user_id, code_hash)
    SELECT u.id, h FROM u, unnest(p_hashes) h RETURNING 1
  )
  SELECT count(*)::integer FROM fresh
$$;

-- Uses one code: true once, for an unused code of this user.
CREATE FUNCTION km_auth_recovery_use(p_user uuid, p_hash bytea) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH used AS (
    UPDATE public.totp_recovery_codes c SET used_at = now()
    FROM public.users u
    WHERE c.user_id = p_user AND c.code_hash = p_hash AND c.used_at IS NULL
      AND u.id = c.user_id AND u.totp_enabled_at IS NOT NULL
      AND u.organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM used)
$$;

CREATE FUNCTION km_auth_recovery_left(p_user uuid) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT count(*)::integer FROM public.totp_recovery_codes c JOIN public.users u ON u.id = c.user_id
  WHERE c.user_id = p_user AND c.used_at IS NULL
    AND u.organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
$$;

-- The second factor off (km_auth_totp_remove, an admin's reset): its recovery codes go with it.
CREATE FUNCTION km_auth_recovery_forget() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  DELETE FROM public.totp_recovery_codes WHERE user_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER tg_users_recovery_forget AFTER UPDATE OF totp_enabled_at ON users
  FOR EACH ROW WHEN (OLD.totp_enabled_at IS NOT NULL AND NEW.totp_enabled_at IS NULL)
  EXECUTE FUNCTION km_auth_recovery_forget();

REVOKE ALL ON FUNCTION km_auth_recovery_store(uuid, bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_auth_recovery_use(uuid, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_auth_recovery_left(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_auth_recovery_forget() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_auth_recovery_store(uuid, bytea[]) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_auth_recovery_use(uuid, bytea) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_auth_recovery_left(uuid) TO klantmonitor_app;

-- Definer functions run as klantmonitor_owner (platform/definer-owner-v1.sql).
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_auth_recovery_store(uuid, bytea[]) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_auth_recovery_use(uuid, bytea) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_auth_recovery_left(uuid) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_auth_recovery_forget() OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
