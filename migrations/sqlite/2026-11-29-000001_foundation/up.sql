-- Comity foundation schema (SQLite). Kept in step with migrations/postgres.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'moderator', 'admin')),
    country TEXT NOT NULL,
    profession TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    suspended_until TIMESTAMP
);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'moderator', 'admin')),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    used_by BIGINT REFERENCES users(id)
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    user_agent TEXT NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE category_groups (
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, group_id)
);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('discussion', 'question', 'analysis')),
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    post_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    last_post_at TIMESTAMP NOT NULL
);
CREATE INDEX threads_category_last ON threads(category_id, last_post_at);
CREATE INDEX threads_last ON threads(last_post_at);

CREATE TABLE thread_jurisdictions (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (thread_id, code)
);
CREATE INDEX thread_jurisdictions_code ON thread_jurisdictions(code);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    reply_to BIGINT REFERENCES posts(id),
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP
);
CREATE INDEX posts_thread ON posts(thread_id, id);

CREATE TABLE post_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    edited_by BIGINT NOT NULL REFERENCES users(id),
    edited_at TIMESTAMP NOT NULL,
    reason TEXT,
    UNIQUE (post_id, revision)
);

CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    thread_id BIGINT,
    category_id BIGINT,
    actor_id BIGINT,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
