-- How the organisation pays out the spaartegoed (#13): a short text in the organisation's own words,
-- shown to clients on the questionnaire and its thank-you screen ("Elk kwartaal op je rekening").
ALTER TABLE questionnaire_schedules ADD COLUMN payout_text text
  CONSTRAINT ck_schedules_payout_text CHECK (payout_text IS NULL OR char_length(payout_text) BETWEEN 1 AND 500);
