//! What members receive by e-mail, and what is waiting to be sent.
//!
//! Each member chooses **immediate** e-mail (`off`; `direct`: mentions,
//! quotes, replies to their posts or questions, moderators' actions on
//! their content, review reminders; `watching`: those and everything from
//! what they watch) and a **digest** (`off`, `daily`, `weekly`) of the
//! notifications still unread. Without a choice: `watching` and `weekly`.
//!
//! While e-mail is on ([`Db::set_email_on`]), the notifier marks a
//! notification `due` when it is to be e-mailed, and why
//! ([`crate::features::notifications`]); [`Db::claim_due_email`] hands them to the
//! mailer one at a time, just before each is sent, after checking with the
//! one access rule that the recipient is an active member who may still
//! see the thread, has not read it and still wants e-mail for that reason —
//! anything else is `skipped`. One e-mail per unread notification: events
//! collapsed into it later do not send another until it has been read.
//! Digests are claimed the same way ([`Db::claim_due_digest`]), from the
//! notifications the member may see and has not read.
//!
//! Sending (SMTP, message text, unsubscribe links) belongs to the server.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::features::notifications::{
    NotificationView, Why, recipient, to_views, visible_notification, visible_notifications,
};
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::{NotificationId, UserId};
use crate::store::schema::{email_preferences, notifications, users};

/// A due e-mail older than this is skipped rather than sent late (e-mail
/// turned on after a long time off does not flood anyone).
pub const STALE_AFTER: Duration = Duration::hours(24);
/// A claimed e-mail not confirmed sent after this is due again (its mailer
/// died while sending).
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(10);

/// Which notifications are e-mailed as they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImmediateMail {
    Off,
    Direct,
    Watching,
}

impl ImmediateMail {
    pub const ALL: [ImmediateMail; 3] = [
        ImmediateMail::Watching,
        ImmediateMail::Direct,
        ImmediateMail::Off,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImmediateMail::Off => "off",
            ImmediateMail::Direct => "direct",
            ImmediateMail::Watching => "watching",
        }
    }

    pub fn parse(raw: &str) -> Result<ImmediateMail> {
        ImmediateMail::ALL
            .into_iter()
            .find(|l| l.as_str() == raw.trim())
            .ok_or_else(|| CoreError::invalid("immediate", "must be off, direct or watching"))
    }

    pub(crate) fn covers(self, why: Why) -> bool {
        match self {
            ImmediateMail::Off => false,
            ImmediateMail::Direct => why == Why::Direct,
            ImmediateMail::Watching => why != Why::Other,
        }
    }
}

/// How often the digest of unread notifications comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestFrequency {
    Off,
    Daily,
    Weekly,
}

impl DigestFrequency {
    pub const ALL: [DigestFrequency; 3] = [
        DigestFrequency::Daily,
        DigestFrequency::Weekly,
        DigestFrequency::Off,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DigestFrequency::Off => "off",
            DigestFrequency::Daily => "daily",
            DigestFrequency::Weekly => "weekly",
        }
    }

    pub fn parse(raw: &str) -> Result<DigestFrequency> {
        DigestFrequency::ALL
            .into_iter()
            .find(|l| l.as_str() == raw.trim())
            .ok_or_else(|| CoreError::invalid("digest", "must be off, daily or weekly"))
    }

    /// Time between two digests.
    pub fn period(self) -> Option<Duration> {
        match self {
            DigestFrequency::Off => None,
            DigestFrequency::Daily => Some(Duration::days(1)),
            DigestFrequency::Weekly => Some(Duration::days(7)),
        }
    }
}

/// A member's e-mail choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EmailPreferences {
    pub immediate: ImmediateMail,
    pub digest: DigestFrequency,
}

impl Default for EmailPreferences {
    fn default() -> Self {
        EmailPreferences {
            immediate: ImmediateMail::Watching,
            digest: DigestFrequency::Weekly,
        }
    }
}

