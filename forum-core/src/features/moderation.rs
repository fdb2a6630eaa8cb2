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
use crate::domain::{Role, parse_line, parse_text};
use crate::error::{CoreError, ErrorCode, Result};
use crate::now;
use crate::store::audit::{self, Entry};
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::rows::{Post, Thread, User};
use crate::store::schema::*;

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
fn moderator_reading(viewer: &Viewer) -> Result<()> {
    if !access::can_moderate(viewer) {
        return Err(CoreError::forbidden(
            ErrorCode::ModeratorsOnly,
            "only moderators may do this",
        ));
    }
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
    events::append(
        conn,
        &event,
        Some(thread.id),
        Some(thread.category_id),
        Some(viewer.id),
    )?;
    audit::append(
        conn,
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

/// A flag as the queue and the flagger see it.
#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub id: i64,
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub flagger: String,
    pub reason: String,
    pub note: String,
    pub status: String,
    pub assignee: Option<String>,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<String>,
}

/// A private moderator note on a flag.
#[derive(Debug, Clone, Serialize)]
pub struct FlagNote {
    pub author: String,
    pub body: String,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
}

/// A flag with its notes and the flagged post's text.
#[derive(Debug, Clone, Serialize)]
pub struct FlagCase {
    pub flag: FlagView,
    pub post_body: String,
    pub post_author: String,
    pub notes: Vec<FlagNote>,
}

/// Flags of one reason: how many, how many open, and how long resolution
/// took on average.
#[derive(Debug, Clone, Serialize)]
pub struct FlagStats {
    pub reason: String,
    pub total: i64,
    pub open: i64,
    pub resolved: i64,
    /// Mean hours from flag to resolution, over resolved flags.
    pub mean_hours_to_resolution: Option<f64>,
}

type FlagRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn flag_views(conn: &mut DbConnection, rows: Vec<FlagRow>) -> Result<Vec<FlagView>> {
    let post_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let threads_of: BTreeMap<i64, (i64, String)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(&post_ids))
        .select((posts::id, threads::id, threads::title))
        .load::<(i64, i64, String)>(conn)?
        .into_iter()
        .map(|(p, t, title)| (p, (t, title)))
        .collect();
    let user_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [Some(r.2), r.6])
        .flatten()
        .collect();
    let names: BTreeMap<i64, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                post_id,
                flagger,
                reason,
                note,
                status,
                assignee,
                resolution,
                resolution_note,
                created_at,
                resolved_at,
            )| {
                let (thread_id, thread_title) =
                    threads_of.get(&post_id).cloned().unwrap_or_default();
                FlagView {
                    id,
                    post_id,
                    thread_id,
                    thread_title,
                    flagger: names.get(&flagger).cloned().unwrap_or_default(),
                    reason,
                    note,
                    status,
                    assignee: assignee.and_then(|a| names.get(&a).cloned()),
                    resolution,
                    resolution_note,
                    created_at,
                    resolved_at: resolved_at.map(crate::rfc3339),
                }
            },
        )
        .collect())
}

macro_rules! flag_columns {
    () => {
        (
            flags::id,
            flags::post_id,
            flags::flagger_id,
            flags::reason,
            flags::note,
            flags::status,
            flags::assignee_id,
            flags::resolution,
            flags::resolution_note,
            flags::created_at,
            flags::resolved_at,
        )
    };
}

/// Flags on posts in categories `viewer` may see.
fn visible_flag(conn: &mut DbConnection, viewer: &Viewer, id: i64) -> Result<FlagRow> {
    let row: FlagRow = flags::table
        .find(id)
        .select(flag_columns!())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)?;
    visible_post(conn, viewer, row.1)?;
    Ok(row)
}

fn open_flag(row: &FlagRow) -> Result<()> {
    if row.5 != "open" {
        return Err(CoreError::conflict(
            ErrorCode::FlagResolved,
            "this flag is already resolved",
        ));
    }
    Ok(())
}

