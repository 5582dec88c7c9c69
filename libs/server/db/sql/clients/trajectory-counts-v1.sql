-- How many trajectories an organisation has (#26): the caseload answers the total of its unfiltered
-- view from here instead of counting every trajectory at every first page (4-5 ms of PostgreSQL's
-- time for 50,000, measured in bench:import; the page itself takes about 1 ms). Statement-level
-- triggers add one row per statement that inserts or deletes trajectories: a delta, never an update
-- of one row per organisation, so an import and a registration never wait for each other. The total
-- is the sum of an organisation's rows; the nightly caseload job folds them into one
-- (km_trajectory_counts_fold). Same transaction as the rows they count, so every snapshot sees the
-- two agree.
CREATE TABLE trajectory_counts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  n integer NOT NULL
);
CREATE INDEX ix_trajectory_counts_org ON trajectory_counts (organisation_id) INCLUDE (n);
ALTER TABLE trajectory_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE trajectory_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_maintenance ON trajectory_counts TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant_isolation ON trajectory_counts TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));
GRANT SELECT, INSERT, DELETE ON trajectory_counts TO klantmonitor_app;

-- The triggers run as the one who writes the trajectories (its own organisation's rows, so the
-- tenant policy holds for the deltas as for the rows).
CREATE FUNCTION km_trajectory_counts_added() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  INSERT INTO public.trajectory_counts (organisation_id, n)
  SELECT organisation_id, count(*) FROM added GROUP BY organisation_id;
  RETURN NULL;
END $$;

CREATE FUNCTION km_trajectory_counts_removed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  INSERT INTO public.trajectory_counts (organisation_id, n)
  SELECT organisation_id, -count(*) FROM removed GROUP BY organisation_id;
  RETURN NULL;
END $$;

-- A trajectory stays with its organisation (no code path moves one): refused, so the counts stay
-- right. A row trigger on the column only: step updates and imports do not set it and do not pay.
CREATE FUNCTION km_trajectories_keep_organisation() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.organisation_id IS DISTINCT FROM OLD.organisation_id THEN
    RAISE EXCEPTION 'a trajectory stays with its organisation' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION km_trajectory_counts_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  DELETE FROM public.trajectory_counts;
  RETURN NULL;
END $$;

CREATE TRIGGER trajectories_count_added AFTER INSERT ON trajectories
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION km_trajectory_counts_added();
CREATE TRIGGER trajectories_count_removed AFTER DELETE ON trajectories
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION km_trajectory_counts_removed();
CREATE TRIGGER trajectories_keep_organisation BEFORE UPDATE OF organisation_id ON trajectories
  FOR EACH ROW EXECUTE FUNCTION km_trajectories_keep_organisation();
CREATE TRIGGER trajectories_count_truncated AFTER TRUNCATE ON trajectories
  FOR EACH STATEMENT EXECUTE FUNCTION km_trajectory_counts_truncated();

-- Folds the caller's organisation's deltas into one row (the nightly caseload job; nothing when
-- there is one already); answers the rows folded. Rows a
-- concurrent transaction adds are not in this statement's snapshot and stay as they are.
CREATE FUNCTION km_trajectory_counts_fold() RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, public, pg_temp AS $$
  WITH gone AS (
    DELETE FROM public.trajectory_counts WHERE (SELECT count(*) FROM public.trajectory_counts) > 1
    RETURNING organisation_id, n
  ),
  folded AS (
    INSERT INTO public.trajectory_counts (organisation_id, n)
    SELECT organisation_id, sum(n)::int FROM gone GROUP BY organisation_id RETURNING 1
  )
  SELECT count(*)::int FROM gone
$$;
REVOKE ALL ON FUNCTION km_trajectory_counts_fold() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_trajectory_counts_fold() TO klantmonitor_app;

INSERT INTO trajectory_counts (organisation_id, n)
SELECT organisation_id, count(*) FROM trajectories GROUP BY organisation_id;
