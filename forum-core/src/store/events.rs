//! The event log: one append-only table, written in the same transaction as
//! each change, read by `seq`. Live updates, the search index and
//! notifications all tail it.
//!
//! On PostgreSQL, concurrent transactions could commit sequence numbers out
//! of order, and a reader tailing "after seq N" would then skip a row for
//! good. Appends therefore take a transaction-scoped advisory lock, so
//! events commit in `seq` order on both backends (SQLite has one writer).
//! They also `NOTIFY` [`PG_CHANNEL`], delivered at commit, so other server
//! processes on the same database wake up at once ([`listen`]); the rows
//! stay the truth, a notification only says "read the log".

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::Serialize;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::Result;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::Event;
use crate::store::ids::*;
use crate::store::rows::EventRow;
use crate::store::schema::events;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    UserCreated,
    CategoryCreated,
    ThreadCreated,
    PostCreated,
    PostEdited,
    /// Sessions of `payload.user_id` ended (logout, revocation, password
    /// change, refresh-token reuse): live connections revalidate.
    SessionsRevoked,
    /// A group was created.
    GroupCreated,
    /// `payload.user_id` joined or left a group: what they may see changed.
    MembershipChanged,
    /// A thread's title, jurisdiction tags or analysis record changed.
    ThreadUpdated,
    /// A member endorsed an analysis for their country.
    EndorsementAdded,
    /// A member withdrew their endorsement.
    EndorsementWithdrawn,
    /// A moderator hid a post from members.
    PostHidden,
    /// A moderator showed a hidden post again.
    PostRestored,
    /// A thread was locked or unlocked.
    ThreadLocked,
    /// A thread was pinned or unpinned.
    ThreadPinned,
    /// A thread moved to another category: who may read it changed.
    ThreadMoved,
    /// A flag was resolved (its flagger learns the outcome).
    FlagResolved,
    /// `payload.from` was merged into this thread.
    ThreadMerged,
    /// Replies of this thread moved to the new thread `payload.into`.
    ThreadSplit,
    /// Slow mode changed (`payload.seconds`).
    ThreadSlowMode,
    /// An analysis entered or left the featured list (`payload.featured`).
    ThreadFeatured,
    /// `payload.user_id` was suspended until `payload.until`.
    UserSuspended,
    /// `payload.user_id`'s suspension was lifted.
    UserReinstated,
    /// An admin changed `payload.user_id`'s role to `payload.role`.
    RoleChanged,
    /// A notification for `payload.user_id` was created or bumped (the
    /// notifier writes these; the hub delivers them on `inbox`).
    Notification,
    /// How `payload.user_id` (absent: every member) is identified changed:
    /// interface language, second factor.
    AccountUpdated,
    /// `payload.user_id` read some of their notifications.
    NotificationsRead,
    /// `payload.user_id`'s own reading state changed: a reply draft saved
    /// or removed, a watch level chosen. Not delivered to anyone.
    MemberStateChanged,
    /// The text inside `payload.attachment_id` was read (or could not be):
    /// the indexer reindexes its post.
    AttachmentExtracted,
    /// A moderator hid `payload.attachment_id` (`payload.hidden`) or showed
    /// it again.
    AttachmentHidden,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 30] = [
        EventKind::UserCreated,
        EventKind::CategoryCreated,
        EventKind::ThreadCreated,
        EventKind::PostCreated,
        EventKind::PostEdited,
        EventKind::SessionsRevoked,
        EventKind::GroupCreated,
        EventKind::MembershipChanged,
        EventKind::ThreadUpdated,
        EventKind::EndorsementAdded,
        EventKind::EndorsementWithdrawn,
        EventKind::PostHidden,
        EventKind::PostRestored,
        EventKind::ThreadLocked,
        EventKind::ThreadPinned,
        EventKind::ThreadMoved,
        EventKind::FlagResolved,
        EventKind::ThreadMerged,
        EventKind::ThreadSplit,
        EventKind::ThreadSlowMode,
        EventKind::ThreadFeatured,
        EventKind::UserSuspended,
        EventKind::UserReinstated,
        EventKind::RoleChanged,
        EventKind::Notification,
        EventKind::AccountUpdated,
        EventKind::NotificationsRead,
        EventKind::MemberStateChanged,
        EventKind::AttachmentExtracted,
        EventKind::AttachmentHidden,
    ];

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::UserCreated => "user_created",
            EventKind::CategoryCreated => "category_created",
            EventKind::ThreadCreated => "thread_created",
            EventKind::PostCreated => "post_created",
            EventKind::PostEdited => "post_edited",
            EventKind::SessionsRevoked => "sessions_revoked",
            EventKind::GroupCreated => "group_created",
            EventKind::MembershipChanged => "membership_changed",
            EventKind::ThreadUpdated => "thread_updated",
            EventKind::EndorsementAdded => "endorsement_added",
            EventKind::EndorsementWithdrawn => "endorsement_withdrawn",
            EventKind::PostHidden => "post_hidden",
            EventKind::PostRestored => "post_restored",
            EventKind::ThreadLocked => "thread_locked",
            EventKind::ThreadPinned => "thread_pinned",
            EventKind::ThreadMoved => "thread_moved",
            EventKind::FlagResolved => "flag_resolved",
            EventKind::ThreadMerged => "thread_merged",
            EventKind::ThreadSplit => "thread_split",
            EventKind::ThreadSlowMode => "thread_slow_mode",
            EventKind::ThreadFeatured => "thread_featured",
            EventKind::UserSuspended => "user_suspended",
            EventKind::UserReinstated => "user_reinstated",
            EventKind::RoleChanged => "role_changed",
            EventKind::Notification => "notification",
            EventKind::AccountUpdated => "account_updated",
            EventKind::NotificationsRead => "notifications_read",
            EventKind::MemberStateChanged => "member_state_changed",
            EventKind::AttachmentExtracted => "attachment_extracted",
            EventKind::AttachmentHidden => "attachment_hidden",
        }
    }
}

