-- Undoes oidc-login-v1.sql.
DROP FUNCTION km_sso_code_use(bytea);
DROP FUNCTION km_sso_code_create(bytea, uuid, integer);
DROP FUNCTION km_oidc_login_take(bytea, bytea);
DROP FUNCTION km_oidc_login_start(bytea, uuid, bytea, text, bytea);
DROP FUNCTION km_sso_by_domain(text);
DROP FUNCTION km_sso_of_organisation(uuid);
DROP TABLE sso_codes;
DROP TABLE oidc_logins;
