-- Least privilege for SECURITY DEFINER functions (security review, #11: all were owned by the
-- superuser that migrates). They now run as klantmonitor_owner: it cannot log in, is no superuser
-- and owns no table; it may read and change rows (bypassing row-level security, which is what
-- these narrow functions exist for) and nothing else: no DDL, no files, no roles, no COPY PROGRAM.
-- Every definer function has search_path pg_catalog, public, pg_temp (pg_catalog first, so no
-- object in public can shadow a built-in). A test fails for any definer function that breaks
-- either rule, so a new one is re-owned by its own migration (or by a new version of this file).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantmonitor_owner') THEN
    CREATE ROLE klantmonitor_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT BYPASSRLS;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO klantmonitor_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO klantmonitor_owner;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO klantmonitor_owner;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO klantmonitor_owner;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO klantmonitor_owner;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO klantmonitor_owner;

-- Owning a function needs CREATE on its schema at the moment of the change; taken back after.
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
DO $$
DECLARE f record;
BEGIN
  FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f.sig);
    EXECUTE format('ALTER FUNCTION %s OWNER TO klantmonitor_owner', f.sig);
  END LOOP;
END $$;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
