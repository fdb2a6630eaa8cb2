-- Slow mode per thread (seconds a member waits between replies; 0: off)
-- and the curated "Featured analyses" list.
ALTER TABLE threads ADD COLUMN slow_mode_seconds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN featured_at TIMESTAMP;
CREATE INDEX threads_featured ON threads(featured_at);
