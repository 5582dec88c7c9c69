-- Undoes recovery-codes-v2.sql (the argon2 codes stay, and no longer match: make a new set).
DROP FUNCTION km_auth_recovery_unused(uuid);
