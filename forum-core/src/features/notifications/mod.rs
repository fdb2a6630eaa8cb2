//! Watching and notifications.
//!
//! A **watch** sets how much a member hears about a thread, a category, a
//! jurisdiction or an instrument: `watching` (every new reply or thread),
//! `tracking` (new analyses in a jurisdiction or instrument; for threads and
//! categories, only what is addressed to the member), `normal` (only what is
//! addressed to the member: replies to their posts, mentions) and `muted`
//! (nothing at all). Without a watch, a member watches the threads they
//! started or replied to and tracks their own country.
//!
//! **Notifications** are derived from the event log by the notifier
//! ([`Db::notify_from_log`]), never written by the handlers that make the
//! change. Each batch of events, the notifications it creates and the
//! notifier's position in the log are committed in one transaction, so
//! every event is considered exactly once. An unread notification of the
//! same kind about the same thread is bumped (its `count` grows) instead of
//! adding another. Each new or bumped notification is itself appended to
//! the log as a `notification` event for its recipient, which the live hub
//! delivers on the `inbox` topic.
//!
//! Access is checked with the one rule twice: when a notification is
//! created (the recipient must see the category, and not be suspended), and
//! when notifications are listed or counted.

pub mod email;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::access::visibility::Restrictions;
use crate::access::{self, Viewer};
use crate::domain::jurisdictions;
use crate::error::{CoreError, Result};
use crate::features::accounts::load_user;
use crate::features::forum::authors;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::rows::EventRow;
use crate::store::schema::{
    analyses, group_members, notifications, posts, site_settings, threads, users, watches,
};
use crate::views::AuthorView;

/// Where the notifier's position in the event log is kept.
const CURSOR_KEY: &str = "notifier_seq";

/// Events the notifier reads per transaction.
pub const NOTIFIER_BATCH: i64 = 200;

/// How much a member hears about something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchLevel {
    Muted,
    Normal,
    Tracking,
    Watching,
}

impl WatchLevel {
    pub const ALL: [WatchLevel; 4] = [
        WatchLevel::Watching,
        WatchLevel::Tracking,
        WatchLevel::Normal,
        WatchLevel::Muted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WatchLevel::Watching => "watching",
            WatchLevel::Tracking => "tracking",
            WatchLevel::Normal => "normal",
            WatchLevel::Muted => "muted",
        }
    }

    pub fn parse(raw: &str) -> Result<WatchLevel> {
        WatchLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == raw.trim())
            .ok_or_else(|| {
                CoreError::invalid("level", "must be watching, tracking, normal or muted")
            })
    }
}

/// What a watch is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WatchTarget {
    Thread(i64),
    Category(i64),
    /// A country or region code.
    Jurisdiction(String),
    /// An instrument id (`untoc`).
    Instrument(String),
}

impl WatchTarget {
    /// Parses `thread:42`, `category:3`, `jurisdiction:FR`,
    /// `instrument:untoc`; unknown jurisdictions and instruments are
    /// refused (existence and visibility of threads and categories are
    /// checked by [`Db::set_watch`]).
    pub fn parse(raw: &str) -> Result<WatchTarget> {
        let invalid = || {
            CoreError::invalid(
                "target",
                "must be thread:N, category:N, jurisdiction:CODE or instrument:ID",
            )
        };
        let (kind, value) = raw.trim().split_once(':').ok_or_else(invalid)?;
        let id = || {
            value
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(invalid)
        };
        match kind {
            "thread" => Ok(WatchTarget::Thread(id()?)),
            "category" => Ok(WatchTarget::Category(id()?)),
            "jurisdiction" => jurisdictions::get(value)
                .map(|j| WatchTarget::Jurisdiction(j.code.clone()))
                .ok_or_else(|| CoreError::invalid("target", "unknown jurisdiction code")),
            "instrument" => crate::domain::instruments::get(value)
                .map(|i| WatchTarget::Instrument(i.id.clone()))
                .ok_or_else(|| CoreError::invalid("target", "unknown instrument")),
            _ => Err(invalid()),
        }
    }
}

impl std::fmt::Display for WatchTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WatchTarget::Thread(id) => write!(f, "thread:{id}"),
            WatchTarget::Category(id) => write!(f, "category:{id}"),
            WatchTarget::Jurisdiction(code) => write!(f, "jurisdiction:{code}"),
            WatchTarget::Instrument(id) => write!(f, "instrument:{id}"),
        }
    }
}

/// A watch as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchView {
    pub target: String,
    pub level: String,
}

