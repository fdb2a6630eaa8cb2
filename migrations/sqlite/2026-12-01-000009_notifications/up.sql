-- Watching and notifications. A watch sets how much a member hears about
-- a thread, category, jurisdiction or instrument; notifications are derived
-- from the event log by the notifier, whose position is kept in
-- site_settings ('notifier_seq') in the same transaction.
CREATE TABLE watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('watching', 'tracking', 'normal', 'muted')),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, target)
);
CREATE INDEX watches_target ON watches(target, level);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    thread_id BIGINT,
    post_id BIGINT,
    actor_id BIGINT,
    count BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);
