-- Undoes portal-links-v2.sql (links do not end again; revocations are forgotten).
DROP FUNCTION km_portal_by_token(bytea);
CREATE FUNCTION km_portal_by_token(p_hash bytea)
RETURNS TABLE (trajectory_id uuid, organisation_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT t.trajectory_id, t.organisation_id FROM public.portal_tokens t WHERE t.token_hash = p_hash $$;
REVOKE ALL ON FUNCTION km_portal_by_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_portal_by_token(bytea) TO klantmonitor_app;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_portal_by_token(bytea) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
DROP INDEX uq_invitation_tokens_portal;
REVOKE UPDATE (revoked_at) ON portal_tokens FROM klantmonitor_app;
REVOKE DELETE ON invitation_tokens FROM klantmonitor_app;
ALTER TABLE portal_tokens DROP COLUMN expires_at, DROP COLUMN revoked_at;
