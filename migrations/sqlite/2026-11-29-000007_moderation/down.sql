ALTER TABLE users DROP COLUMN suspension_reason;
DROP TABLE flag_notes;
DROP TABLE flags;
DROP TABLE audit_log;
