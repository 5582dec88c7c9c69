-- Single sign-on by the provider's identity (#22). What the first version (sso-v1, oidc-login-v1)
-- trusted too much: the e-mail claim alone chose the account, any account of the organisation, and
-- without its second factor; a platform admin could point an organisation at a provider of their own.
--
-- * The organisation's own admin sets its provider; a platform admin may read and remove it, never
--   insert or change it (row-level security below, not only the api's roles).
-- * Two settings per organisation: trust the provider's multi-factor (an `amr` of mfa/otp/hwk/swk
--   counts as the second factor) and SSO only (no passwords, invitations or reset mails for accounts
--   of its domains).
-- * An account is bound to the provider's user (iss + sub) at its first SSO sign-in; from then on
--   only that subject signs in to it.
-- * The one-time code carries the browser it was made for (hash of the cookie secret), the identity
--   to link and whether the provider did a second factor; with a second factor still to come the code
--   waits (5 minutes at most) for the TOTP.

ALTER TABLE organisation_sso
  ADD COLUMN trust_provider_mfa boolean NOT NULL DEFAULT false,
  ADD COLUMN sso_only boolean NOT NULL DEFAULT false;

DROP POLICY platform_admin_only ON organisation_sso;
DROP POLICY platform_admin_only ON organisation_sso_domains;
-- Reading: the organisation itself and platform admins.
CREATE POLICY sso_read ON organisation_sso FOR SELECT TO klantmonitor_app
  USING ((SELECT km_is_platform_admin()) OR organisation_id = (SELECT km_current_organisation_id()));
CREATE POLICY sso_read ON organisation_sso_domains FOR SELECT TO klantmonitor_app
  USING ((SELECT km_is_platform_admin()) OR organisation_id = (SELECT km_current_organisation_id()));
-- Setting and changing: the organisation itself only, never a platform admin's transaction.
CREATE POLICY sso_insert ON organisation_sso FOR INSERT TO klantmonitor_app
  WITH CHECK (NOT (SELECT km_is_platform_admin()) AND organisation_id = (SELECT km_current_organisation_id()));
CREATE POLICY sso_update ON organisation_sso FOR UPDATE TO klantmonitor_app
  USING (NOT (SELECT km_is_platform_admin()) AND organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (NOT (SELECT km_is_platform_admin()) AND organisation_id = (SELECT km_current_organisation_id()));
CREATE POLICY sso_insert ON organisation_sso_domains FOR INSERT TO klantmonitor_app
  WITH CHECK (NOT (SELECT km_is_platform_admin()) AND organisation_id = (SELECT km_current_organisation_id()));
-- Domains are replaced by delete + insert: deleting one's own is part of changing them.
CREATE POLICY sso_delete_own ON organisation_sso_domains FOR DELETE TO klantmonitor_app
  USING (NOT (SELECT km_is_platform_admin()) AND organisation_id = (SELECT km_current_organisation_id()));
-- Switching off: the organisation, or a platform admin (an emergency stop; the domains go with it).
CREATE POLICY sso_delete ON organisation_sso FOR DELETE TO klantmonitor_app
  USING ((SELECT km_is_platform_admin()) OR organisation_id = (SELECT km_current_organisation_id()));

-- The provider's user an account is bound to. One account per (issuer, subject), one subject per account.
CREATE TABLE sso_identities (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  issuer text NOT NULL CONSTRAINT ck_sso_identities_issuer CHECK (length(issuer) BETWEEN 1 AND 500),
  subject text NOT NULL CONSTRAINT ck_sso_identities_subject CHECK (length(subject) BETWEEN 1 AND 255),
  linked_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_sso_identities_subject UNIQUE (issuer, subject)
);
CREATE INDEX ix_sso_identities_org ON sso_identities (organisation_id);
ALTER TABLE sso_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_identities FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON sso_identities TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_identities TO klantmonitor_owner;
-- Linked in the user's own organisation's transaction at the end of a sign-in; seen and removed by
-- that organisation (its admin, by the api's roles).
CREATE POLICY own_organisation ON sso_identities TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));

ALTER TABLE sso_codes
  ADD COLUMN browser_hash bytea CONSTRAINT ck_sso_codes_browser CHECK (length(browser_hash) = 32),
  ADD COLUMN issuer text,
  ADD COLUMN subject text,
  ADD COLUMN provider_mfa boolean NOT NULL DEFAULT false,
  ADD COLUMN awaiting_totp_at timestamptz;

DROP FUNCTION km_sso_by_domain(text);
DROP FUNCTION km_sso_of_organisation(uuid);
DROP FUNCTION km_sso_code_create(bytea, uuid, integer);
DROP FUNCTION km_sso_code_use(bytea);

