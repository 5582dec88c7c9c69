-- Closing a trajectory with a reason (api-v1.md "POST /trajectories/:id/close"): completed (the
-- stabilisation phase ended as planned), referred (handed to another organisation) or other.
-- Earlier closed trajectories (the demo's, imports) keep no reason.
ALTER TABLE trajectories ADD COLUMN closed_reason text
  CONSTRAINT ck_trajectories_closed_reason CHECK (closed_reason IS NULL OR (closed_reason IN ('completed', 'referred', 'other') AND closed_on IS NOT NULL));
