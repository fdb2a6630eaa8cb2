DROP TABLE recovery_codes;
ALTER TABLE sessions DROP COLUMN second_factor;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
