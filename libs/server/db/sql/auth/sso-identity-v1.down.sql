-- Undoes sso-identity-v1.sql: the functions of oidc-login-v1.sql and the platform-admin-only rows
-- of sso-v1.sql again (links and the two settings are lost).
DROP FUNCTION km_sso_code_use(bytea, bytea);
DROP FUNCTION km_sso_code_await_totp(bytea);
DROP FUNCTION km_sso_code_peek(bytea, bytea);
DROP FUNCTION km_sso_code_create(bytea, uuid, integer, bytea, text, text, boolean);
DROP FUNCTION km_sso_identity_check(uuid, text, text);
DROP FUNCTION km_sso_by_domain(text);
DROP FUNCTION km_sso_of_organisation(uuid);
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
DROP FUNCTION km_sso_only_email(text);
ALTER TABLE sso_codes DROP COLUMN browser_hash, DROP COLUMN issuer, DROP COLUMN subject,
  DROP COLUMN provider_mfa, DROP COLUMN awaiting_totp_at;
DROP TABLE sso_identities;
DROP POLICY sso_read ON organisation_sso;
DROP POLICY sso_insert ON organisation_sso;
DROP POLICY sso_update ON organisation_sso;
DROP POLICY sso_delete ON organisation_sso;
DROP POLICY sso_read ON organisation_sso_domains;
DROP POLICY sso_insert ON organisation_sso_domains;
DROP POLICY sso_delete_own ON organisation_sso_domains;
CREATE POLICY platform_admin_only ON organisation_sso TO klantmonitor_app
  USING (km_is_platform_admin()) WITH CHECK (km_is_platform_admin());
CREATE POLICY platform_admin_only ON organisation_sso_domains TO klantmonitor_app
  USING (km_is_platform_admin()) WITH CHECK (km_is_platform_admin());
ALTER TABLE organisation_sso DROP COLUMN trust_provider_mfa, DROP COLUMN sso_only;
-- The functions of oidc-login-v1.sql as they were.
CREATE FUNCTION km_sso_by_domain(p_domain text)
RETURNS TABLE (organisation_id uuid, issuer text, client_id text, client_secret_enc bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT s.organisation_id, s.issuer, s.client_id, s.client_secret_enc
  FROM public.organisation_sso_domains d
  JOIN public.organisation_sso s ON s.organisation_id = d.organisation_id
  JOIN public.organisations o ON o.id = s.organisation_id
  WHERE d.domain = lower(p_domain) AND o.deactivated_at IS NULL
$$;

CREATE FUNCTION km_sso_of_organisation(p_org uuid)
RETURNS TABLE (issuer text, client_id text, client_secret_enc bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT s.issuer, s.client_id, s.client_secret_enc
  FROM public.organisation_sso s JOIN public.organisations o ON o.id = s.organisation_id
  WHERE s.organisation_id = p_org AND o.deactivated_at IS NULL
$$;

CREATE FUNCTION km_sso_code_create(p_code bytea, p_user uuid, p_seconds integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.sso_codes WHERE expires_at < now() - interval '1 day';
  INSERT INTO public.sso_codes (code_hash, user_id, expires_at) VALUES (p_code, p_user, now() + make_interval(secs => p_seconds));
$$;

CREATE FUNCTION km_sso_code_use(p_code bytea)
RETURNS TABLE (user_id uuid, problem text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE r public.sso_codes;
BEGIN
  SELECT * INTO r FROM public.sso_codes c WHERE c.code_hash = p_code FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::uuid, 'code_unknown'::text;
    RETURN;
  END IF;
  IF r.used_at IS NOT NULL THEN
    RETURN QUERY SELECT NULL::uuid, 'code_used'::text;
    RETURN;
  END IF;
  UPDATE public.sso_codes c SET used_at = now() WHERE c.code_hash = p_code;
  IF r.expires_at < now() THEN
    RETURN QUERY SELECT NULL::uuid, 'code_expired'::text;
  ELSE
    RETURN QUERY SELECT r.user_id, NULL::text;
  END IF;
END
$$;

GRANT EXECUTE ON FUNCTION km_sso_by_domain(text) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_of_organisation(uuid) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_create(bytea, uuid, integer) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_use(bytea) TO klantmonitor_app;
REVOKE ALL ON FUNCTION km_sso_by_domain(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_of_organisation(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_create(bytea, uuid, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_use(bytea) FROM PUBLIC;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_sso_by_domain(text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_of_organisation(uuid) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_create(bytea, uuid, integer) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_use(bytea) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
