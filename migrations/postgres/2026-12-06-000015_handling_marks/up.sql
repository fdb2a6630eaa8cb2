-- Handling marks (TLP 2.0): every thread carries one; AMBER+STRICT and
-- RED name their readers in mark_recipients.
ALTER TABLE threads ADD COLUMN mark TEXT NOT NULL DEFAULT 'GREEN'
    CHECK (mark IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'));
-- The few threads that name their readers, found without a scan (a
-- partial index would not serve the statement, whose marks are bound
-- parameters).
CREATE INDEX threads_mark ON threads(mark);

CREATE TABLE mark_recipients (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    -- country: an ISO 3166-1 code; grp: a group id; member: a user id;
    -- break_glass: an admin who opened a RED thread (audited).
    kind TEXT NOT NULL CHECK (kind IN ('country', 'grp', 'member', 'break_glass')),
    value TEXT NOT NULL,
    PRIMARY KEY (thread_id, kind, value)
);
