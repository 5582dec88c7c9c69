-- Fair segmentation (#22): at most one queued or running run per organisation, so one organisation
-- cannot queue runs ahead of every other's (the one worker takes runs in arrival order). Runs that
-- wait beyond the first of an organisation are cancelled, with a reason, before the rule holds.

UPDATE segmentation_runs r SET state = 'cancelled', finished_at = now(),
  error = 'Cancelled: one run at a time per organisation (an earlier run of this organisation was still waiting or running)'
WHERE r.state IN ('queued', 'running')
  AND EXISTS (SELECT 1 FROM segmentation_runs o
              WHERE o.organisation_id = r.organisation_id AND o.state IN ('queued', 'running')
                AND (o.created_at, o.id) < (r.created_at, r.id));
CREATE UNIQUE INDEX uq_segmentation_runs_active ON segmentation_runs (organisation_id)
  WHERE state IN ('queued', 'running');
