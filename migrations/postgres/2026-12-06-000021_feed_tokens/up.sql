-- Feed links: a member's feed token is derived from the server's secret,
-- their id and this generation; revoking their links moves it on.
CREATE TABLE feed_tokens (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    generation BIGINT NOT NULL DEFAULT 0
);
