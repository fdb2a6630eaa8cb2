-- Members erased on request (data protection): the account row stays as
-- "Former member #N" so their kept posts have an author; this records when,
-- by whom and what became of their posts.
CREATE TABLE erasures (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    erased_at TIMESTAMP NOT NULL,
    erased_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    posts TEXT NOT NULL
);
