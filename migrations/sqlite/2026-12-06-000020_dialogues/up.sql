-- Dialogues: publications staff compile from analyses and colloquium
-- conclusions (CLEAR and GREEN material only), shown as a page and a PDF.
CREATE TABLE dialogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The countries or regions a dialogue is about.
CREATE TABLE dialogue_jurisdictions (
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (dialogue_id, code)
);

-- Its chapters, in order: threads (analyses, published conclusions).
CREATE TABLE dialogue_items (
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    PRIMARY KEY (dialogue_id, position)
);
