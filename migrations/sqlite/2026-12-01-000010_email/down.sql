DROP TABLE email_preferences;
DROP INDEX notifications_email_state;
ALTER TABLE notifications DROP COLUMN emailed_at;
ALTER TABLE notifications DROP COLUMN email_why;
ALTER TABLE notifications DROP COLUMN email_state;