/// A notification as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationView {
    pub id: i64,
    /// `reply`, `mention`, `quote`, `new_thread`, `endorsement`,
    /// `flag_outcome`, `moderation`, `review_due`.
    pub kind: String,
    pub thread_id: Option<i64>,
    pub thread_title: Option<String>,
    pub post_id: Option<i64>,
    pub actor: Option<AuthorView>,
    /// How many events this notification stands for (5 replies → 5).
    pub count: i64,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub updated_at: NaiveDateTime,
    pub read: bool,
    /// About a thread in a category restricted to groups (e-mail leaves
    /// such titles out unless the operator allows them).
    #[serde(skip)]
    pub restricted: bool,
}

/// The columns of a [`NotificationRow`].
macro_rules! row_columns {
    () => {
        (
            notifications::id,
            notifications::kind,
            notifications::thread_id,
            notifications::post_id,
            notifications::actor_id,
            notifications::count,
            notifications::created_at,
            notifications::updated_at,
            notifications::read_at,
        )
    };
}

pub(crate) type NotificationRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

impl Db {
    /// Sets `viewer`'s watch level on a target. Threads and categories the
    /// viewer may not see are not found.
    pub fn set_watch(&self, viewer: &Viewer, target: &str, level: &str) -> Result<WatchView> {
        let target = WatchTarget::parse(target)?;
        let level = WatchLevel::parse(level)?;
        self.write(|conn| {
            match &target {
                WatchTarget::Thread(id) => {
                    crate::access::visibility::visible_thread(conn, viewer, *id)?;
                }
                WatchTarget::Category(id) => {
                    crate::access::visibility::visible_category(conn, viewer, *id)?;
                }
                WatchTarget::Jurisdiction(_) | WatchTarget::Instrument(_) => {}
            }
            let key = target.to_string();
            diesel::delete(
                watches::table
                    .filter(watches::user_id.eq(viewer.id))
                    .filter(watches::target.eq(&key)),
            )
            .execute(conn)?;
            diesel::insert_into(watches::table)
                .values((
                    watches::user_id.eq(viewer.id),
                    watches::target.eq(&key),
                    watches::level.eq(level.as_str()),
                    watches::updated_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(WatchView {
                target: key,
                level: level.as_str().to_owned(),
            })
        })
    }

    /// `viewer`'s level on one target: their explicit choice, else the
    /// default (watching threads they posted in, tracking their country,
    /// normal otherwise).
    pub fn watch_level(&self, viewer: &Viewer, target: &str) -> Result<WatchLevel> {
        let target = WatchTarget::parse(target)?;
        self.read(|conn| {
            let explicit: Option<String> = watches::table
                .filter(watches::user_id.eq(viewer.id))
                .filter(watches::target.eq(target.to_string()))
                .select(watches::level)
                .first(conn)
                .optional()?;
            if let Some(level) = explicit.and_then(|l| WatchLevel::parse(&l).ok()) {
                return Ok(level);
            }
            Ok(match &target {
                WatchTarget::Thread(id) => {
                    level_on_thread(conn, viewer.id, *id)?.unwrap_or(WatchLevel::Normal)
                }
                WatchTarget::Jurisdiction(code) if *code == viewer.country => WatchLevel::Tracking,
                _ => WatchLevel::Normal,
            })
        })
    }

    /// Marks one of `viewer`'s notifications read and returns where it
    /// points (thread, post), if `viewer` may still see it.
    pub fn open_notification(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(Option<i64>, Option<i64>)> {
        self.write(|conn| {
            let restrictions = Restrictions::load(conn)?;
            let row = visible_notification(conn, viewer, id, &restrictions)?
                .ok_or(CoreError::NotFound)?;
            diesel::update(notifications::table.find(id))
                .filter(notifications::read_at.is_null())
                .set(notifications::read_at.eq(now()))
                .execute(conn)?;
            Ok((row.2, row.3))
        })
    }

    /// `viewer`'s explicit watches (threads they can no longer see left
    /// out).
    pub fn watches(&self, viewer: &Viewer) -> Result<Vec<WatchView>> {
        self.read(|conn| {
            let rows: Vec<(String, String)> = watches::table
                .filter(watches::user_id.eq(viewer.id))
                .order(watches::target.asc())
                .select((watches::target, watches::level))
                .load(conn)?;
            let restrictions = Restrictions::load(conn)?;
            let mut out = Vec::with_capacity(rows.len());
            for (target, level) in rows {
                let visible = match WatchTarget::parse(&target) {
                    Ok(WatchTarget::Thread(id)) => thread_visible(conn, viewer, id, &restrictions)?,
                    Ok(WatchTarget::Category(id)) => category_visible(viewer, id, &restrictions),
                    Ok(_) => true,
                    Err(_) => false,
                };
                if visible {
                    out.push(WatchView { target, level });
                }
            }
            Ok(out)
        })
    }

    /// `viewer`'s most recent notifications (at most 100), newest first,
    /// and how many are unread — only about what they may see now.
    pub fn notifications(
        &self,
        viewer: &Viewer,
        unread_only: bool,
    ) -> Result<(Vec<NotificationView>, i64)> {
        self.read(|conn| {
            let restrictions = Restrictions::load(conn)?;
            let visible = visible_notifications(conn, viewer, false, &restrictions)?;
            let unread = unread_total(conn, viewer, &restrictions)?;
            let rows: Vec<NotificationRow> = visible
                .into_iter()
                .filter(|n| !unread_only || n.8.is_none())
                .take(100)
                .collect();
            Ok((to_views(conn, rows, &restrictions)?, unread))
        })
    }

    /// How many unread notifications `viewer` may see (every page header
    /// asks: two small queries, the count done by the database).
    pub fn unread_notifications(&self, viewer: &Viewer) -> Result<i64> {
        self.read(|conn| {
            let restrictions = Restrictions::load(conn)?;
            unread_total(conn, viewer, &restrictions)
        })
    }

    /// Marks `viewer`'s notifications read: those listed, or all.
    pub fn mark_notifications_read(&self, viewer: &Viewer, ids: Option<&[i64]>) -> Result<()> {
        self.write(|conn| {
            let mine = notifications::table
                .filter(notifications::user_id.eq(viewer.id))
                .filter(notifications::read_at.is_null());
            match ids {
                Some(ids) => {
                    diesel::update(mine.filter(notifications::id.eq_any(ids)))
                        .set(notifications::read_at.eq(now()))
                        .execute(conn)?;
                }
                None => {
                    diesel::update(mine)
                        .set(notifications::read_at.eq(now()))
                        .execute(conn)?;
                }
            }
            Ok(())
        })
    }

    /// The notifier: derives notifications from the events after its
    /// stored position (at most one batch), in one transaction with the new
    /// position. Returns how many events it read. On first run it starts at
    /// the head of the log: history does not notify.
    pub fn notify_from_log(&self) -> Result<usize> {
        let email_on = self.email_on();
        self.write(|conn| {
            notifier_lock(conn)?;
            let stored: Option<String> = site_settings::table
                .filter(site_settings::key.eq(CURSOR_KEY))
                .select(site_settings::value)
                .first(conn)
                .optional()?;
            let cursor = match stored.and_then(|v| v.parse::<i64>().ok()) {
                Some(seq) => seq,
                None => {
                    let head = crate::store::schema::events::table
                        .select(diesel::dsl::max(crate::store::schema::events::seq))
                        .first::<Option<i64>>(conn)?
                        .unwrap_or(0);
                    store_cursor(conn, head)?;
                    return Ok(0);
                }
            };
            let batch: Vec<EventRow> = crate::store::schema::events::table
                .filter(crate::store::schema::events::seq.gt(cursor))
                .order(crate::store::schema::events::seq.asc())
                .limit(NOTIFIER_BATCH)
                .select(EventRow::as_select())
                .load(conn)?;
            let Some(last) = batch.last().map(|e| e.seq) else {
                return Ok(0);
            };
            let mut notifier = Notifier::new(conn, email_on)?;
            let scopes = crate::access::scopes::scopes(conn, &batch, &notifier.restrictions)?;
            for (event, scope) in batch.iter().zip(&scopes) {
                notifier.consider(conn, event, scope)?;
            }
            store_cursor(conn, last)?;
            Ok(batch.len())
        })
    }
}

impl Db {
    /// Reminds the authors of analyses whose review-by date has passed:
    /// one `review_due` notification per analysis and date (a new date set
    /// after the review brings a new reminder when it passes). Returns how
    /// many reminders it gave.
    pub fn notify_review_due(&self) -> Result<usize> {
        let email_on = self.email_on();
        self.write(|conn| {
            // Several processes starting together remind once.
            notifier_lock(conn)?;
            let today = now().date();
            let due: Vec<(i64, i64, chrono::NaiveDate)> = analyses::table
                .inner_join(threads::table)
                .filter(analyses::review_by.lt(today))
                .select((
                    threads::id,
                    threads::author_id,
                    analyses::review_by.assume_not_null(),
                ))
                .load(conn)?;
            let mut notifier = Notifier::new(conn, email_on)?;
            let mut given = 0;
            for (thread, author, review_by) in due {
                let since = review_by.and_time(chrono::NaiveTime::MIN);
                let reminded: i64 = notifications::table
                    .filter(notifications::user_id.eq(author))
                    .filter(notifications::kind.eq("review_due"))
                    .filter(notifications::thread_id.eq(thread))
                    .filter(notifications::created_at.ge(since))
                    .count()
                    .get_result(conn)?;
                let category: i64 = threads::table
                    .find(thread)
                    .select(threads::category_id)
                    .first(conn)?;
                let scope = access::EventScope {
                    thread_id: Some(thread),
                    category_id: Some(category),
                    restricted_to: notifier
                        .restrictions
                        .get(&category)
                        .cloned()
                        .unwrap_or_default(),
                    ..access::EventScope::default()
                };
                if reminded > 0 || !notifier.may_receive(conn, author, &scope)? {
                    continue;
                }
                let email = notifier
                    .emails(conn, author, Why::Direct)?
                    .then_some(Why::Direct);
                let Some(viewer) = notifier.viewers.get(&author).cloned().flatten() else {
                    continue;
                };
                give(
                    conn,
                    &Notice {
                        user: author,
                        kind: "review_due",
                        thread: Some(thread),
                        post: None,
                        actor: None,
                        why: Why::Direct,
                    },
                    email,
                    &viewer,
                    &notifier.restrictions,
                )?;
                given += 1;
            }
            Ok(given)
        })
    }

    /// The last event the notifier has considered (0 before its first run).
    pub fn notifier_position(&self) -> Result<i64> {
        self.read(|conn| {
            let stored: Option<String> = site_settings::table
                .filter(site_settings::key.eq(CURSOR_KEY))
                .select(site_settings::value)
                .first(conn)
                .optional()?;
            Ok(stored.and_then(|v| v.parse().ok()).unwrap_or(0))
        })
    }
}

/// One notifier at a time, whatever the number of processes (PostgreSQL;
/// SQLite has one writer). Its own lock id: 721131 is migrations, 721132
/// event appends, 721133 the audit chain (taken after 721132, so sharing it
/// here would deadlock with moderation actions). The digest pass takes it
/// too, so no notification commits behind a digest's cut-off.
pub(crate) fn notifier_lock(conn: &mut DbConnection) -> Result<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::connection::SimpleConnection::batch_execute(
            pg,
            "SELECT pg_advisory_xact_lock(721134)",
        )?;
    }
    Ok(())
}

fn store_cursor(conn: &mut DbConnection, seq: i64) -> Result<()> {
    diesel::delete(site_settings::table.filter(site_settings::key.eq(CURSOR_KEY))).execute(conn)?;
    diesel::insert_into(site_settings::table)
        .values((
            site_settings::key.eq(CURSOR_KEY),
            site_settings::value.eq(seq.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many unread notifications `viewer` may see now: one count, leaving
/// out those about threads in the restricted categories they may not see.
fn unread_total(
    conn: &mut DbConnection,
    viewer: &Viewer,
    restrictions: &Restrictions,
) -> Result<i64> {
    let hidden: Vec<i64> = restrictions
        .keys()
        .filter(|c| !category_visible(viewer, **c, restrictions))
        .copied()
        .collect();
    // Threads gone (merged away) do not count either, as in the list.
    let visible_threads = threads::table
        .filter(threads::category_id.ne_all(hidden))
        .select(threads::id);
    let query = notifications::table
        .filter(notifications::user_id.eq(viewer.id))
        .filter(notifications::read_at.is_null())
        .filter(
            notifications::thread_id
                .is_null()
                .or(notifications::thread_id
                    .assume_not_null()
                    .eq_any(visible_threads)),
        );
    Ok(query.count().get_result(conn)?)
}

fn category_visible(viewer: &Viewer, category: i64, restrictions: &Restrictions) -> bool {
    restrictions.can_see(viewer, category)
}

fn thread_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread: i64,
    restrictions: &Restrictions,
) -> Result<bool> {
    let category: Option<i64> = threads::table
        .find(thread)
        .select(threads::category_id)
        .first(conn)
        .optional()?;
    Ok(category.is_some_and(|c| category_visible(viewer, c, restrictions)))
}

/// Notification rows as the inbox (and e-mail) shows them.
pub(crate) fn to_views(
    conn: &mut DbConnection,
    rows: Vec<NotificationRow>,
    restrictions: &Restrictions,
) -> Result<Vec<NotificationView>> {
    let people = authors(conn, rows.iter().filter_map(|r| r.4))?;
    let thread_ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    let titles: HashMap<i64, (String, i64)> = threads::table
        .filter(threads::id.eq_any(&thread_ids))
        .select((threads::id, threads::title, threads::category_id))
        .load::<(i64, String, i64)>(conn)?
        .into_iter()
        .map(|(id, title, category)| (id, (title, category)))
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, thread_id, post_id, actor, count, created_at, updated_at, read)| {
                NotificationView {
                    id,
                    kind,
                    thread_title: thread_id.and_then(|t| titles.get(&t).map(|t| t.0.clone())),
                    restricted: thread_id
                        .and_then(|t| titles.get(&t))
                        .is_some_and(|(_, category)| restrictions.contains_key(category)),
                    thread_id,
                    post_id,
                    actor: actor.and_then(|a| people.get(&a).cloned()),
                    count,
                    created_at,
                    updated_at,
                    read: read.is_some(),
                }
            },
        )
        .collect())
}

/// A recipient as the access rule sees them now: `None` when suspended or
/// gone.
pub(crate) fn recipient(conn: &mut DbConnection, user: i64) -> Result<Option<Viewer>> {
    match load_user(conn, user) {
        Ok(u) if u.suspended_until.is_none_or(|until| until <= now()) => {
            let groups: Vec<i64> = group_members::table
                .filter(group_members::user_id.eq(user))
                .select(group_members::group_id)
                .load(conn)?;
            Ok(Some(Viewer::from_user(&u, 0, groups)))
        }
        Ok(_) | Err(CoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `viewer`'s notifications, newest first, about threads they may see now
/// (notifications without a thread are always theirs to see).
pub(crate) fn visible_notifications(
    conn: &mut DbConnection,
    viewer: &Viewer,
    unread_only: bool,
    restrictions: &Restrictions,
) -> Result<Vec<NotificationRow>> {
    let mut query = notifications::table
        .filter(notifications::user_id.eq(viewer.id))
        .into_boxed();
    if unread_only {
        query = query.filter(notifications::read_at.is_null());
    }
    let rows: Vec<NotificationRow> = query
        .order(notifications::updated_at.desc())
        .then_order_by(notifications::id.desc())
        .limit(500)
        .select(row_columns!())
        .load(conn)?;
    let thread_ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    if thread_ids.is_empty() {
        return Ok(rows);
    }
    let categories: HashMap<i64, i64> = threads::table
        .filter(threads::id.eq_any(&thread_ids))
        .select((threads::id, threads::category_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter(|r| match r.2 {
            None => true,
            Some(thread) => categories
                .get(&thread)
                .is_some_and(|c| category_visible(viewer, *c, restrictions)),
        })
        .collect())
}

/// One of `viewer`'s notifications, if it is about something they may see
/// now.
pub(crate) fn visible_notification(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: i64,
    restrictions: &Restrictions,
) -> Result<Option<NotificationRow>> {
    let row: Option<NotificationRow> = notifications::table
        .find(id)
        .filter(notifications::user_id.eq(viewer.id))
        .select(row_columns!())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => match row.2 {
            Some(thread) if !thread_visible(conn, viewer, thread, restrictions)? => None,
            _ => Some(row),
        },
        None => None,
    })
}

/// Why a member hears of something, which decides whether it is e-mailed
/// at once (see [`crate::features::notifications::email::ImmediateMail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// Addressed to them: a mention, a quote or a reply to their post or
    /// question, a moderator's action on their content, a review reminder.
    Direct,
    /// Something they set (or were defaulted) to `watching`.
    Watched,
    /// Anything else (tracking, endorsements, flag outcomes): inbox and
    /// digest only.
    Other,
}

impl Why {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Why::Direct => "direct",
            Why::Watched => "watched",
            Why::Other => "other",
        }
    }
}

