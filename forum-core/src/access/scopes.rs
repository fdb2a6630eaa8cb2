//! Where things are **now**, for the access rule: the current thread,
//! category and groups of what an event of the log or an audit entry is
//! about. Every reader of the log (live updates, the index feed, the
//! notifier) and the audit page hands these to [`crate::access`].

use std::collections::HashMap;

use diesel::prelude::*;

use crate::access::visibility::Restrictions;
use crate::access::{self, EventScope};
use crate::error::Result;
use crate::store::audit::AuditView;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::Event;
use crate::store::ids::*;
use crate::store::rows::EventRow;
use crate::store::schema::{posts, threads};

/// Where each of `events` is now ([`EventScope`]), in the same order:
/// the post's current thread, that thread's current category and groups,
/// whether the post it shows is hidden now, whether it still exists.
pub(crate) fn scopes(
    conn: &mut DbConnection,
    events: &[EventRow],
    restrictions: &Restrictions,
) -> Result<Vec<EventScope>> {
    // (event, post, thread) as the event names them.
    let subjects: Vec<(Option<Event>, Option<PostId>, Option<ThreadId>)> = events
        .iter()
        .map(|row| {
            let event = row.event();
            let post = event.as_ref().and_then(Event::post_id);
            let thread = row
                .thread_id
                .or_else(|| event.as_ref().and_then(Event::named_thread));
            (event, post, thread)
        })
        .collect();
    let post_ids: Vec<PostId> = subjects.iter().filter_map(|s| s.1).collect();
    let posts_now: HashMap<PostId, (ThreadId, bool)> = if post_ids.is_empty() {
        HashMap::new()
    } else {
        let query = posts::table
            .select((posts::id, posts::thread_id, posts::hidden))
            .into_boxed();
        crate::store::filter_in!(query, posts::id, &post_ids[..])
            .load::<(PostId, ThreadId, bool)>(conn)?
            .into_iter()
            .map(|(id, thread, hidden)| (id, (thread, hidden)))
            .collect()
    };
    let thread_ids: Vec<ThreadId> = subjects
        .iter()
        .filter_map(|s| s.2)
        .chain(posts_now.values().map(|p| p.0))
        .collect();
    let threads_now: HashMap<ThreadId, CategoryId> = if thread_ids.is_empty() {
        HashMap::new()
    } else {
        let query = threads::table
            .select((threads::id, threads::category_id))
            .into_boxed();
        crate::store::filter_in!(query, threads::id, &thread_ids[..])
            .load::<(ThreadId, CategoryId)>(conn)?
            .into_iter()
            .collect()
    };
    let restricted = |category: Option<CategoryId>| {
        category
            .and_then(|c| restrictions.get(&c).cloned())
            .unwrap_or_default()
    };
    Ok(events
        .iter()
        .zip(subjects)
        .map(|(event, (kind, post, named_thread))| {
            let (thread, hidden, gone) = match post {
                Some(post) => match posts_now.get(&post) {
                    Some(&(thread, hidden)) => (Some(thread), hidden, false),
                    None => (named_thread, false, true),
                },
                None => (named_thread, false, false),
            };
            let (category, gone) = match thread {
                Some(thread) => match threads_now.get(&thread) {
                    Some(&category) => (Some(category), gone),
                    None => (event.category_id, true),
                },
                None => (event.category_id, gone),
            };
            EventScope {
                thread_id: thread,
                category_id: category,
                restricted_to: restricted(category),
                shows_hidden_post: hidden && kind.as_ref().is_some_and(Event::shows_post_text),
                marking: thread.and_then(|t| restrictions.marking(t).cloned()),
                post_marking: post.and_then(|p| restrictions.post_marking(p).cloned()),
                gone,
            }
        })
        .collect())
}

impl Db {
    /// Where each of `events` is now, in the same order: what every reader
    /// of the log hands to [`crate::access::can_see_event`].
    pub fn event_scopes(&self, events: &[EventRow]) -> Result<Vec<EventScope>> {
        self.read(|conn| {
            let restrictions = Restrictions::load(conn)?;
            scopes(conn, events, &restrictions)
        })
    }
}

/// What an entry names: threads, posts, flags and categories.
#[derive(Debug, Default)]
struct Named {
    threads: Vec<ThreadId>,
    posts: Vec<PostId>,
    flags: Vec<FlagId>,
    categories: Vec<CategoryId>,
}

