-- Client links that end (#22). A portal token ("Mijn traject") works 90 days after it was issued
-- (and at the latest 30 days after the trajectory ended: the api checks that date); every new
-- invitation or reminder brings a new one. A counselor can revoke all of a trajectory's links at once.
-- Opening the page no longer mints a questionnaire link per open: the page's link to the open
-- questionnaire is one per invitation (the api derives it with a keyed hash; the unique index below
-- keeps it one), so the 50 live links of 50 opens are gone; those minted so far are removed (opening
-- the page again shows the one link).

ALTER TABLE portal_tokens
  ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '90 days',
  ADD COLUMN revoked_at timestamptz;
UPDATE portal_tokens SET expires_at = created_at + interval '90 days';
GRANT UPDATE (revoked_at) ON portal_tokens TO klantmonitor_app;
-- Revoking a trajectory's portal links takes the page's questionnaire links with them (row-level
-- security keeps this to the caller's organisation).
GRANT DELETE ON invitation_tokens TO klantmonitor_app;

DELETE FROM invitation_tokens WHERE purpose = 'portal';
CREATE UNIQUE INDEX uq_invitation_tokens_portal ON invitation_tokens (invitation_id) WHERE purpose = 'portal';

DROP FUNCTION km_portal_by_token(bytea);
-- A portal link names no organisation: find the trajectory by the token's hash, with whether the
-- link still works (expired, revoked).
CREATE FUNCTION km_portal_by_token(p_hash bytea)
RETURNS TABLE (trajectory_id uuid, organisation_id uuid, expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT t.trajectory_id, t.organisation_id, t.expires_at, t.revoked_at FROM public.portal_tokens t WHERE t.token_hash = p_hash $$;

REVOKE ALL ON FUNCTION km_portal_by_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_portal_by_token(bytea) TO klantmonitor_app;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_portal_by_token(bytea) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