impl Db {
    /// Hides a post from members (moderators still see it, marked).
    pub fn hide_post(&self, viewer: &Viewer, post_id: i64, why: &str) -> Result<()> {
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
    pub fn restore_post(&self, viewer: &Viewer, post_id: i64, why: &str) -> Result<()> {
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

    /// Locks or unlocks a thread (locked: replies from staff only).
    pub fn set_locked(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        locked: bool,
        why: &str,
    ) -> Result<()> {
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            diesel::update(threads::table.find(thread.id))
                .set(threads::locked.eq(locked))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadLocked(event_payloads::ThreadLocked {
                    thread_id: thread.id,
                    locked,
                }),
                action: if locked {
                    "thread.lock"
                } else {
                    "thread.unlock"
                },
                details: serde_json::json!({}),
            })
        })
    }

    /// Pins or unpins a thread at the top of its category.
    pub fn set_pinned(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        pinned: bool,
        why: &str,
    ) -> Result<()> {
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            diesel::update(threads::table.find(thread.id))
                .set(threads::pinned.eq(pinned))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadPinned(event_payloads::ThreadPinned {
                    thread_id: thread.id,
                    pinned,
                }),
                action: if pinned { "thread.pin" } else { "thread.unpin" },
                details: serde_json::json!({}),
            })
        })
    }

    /// Moves a thread to another category the moderator may see. Who may
    /// read it changes with the commit, on every read path.
    pub fn move_thread(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        category_id: i64,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (thread, from) = visible_thread(conn, viewer, thread_id)?;
            let to = visible_category(conn, viewer, category_id).map_err(|e| match e {
                CoreError::NotFound => CoreError::invalid("category_id", "unknown category"),
                other => other,
            })?;
            if to.id == from.id {
                return Ok(());
            }
            diesel::update(threads::table.find(thread.id))
                .set(threads::category_id.eq(to.id))
                .execute(conn)?;
            events::append(
                conn,
                &Event::ThreadMoved(event_payloads::ThreadMoved {
                    thread_id: thread.id,
                    from: from.id,
                    to: to.id,
                }),
                Some(thread.id),
                Some(to.id),
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.move",
                    target: format!("thread:{}", thread.id),
                    reason: &why,
                    details: serde_json::json!({ "from": from.id, "to": to.id }),
                },
            )?;
            Ok(())
        })
    }

    /// Suspends a member until `until` (UTC): they cannot sign in, post or
    /// keep a session or a live socket.
    pub fn suspend(
        &self,
        viewer: &Viewer,
        user_id: i64,
        until: NaiveDateTime,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        if until <= now() {
            return Err(CoreError::invalid("until", "must be in the future"));
        }
        self.write(|conn| {
            let target = load_member(conn, user_id)?;
            let role = Role::parse(&target.role).unwrap_or(Role::Member);
            if !access::can_suspend(viewer, target.id, role) {
                return Err(CoreError::forbidden(
                    ErrorCode::Forbidden,
                    "you may not suspend this member",
                ));
            }
            diesel::update(users::table.find(target.id))
                .set((
                    users::suspended_until.eq(Some(until)),
                    users::suspension_reason.eq(Some(&why)),
                ))
                .execute(conn)?;
            crate::features::accounts::revoke_all(conn, target.id)?;
            events::append(
                conn,
                &Event::UserSuspended(event_payloads::UserSuspended {
                    user_id: target.id,
                    until: crate::rfc3339(until),
                }),
                None,
                None,
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "user.suspend",
                    target: format!("user:{}", target.id),
                    reason: &why,
                    details: serde_json::json!({ "until": crate::rfc3339(until) }),
                },
            )?;
            Ok(())
        })
    }

    /// Lifts a suspension.
    pub fn unsuspend(&self, viewer: &Viewer, user_id: i64, why: &str) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let target = load_member(conn, user_id)?;
            let role = Role::parse(&target.role).unwrap_or(Role::Member);
            if !access::can_suspend(viewer, target.id, role) {
                return Err(CoreError::forbidden(
                    ErrorCode::Forbidden,
                    "you may not change this member's suspension",
                ));
            }
            diesel::update(users::table.find(target.id))
                .set((
                    users::suspended_until.eq(None::<NaiveDateTime>),
                    users::suspension_reason.eq(None::<String>),
                ))
                .execute(conn)?;
            events::append(
                conn,
                &Event::UserReinstated(event_payloads::UserRef { user_id: target.id }),
                None,
                None,
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "user.unsuspend",
                    target: format!("user:{}", target.id),
                    reason: &why,
                    details: serde_json::json!({}),
                },
            )?;
            Ok(())
        })
    }

    /// Sets slow mode on a thread: members wait `seconds` between replies
    /// there (0 turns it off; at most a day).
    pub fn set_slow_mode(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        seconds: i64,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        reason(why)?;
        if !(0..=86_400).contains(&seconds) {
            return Err(CoreError::invalid("seconds", "must be between 0 and 86400"));
        }
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            diesel::update(threads::table.find(thread.id))
                .set(threads::slow_mode_seconds.eq(seconds))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadSlowMode(event_payloads::ThreadSlowMode {
                    thread_id: thread.id,
                    seconds,
                }),
                action: "thread.slow_mode",
                details: serde_json::json!({ "seconds": seconds }),
            })
        })
    }

    /// Adds an analysis to the curated "Featured analyses" list, or takes
    /// it off.
    pub fn set_featured(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        featured: bool,
        why: &str,
    ) -> Result<()> {
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            if thread.kind != "analysis" {
                return Err(CoreError::invalid("kind", "only analyses can be featured"));
            }
            diesel::update(threads::table.find(thread.id))
                .set(threads::featured_at.eq(featured.then(now)))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadFeatured(event_payloads::ThreadFeatured {
                    thread_id: thread.id,
                    featured,
                }),
                action: if featured {
                    "thread.feature"
                } else {
                    "thread.unfeature"
                },
                details: serde_json::json!({}),
            })
        })
    }

    /// One moderator's change to one thread, in one transaction: checks
    /// the role and the reason, finds the thread `viewer` may see, lets
    /// `change` update it, then appends the event and the audit entry
    /// `change` describes.
    fn moderate_thread(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        why: &str,
        change: impl FnOnce(&mut DbConnection, &Thread) -> Result<Recorded>,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            let recorded = change(conn, &thread)?;
            events::append(
                conn,
                &recorded.event,
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: recorded.action,
                    target: format!("thread:{}", thread.id),
                    reason: &why,
                    details: recorded.details,
                },
            )?;
            Ok(())
        })
    }

    /// The featured analyses `viewer` may see, most recently featured
    /// first.
    pub fn featured_analyses(&self, viewer: &Viewer) -> Result<Vec<crate::views::ThreadSummary>> {
        self.read(|conn| {
            let visible = crate::access::visibility::visible_category_ids(conn, viewer)?;
            let rows: Vec<Thread> = threads::table
                .filter(threads::category_id.eq_any(visible))
                .filter(threads::featured_at.is_not_null())
                .order(threads::featured_at.desc())
                .limit(20)
                .select(Thread::as_select())
                .load(conn)?;
            crate::features::forum::summaries(conn, rows)
        })
    }

    /// Merges thread `source` into `target`: its posts move over (kept in
    /// time order with the target's), and `source` is gone.
    pub fn merge_threads(
        &self,
        viewer: &Viewer,
        source: i64,
        target: i64,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (from, _) = visible_thread(conn, viewer, source)?;
            if source == target {
                return Err(CoreError::invalid("into", "a thread cannot be merged into itself"));
            }
            let (into, _) = visible_thread(conn, viewer, target).map_err(|e| match e {
                CoreError::NotFound => CoreError::invalid("into", "unknown thread"),
                other => other,
            })?;
            let moved = diesel::update(posts::table.filter(posts::thread_id.eq(from.id)))
                .set(posts::thread_id.eq(into.id))
                .execute(conn)?;
            diesel::update(thread_citations::table.filter(thread_citations::source_thread.eq(from.id)))
                .set(thread_citations::source_thread.eq(into.id))
                .execute(conn)?;
            diesel::delete(threads::table.find(from.id)).execute(conn)?;
            refresh_counts(conn, into.id)?;
            events::append(conn, &Event::ThreadMerged(event_payloads::ThreadMerged { from: from.id, into: into.id, posts: moved as i64 }), Some(into.id), Some(into.category_id), Some(viewer.id))?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.merge",
                    target: format!("thread:{}", from.id),
                    reason: &why,
                    details: serde_json::json!({ "into": into.id, "posts": moved, "title": from.title }),
                },
            )?;
            Ok(())
        })
    }

    /// Splits replies of a thread into a new thread in the same category,
    /// titled `title`; returns its id. The opening post stays.
    pub fn split_thread(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        post_ids: &[i64],
        title: &str,
        why: &str,
    ) -> Result<i64> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        let title = crate::domain::ThreadTitle::parse(title)?;
        if post_ids.is_empty() || post_ids.len() > 1000 {
            return Err(CoreError::invalid("post_ids", "name 1 to 1000 replies"));
        }
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            let first: i64 = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .select(diesel::dsl::min(posts::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or_default();
            let mut chosen: Vec<(i64, i64, NaiveDateTime, String)> = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .filter(posts::id.eq_any(post_ids))
                .order(posts::id.asc())
                .select((
                    posts::id,
                    posts::author_id,
                    posts::created_at,
                    posts::language,
                ))
                .load(conn)?;
            chosen.dedup_by_key(|p| p.0);
            let mut wanted = post_ids.to_vec();
            wanted.sort_unstable();
            wanted.dedup();
            if chosen.len() != wanted.len() || chosen.iter().any(|p| p.0 == first) {
                return Err(CoreError::invalid(
                    "post_ids",
                    "name replies of this thread (not its opening post)",
                ));
            }
            let (_, author, created, language) = chosen[0].clone();
            let new_id: i64 = diesel::insert_into(threads::table)
                .values((
                    threads::category_id.eq(thread.category_id),
                    threads::author_id.eq(author),
                    threads::title.eq(title.as_str()),
                    threads::kind.eq("discussion"),
                    threads::locked.eq(false),
                    threads::pinned.eq(false),
                    threads::post_count.eq(0i64),
                    threads::created_at.eq(created),
                    threads::last_post_at.eq(created),
                    threads::language.eq(language),
                ))
                .returning(threads::id)
                .get_result(conn)?;
            let ids: Vec<i64> = chosen.iter().map(|p| p.0).collect();
            diesel::update(posts::table.filter(posts::id.eq_any(&ids)))
                .set((posts::thread_id.eq(new_id), posts::reply_to.eq(None::<i64>)))
                .execute(conn)?;
            diesel::update(
                posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .filter(posts::reply_to.eq_any(&ids)),
            )
            .set(posts::reply_to.eq(None::<i64>))
            .execute(conn)?;
            refresh_counts(conn, thread.id)?;
            refresh_counts(conn, new_id)?;
            events::append(
                conn,
                &Event::ThreadSplit(event_payloads::ThreadSplit {
                    from: thread.id,
                    into: new_id,
                    post_ids: ids.clone(),
                }),
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.split",
                    target: format!("thread:{}", thread.id),
                    reason: &why,
                    details: serde_json::json!({ "into": new_id, "post_ids": ids }),
                },
            )?;
            Ok(new_id)
        })
    }

    /// A member flags a post they can see.
    pub fn flag_post(&self, viewer: &Viewer, post_id: i64, why: &str, note: &str) -> Result<i64> {
        access::check_second_factor(viewer)?;
        let why = why.trim();
        if !FLAG_REASONS.contains(&why) {
            return Err(CoreError::invalid(
                "reason",
                format!("must be one of: {}", FLAG_REASONS.join(", ")),
            ));
        }
        let note = parse_text("note", note, 1000)?;
        self.write(|conn| {
            let (post, _) = visible_post(conn, viewer, post_id)?;
            let open: i64 = flags::table
                .filter(flags::post_id.eq(post.id))
                .filter(flags::flagger_id.eq(viewer.id))
                .filter(flags::status.eq("open"))
                .count()
                .get_result(conn)?;
            if open > 0 {
                return Err(CoreError::conflict(
                    ErrorCode::AlreadyFlagged,
                    "you already flagged this post; a moderator will look at it",
                ));
            }
            let id: i64 = diesel::insert_into(flags::table)
                .values((
                    flags::post_id.eq(post.id),
                    flags::flagger_id.eq(viewer.id),
                    flags::reason.eq(why),
                    flags::note.eq(&note),
                    flags::status.eq("open"),
                    flags::created_at.eq(now()),
                ))
                .returning(flags::id)
                .get_result(conn)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "flag.create",
                    target: format!("post:{}", post.id),
                    reason: why,
                    details: serde_json::json!({ "flag_id": id }),
                },
            )?;
            Ok(id)
        })
    }

    /// The moderation queue: flags with `status` (`open`, `resolved`, or
    /// all), on posts the moderator may see, oldest open first.
    pub fn flag_queue(&self, viewer: &Viewer, status: Option<&str>) -> Result<Vec<FlagView>> {
        moderator_reading(viewer)?;
        let status = status.filter(|s| !s.is_empty());
        if let Some(s) = status
            && s != "open"
            && s != "resolved"
        {
            return Err(CoreError::invalid("status", "must be open or resolved"));
        }
        self.read(|conn| {
            let mut query = flags::table.select(flag_columns!()).into_boxed();
            if let Some(s) = status {
                query = query.filter(flags::status.eq(s.to_owned()));
            }
            let rows: Vec<FlagRow> = query.order(flags::id.asc()).limit(500).load(conn)?;
            let visible: Vec<FlagRow> = rows
                .into_iter()
                .filter(|r| visible_post_exists(conn, viewer, r.1))
                .collect();
            flag_views(conn, visible)
        })
    }

    /// One flag with its private notes (moderators).
    pub fn flag_case(&self, viewer: &Viewer, id: i64) -> Result<FlagCase> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            let row = visible_flag(conn, viewer, id)?;
            let (post, _) = visible_post(conn, viewer, row.1)?;
            let author: String = users::table
                .find(post.author_id)
                .select(users::username)
                .first(conn)?;
            let notes = flag_notes::table
                .inner_join(users::table.on(users::id.eq(flag_notes::author_id)))
                .filter(flag_notes::flag_id.eq(id))
                .order(flag_notes::id.asc())
                .select((users::username, flag_notes::body, flag_notes::created_at))
                .load::<(String, String, NaiveDateTime)>(conn)?
                .into_iter()
                .map(|(author, body, created_at)| FlagNote {
                    author,
                    body,
                    created_at,
                })
                .collect();
            let flag = flag_views(conn, vec![row])?.remove(0);
            Ok(FlagCase {
                flag,
                post_body: post.body,
                post_author: author,
                notes,
            })
        })
    }

    /// Assigns an open flag to a moderator (or to nobody).
    pub fn assign_flag(&self, viewer: &Viewer, id: i64, assignee: Option<i64>) -> Result<()> {
        require_moderator(viewer)?;
        self.write(|conn| {
            let row = visible_flag(conn, viewer, id)?;
            open_flag(&row)?;
            if let Some(a) = assignee {
                let user = load_member(conn, a)
                    .map_err(|_| CoreError::invalid("assignee_id", "unknown member"))?;
                if !Role::parse(&user.role).is_ok_and(Role::is_staff) {
                    return Err(CoreError::invalid(
                        "assignee_id",
                        "must be a moderator or an admin",
                    ));
                }
            }
            diesel::update(flags::table.find(id))
                .set(flags::assignee_id.eq(assignee))
                .execute(conn)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "flag.assign",
                    target: format!("flag:{id}"),
                    reason: "",
                    details: serde_json::json!({ "assignee_id": assignee }),
                },
            )?;
            Ok(())
        })
    }

    /// Adds a private moderator note to a flag.
    pub fn add_flag_note(&self, viewer: &Viewer, id: i64, body: &str) -> Result<()> {
        require_moderator(viewer)?;
        let body = parse_text("body", body, 4000)?;
        if body.is_empty() {
            return Err(CoreError::invalid("body", "must not be empty"));
        }
        self.write(|conn| {
            visible_flag(conn, viewer, id)?;
            diesel::insert_into(flag_notes::table)
                .values((
                    flag_notes::flag_id.eq(id),
                    flag_notes::author_id.eq(viewer.id),
                    flag_notes::body.eq(&body),
                    flag_notes::created_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Resolves a flag: `dismiss`, `hide_post` (hides it, with the note as
    /// the reason), `edit_post` (a new revision with `body`, the note as
    /// the edit reason) or `warn_user`. The flagger sees the outcome.
    pub fn resolve_flag(
        &self,
        viewer: &Viewer,
        id: i64,
        action: &str,
        note: &str,
        body: Option<&str>,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let action = action.trim();
        if !FLAG_RESOLUTIONS.contains(&action) {
            return Err(CoreError::invalid(
                "action",
                format!("must be one of: {}", FLAG_RESOLUTIONS.join(", ")),
            ));
        }
        let note = reason(note)
            .map_err(|_| CoreError::invalid("note", "give a reason of 3 to 500 characters"))?;
        let edit = if action == "edit_post" {
            let body = crate::domain::Markdown::parse(body.unwrap_or_default())?;
            let language = crate::domain::ContentLanguage::detect(body.as_str());
            let html = crate::domain::markdown::render(body.as_str());
            Some((body, html, language))
        } else {
            None
        };
        self.write(|conn| {
            let row = visible_flag(conn, viewer, id)?;
            open_flag(&row)?;
            let (post, thread) = visible_post(conn, viewer, row.1)?;
            if action == "hide_post" && !post.hidden {
                set_hidden(conn, viewer, &post, &thread, true, &note)?;
            }
            if let Some((body, html, language)) = &edit {
                crate::features::forum::apply_edit(
                    conn,
                    viewer,
                    &post,
                    &thread,
                    &crate::features::forum::PostContent {
                        body,
                        html,
                        language,
                    },
                    Some(&note),
                )?;
            }
            diesel::update(flags::table.find(id))
                .set((
                    flags::status.eq("resolved"),
                    flags::resolution.eq(action),
                    flags::resolution_note.eq(&note),
                    flags::resolved_by.eq(viewer.id),
                    flags::resolved_at.eq(now()),
                ))
                .execute(conn)?;
            events::append(
                conn,
                &Event::FlagResolved(event_payloads::FlagResolved {
                    flag_id: id,
                    flagger_id: row.2,
                    post_id: post.id,
                    author_id: post.author_id,
                    resolution: action.to_owned(),
                }),
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "flag.resolve",
                    target: format!("flag:{id}"),
                    reason: &note,
                    details: serde_json::json!({ "resolution": action, "post_id": post.id }),
                },
            )?;
            Ok(())
        })
    }

    /// The flags `viewer` raised, with their outcomes.
    pub fn my_flags(&self, viewer: &Viewer) -> Result<Vec<FlagView>> {
        self.read(|conn| {
            let rows: Vec<FlagRow> = flags::table
                .filter(flags::flagger_id.eq(viewer.id))
                .order(flags::id.desc())
                .limit(200)
                .select(flag_columns!())
                .load(conn)?;
            let mut views = flag_views(conn, rows)?;
            // The private notes stay private; the resolution note is the
            // moderator's answer to the flagger.
            // A post the flagger may no longer see (moved into a restricted
            // category, merged away) keeps its flag's status, not the
            // thread's title nor the moderator's note about it.
            for v in &mut views {
                if !visible_post_exists(conn, viewer, v.post_id) {
                    v.thread_title.clear();
                }
                if !post_space_visible(conn, viewer, v.post_id) {
                    v.resolution_note = None;
                }
            }
            Ok(views)
        })
    }

    /// Flags per reason: counts and mean time to resolution.
    pub fn flag_stats(&self, viewer: &Viewer) -> Result<Vec<FlagStats>> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            // Only flags on posts in spaces the reader may see count: a
            // count is a side channel too.
            let visible = crate::access::visibility::visible_category_ids(conn, viewer)?;
            let rows: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = flags::table
                .inner_join(posts::table.on(posts::id.eq(flags::post_id)))
                .inner_join(threads::table.on(threads::id.eq(posts::thread_id)))
                .filter(threads::category_id.eq_any(visible))
                .select((
                    flags::reason,
                    flags::status,
                    flags::created_at,
                    flags::resolved_at,
                ))
                .load(conn)?;
            Ok(FLAG_REASONS
                .iter()
                .map(|r| {
                    let of: Vec<_> = rows.iter().filter(|row| row.0 == *r).collect();
                    let hours: Vec<f64> = of
                        .iter()
                        .filter_map(|row| {
                            row.3
                                .map(|done| (done - row.2).num_seconds() as f64 / 3600.0)
                        })
                        .collect();
                    FlagStats {
                        reason: (*r).to_owned(),
                        total: of.len() as i64,
                        open: of.iter().filter(|row| row.1 == "open").count() as i64,
                        resolved: hours.len() as i64,
                        mean_hours_to_resolution: (!hours.is_empty())
                            .then(|| hours.iter().sum::<f64>() / hours.len() as f64),
                    }
                })
                .collect())
        })
    }

    /// Every group, with its members' ids (admins and moderators).
    pub fn groups(&self, viewer: &Viewer) -> Result<Vec<GroupView>> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            let groups: Vec<(i64, String)> = groups::table
                .order(groups::id.asc())
                .select((groups::id, groups::name))
                .load(conn)?;
            let members: Vec<(i64, i64)> = group_members::table
                .select((group_members::group_id, group_members::user_id))
                .load(conn)?;
            Ok(groups
                .into_iter()
                .map(|(id, name)| GroupView {
                    id,
                    name,
                    members: members.iter().filter(|m| m.0 == id).map(|m| m.1).collect(),
                })
                .collect())
        })
    }

    /// An admin creates a group (audited).
    pub fn create_group_as(&self, viewer: &Viewer, name: &str) -> Result<i64> {
        access::check_second_factor(viewer)?;
        if !access::can_manage_groups(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins manage groups",
            ));
        }
        let name = parse_line("name", name, 1, 80)?;
        self.write(|conn| {
            let id = crate::features::accounts::create_group_in(conn, &name)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "group.create",
                    target: format!("group:{id}"),
                    reason: "",
                    details: serde_json::json!({ "name": name }),
                },
            )?;
            Ok(id)
        })
    }

    /// An admin adds a member to a group or removes them (audited).
    pub fn set_group_membership_as(
        &self,
        viewer: &Viewer,
        group_id: i64,
        user_id: i64,
        member: bool,
    ) -> Result<()> {
        access::check_second_factor(viewer)?;
        if !access::can_manage_groups(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins manage groups",
            ));
        }
        self.write(|conn| {
            crate::features::accounts::set_membership_in(conn, group_id, user_id, member)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: if member {
                        "group.member_add"
                    } else {
                        "group.member_remove"
                    },
                    target: format!("group:{group_id}"),
                    reason: "",
                    details: serde_json::json!({ "user_id": user_id }),
                },
            )?;
            Ok(())
        })
    }
}

/// A group and its members.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub members: Vec<i64>,
}

/// Recomputes a thread's post count and last activity from its posts.
fn refresh_counts(conn: &mut DbConnection, thread_id: i64) -> Result<()> {
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
fn post_space_visible(conn: &mut DbConnection, viewer: &Viewer, post_id: i64) -> bool {
    let thread: Option<i64> = posts::table
        .find(post_id)
        .select(posts::thread_id)
        .first(conn)
        .optional()
        .ok()
        .flatten();
    thread.is_some_and(|t| visible_thread(conn, viewer, t).is_ok())
}

fn visible_post_exists(conn: &mut DbConnection, viewer: &Viewer, post_id: i64) -> bool {
    visible_post(conn, viewer, post_id).is_ok()
}

fn load_member(conn: &mut DbConnection, user_id: i64) -> Result<User> {
    users::table
        .find(user_id)
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)
}
