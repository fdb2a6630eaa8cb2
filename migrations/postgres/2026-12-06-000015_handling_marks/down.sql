DROP TABLE mark_recipients;
DROP INDEX threads_mark;
ALTER TABLE threads DROP COLUMN mark;
