-- Thread lists are ordered (pinned, last_post_at, id) within a category
-- and (last_post_at, id) across them; a cursor (`before=`) seeks these.
CREATE INDEX threads_category_order ON threads(category_id, pinned, last_post_at, id);
CREATE INDEX threads_order ON threads(last_post_at, id);