/// Appends an event; call it inside the transaction of the change.
pub fn append(
    conn: &mut DbConnection,
    event: &Event,
    thread_id: Option<ThreadId>,
    category_id: Option<CategoryId>,
    actor_id: Option<UserId>,
) -> Result<i64> {
    let kind = event.kind();
    let payload = event.payload();
    if let DbConnection::Pg(pg) = conn {
        pg.batch_execute(
            "SELECT pg_advisory_xact_lock(721132); SELECT pg_notify('comity_events', '')",
        )?;
    }
    let seq = diesel::insert_into(events::table)
        .values((
            events::kind.eq(kind.as_str()),
            events::thread_id.eq(thread_id),
            events::category_id.eq(category_id),
            events::actor_id.eq(actor_id),
            events::payload.eq(payload.to_string()),
            events::created_at.eq(now()),
        ))
        .returning(events::seq)
        .get_result(conn)?;
    APPENDED.with(|last| last.set(last.get().max(seq)));
    Ok(seq)
}

thread_local! {
    /// The highest `seq` appended by the transaction running on this
    /// thread; [`Db::write`] takes it after the commit.
    pub(crate) static APPENDED: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

impl Db {
    /// Events with `seq > after`, oldest first, at most `limit`.
    pub fn events_after(&self, after: i64, limit: i64) -> Result<Vec<EventRow>> {
        self.read(|conn| {
            Ok(events::table
                .filter(events::seq.gt(after))
                .order(events::seq.asc())
                .limit(limit)
                .select(EventRow::as_select())
                .load(conn)?)
        })
    }

    /// The highest `seq` written so far (0 for an empty log).
    pub fn last_event_seq(&self) -> Result<i64> {
        self.head_reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(head) = self.head_connections.read(self)? {
            return Ok(head);
        }
        self.read(|conn| Ok(head_of(conn)?))
    }

    /// [`Db::last_event_seq`] as read by a query that started after this
    /// call: every event committed before the call is counted. Callers
    /// arriving while a read runs share the next one. Inside
    /// [`Db::one_head`], the first read is the answer for the rest of
    /// the call.
    pub fn log_head(&self) -> Result<i64> {
        if let Some(Some(head)) = ONE_HEAD.with(std::cell::Cell::get) {
            return Ok(head);
        }
        let head = self.head().read(|| self.last_event_seq())?;
        ONE_HEAD.with(|kept| {
            if kept.get().is_some() {
                kept.set(Some(Some(head)));
            }
        });
        Ok(head)
    }

    /// Runs `call` (one request's reads) with the log's head read at most
    /// once: a head read after the request began counts every change made
    /// before it, which is all "seen at once" asks, so the caches the
    /// request consults need not each ask PostgreSQL again.
    pub fn one_head<T>(&self, call: impl FnOnce() -> T) -> T {
        one_head(call)
    }
}

impl Db {
    /// Runs `call` with the log's head taken as `head`, a value the caller
    /// read after its request began (the server shares one such read among
    /// the requests that arrive together, without a blocking thread each):
    /// inside, [`Db::log_head`] answers `head` without asking the database.
    pub fn at_head<T>(&self, head: i64, call: impl FnOnce() -> T) -> T {
        at_head(head, call)
    }

    /// `call` with the log's head read at most once: at `head` when the
    /// caller read it already ([`Db::at_head`]), else [`Db::one_head`].
    pub fn with_head<T>(&self, head: Option<i64>, call: impl FnOnce() -> T) -> T {
        with_head(head, call)
    }

    /// The head [`Db::log_head`] would answer on this thread without
    /// asking the database, if there is one (inside [`Db::at_head`], or
    /// [`Db::one_head`] after its read).
    pub fn known_head(&self) -> Option<i64> {
        ONE_HEAD.with(std::cell::Cell::get).flatten()
    }
}

/// PostgreSQL connections kept for reading the log's head, apart from the
/// pool. Every request reads the head (shared among those arriving
/// together, see forum-server's `http::head`), and the pool checks a
/// connection before each use (`SELECT 1`), which would double that read's
/// round trips. Up to [`HeadConnections::KEPT`] are kept, unchecked: a read
/// changes nothing, so one that fails (a connection that died while kept)
/// drops its connection and is read again through the pool, whose check
/// finds a live one. When all are busy the pool serves too.
#[derive(Default)]
pub(crate) struct HeadConnections {
    idle: std::sync::Mutex<Vec<DbConnection>>,
    /// Connections kept, idle or in use.
    owned: std::sync::atomic::AtomicUsize,
}

impl HeadConnections {
    /// As many head reads as run at once (forum-server reads two).
    const KEPT: usize = 2;

    /// The head, read on a kept connection; `None` when the pool should
    /// read it (SQLite, all kept connections busy, or this one failed).
    fn read(&self, db: &Db) -> Result<Option<i64>> {
        if db.backend() != crate::store::db::Backend::Postgres {
            return Ok(None);
        }
        crate::store::db::refuse_if_not_waiting()?;
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => Some(conn),
            None => self.open(db.url()),
        };
        let Some(mut conn) = conn else {
            return Ok(None);
        };
        match head_of(&mut conn) {
            Ok(head) => {
                self.idle
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(conn);
                Ok(Some(head))
            }
            Err(err) => {
                tracing::debug!(%err, "a kept connection failed to read the log's head");
                self.owned.fetch_sub(1, Ordering::AcqRel);
                Ok(None)
            }
        }
    }

    /// A new kept connection, if fewer than [`Self::KEPT`] are.
    fn open(&self, url: &str) -> Option<DbConnection> {
        let claimed = self
            .owned
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |owned| {
                (owned < Self::KEPT).then_some(owned + 1)
            })
            .is_ok();
        if !claimed {
            return None;
        }
        match crate::store::db::establish_postgres(url) {
            Ok(conn) => Some(DbConnection::Pg(conn)),
            Err(err) => {
                tracing::debug!(%err, "no connection of its own for the log's head");
                self.owned.fetch_sub(1, Ordering::AcqRel);
                None
            }
        }
    }
}

