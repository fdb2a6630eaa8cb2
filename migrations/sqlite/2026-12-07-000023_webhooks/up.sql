-- Webhooks: endpoints admins register; each follows the event log with a
-- cursor of its own (at-least-once, in order), backs off after failures
-- and is disabled after too many in a row. A lease lets one process of
-- several deliver an endpoint's events at a time.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    cursor_seq BIGINT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    disabled_at TIMESTAMP,
    lease_until TIMESTAMP,
    lease_owner TEXT
);

-- Each event given to an endpoint: attempts, the last answer, the outcome.
CREATE TABLE webhook_deliveries (
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    response_code INTEGER,
    error TEXT,
    first_attempt_at TIMESTAMP NOT NULL,
    last_attempt_at TIMESTAMP NOT NULL,
    PRIMARY KEY (webhook_id, seq)
);
