DROP INDEX threads_language;
ALTER TABLE posts DROP COLUMN language;
ALTER TABLE threads DROP COLUMN language;
ALTER TABLE users DROP COLUMN language;