-- The provider of an e-mail domain, for active organisations only, with its settings.
CREATE FUNCTION km_sso_by_domain(p_domain text)
RETURNS TABLE (organisation_id uuid, issuer text, client_id text, client_secret_enc bytea, sso_only boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT s.organisation_id, s.issuer, s.client_id, s.client_secret_enc, s.sso_only
  FROM public.organisation_sso_domains d
  JOIN public.organisation_sso s ON s.organisation_id = d.organisation_id
  JOIN public.organisations o ON o.id = s.organisation_id
  WHERE d.domain = lower(p_domain) AND o.deactivated_at IS NULL
$$;

-- The provider of an organisation (the callback knows the organisation from the login's state).
CREATE FUNCTION km_sso_of_organisation(p_org uuid)
RETURNS TABLE (issuer text, client_id text, client_secret_enc bytea, email_domains text[], trust_provider_mfa boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT s.issuer, s.client_id, s.client_secret_enc,
         coalesce((SELECT array_agg(d.domain) FROM public.organisation_sso_domains d
                   WHERE d.organisation_id = s.organisation_id), '{}'),
         s.trust_provider_mfa
  FROM public.organisation_sso s JOIN public.organisations o ON o.id = s.organisation_id
  WHERE s.organisation_id = p_org AND o.deactivated_at IS NULL
$$;

-- Whether this address belongs to an organisation that signs in by SSO only (no password, no
-- invitation or reset mail).
CREATE FUNCTION km_sso_only_email(p_email text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.organisation_sso_domains d
    JOIN public.organisation_sso s ON s.organisation_id = d.organisation_id
    WHERE d.domain = lower(substr(p_email, strpos(p_email, '@') + 1)) AND s.sso_only
  )
$$;

-- How an account stands to a subject of the provider: 'linked' (this one), 'unlinked' (none yet,
-- and the subject is not bound to another account), 'subject' (bound to another subject) or
-- 'subject_in_use' (this subject is bound to another account).
CREATE FUNCTION km_sso_identity_check(p_user uuid, p_issuer text, p_subject text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE
    WHEN i.user_id IS NOT NULL AND i.issuer = p_issuer AND i.subject = p_subject THEN 'linked'
    WHEN i.user_id IS NOT NULL THEN 'subject'
    WHEN EXISTS (SELECT 1 FROM public.sso_identities o WHERE o.issuer = p_issuer AND o.subject = p_subject) THEN 'subject_in_use'
    ELSE 'unlinked'
  END
  FROM (SELECT p_user AS id) u LEFT JOIN public.sso_identities i ON i.user_id = u.id
$$;

CREATE FUNCTION km_sso_code_create(
  p_code bytea, p_user uuid, p_seconds integer, p_browser bytea, p_issuer text, p_subject text, p_mfa boolean
) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.sso_codes WHERE expires_at < now() - interval '1 day';
  INSERT INTO public.sso_codes (code_hash, user_id, expires_at, browser_hash, issuer, subject, provider_mfa)
  VALUES (p_code, p_user, now() + make_interval(secs => p_seconds), p_browser, p_issuer, p_subject, p_mfa);
$$;

-- A code's facts without using it (for the second-factor step), or why not: unknown, used,
-- expired, other_browser.
CREATE FUNCTION km_sso_code_peek(p_code bytea, p_browser bytea)
RETURNS TABLE (user_id uuid, issuer text, subject text, provider_mfa boolean, problem text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN c.code_hash IS NULL OR c.used_at IS NOT NULL OR c.expires_at < now()
                   OR c.browser_hash IS DISTINCT FROM p_browser THEN NULL ELSE c.user_id END,
         c.issuer, c.subject, coalesce(c.provider_mfa, false),
         CASE WHEN c.code_hash IS NULL THEN 'code_unknown'
              WHEN c.used_at IS NOT NULL THEN 'code_used'
              WHEN c.expires_at < now() THEN 'code_expired'
              WHEN c.browser_hash IS DISTINCT FROM p_browser THEN 'other_browser'
         END
  FROM (SELECT 1) one LEFT JOIN public.sso_codes c ON c.code_hash = p_code
$$;

-- The first factor is done and the second is asked: the code may wait 5 minutes for it (once).
CREATE FUNCTION km_sso_code_await_totp(p_code bytea) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  UPDATE public.sso_codes SET awaiting_totp_at = now(), expires_at = now() + interval '5 minutes'
  WHERE code_hash = p_code AND awaiting_totp_at IS NULL AND used_at IS NULL AND expires_at >= now()
$$;

-- Uses a code once, in the browser it was made for: its user, or why not.
CREATE FUNCTION km_sso_code_use(p_code bytea, p_browser bytea)
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
  IF r.browser_hash IS DISTINCT FROM p_browser THEN
    -- Not spent: the right browser may still use it (a code sent to a victim is no use to them).
    RETURN QUERY SELECT NULL::uuid, 'other_browser'::text;
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

-- SSO only: no invitation or reset link for an account of such a domain (otherwise as in
-- platform/organisation-status-v1.sql: no link for an inactive account or organisation).
CREATE OR REPLACE FUNCTION km_account_link_request(p_email text, p_purpose text, p_minutes integer) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH u AS (
    SELECT u.id FROM public.users u LEFT JOIN public.organisations o ON o.id = u.organisation_id
    WHERE u.email = lower(p_email) AND u.disabled_at IS NULL AND o.deactivated_at IS NULL
      AND NOT public.km_sso_only_email(u.email)
  ), old AS (
    UPDATE public.account_links l SET used_at = now()
    FROM u WHERE l.user_id = u.id AND l.purpose = p_purpose AND l.used_at IS NULL RETURNING 1
  ), fresh AS (
    INSERT INTO public.account_links (user_id, purpose, valid_minutes)
    SELECT id, p_purpose, p_minutes FROM u RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM fresh)
$$;

REVOKE ALL ON FUNCTION km_sso_by_domain(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_of_organisation(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_only_email(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_identity_check(uuid, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_create(bytea, uuid, integer, bytea, text, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_peek(bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_await_totp(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION km_sso_code_use(bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_sso_by_domain(text) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_of_organisation(uuid) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_only_email(text) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_identity_check(uuid, text, text) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_create(bytea, uuid, integer, bytea, text, text, boolean) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_peek(bytea, bytea) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_await_totp(bytea) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_sso_code_use(bytea, bytea) TO klantmonitor_app;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_sso_by_domain(text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_of_organisation(uuid) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_only_email(text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_identity_check(uuid, text, text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_create(bytea, uuid, integer, bytea, text, text, boolean) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_peek(bytea, bytea) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_await_totp(bytea) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_sso_code_use(bytea, bytea) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