/// One notification to give.
struct Notice {
    user: i64,
    kind: &'static str,
    thread: Option<i64>,
    post: Option<i64>,
    actor: Option<i64>,
    why: Why,
}

/// Derives notifications from events, inside the notifier's transaction.
struct Notifier {
    restrictions: Restrictions,
    /// Recipients as the access rule sees them (None: suspended or gone).
    viewers: HashMap<i64, Option<Viewer>>,
    /// Recipients' immediate e-mail choice.
    mail: HashMap<i64, crate::features::notifications::email::ImmediateMail>,
    /// Whether e-mail is sent at all.
    email_on: bool,
}

impl Notifier {
    fn new(conn: &mut DbConnection, email_on: bool) -> Result<Notifier> {
        Ok(Notifier {
            restrictions: Restrictions::load(conn)?,
            viewers: HashMap::new(),
            mail: HashMap::new(),
            email_on,
        })
    }

    /// Whether a notice to `user` for this reason is to be e-mailed at once.
    fn emails(&mut self, conn: &mut DbConnection, user: i64, why: Why) -> Result<bool> {
        if !self.email_on {
            return Ok(false);
        }
        let choice = match self.mail.get(&user) {
            Some(choice) => *choice,
            None => {
                let choice =
                    crate::features::notifications::email::preferences_of(conn, user)?.immediate;
                self.mail.insert(user, choice);
                choice
            }
        };
        Ok(choice.covers(why))
    }

