-- The active segmentation model of an organisation (api-v1.md: activate): the run and k it came
-- from, its standardisation and centroids, and the client type of each segment. New intake answers
-- get an assessment with the nearest centroid's type; client_types gain a short description.

ALTER TABLE client_types ADD COLUMN description text
  CONSTRAINT ck_client_types_description CHECK (description IS NULL OR length(description) <= 500);

CREATE TABLE segmentation_models (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES segmentation_runs (id) ON DELETE CASCADE,
  k integer NOT NULL CONSTRAINT ck_segmentation_models_k CHECK (k BETWEEN 2 AND 12),
  items text[] NOT NULL,
  means double precision[] NOT NULL,
  sds double precision[] NOT NULL,
  centroids jsonb NOT NULL,
  client_type_ids uuid[] NOT NULL,
  activated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  activated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE segmentation_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE segmentation_models FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON segmentation_models TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON segmentation_models TO klantmonitor_owner;
CREATE POLICY tenant_isolation ON segmentation_models TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));