fn named(view: &AuditView) -> Named {
    let mut named = Named::default();
    if let Some((kind, id)) = view.target.split_once(':')
        && let Ok(id) = id.parse::<i64>()
    {
        match kind {
            "thread" => named.threads.push(id.into()),
            "post" => named.posts.push(id.into()),
            "flag" => named.flags.push(id.into()),
            "category" => named.categories.push(id.into()),
            _ => {}
        }
    }
    let d = &view.details;
    named
        .threads
        .extend(d["thread_id"].as_i64().map(ThreadId::from));
    named.threads.extend(d["into"].as_i64().map(ThreadId::from));
    named.posts.extend(d["post_id"].as_i64().map(PostId::from));
    if view.action == "thread.move" {
        named
            .categories
            .extend(d["from"].as_i64().map(CategoryId::from));
        named
            .categories
            .extend(d["to"].as_i64().map(CategoryId::from));
    }
    named
}

/// Where each entry's things are now ([`access::RecordScope`]). A thread
/// that no longer exists (merged away) is placed by the category of its
/// last event; a post or flag that no longer exists cannot be placed.
pub(crate) fn record_scopes(
    conn: &mut DbConnection,
    views: &[AuditView],
) -> Result<Vec<access::RecordScope>> {
    use crate::store::schema::{events, flags, posts, threads};
    use std::collections::HashMap;

    let restrictions = Restrictions::load(conn)?;
    let mut thread_places: HashMap<ThreadId, Option<CategoryId>> = HashMap::new();
    let mut post_threads: HashMap<PostId, Option<ThreadId>> = HashMap::new();
    let mut flag_posts: HashMap<FlagId, Option<PostId>> = HashMap::new();
    let mut scopes = Vec::with_capacity(views.len());
    for view in views {
        let mut named = named(view);
        let mut post_markings = Vec::new();
        for flag in std::mem::take(&mut named.flags) {
            let post = cached(&mut flag_posts, flag, || {
                Ok(flags::table
                    .find(flag)
                    .select(flags::post_id)
                    .first(conn)
                    .optional()?)
            })?;
            // A flag whose post is gone cannot be placed.
            named.posts.push(post.unwrap_or(PostId::from(-1)));
        }
        for post in std::mem::take(&mut named.posts) {
            post_markings.extend(restrictions.post_marking(post).cloned());
            let thread = cached(&mut post_threads, post, || {
                Ok(posts::table
                    .find(post)
                    .select(posts::thread_id)
                    .first(conn)
                    .optional()?)
            })?;
            named.threads.push(thread.unwrap_or(ThreadId::from(-1)));
        }
        let mut scope = access::RecordScope {
            markings: std::mem::take(&mut post_markings),
            ..access::RecordScope::default()
        };
        for thread in named.threads {
            let place = cached(&mut thread_places, thread, || {
                let now: Option<CategoryId> = threads::table
                    .find(thread)
                    .select(threads::category_id)
                    .first(conn)
                    .optional()?;
                match now {
                    Some(category) => Ok(Some(category)),
                    None => Ok(events::table
                        .filter(events::thread_id.eq(thread))
                        .filter(events::category_id.is_not_null())
                        .order(events::seq.desc())
                        .select(events::category_id)
                        .first::<Option<CategoryId>>(conn)
                        .optional()?
                        .flatten()),
                }
            })?;
            match place {
                Some(category) => named.categories.push(category),
                None => scope.unplaced = true,
            }
            scope.markings.extend(restrictions.marking(thread).cloned());
        }
        scope.categories = named
            .categories
            .iter()
            .map(|c| restrictions.get(c).cloned().unwrap_or_default())
            .collect();
        scopes.push(scope);
    }
    Ok(scopes)
}

/// `map[key]`, loaded once with `load`.
fn cached<K: std::hash::Hash + Eq + Copy, V: Copy>(
    map: &mut std::collections::HashMap<K, V>,
    key: K,
    load: impl FnOnce() -> Result<V>,
) -> Result<V> {
    if let Some(value) = map.get(&key) {
        return Ok(*value);
    }
    let value = load()?;
    map.insert(key, value);
    Ok(value)
}