    /// Gives the notifications `event` brings, judged by where its subject
    /// is now (`scope`), not where it was logged.
    fn consider(
        &mut self,
        conn: &mut DbConnection,
        event: &EventRow,
        scope: &access::EventScope,
    ) -> Result<()> {
        if scope.gone {
            return Ok(());
        }
        let Some(typed) = event.event() else {
            return Ok(());
        };
        let thread = scope.thread_id;
        let actor = event.actor_id;
        let mut notices: Vec<Notice> = Vec::new();
        let mut notice = |user: Option<i64>, kind: &'static str, post: Option<i64>, why: Why| {
            if let Some(user) = user {
                notices.push(Notice {
                    user,
                    kind,
                    thread,
                    post,
                    actor,
                    why,
                });
            }
        };
        match &typed {
            Event::PostCreated(created) => {
                let post = &created.post;
                let post_id = Some(post.id);
                let body = post.body.as_str();
                // A reply to a post is addressed to its author; a reply to
                // the thread, to whoever started it.
                let addressee = match (post.reply_to, thread) {
                    (Some(parent), _) => posts::table
                        .find(parent)
                        .select(posts::author_id)
                        .first::<i64>(conn)
                        .optional()?,
                    (None, Some(thread)) => threads::table
                        .find(thread)
                        .select(threads::author_id)
                        .first::<i64>(conn)
                        .optional()?,
                    (None, None) => None,
                };
                notice(addressee, "reply", post_id, Why::Direct);
                for user in mentioned(conn, body)? {
                    notice(Some(user), "mention", post_id, Why::Direct);
                }
                for user in quoted_authors(conn, body)? {
                    notice(Some(user), "quote", post_id, Why::Direct);
                }
                if let Some(thread) = thread {
                    for user in thread_watchers(conn, thread)? {
                        notice(Some(user), "reply", post_id, Why::Watched);
                    }
                }
            }
            Event::ThreadCreated(created) => {
                let post_id = Some(created.post.id);
                let body = created.post.body.as_str();
                for user in mentioned(conn, body)? {
                    notice(Some(user), "mention", post_id, Why::Direct);
                }
                for user in quoted_authors(conn, body)? {
                    notice(Some(user), "quote", post_id, Why::Direct);
                }
                for (user, watching) in new_thread_audience(conn, scope, created)? {
                    let why = if watching { Why::Watched } else { Why::Other };
                    notice(Some(user), "new_thread", post_id, why);
                }
            }
            Event::EndorsementAdded(added) => {
                notice(Some(added.author_id), "endorsement", None, Why::Other)
            }
            Event::FlagResolved(resolved) => {
                notice(
                    Some(resolved.flagger_id),
                    "flag_outcome",
                    Some(resolved.post_id),
                    Why::Other,
                );
                // A hide reaches the author through its own `post_hidden`.
                if resolved.resolution == "edit_post" || resolved.resolution == "warn_user" {
                    notice(
                        Some(resolved.author_id),
                        "moderation",
                        Some(resolved.post_id),
                        Why::Direct,
                    );
                }
            }
            Event::PostHidden(hidden) => notice(
                Some(hidden.author_id),
                "moderation",
                Some(hidden.post_id),
                Why::Direct,
            ),
            _ => {}
        }

