-- Colloquia: time-boxed expert discussions with an invite list, held in a
-- category of their own restricted to their participants' group, ending
-- with versioned conclusions published where every member reads them.
CREATE TABLE colloquia (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    title TEXT NOT NULL,
    agenda TEXT NOT NULL,
    -- The discussion space: a category restricted to group_id.
    category_id BIGINT NOT NULL REFERENCES categories(id),
    group_id BIGINT NOT NULL REFERENCES groups(id),
    -- The opening thread (the agenda), where participants are pointed.
    thread_id BIGINT NOT NULL REFERENCES threads(id),
    -- Where the conclusions are published (an open category).
    publish_category_id BIGINT NOT NULL REFERENCES categories(id),
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    -- Participants were told it opened.
    opened_notified_at TIMESTAMP,
    -- The published conclusions' thread, once published.
    conclusions_thread_id BIGINT REFERENCES threads(id),
    CHECK (closes_at > opens_at)
);
CREATE UNIQUE INDEX colloquia_by_category ON colloquia(category_id);

-- The conclusions, one row per version (1, 2, …); published_at marks the
-- versions that were published.
CREATE TABLE colloquium_conclusions (
    colloquium_id BIGINT NOT NULL REFERENCES colloquia(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    author_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    PRIMARY KEY (colloquium_id, version)
);

-- A participant endorses one version of the conclusions.
CREATE TABLE conclusion_endorsements (
    colloquium_id BIGINT NOT NULL REFERENCES colloquia(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (colloquium_id, user_id)
);

-- Outside experts' time-limited accounts: a guest sees only categories
-- restricted to a group they belong to, and signs in until expires_at.
CREATE TABLE guest_accounts (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
);

-- What an invitation grants on registration besides its role: a group,
-- and for a guest the end of the account.
CREATE TABLE invitation_grants (
    invitation_id BIGINT PRIMARY KEY NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups(id),
    guest_until TIMESTAMP
);
