ALTER TABLE audit_events
  ADD CONSTRAINT audit_events_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES organisations (id);
