-- Interface language preference of a member, and the language of content.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE threads ADD COLUMN language TEXT NOT NULL DEFAULT 'und';
ALTER TABLE posts ADD COLUMN language TEXT NOT NULL DEFAULT 'und';
CREATE INDEX threads_language ON threads(language);
