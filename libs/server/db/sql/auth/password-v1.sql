-- Changing one's own password (api-v1.md "POST /auth/password"). The app role cannot write every
-- user row (platform admins belong to no organisation, so row-level security hides them), hence
-- this narrow function. The users trigger of sessions-v1.sql ends every session of the account.

CREATE FUNCTION km_auth_password_set(p_user uuid, p_hash text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  WITH u AS (
    UPDATE public.users SET password_hash = p_hash WHERE id = p_user AND disabled_at IS NULL RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM u)
$$;

REVOKE ALL ON FUNCTION km_auth_password_set(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_auth_password_set(uuid, text) TO klantmonitor_app;

-- Definer functions run as klantmonitor_owner (platform/definer-owner-v1.sql).
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_auth_password_set(uuid, text) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
