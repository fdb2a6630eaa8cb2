-- Files attached to posts (judgments, statutes, reports). The blob lives in
-- the file store under its SHA-256; the row is written only once the blob
-- is durable. An upload not yet used on a post has no post_id; an edit
-- that drops a file sets removed_in_revision and keeps the row for the
-- history staff read.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    uploader_id BIGINT NOT NULL REFERENCES users(id),
    post_id BIGINT REFERENCES posts(id),
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    removed_in_revision BIGINT,
    -- Set when a moderator hid the file: why.
    hidden_reason TEXT,
    -- Whether browsers may show it in the page (a PDF or picture with no
    -- markup a browser could run).
    inline BOOLEAN NOT NULL DEFAULT FALSE,
    -- 'pending', 'done', 'failed' or 'none' (a type without text).
    extraction TEXT NOT NULL DEFAULT 'pending',
    extraction_error TEXT,
    pages BIGINT,
    language TEXT,
    -- The author a PDF's metadata names, shown to the uploader.
    document_author TEXT
);
CREATE INDEX attachments_post ON attachments(post_id);
CREATE INDEX attachments_uploader ON attachments(uploader_id, created_at);
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX attachments_extraction ON attachments(extraction, id);

-- The text inside an attachment, page by page, as the extractor read it.
CREATE TABLE attachment_pages (
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    page BIGINT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (attachment_id, page)
);
