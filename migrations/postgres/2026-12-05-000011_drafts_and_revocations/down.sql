ALTER TABLE notifications DROP COLUMN detail;
ALTER TABLE invitations DROP COLUMN revoked_at;
DROP TABLE drafts;
