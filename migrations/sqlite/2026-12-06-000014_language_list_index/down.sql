DROP INDEX threads_language_order;
CREATE INDEX threads_language ON threads(language);
