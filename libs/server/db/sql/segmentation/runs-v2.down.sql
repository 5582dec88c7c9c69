-- Undoes runs-v2.sql.
DROP INDEX uq_segmentation_runs_active;
