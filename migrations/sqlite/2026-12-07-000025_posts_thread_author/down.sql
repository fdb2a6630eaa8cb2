DROP INDEX posts_thread_author;
