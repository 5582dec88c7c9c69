-- Undoes sso-v1.sql: every organisation signs in with passwords again.
DROP TABLE organisation_sso_domains;
DROP TABLE organisation_sso;
