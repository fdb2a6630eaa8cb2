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
use crate::domain::{NotificationKind, ThreadKind, jurisdictions};
use crate::error::{CoreError, Result};
use crate::features::accounts::load_user;
use crate::features::forum::authors;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::ids::*;
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
    Thread(ThreadId),
    Category(CategoryId),
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
            "thread" => Ok(WatchTarget::Thread(id()?.into())),
            "category" => Ok(WatchTarget::Category(id()?.into())),
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
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// For `moderation`: `post_hidden`, `post_edited` or `warned`.
    pub detail: Option<String>,
    pub thread_id: Option<ThreadId>,
    pub thread_title: Option<String>,
    pub post_id: Option<PostId>,
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
    /// About a thread marked `AMBER` or stricter: its title and text never
    /// leave the forum (e-mail says only "a marked thread").
    #[serde(skip)]
    pub marked: bool,
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
            notifications::detail,
        )
    };
}

mod audience;
mod inbox;
mod notifier;
pub mod unread_cache;
mod watch_list;

use audience::*;
use inbox::*;
pub(crate) use inbox::{to_views, visible_notification, visible_notifications};
pub(crate) use notifier::{Why, notifier_lock, notify_directly, tell};

pub(crate) type NotificationRow = (
    NotificationId,
    String,
    Option<ThreadId>,
    Option<PostId>,
    Option<UserId>,
    i64,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

fn category_visible(viewer: &Viewer, category: CategoryId, restrictions: &Restrictions) -> bool {
    restrictions.can_see(viewer, category)
}

fn thread_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread: ThreadId,
    restrictions: &Restrictions,
) -> Result<bool> {
    let category: Option<CategoryId> = threads::table
        .find(thread)
        .select(threads::category_id)
        .first(conn)
        .optional()?;
    Ok(category.is_some_and(|c| restrictions.can_read(viewer, c, thread)))
}

/// A recipient as the access rule sees them now: `None` when suspended or
/// gone.
pub(crate) fn recipient(conn: &mut DbConnection, user: UserId) -> Result<Option<Viewer>> {
    match load_user(conn, user) {
        Ok(u) if u.suspended_until.is_none_or(|until| until <= now()) => {
            let groups: Vec<GroupId> = group_members::table
                .filter(group_members::user_id.eq(user))
                .select(group_members::group_id)
                .load(conn)?;
            Ok(Some(Viewer::from_user(&u, SessionId::from(0), groups)))
        }
        Ok(_) | Err(CoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_levels_parse() {
        assert_eq!(
            WatchTarget::parse("thread:42").unwrap(),
            WatchTarget::Thread(ThreadId::from(42))
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
