-- The entities a list read showed, in its order (#26): the caseload page and its export list the
-- clients they showed here instead of as a JSON list in `details` (building that jsonb cost
-- PostgreSQL 0.13-0.19 ms more per caseload page than this array, and a uuid takes 16 bytes
-- instead of 38 as JSON text). Who saw a client: `WHERE $1 = ANY (entity_ids)`, next to `entity_id`
-- for the reads of one record. Entries written before this keep their list in details.clientIds.
ALTER TABLE audit_events ADD COLUMN entity_ids uuid[];
