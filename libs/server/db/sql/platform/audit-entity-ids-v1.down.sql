ALTER TABLE audit_events DROP COLUMN entity_ids;
