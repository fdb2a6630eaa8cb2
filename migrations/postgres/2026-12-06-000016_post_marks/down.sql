DROP TABLE post_mark_recipients;
DROP INDEX posts_own_mark;
ALTER TABLE posts DROP COLUMN mark;
