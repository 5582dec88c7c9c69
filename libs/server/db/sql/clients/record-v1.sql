-- A note on a support contact (api-v1.md "POST /trajectories/:id/support {..., note?}"), sealed
-- like contact data (it may say anything about a person); at most 1,000 characters before sealing.
ALTER TABLE support_contacts ADD COLUMN note_enc bytea;
