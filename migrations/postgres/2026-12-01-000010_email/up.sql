-- E-mail: what each member wants by e-mail, and which notifications are
-- waiting to be e-mailed. The notifier marks a notification 'due' when the
-- member asked for immediate e-mail about it; the mailer sends it (or
-- skips it when the member may no longer see it, read it first, or turned
-- e-mail off) and marks it 'sent' or 'skipped'; 'sending' claims it while
-- it is in flight, so two mailers never send the same one. One e-mail per
-- unread notification: later events collapsed into it do not send another.
ALTER TABLE notifications ADD COLUMN email_state TEXT
    CHECK (email_state IN ('due', 'sending', 'sent', 'skipped'));
-- Why it is to be e-mailed ('direct' outranks 'watched'): the mailer
-- checks it against the member's choice again when it sends.
ALTER TABLE notifications ADD COLUMN email_why TEXT
    CHECK (email_why IN ('direct', 'watched'));
ALTER TABLE notifications ADD COLUMN emailed_at TIMESTAMP;
CREATE INDEX notifications_email_state ON notifications(email_state, id);

-- Without a row a member gets the defaults: immediate e-mail for what is
-- addressed to them and what they watch, and a weekly digest. The digest
-- covers notifications updated since digest_from.
CREATE TABLE email_preferences (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    immediate TEXT NOT NULL CHECK (immediate IN ('off', 'direct', 'watching')),
    digest TEXT NOT NULL CHECK (digest IN ('off', 'daily', 'weekly')),
    digest_from TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
