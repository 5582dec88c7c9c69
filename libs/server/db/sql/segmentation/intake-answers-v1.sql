-- Intake answers (product.md "Default intake instrument"; api-v1.md Import): one set of answers per
-- client and day, item code -> 1..5 (a missing item is absent). Segmentation reads each client's
-- latest set in a window. Tenant-owned: row-level security like every organisation table.

CREATE TABLE intake_answers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  answered_on date NOT NULL,
  answers jsonb NOT NULL CONSTRAINT ck_intake_answers_object CHECK (jsonb_typeof(answers) = 'object'),
  source text NOT NULL DEFAULT 'import' CONSTRAINT ck_intake_answers_source CHECK (source IN ('import', 'form')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_intake_answers_client_day UNIQUE (client_id, answered_on)
);
CREATE INDEX ix_intake_answers_org_day ON intake_answers (organisation_id, answered_on);

ALTER TABLE intake_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_answers FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON intake_answers TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON intake_answers TO klantmonitor_owner;
CREATE POLICY tenant_isolation ON intake_answers TO klantmonitor_app
  USING (organisation_id = (SELECT km_current_organisation_id()))
  WITH CHECK (organisation_id = (SELECT km_current_organisation_id()));
