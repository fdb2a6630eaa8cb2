-- Advice requests to the legal office: a RED thread naming the office's
-- group, with where the request stands, the office's private notes and
-- the steps it went through.
CREATE TABLE advice_requests (
    thread_id BIGINT PRIMARY KEY NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    requester_id BIGINT NOT NULL REFERENCES users(id),
    office_group_id BIGINT NOT NULL REFERENCES groups(id),
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'assigned', 'advice_given', 'closed')),
    assignee_id BIGINT REFERENCES users(id),
    due_at TIMESTAMP NOT NULL,
    advice_post_id BIGINT,
    -- The requester agrees to an anonymised publication.
    publish_consent BOOLEAN NOT NULL DEFAULT FALSE,
    published_thread_id BIGINT REFERENCES threads(id),
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX advice_requests_by_status ON advice_requests(status, due_at);

-- The office's notes on a request: never shown to the requester.
CREATE TABLE advice_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES advice_requests(thread_id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Each step of a request (received, assigned, note, advice given, consent,
-- closed, published), who took it and when.
CREATE TABLE advice_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES advice_requests(thread_id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TIMESTAMP NOT NULL
);
CREATE INDEX advice_steps_by_thread ON advice_steps(thread_id, id);
