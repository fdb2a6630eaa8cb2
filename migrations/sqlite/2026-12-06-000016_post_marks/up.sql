-- A reply may carry a stricter handling mark than its thread (TLP 2.0):
-- NULL is "as its thread". Its readers, for AMBER+STRICT and RED, are in
-- post_mark_recipients; a reader of the post must be a reader of both.
ALTER TABLE posts ADD COLUMN mark TEXT
    CHECK (mark IS NULL OR mark IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'));
-- The few posts with a mark of their own, found without a scan.
CREATE INDEX posts_own_mark ON posts(id) WHERE mark IS NOT NULL;

CREATE TABLE post_mark_recipients (
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    -- country: an ISO 3166-1 code; grp: a group id; member: a user id;
    -- break_glass: an admin who opened a RED post (audited).
    kind TEXT NOT NULL CHECK (kind IN ('country', 'grp', 'member', 'break_glass')),
    value TEXT NOT NULL,
    PRIMARY KEY (post_id, kind, value)
);
