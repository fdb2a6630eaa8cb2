-- A list filtered by language is read in order from this index (the
-- former one on language alone made both databases sort every thread of
-- that language).
DROP INDEX threads_language;
CREATE INDEX threads_language_order ON threads(language, last_post_at, id);