        // One notification per member and event, the most specific first
        // (a mention or a direct reply beats "a reply in a watched thread").
        let mut given: HashSet<i64> = HashSet::new();
        for n in notices {
            if Some(n.user) == n.actor || !given.insert(n.user) {
                continue;
            }
            if !self.may_receive(conn, n.user, scope)? {
                continue;
            }
            if let Some(thread) = n.thread
                && level_on_thread(conn, n.user, thread)? == Some(WatchLevel::Muted)
            {
                continue;
            }
            let email = self.emails(conn, n.user, n.why)?.then_some(n.why);
            // may_see above cached the recipient.
            let Some(viewer) = self.viewers.get(&n.user).cloned().flatten() else {
                continue;
            };
            give(conn, &n, email, &viewer, &self.restrictions)?;
        }
        Ok(())
    }

    /// Is `user` an active member who may receive an event whose subject
    /// is, now, `scope`? The access rule decides.
    fn may_receive(
        &mut self,
        conn: &mut DbConnection,
        user: i64,
        scope: &access::EventScope,
    ) -> Result<bool> {
        if let std::collections::hash_map::Entry::Vacant(entry) = self.viewers.entry(user) {
            entry.insert(recipient(conn, user)?);
        }
        Ok(self.viewers[&user]
            .as_ref()
            .is_some_and(|viewer| access::can_see_event(viewer, scope)))
    }
}

