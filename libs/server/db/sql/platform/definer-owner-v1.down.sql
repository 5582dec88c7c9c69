-- Back to the migrating role as owner (the role itself stays: roles belong to the whole cluster).
DO $$
DECLARE f record;
BEGIN
  FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f.sig, current_user);
  END LOOP;
END $$;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM klantmonitor_owner;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM klantmonitor_owner;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM klantmonitor_owner;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM klantmonitor_owner;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM klantmonitor_owner;
REVOKE USAGE ON SCHEMA public FROM klantmonitor_owner;
