-- Each client's segment in every scenario of a completed run, one row per (run, client): the
-- outcomes, the assignments list and activation read these instead of one large JSON document.
-- `segments[i]` is the client's segment at k = kMin + i - 1 (kMin from the run's params). Deleting
-- a client deletes its rows; the run's figures stay as computed.

CREATE TABLE segmentation_assignments (
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES segmentation_runs (id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  segments smallint[] NOT NULL,
  PRIMARY KEY (run_id, client_id)
);
CREATE INDEX ix_segmentation_assignments_client ON segmentation_assignments (client_id);

ALTER TABLE segmentation_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE segmentation_assignments FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON segmentation_assignments TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON segmentation_assignments TO klantmonitor_owner;
CREATE POLICY tenant_isolation ON segmentation_assignments TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));

-- Runs completed before this migration: their clusters move here (clients since deleted are left
-- out), and leave the JSON.
INSERT INTO segmentation_assignments (organisation_id, run_id, client_id, segments)
SELECT r.organisation_id, r.id, c.client_id,
       (SELECT array_agg((s->'clusters'->>(c.ord::int - 1))::smallint ORDER BY (s->>'k')::int)
        FROM jsonb_array_elements(r.scenarios) s)
FROM segmentation_runs r
CROSS JOIN LATERAL unnest(r.client_ids) WITH ORDINALITY AS c(client_id, ord)
WHERE r.state = 'completed' AND r.scenarios IS NOT NULL
  AND EXISTS (SELECT 1 FROM clients cl WHERE cl.id = c.client_id);

UPDATE segmentation_runs
SET scenarios = (SELECT jsonb_agg(s - 'clusters' ORDER BY (s->>'k')::int) FROM jsonb_array_elements(scenarios) s),
    client_ids = NULL
WHERE scenarios IS NOT NULL;

-- The worker refreshes the planner's statistics after writing a large run (MAINTAIN exists from
-- PostgreSQL 17; before that ANALYZE by a non-owner only warns).
DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 170000 THEN
    EXECUTE 'GRANT MAINTAIN ON segmentation_assignments TO klantmonitor_app';
  END IF;
END $$;
