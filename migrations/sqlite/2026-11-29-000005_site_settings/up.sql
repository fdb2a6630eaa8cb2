-- Settings admins change at run time, and where each session was last used.
CREATE TABLE site_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
ALTER TABLE sessions ADD COLUMN last_ip TEXT;
