-- Links by e-mail that let a person set their own password (api-v1.md "Auth and tenants"):
-- an invitation (/welkom/<token>, 7 days) and a forgotten password (/wachtwoord/<token>, 30 minutes).
-- Single use. The api only asks for a link; the worker makes the token, keeps its SHA-256 here and
-- sends the e-mail, so the token itself is never stored, queued or logged. No role but the definer
-- functions below touches the table (a link is looked up before anyone is signed in).

CREATE TABLE account_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CONSTRAINT ck_account_links_purpose CHECK (purpose IN ('invitation', 'password_reset')),
  token_hash bytea CONSTRAINT uq_account_links_token UNIQUE,
  valid_minutes integer NOT NULL CONSTRAINT ck_account_links_minutes CHECK (valid_minutes BETWEEN 1 AND 20160),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the worker made the token and handed the e-mail to the mail server.
  sent_at timestamptz,
  expires_at timestamptz,
  send_attempts integer NOT NULL DEFAULT 0,
  last_error text,
  used_at timestamptz
);
CREATE INDEX ix_account_links_due ON account_links (created_at) WHERE sent_at IS NULL AND used_at IS NULL;
CREATE INDEX ix_account_links_user ON account_links (user_id);
ALTER TABLE account_links ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON account_links FROM PUBLIC;

-- Asks for a link for the active account with this e-mail, if there is one (the caller answers the
-- same either way). An earlier unused link of the same purpose stops working: only the newest counts.
CREATE FUNCTION km_account_link_request(p_email text, p_purpose text, p_minutes integer) RETURNS boolean
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

-- Links to send (oldest first), with what the e-mail needs. Locked for the caller's transaction, so
-- two workers never send the same link.
CREATE FUNCTION km_account_links_due(p_limit integer)
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

-- The token's hash, once the e-mail is on its way; the validity starts now.
CREATE FUNCTION km_account_link_sent(p_id uuid, p_hash bytea) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  UPDATE public.account_links
  SET token_hash = p_hash, sent_at = now(), expires_at = now() + make_interval(mins => valid_minutes),
      send_attempts = send_attempts + 1, last_error = NULL
  WHERE id = p_id
$$;

CREATE FUNCTION km_account_link_failed(p_id uuid, p_error text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  UPDATE public.account_links SET send_attempts = send_attempts + 1, last_error = left(p_error, 300) WHERE id = p_id
$$;

-- What a token stands for: 'ok' (with the account), 'used', 'expired' or no row (unknown).
CREATE FUNCTION km_account_link_state(p_hash bytea, p_purpose text)
RETURNS TABLE (state text, user_id uuid, email text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN l.used_at IS NOT NULL OR u.disabled_at IS NOT NULL THEN 'used'
              WHEN l.expires_at <= now() THEN 'expired' ELSE 'ok' END,
         u.id, u.email
  FROM public.account_links l JOIN public.users u ON u.id = l.user_id
  WHERE l.token_hash = p_hash AND l.purpose = p_purpose
$$;

-- Uses the link and sets the password in one statement; false when the link was used or expired
-- meanwhile. The users trigger of sessions-v1.sql ends every session of the account.
CREATE FUNCTION km_account_link_use(p_hash bytea, p_purpose text, p_password_hash text) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH l AS (
    UPDATE public.account_links SET used_at = now()
    WHERE token_hash = p_hash AND purpose = p_purpose AND used_at IS NULL AND expires_at > now()
    RETURNING user_id
  ), u AS (
    UPDATE public.users SET password_hash = p_password_hash
    FROM l WHERE users.id = l.user_id AND users.disabled_at IS NULL RETURNING users.id
  )
  SELECT id FROM u
$$;

DO $$
DECLARE fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY['km_account_link_request(text, text, integer)', 'km_account_links_due(integer)',
    'km_account_link_sent(uuid, bytea)', 'km_account_link_failed(uuid, text)', 'km_account_link_state(bytea, text)',
    'km_account_link_use(bytea, text, text)'] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO klantmonitor_app', fn);
  END LOOP;
END $$;

-- Definer functions run as klantmonitor_owner (platform/definer-owner-v1.sql).
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_account_link_request(text, text, integer) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_account_links_due(integer) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_account_link_sent(uuid, bytea) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_account_link_failed(uuid, text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_account_link_state(bytea, text) OWNER TO klantmonitor_owner;
ALTER FUNCTION km_account_link_use(bytea, text, text) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
