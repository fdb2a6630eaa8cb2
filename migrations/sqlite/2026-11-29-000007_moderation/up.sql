-- Moderation: the tamper-evident audit log, flags worked as cases, and
-- the reason a member is suspended.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_target ON audit_log(target, id);

CREATE TABLE flags (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    flagger_id BIGINT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (reason IN ('inaccurate_law', 'personal_data', 'confidential', 'off_topic', 'abusive', 'spam', 'other')),
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    assignee_id BIGINT REFERENCES users(id),
    resolution TEXT,
    resolution_note TEXT,
    resolved_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE INDEX flags_status ON flags(status, id);
CREATE INDEX flags_flagger ON flags(flagger_id, id);
CREATE INDEX flags_post ON flags(post_id);

CREATE TABLE flag_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    flag_id BIGINT NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX flag_notes_flag ON flag_notes(flag_id, id);

ALTER TABLE users ADD COLUMN suspension_reason TEXT;
