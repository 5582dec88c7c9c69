-- The newest audit entries of one organisation for a few actions (the import results on the
-- admin's start page): without this index the query walks every entry of the organisation by time,
-- and most are reads of client records.
CREATE INDEX ix_audit_events_org_action ON audit_events (organisation_id, action, occurred_at DESC);
