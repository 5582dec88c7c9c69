-- "Mijn traject" (#15): a client sees their own progress through a link, without an account. Every
-- invitation and reminder, and the thank-you screen, carry a new personal token; like questionnaire
-- tokens only the SHA-256 is kept (a database leak gives no working links), and any of them opens
-- the page while the trajectory is open and 30 days after it ended (the api checks the dates).

CREATE TABLE portal_tokens (
  token_hash bytea PRIMARY KEY CONSTRAINT ck_portal_tokens_hash CHECK (length(token_hash) = 32),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  trajectory_id uuid NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_portal_tokens_trajectory ON portal_tokens (trajectory_id);

ALTER TABLE portal_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_tokens FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON portal_tokens TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON portal_tokens TO klantmonitor_owner;
CREATE POLICY tenant_isolation ON portal_tokens TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));

-- The page's "answer the questions" button opens the open questionnaire with a token of its own.
ALTER TABLE invitation_tokens DROP CONSTRAINT ck_invitation_tokens_purpose;
ALTER TABLE invitation_tokens ADD CONSTRAINT ck_invitation_tokens_purpose
  CHECK (purpose IN ('invitation', 'reminder', 'portal'));

-- A portal link names no organisation: find the trajectory by the token's hash, nothing more.
CREATE FUNCTION km_portal_by_token(p_hash bytea)
RETURNS TABLE (trajectory_id uuid, organisation_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT t.trajectory_id, t.organisation_id FROM public.portal_tokens t WHERE t.token_hash = p_hash $$;

REVOKE ALL ON FUNCTION km_portal_by_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_portal_by_token(bytea) TO klantmonitor_app;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_portal_by_token(bytea) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
