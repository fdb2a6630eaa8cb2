DROP INDEX threads_featured;
ALTER TABLE threads DROP COLUMN featured_at;
ALTER TABLE threads DROP COLUMN slow_mode_seconds;
