-- Drafts: what a member is writing in a thread, saved as they type, so a
-- reload, a lock or another device never loses it. One per member and
-- thread; posting the reply removes it in the same transaction.
CREATE TABLE drafts (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    reply_to BIGINT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);

-- An invitation staff withdrew before it was used: it no longer works.
ALTER TABLE invitations ADD COLUMN revoked_at TIMESTAMP;

-- What happened, for a kind that stands for several actions: a
-- `moderation` notice says whether the post was hidden ('post_hidden'),
-- edited by a moderator ('post_edited') or its author warned ('warned').
ALTER TABLE notifications ADD COLUMN detail TEXT;
