-- Recovery codes with a salted slow hash (#22): 10 signs from a 32-sign alphabet (50 bits), stored as
-- argon2id like passwords (the hash text as bytes in code_hash). Checking a typed code needs the
-- unused hashes of the account (argon2 verifies each); km_auth_recovery_use then spends the one that
-- matched. The old codes (8 signs, about 40 bits, unsalted SHA-256: 32 bytes) are removed: their
-- owners see "0 herstelcodes over" and make a new set on their account page.

DELETE FROM totp_recovery_codes WHERE length(code_hash) = 32;

CREATE FUNCTION km_auth_recovery_unused(p_user uuid) RETURNS SETOF bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT c.code_hash FROM public.totp_recovery_codes c JOIN public.users u ON u.id = c.user_id
  WHERE c.user_id = p_user AND c.used_at IS NULL AND u.totp_enabled_at IS NOT NULL
    AND u.organisation_id IS NOT DISTINCT FROM public.km_current_organisation_id()
$$;

REVOKE ALL ON FUNCTION km_auth_recovery_unused(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION km_auth_recovery_unused(uuid) TO klantmonitor_app;
GRANT CREATE ON SCHEMA public TO klantmonitor_owner;
ALTER FUNCTION km_auth_recovery_unused(uuid) OWNER TO klantmonitor_owner;
REVOKE CREATE ON SCHEMA public FROM klantmonitor_owner;