/// Authors of the posts a body quotes.
fn quoted_authors(conn: &mut DbConnection, body: &str) -> Result<Vec<i64>> {
    let quoted = crate::domain::markdown::quoted_posts(body);
    if quoted.is_empty() {
        return Ok(Vec::new());
    }
    Ok(posts::table
        .filter(posts::id.eq_any(&quoted))
        .select(posts::author_id)
        .distinct()
        .load(conn)?)
}

/// Members named with `@username` in a body.
fn mentioned(conn: &mut DbConnection, body: &str) -> Result<Vec<i64>> {
    let names = crate::domain::markdown::mentions(body);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::username.eq_any(&names))
        .select(users::id)
        .load(conn)?)
}

/// A member's explicit level on a thread, else `watching` if they started
/// or replied to it, else none.
fn level_on_thread(conn: &mut DbConnection, user: i64, thread: i64) -> Result<Option<WatchLevel>> {
    let explicit: Option<String> = watches::table
        .filter(watches::user_id.eq(user))
        .filter(watches::target.eq(format!("thread:{thread}")))
        .select(watches::level)
        .first(conn)
        .optional()?;
    if let Some(level) = explicit {
        return Ok(WatchLevel::parse(&level).ok());
    }
    let posted: i64 = posts::table
        .filter(posts::thread_id.eq(thread))
        .filter(posts::author_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok((posted > 0).then_some(WatchLevel::Watching))
}

/// Members watching a thread: explicitly, or by having posted in it
/// without choosing another level.
fn thread_watchers(conn: &mut DbConnection, thread: i64) -> Result<Vec<i64>> {
    let target = format!("thread:{thread}");
    let explicit: BTreeMap<i64, String> = watches::table
        .filter(watches::target.eq(&target))
        .select((watches::user_id, watches::level))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let participants: Vec<i64> = posts::table
        .filter(posts::thread_id.eq(thread))
        .select(posts::author_id)
        .distinct()
        .load(conn)?;
    let mut out: Vec<i64> = participants
        .into_iter()
        .filter(|u| !explicit.contains_key(u))
        .collect();
    out.extend(
        explicit
            .into_iter()
            .filter(|(_, level)| level == WatchLevel::Watching.as_str())
            .map(|(u, _)| u),
    );
    Ok(out)
}

/// Members to tell about a new thread: watchers of its category; watchers
/// of a jurisdiction it covers (tagged with it, a region containing it, or
/// one of its members); watchers of an instrument it cites; and, for
/// analyses, members tracking those jurisdictions and instruments —
/// everyone tracks their own country unless they chose otherwise.
fn new_thread_audience(
    conn: &mut DbConnection,
    scope: &access::EventScope,
    created: &event_payloads::ThreadCreated,
) -> Result<Vec<(i64, bool)>> {
    let is_analysis = created.thread.kind == "analysis";
    let tags = &created.thread.jurisdictions;
    let instruments: Vec<String> = created
        .analysis
        .iter()
        .flat_map(|a| &a.instruments)
        .map(|r| r.split(':').next().unwrap_or(r).to_owned())
        .collect();
    // Every jurisdiction the thread concerns: its tags, the regions that
    // contain them, and the members of region tags.
    let mut concerned: HashSet<String> = HashSet::new();
    for tag in tags {
        concerned.insert(tag.clone());
        concerned.extend(jurisdictions::containing(tag).iter().cloned());
        if let Some(j) = jurisdictions::get(tag) {
            concerned.extend(j.members.iter().cloned());
        }
    }
    let mut targets: Vec<String> = concerned
        .iter()
        .map(|c| format!("jurisdiction:{c}"))
        .collect();
    targets.extend(instruments.iter().map(|i| format!("instrument:{i}")));
    if let Some(category) = scope.category_id {
        targets.push(format!("category:{category}"));
    }
    let rows: Vec<(i64, String, String)> = watches::table
        .filter(watches::target.eq_any(&targets))
        .select((watches::user_id, watches::target, watches::level))
        .load(conn)?;
    // Whom each watch brings in, and whether by `watching`.
    let wanted = |target: &str, level: &str| match level {
        "watching" => Some(true),
        "tracking" if is_analysis && !target.starts_with("category:") => Some(false),
        _ => None,
    };
    let mut audience: HashMap<i64, bool> = HashMap::new();
    for (user, target, level) in &rows {
        if let Some(watching) = wanted(target, level) {
            *audience.entry(*user).or_default() |= watching;
        }
    }
    if is_analysis {
        // Default: members track their own country.
        let countries: Vec<&String> = concerned
            .iter()
            .filter(|c| jurisdictions::is_country(c))
            .collect();
        let chose: HashSet<(i64, String)> = rows
            .iter()
            .map(|(user, target, _)| (*user, target.clone()))
            .collect();
        let locals: Vec<(i64, String)> = users::table
            .filter(users::country.eq_any(countries))
            .select((users::id, users::country))
            .load(conn)?;
        for (user, country) in locals {
            if !chose.contains(&(user, format!("jurisdiction:{country}"))) {
                audience.entry(user).or_default();
            }
        }
    }
    Ok(audience.into_iter().collect())
}

/// Adds the notice, or bumps the member's unread notification of the same
/// kind about the same thread; then appends a `notification` event for the
/// recipient's live inbox.
/// With `email`, the notification is marked for immediate e-mail (with
/// why: a direct reason outranks watching) unless one was already sent
/// about it since it was last read.
fn give(
    conn: &mut DbConnection,
    n: &Notice,
    email: Option<Why>,
    recipient: &Viewer,
    restrictions: &Restrictions,
) -> Result<()> {
    let at = now();
    let mut existing = notifications::table
        .filter(notifications::user_id.eq(n.user))
        .filter(notifications::kind.eq(n.kind))
        .filter(notifications::read_at.is_null())
        .into_boxed();
    existing = match n.thread {
        Some(thread) => existing.filter(notifications::thread_id.eq(thread)),
        None => existing.filter(notifications::thread_id.is_null()),
    };
    let candidate: Option<i64> = existing.select(notifications::id).first(conn).optional()?;
    // The bump is conditional, so a member marking it read (or a mailer
    // claiming it) meanwhile is never undone by this stale read: a
    // notification read in between gets a new one instead.
    let bumped = match candidate {
        Some(id) => {
            let changed = diesel::update(
                notifications::table
                    .find(id)
                    .filter(notifications::read_at.is_null()),
            )
            .set((
                notifications::count.eq(notifications::count + 1i64),
                notifications::post_id.eq(n.post),
                notifications::actor_id.eq(n.actor),
                notifications::updated_at.eq(at),
            ))
            .execute(conn)?;
            (changed == 1).then_some(id)
        }
        None => None,
    };
    let id = match bumped {
        Some(id) => {
            if let Some(why) = email {
                // Due unless already e-mailed, waiting or in flight: one
                // e-mail per unread notification.
                diesel::update(
                    notifications::table.find(id).filter(
                        notifications::email_state
                            .is_null()
                            .or(notifications::email_state.eq("skipped")),
                    ),
                )
                .set((
                    notifications::email_state.eq("due"),
                    notifications::email_why.eq(why.as_str()),
                ))
                .execute(conn)?;
                if why == Why::Direct {
                    diesel::update(
                        notifications::table
                            .find(id)
                            .filter(notifications::email_state.eq("due")),
                    )
                    .set(notifications::email_why.eq(why.as_str()))
                    .execute(conn)?;
                }
            }
            id
        }
        None => diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(n.user),
                notifications::kind.eq(n.kind),
                notifications::thread_id.eq(n.thread),
                notifications::post_id.eq(n.post),
                notifications::actor_id.eq(n.actor),
                notifications::count.eq(1i64),
                notifications::created_at.eq(at),
                notifications::updated_at.eq(at),
                notifications::email_state.eq(email.map(|_| "due")),
                notifications::email_why.eq(email.map(Why::as_str)),
            ))
            .returning(notifications::id)
            .get_result(conn)?,
    };
    let count: i64 = notifications::table
        .find(id)
        .select(notifications::count)
        .first(conn)?;
    // The total the header shows: only what the member may see now.
    let unread = unread_total(conn, recipient, restrictions)?;
    events::append(
        conn,
        &Event::Notification(event_payloads::Notification {
            user_id: n.user,
            notification: event_payloads::NotificationBody {
                id,
                kind: n.kind.to_owned(),
                thread_id: n.thread,
                post_id: n.post,
                actor_id: n.actor,
                count,
            },
            unread,
        }),
        None,
        None,
        n.actor,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_levels_parse() {
        assert_eq!(
            WatchTarget::parse("thread:42").unwrap(),
            WatchTarget::Thread(42)
        );
        assert_eq!(
            WatchTarget::parse("jurisdiction:FR").unwrap().to_string(),
            "jurisdiction:FR"
        );
        assert_eq!(
            WatchTarget::parse("instrument:untoc").unwrap(),
            WatchTarget::Instrument("untoc".into())
        );
        for bad in [
            "thread:0",
            "thread:x",
            "jurisdiction:XX",
            "instrument:nope",
            "user:1",
            "42",
        ] {
            assert!(WatchTarget::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(WatchLevel::parse("muted").unwrap(), WatchLevel::Muted);
        assert!(WatchLevel::parse("loud").is_err());
    }
}
