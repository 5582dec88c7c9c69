-- Every table an import grows has its planner statistics refreshed by the import (analyzeIfLarge,
-- #26, session 22). The grants of 1763900000000 named clients, trajectories, step_events,
-- assessments and client_types, not alerts (markStalled raises a stalled alert for every stalled
-- imported trajectory, and every caseload page reads the open alerts) nor intake_answers: their
-- ANALYZE was skipped with a warning, and a 50,000-row import left the caseload's first page at
-- 100-180 ms of PostgreSQL's time (1-1.5 ms once analyzed). MAINTAIN exists from PostgreSQL 17.
DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 170000 THEN
    EXECUTE 'GRANT MAINTAIN ON alerts, intake_answers TO klantmonitor_app';
  END IF;
END $$;