/// The log's head: the highest `seq` written (0 for an empty log).
fn head_of(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(events::table
        .select(diesel::dsl::max(events::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Puts back the enclosing call's head, even on a panic.
struct RestoreHead(Option<Option<i64>>);

impl Drop for RestoreHead {
    fn drop(&mut self) {
        ONE_HEAD.with(|kept| kept.set(self.0));
    }
}

/// [`Db::one_head`] for code that holds no [`Db`] (the head is this
/// thread's, whichever database the calls inside reach: a process has one).
pub fn one_head<T>(call: impl FnOnce() -> T) -> T {
    let outer = ONE_HEAD.with(std::cell::Cell::get);
    let _restore = RestoreHead(outer);
    if outer.is_none() {
        ONE_HEAD.with(|kept| kept.set(Some(None)));
    }
    call()
}

/// [`Db::at_head`] for code that holds no [`Db`].
pub fn at_head<T>(head: i64, call: impl FnOnce() -> T) -> T {
    let _restore = RestoreHead(ONE_HEAD.with(|kept| kept.replace(Some(Some(head)))));
    call()
}

/// [`Db::with_head`] for code that holds no [`Db`].
pub fn with_head<T>(head: Option<i64>, call: impl FnOnce() -> T) -> T {
    match head {
        Some(head) => at_head(head, call),
        None => one_head(call),
    }
}

thread_local! {
    /// Inside [`Db::one_head`]: `Some(head)` once read.
    static ONE_HEAD: std::cell::Cell<Option<Option<i64>>> = const { std::cell::Cell::new(None) };
}

/// The PostgreSQL channel every append notifies.
pub const PG_CHANNEL: &str = "comity_events";

/// The channel on which processes tell each other who views which thread
/// and who is typing (ephemeral: never in the log).
pub const PRESENCE_CHANNEL: &str = "comity_presence";

/// Listens on PostgreSQL for appends by any process and calls `wake` for
/// each burst, and hands every presence notice's payload to `presence`,
/// until `stop` is set. Blocks: run it on its own thread. A lost
/// connection is re-established (and `wake` called, as something may have
/// been missed meanwhile).
pub fn listen(url: &str, stop: &AtomicBool, wake: impl Fn(), presence: impl Fn(&str)) {
    const POLL: Duration = Duration::from_millis(20);
    while !stop.load(Ordering::Relaxed) {
        let mut conn = match crate::store::db::establish_postgres(url)
            .map_err(|e| e.to_string())
            .and_then(|mut c| {
                c.batch_execute(&format!("LISTEN {PG_CHANNEL}; LISTEN {PRESENCE_CHANNEL}"))
                    .map(|_| c)
                    .map_err(|e| e.to_string())
            }) {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for events; retrying");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        wake();
        'poll: while !stop.load(Ordering::Relaxed) {
            let mut woke = false;
            for notification in conn.notifications_iter() {
                match notification {
                    Ok(n) if n.channel == PRESENCE_CHANNEL => presence(&n.payload),
                    Ok(_) => woke = true,
                    Err(e) => {
                        tracing::warn!(error = %e, "event listener connection lost");
                        break 'poll;
                    }
                }
            }
            if woke {
                wake();
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Db {
    /// Sends a presence notice to every process (PostgreSQL only; at most
    /// 8,000 bytes).
    pub fn notify_presence(&self, payload: &str) -> Result<()> {
        self.read(|conn| {
            diesel::sql_query("SELECT pg_notify('comity_presence', $1)")
                .bind::<diesel::sql_types::Text, _>(payload)
                .execute(conn)?;
            Ok(())
        })
    }
}

impl EventRow {
    /// The typed event this row stores; `None` for a kind or payload this
    /// version does not know.
    pub fn event(&self) -> Option<Event> {
        Event::decode(&self.kind, &self.payload)
    }
}

#[cfg(test)]
mod tests {
    use super::EventKind;

    #[test]
    fn every_kind_parses_back_from_its_stored_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("category_updated"), None);
    }
}
