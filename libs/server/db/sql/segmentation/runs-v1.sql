-- Segmentation runs (api-v1.md "Segmentation"; metrics.md "Segmentation"). One row per run: what
-- was asked, its state and progress, and once done the standardisation (items, means, SDs), the
-- clients it used and every scenario (sizes, figures, each client's segment, centroids).

CREATE TABLE segmentation_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  state text NOT NULL DEFAULT 'queued'
    CONSTRAINT ck_segmentation_runs_state CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  progress real NOT NULL DEFAULT 0 CONSTRAINT ck_segmentation_runs_progress CHECK (progress BETWEEN 0 AND 1),
  params jsonb NOT NULL,
  n integer,
  excluded integer,
  items text[],
  dropped_items text[],
  means double precision[],
  sds double precision[],
  client_ids uuid[],
  scenarios jsonb,
  error text,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX ix_segmentation_runs_org ON segmentation_runs (organisation_id, created_at DESC);

ALTER TABLE segmentation_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE segmentation_runs FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON segmentation_runs TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON segmentation_runs TO klantmonitor_owner;
CREATE POLICY tenant_isolation ON segmentation_runs TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));
