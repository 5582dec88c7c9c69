-- Two-step verification by policy (security review, #11): an organisation can require it for
-- chosen roles of its own staff, and the platform for those roles in every organisation.
-- (Platform admins need it in production whatever this says: the api decides that.)

ALTER TABLE organisations ADD COLUMN totp_required_roles text[] NOT NULL DEFAULT '{}'
  CONSTRAINT ck_organisations_totp_roles CHECK (totp_required_roles <@ ARRAY['org_admin', 'counselor', 'policy_advisor']::text[]);

CREATE TABLE platform_settings (
  id integer PRIMARY KEY DEFAULT 1 CONSTRAINT ck_platform_settings_one CHECK (id = 1),
  totp_required_roles text[] NOT NULL DEFAULT '{}'
    CONSTRAINT ck_platform_settings_totp_roles CHECK (totp_required_roles <@ ARRAY['org_admin', 'counselor', 'policy_advisor']::text[]),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO platform_settings DEFAULT VALUES;
ALTER TABLE platform_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_settings FORCE ROW LEVEL SECURITY;
GRANT SELECT, UPDATE ON platform_settings TO klantmonitor_app;
CREATE POLICY platform_read ON platform_settings FOR SELECT TO klantmonitor_app USING (true);
CREATE POLICY platform_write ON platform_settings FOR UPDATE TO klantmonitor_app
  USING (km_is_platform_admin()) WITH CHECK (km_is_platform_admin());

-- Does this user's role need a second factor, by its organisation's or the platform's choice?
-- Asked at sign-in, before any organisation is known (so a definer function).
CREATE FUNCTION km_auth_totp_required(p_user uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT coalesce((
    SELECT u.role = ANY (o.totp_required_roles) OR u.role = ANY (p.totp_required_roles)
    FROM public.users u
    JOIN public.organisations o ON o.id = u.organisation_id
    CROSS JOIN public.platform_settings p
    WHERE u.id = p_user), false)
$$;
REVOKE ALL ON FUNCTION km_auth_totp_required(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_auth_totp_required(uuid) TO klantmonitor_app;
GRANT EXECUTE ON FUNCTION km_auth_totp_required(uuid) TO klantmonitor_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON platform_settings TO klantmonitor_owner;

-- Owned like every definer function (platform/definer-owner-v1.sql).
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_auth_totp_required(uuid) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