/// Whom an e-mail goes to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    /// Interface language preference, if any: the e-mail's language.
    pub language: Option<String>,
}

/// One notification to e-mail now (claimed: confirm with
/// [`Db::email_sent`] or give it back with [`Db::email_failed`]).
#[derive(Debug, Clone)]
pub struct ImmediateEmail {
    pub recipient: Recipient,
    pub notification: NotificationView,
}

/// A digest to send: the notifications `recipient` may see, has not read,
/// and that changed in `since..until`.
#[derive(Debug, Clone)]
pub struct DigestEmail {
    pub recipient: Recipient,
    pub frequency: DigestFrequency,
    pub since: NaiveDateTime,
    pub until: NaiveDateTime,
    pub items: Vec<NotificationView>,
}

/// PostgreSQL advisory locks of the mailers (721131–721134 are the
/// migrations, event appends, the audit chain and the notifier).
const MAIL_LOCK: i64 = 721135;
const DIGEST_LOCK: i64 = 721136;

/// Several server processes may share a PostgreSQL database, each with a
/// mailer: their claims take turns, so none claims what another just did.
/// (SQLite has one writer at a time anyway.)
fn one_claimer_at_a_time(conn: &mut DbConnection, lock: i64) -> Result<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::connection::SimpleConnection::batch_execute(
            pg,
            &format!("SELECT pg_advisory_xact_lock({lock})"),
        )?;
    }
    Ok(())
}

pub(crate) fn preferences_of(conn: &mut DbConnection, user: UserId) -> Result<EmailPreferences> {
    let row: Option<(String, String)> = email_preferences::table
        .find(user)
        .select((email_preferences::immediate, email_preferences::digest))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((immediate, digest)) => EmailPreferences {
            immediate: ImmediateMail::parse(&immediate)?,
            digest: DigestFrequency::parse(&digest)?,
        },
        None => EmailPreferences::default(),
    })
}

fn load_recipient(conn: &mut DbConnection, user: UserId) -> Result<Recipient> {
    let (email, display_name, language) = users::table
        .find(user)
        .select((users::email, users::display_name, users::language))
        .first::<(String, String, Option<String>)>(conn)?;
    Ok(Recipient {
        user_id: user,
        email,
        display_name,
        language,
    })
}

