-- Who took part in a thread (everyone who posted in it, told of each new
-- reply) is read from this index alone, without reading every post's row.
CREATE INDEX posts_thread_author ON posts(thread_id, author_id);
