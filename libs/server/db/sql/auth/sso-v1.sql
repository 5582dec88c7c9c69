-- Single sign-on per organisation (#15, OpenID Connect): the identity provider a platform admin
-- sets up for an organisation, and the e-mail domains whose people sign in there. The client secret
-- is sealed by the api (AES-256-GCM, DATA_ENCRYPTION_KEY) before it gets here. Only platform admins
-- read or change these rows; the sign-in flow reads them through a definer function of its own.

CREATE TABLE organisation_sso (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
  issuer text NOT NULL CONSTRAINT ck_organisation_sso_issuer CHECK (length(issuer) BETWEEN 8 AND 500),
  client_id text NOT NULL CONSTRAINT ck_organisation_sso_client CHECK (length(client_id) BETWEEN 1 AND 200),
  client_secret_enc bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);

-- One organisation per domain: the sign-in page decides by the part after the @.
CREATE TABLE organisation_sso_domains (
  domain text PRIMARY KEY CONSTRAINT ck_organisation_sso_domain CHECK (domain = lower(domain) AND length(domain) <= 253),
  organisation_id uuid NOT NULL REFERENCES organisation_sso (organisation_id) ON DELETE CASCADE
);
CREATE INDEX ix_organisation_sso_domains_org ON organisation_sso_domains (organisation_id);

ALTER TABLE organisation_sso ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_sso FORCE ROW LEVEL SECURITY;
ALTER TABLE organisation_sso_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_sso_domains FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON organisation_sso, organisation_sso_domains TO klantmonitor_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON organisation_sso, organisation_sso_domains TO klantmonitor_owner;
CREATE POLICY platform_admin_only ON organisation_sso TO klantmonitor_app
  USING (km_is_platform_admin()) WITH CHECK (km_is_platform_admin());
CREATE POLICY platform_admin_only ON organisation_sso_domains TO klantmonitor_app
  USING (km_is_platform_admin()) WITH CHECK (km_is_platform_admin());
