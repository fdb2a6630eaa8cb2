ALTER TABLE sessions DROP COLUMN last_ip;
DROP TABLE site_settings;
