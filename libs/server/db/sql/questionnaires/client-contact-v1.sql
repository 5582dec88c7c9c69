-- How a client reaches the organisation (#25): a phone number and opening hours in the organisation's
-- own words, shown on the client's "Mijn traject" page next to how the spaartegoed is paid.
ALTER TABLE questionnaire_schedules
  ADD COLUMN contact_phone text
    CONSTRAINT ck_schedules_contact_phone CHECK (contact_phone IS NULL OR char_length(contact_phone) BETWEEN 1 AND 24),
  ADD COLUMN opening_hours text
    CONSTRAINT ck_schedules_opening_hours CHECK (opening_hours IS NULL OR char_length(opening_hours) BETWEEN 1 AND 200);
