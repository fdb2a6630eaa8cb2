ALTER TABLE invitations DROP COLUMN revoked_at;
DROP TABLE drafts;
