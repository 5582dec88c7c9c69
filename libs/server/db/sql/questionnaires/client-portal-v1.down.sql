-- Undoes client-portal-v1.sql: portal links stop working; questionnaire tokens made by the page go.
DROP FUNCTION km_portal_by_token(bytea);
DELETE FROM invitation_tokens WHERE purpose = 'portal';
ALTER TABLE invitation_tokens DROP CONSTRAINT ck_invitation_tokens_purpose;
ALTER TABLE invitation_tokens ADD CONSTRAINT ck_invitation_tokens_purpose CHECK (purpose IN ('invitation', 'reminder'));
DROP TABLE portal_tokens;