/// Writes a member's choices and where their digest period starts.
fn store_preferences(
    conn: &mut DbConnection,
    user: UserId,
    prefs: EmailPreferences,
    digest_from: NaiveDateTime,
) -> Result<()> {
    diesel::delete(email_preferences::table.find(user)).execute(conn)?;
    diesel::insert_into(email_preferences::table)
        .values((
            email_preferences::user_id.eq(user),
            email_preferences::immediate.eq(prefs.immediate.as_str()),
            email_preferences::digest.eq(prefs.digest.as_str()),
            email_preferences::digest_from.eq(digest_from),
            email_preferences::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

impl Db {
    /// A member's e-mail choices (the defaults when they made none).
    pub fn email_preferences(&self, user: UserId) -> Result<EmailPreferences> {
        self.read(|conn| preferences_of(conn, user))
    }

    /// Changes a member's e-mail choices; `None` keeps the current value.
    pub fn set_email_preferences(
        &self,
        user: UserId,
        immediate: Option<ImmediateMail>,
        digest: Option<DigestFrequency>,
    ) -> Result<EmailPreferences> {
        self.write(|conn| {
            // Not while a digest pass decides on this member.
            one_claimer_at_a_time(conn, DIGEST_LOCK)?;
            let current = preferences_of(conn, user)?;
            let digest_from: Option<NaiveDateTime> = email_preferences::table
                .find(user)
                .select(email_preferences::digest_from)
                .first(conn)
                .optional()?;
            let next = EmailPreferences {
                immediate: immediate.unwrap_or(current.immediate),
                digest: digest.unwrap_or(current.digest),
            };
            // The period runs on from daily to weekly and back (nothing
            // unread is left out); it starts when the digest is turned on.
            let digest_from = match digest_from {
                Some(from) if current.digest != DigestFrequency::Off => from,
                _ => now(),
            };
            store_preferences(conn, user, next, digest_from)?;
            Ok(next)
        })
    }

    /// Claims the next notification due for immediate e-mail that may still
    /// be sent — one at a time, so access is checked just before each
    /// e-mail goes — and marks the ones passed over skipped: the recipient
    /// is gone or suspended, may no longer see the thread, has read it, no
    /// longer wants e-mail for this reason, or it waited longer than
    /// [`STALE_AFTER`].
    pub fn claim_due_email(&self) -> Result<Option<ImmediateEmail>> {
        self.write(|conn| {
            one_claimer_at_a_time(conn, MAIL_LOCK)?;
            let at = now();
            // A mailer that died while sending: those are due again.
            diesel::update(
                notifications::table
                    .filter(notifications::email_state.eq("sending"))
                    .filter(notifications::emailed_at.lt(at - CLAIM_TIMEOUT)),
            )
            .set(notifications::email_state.eq("due"))
            .execute(conn)?;
            diesel::update(
                notifications::table
                    .filter(notifications::email_state.eq("due"))
                    .filter(notifications::updated_at.lt(at - STALE_AFTER)),
            )
            .set(notifications::email_state.eq("skipped"))
            .execute(conn)?;
            let due: Vec<(NotificationId, UserId, Option<String>)> = notifications::table
                .filter(notifications::email_state.eq("due"))
                .order(notifications::id.asc())
                .limit(100)
                .select((
                    notifications::id,
                    notifications::user_id,
                    notifications::email_why,
                ))
                .load(conn)?;
            let restrictions = crate::access::visibility::Restrictions::load(conn)?;
            for (id, user, why) in due {
                let why = match why.as_deref() {
                    Some("direct") => Why::Direct,
                    _ => Why::Watched,
                };
                let wanted = preferences_of(conn, user)?.immediate.covers(why);
                let row = match recipient(conn, user)? {
                    Some(viewer) if wanted => {
                        visible_notification(conn, &viewer, id, &restrictions)?
                            .filter(|r| r.8.is_none())
                    }
                    _ => None,
                };
                let Some(row) = row else {
                    diesel::update(notifications::table.find(id))
                        .set(notifications::email_state.eq("skipped"))
                        .execute(conn)?;
                    continue;
                };
                diesel::update(notifications::table.find(id))
                    .set((
                        notifications::email_state.eq("sending"),
                        notifications::emailed_at.eq(at),
                    ))
                    .execute(conn)?;
                let notification = to_views(conn, vec![row], &restrictions)?.remove(0);
                return Ok(Some(ImmediateEmail {
                    recipient: load_recipient(conn, user)?,
                    notification,
                }));
            }
            Ok(None)
        })
    }

    /// Confirms a claimed e-mail as sent.
    pub fn email_sent(&self, notification: NotificationId) -> Result<()> {
        self.set_email_state(notification, "sent")
    }

    /// Gives a claimed e-mail back: due again when the failure may pass,
    /// skipped when the server refused it for good.
    pub fn email_failed(&self, notification: NotificationId, permanent: bool) -> Result<()> {
        self.set_email_state(notification, if permanent { "skipped" } else { "due" })
    }

    fn set_email_state(&self, notification: NotificationId, state: &str) -> Result<()> {
        self.write(|conn| {
            diesel::update(
                notifications::table
                    .find(notification)
                    .filter(notifications::email_state.eq("sending")),
            )
            .set((
                notifications::email_state.eq(state),
                notifications::emailed_at.eq(now()),
            ))
            .execute(conn)?;
            Ok(())
        })
    }

    /// How many notifications wait for immediate e-mail (due or in flight).
    pub fn pending_emails(&self) -> Result<i64> {
        self.read(|conn| {
            Ok(notifications::table
                .filter(notifications::email_state.eq_any(["due", "sending"]))
                .count()
                .get_result(conn)?)
        })
    }

    /// Claims the next digest due at `at` — one at a time, so access is
    /// checked just before each goes: for a member whose period has run
    /// out, the notifications they may see, have not read and that changed
    /// during it. The period restarts at `at` for every member considered
    /// (with nothing to tell, no e-mail is sent); give an unsent digest
    /// back with [`Db::digest_failed`]. Members without a stored choice
    /// start their first period now.
    pub fn claim_due_digest(&self, at: NaiveDateTime) -> Result<Option<DigestEmail>> {
        self.write(|conn| {
            one_claimer_at_a_time(conn, DIGEST_LOCK)?;
            // No notification may commit behind the cut-off once it is read.
            crate::features::notifications::notifier_lock(conn)?;
            let known = email_preferences::table.select(email_preferences::user_id);
            let newcomers: Vec<UserId> = users::table
                .filter(users::id.ne_all(known))
                .select(users::id)
                .load(conn)?;
            for user in newcomers {
                store_preferences(conn, user, EmailPreferences::default(), at)?;
            }
            let restrictions = crate::access::visibility::Restrictions::load(conn)?;
            let rows: Vec<(UserId, String, NaiveDateTime)> = email_preferences::table
                .filter(email_preferences::digest.ne("off"))
                .order(email_preferences::digest_from.asc())
                .select((
                    email_preferences::user_id,
                    email_preferences::digest,
                    email_preferences::digest_from,
                ))
                .load(conn)?;
            for (user, frequency, since) in rows {
                let frequency = DigestFrequency::parse(&frequency)?;
                let Some(period) = frequency.period() else {
                    continue;
                };
                if since + period > at {
                    continue;
                }
                diesel::update(email_preferences::table.find(user))
                    .set(email_preferences::digest_from.eq(at))
                    .execute(conn)?;
                let Some(viewer) = recipient(conn, user)? else {
                    continue;
                };
                let rows: Vec<_> = visible_notifications(conn, &viewer, true, &restrictions)?
                    .into_iter()
                    .filter(|r| r.7 >= since && r.7 <= at)
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                return Ok(Some(DigestEmail {
                    recipient: load_recipient(conn, user)?,
                    frequency,
                    since,
                    until: at,
                    items: to_views(conn, rows, &restrictions)?,
                }));
            }
            Ok(None)
        })
    }

    /// Gives back a digest that could not be sent: its period reopens, so
    /// the next pass sends it with whatever came since.
    pub fn digest_failed(&self, digest: &DigestEmail) -> Result<()> {
        self.write(|conn| {
            diesel::update(
                email_preferences::table
                    .find(digest.recipient.user_id)
                    .filter(email_preferences::digest_from.eq(digest.until)),
            )
            .set(email_preferences::digest_from.eq(digest.since))
            .execute(conn)?;
            Ok(())
        })
    }

    /// Turns every e-mail off for a member (the unsubscribe link).
    pub fn unsubscribe_email(&self, user: UserId) -> Result<EmailPreferences> {
        self.set_email_preferences(user, Some(ImmediateMail::Off), Some(DigestFrequency::Off))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_cover_reasons() {
        assert_eq!(
            ImmediateMail::parse("direct").unwrap(),
            ImmediateMail::Direct
        );
        assert!(ImmediateMail::parse("always").is_err());
        assert_eq!(
            DigestFrequency::parse("weekly").unwrap(),
            DigestFrequency::Weekly
        );
        assert!(DigestFrequency::parse("hourly").is_err());
        assert!(ImmediateMail::Direct.covers(Why::Direct));
        assert!(!ImmediateMail::Direct.covers(Why::Watched));
        assert!(ImmediateMail::Watching.covers(Why::Watched));
        assert!(!ImmediateMail::Watching.covers(Why::Other));
        assert!(!ImmediateMail::Off.covers(Why::Direct));
    }
}
