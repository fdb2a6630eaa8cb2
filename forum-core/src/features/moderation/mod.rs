//! Moderation: actions on posts, threads and members, flags worked as
//! cases, and group administration.
//!
//! Every action requires a reason, is allowed by [`crate::access`], goes
//! through the event log (so live clients, and later the index and
//! notifications, follow it) and writes an audit entry, all in one
//! transaction.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::access::visibility::{visible_category, visible_post, visible_thread};
use crate::access::{self, Viewer};
use crate::domain::{FlagStatus, ThreadKind, parse_line, parse_text};
use crate::error::{CoreError, ErrorCode, Result};
use crate::now;
use crate::store::audit::{self, Entry};
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::ids::*;
use crate::store::rows::{Post, Thread};
use crate::store::schema::*;

mod flag_cases;
mod member_actions;
mod thread_actions;
pub(crate) use flag_cases::open_personal_data_case;
pub(crate) use thread_actions::featured_in;

pub use flag_cases::{FlagCase, FlagNote, FlagStats, FlagView};
pub use member_actions::GroupView;

/// Why a post is flagged.
pub const FLAG_REASONS: &[&str] = &[
    "inaccurate_law",
    "personal_data",
    "confidential",
    "off_topic",
    "abusive",
    "spam",
    "other",
];

/// How a flag is resolved.
pub const FLAG_RESOLUTIONS: &[&str] = &["dismiss", "hide_post", "edit_post", "warn_user"];

fn reason(raw: &str) -> Result<String> {
    parse_line("reason", raw, 3, 500)
}

/// A moderator acting: the role, and a second factor where the policy
/// wants one.
fn require_moderator(viewer: &Viewer) -> Result<()> {
    access::check_second_factor(viewer)?;
    moderator_reading(viewer)
}

/// A moderator reading the queue, a case or the groups: the role only
/// (a member without their second factor may still read).
pub(crate) fn moderator_reading(viewer: &Viewer) -> Result<()> {
    if !access::can_moderate(viewer) {
        return Err(CoreError::forbidden(
            ErrorCode::ModeratorsOnly,
            "only moderators may do this",
        ));
    }
    Ok(())
}

/// Appends a moderator's change to the event log and its entry to the
/// audit log, in the caller's transaction: every moderation action records
/// through here. `thread` places the event (none for a member's).
fn record(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread: Option<&Thread>,
    event: &Event,
    entry: Entry<'_>,
) -> Result<()> {
    events::append(
        conn,
        event,
        thread.map(|t| t.id),
        thread.map(|t| t.category_id),
        Some(viewer.id),
    )?;
    audit::append(conn, entry)?;
    Ok(())
}

/// What a moderator's change records: the event others see and the
/// audit entry's action and details.
struct Recorded {
    event: Event,
    action: &'static str,
    details: serde_json::Value,
}

fn set_hidden(
    conn: &mut DbConnection,
    viewer: &Viewer,
    post: &Post,
    thread: &Thread,
    hidden: bool,
    why: &str,
) -> Result<()> {
    diesel::update(posts::table.find(post.id))
        .set(posts::hidden.eq(hidden))
        .execute(conn)?;
    let change = event_payloads::PostVisibility {
        post_id: post.id,
        thread_id: thread.id,
        author_id: post.author_id,
    };
    let (event, action) = if hidden {
        (Event::PostHidden(change), "post.hide")
    } else {
        (Event::PostRestored(change), "post.restore")
    };
    record(
        conn,
        viewer,
        Some(thread),
        &event,
        Entry {
            actor: Some(viewer.id),
            action,
            target: format!("post:{}", post.id),
            reason: why,
            details: serde_json::json!({ "thread_id": thread.id, "author_id": post.author_id }),
        },
    )?;
    Ok(())
}

impl Db {
    /// A post a moderator is about to hide or restore: refused to anyone
    /// else, and not found if the moderator may not read it.
    pub fn post_to_moderate(
        &self,
        viewer: &Viewer,
        post_id: PostId,
    ) -> Result<crate::views::PostView> {
        require_moderator(viewer)?;
        self.post(viewer, post_id)
    }

    /// Hides a post from members (moderators still see it, marked).
    pub fn hide_post(&self, viewer: &Viewer, post_id: PostId, why: &str) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (post, thread) = visible_post(conn, viewer, post_id)?;
            if post.hidden {
                return Ok(());
            }
            set_hidden(conn, viewer, &post, &thread, true, &why)
        })
    }

    /// Shows a hidden post again.
    pub fn restore_post(&self, viewer: &Viewer, post_id: PostId, why: &str) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (post, thread) = visible_post(conn, viewer, post_id)?;
            if !post.hidden {
                return Ok(());
            }
            set_hidden(conn, viewer, &post, &thread, false, &why)
        })
    }
}

/// Recomputes a thread's post count and last activity from its posts.
fn refresh_counts(conn: &mut DbConnection, thread_id: ThreadId) -> Result<()> {
    let (count, last): (i64, Option<NaiveDateTime>) = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(posts::created_at),
        ))
        .first(conn)?;
    diesel::update(threads::table.find(thread_id))
        .set(threads::post_count.eq(count))
        .execute(conn)?;
    if let Some(last) = last {
        diesel::update(threads::table.find(thread_id))
            .set(threads::last_post_at.eq(last))
            .execute(conn)?;
    }
    Ok(())
}

/// Is the post still in a space `viewer` may see (hidden or not)?
fn post_space_visible(conn: &mut DbConnection, viewer: &Viewer, post_id: PostId) -> bool {
    let post: Option<Post> = posts::table
        .find(post_id)
        .select(Post::as_select())
        .first(conn)
        .optional()
        .ok()
        .flatten();
    post.is_some_and(|p| {
        visible_thread(conn, viewer, p.thread_id).is_ok()
            && crate::access::visibility::post_marking_of(conn, &p)
                .ok()
                .flatten()
                .is_none_or(|m| access::can_see_marking(viewer, &m))
    })
}

fn visible_post_exists(conn: &mut DbConnection, viewer: &Viewer, post_id: PostId) -> bool {
    visible_post(conn, viewer, post_id).is_ok()
}
