-- Signing in with an organisation's OpenID provider (#15). Everything here runs before any tenant is
-- known, so the app role reaches it only through these definer functions; the tables have row-level
-- security forced and no grants. Only hashes of the state, the browser's binding secret and the
-- one-time code are kept; the PKCE verifier is sealed by the api.

-- The provider of an e-mail domain, for active organisations only.
CREATE FUNCTION km_sso_by_domain(p_domain text)
RETURNS TABLE (organisation_id uuid, issuer text, client_id text, client_secret_enc bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT s.organisation_id, s.issuer, s.client_id, s.client_secret_enc
  FROM public.organisation_sso_domains d
  JOIN public.organisation_sso s ON s.organisation_id = d.organisation_id
  JOIN public.organisations o ON o.id = s.organisation_id
  WHERE d.domain = lower(p_domain) AND o.deactivated_at IS NULL
$$;

-- The provider of an organisation (the callback knows the organisation from the login's state).
CREATE FUNCTION km_sso_of_organisation(p_org uuid)
RETURNS TABLE (issuer text, client_id text, client_secret_enc bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT s.issuer, s.client_id, s.client_secret_enc
  FROM public.organisation_sso s JOIN public.organisations o ON o.id = s.organisation_id
  WHERE s.organisation_id = p_org AND o.deactivated_at IS NULL
$$;

-- A sign-in that went to the provider: its state (hash), the browser it was started in (hash of a
-- cookie secret), the nonce and the sealed PKCE verifier. Used once, within 10 minutes.
CREATE TABLE oidc_logins (
  state_hash bytea PRIMARY KEY CONSTRAINT ck_oidc_logins_state CHECK (length(state_hash) = 32),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  browser_hash bytea NOT NULL CONSTRAINT ck_oidc_logins_browser CHECK (length(browser_hash) = 32),
  nonce text NOT NULL,
  code_verifier_enc bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX ix_oidc_logins_created ON oidc_logins (created_at);

-- The one-time code the callback hands the dashboard (in /inloggen?sso=...): exchanged once for the
-- usual access token within 60 seconds, so no access token ever appears in a URL.
CREATE TABLE sso_codes (
  code_hash bytea PRIMARY KEY CONSTRAINT ck_sso_codes_hash CHECK (length(code_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

ALTER TABLE oidc_logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE oidc_logins FORCE ROW LEVEL SECURITY;
ALTER TABLE sso_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_codes FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON oidc_logins, sso_codes TO klantmonitor_owner;

CREATE FUNCTION km_oidc_login_start(p_state bytea, p_org uuid, p_browser bytea, p_nonce text, p_verifier bytea)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.oidc_logins WHERE created_at < now() - interval '1 day';
  INSERT INTO public.oidc_logins (state_hash, organisation_id, browser_hash, nonce, code_verifier_enc, expires_at)
  VALUES (p_state, p_org, p_browser, p_nonce, p_verifier, now() + interval '10 minutes');
$$;

-- Takes a state once: the login's facts, or why not (unknown, used, expired, other browser). A state
-- is spent by any attempt, also a refused one.
CREATE FUNCTION km_oidc_login_take(p_state bytea, p_browser bytea)
RETURNS TABLE (organisation_id uuid, nonce text, code_verifier_enc bytea, problem text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE r public.oidc_logins;
BEGIN
  SELECT * INTO r FROM public.oidc_logins l WHERE l.state_hash = p_state FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::bytea, 'state_unknown'::text;
    RETURN;
  END IF;
  IF r.used_at IS NOT NULL THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::bytea, 'state_used'::text;
    RETURN;
  END IF;
  UPDATE public.oidc_logins l SET used_at = now() WHERE l.state_hash = p_state;
  IF r.expires_at < now() THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::bytea, 'state_expired'::text;
  ELSIF r.browser_hash <> p_browser THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::bytea, 'other_browser'::text;
  ELSE
    RETURN QUERY SELECT r.organisation_id, r.nonce, r.code_verifier_enc, NULL::text;
  END IF;
END
$$;

CREATE FUNCTION km_sso_code_create(p_code bytea, p_user uuid, p_seconds integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.sso_codes WHERE expires_at < now() - interval '1 day';
  INSERT INTO public.sso_codes (code_hash, user_id, expires_at) VALUES (p_code, p_user, now() + make_interval(secs => p_seconds));
$$;

-- Uses a code once: its user, or why not (unknown, used, expired).
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

REVOKE ALL ON FUNCTION km_sso_by_domain(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_of_organisation(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_oidc_login_start(bytea, uuid, bytea, text, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_oidc_login_take(bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_create(bytea, uuid, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_use(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_sso_by_domain(text) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_of_organisation(uuid) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_oidc_login_start(bytea, uuid, bytea, text, bytea) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_oidc_login_take(bytea, bytea) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_create(bytea, uuid, integer) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_use(bytea) TO klantmonitor_app;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_sso_by_domain(text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_of_organisation(uuid) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_oidc_login_start(bytea, uuid, bytea, text, bytea) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_oidc_login_take(bytea, bytea) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_create(bytea, uuid, integer) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_use(bytea) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
