//! A member's own state on the pages they read — their reply drafts and
//! the watch levels they chose — kept in memory per member and dropped by
//! `member_state_changed`, which every change to either logs in the same
//! transaction (saving or discarding a draft, posting the reply that
//! removes it, choosing a level). A thread or category page then reads
//! nothing of the reader's from the database.

use std::sync::Arc;

use super::reply_drafts::Draft;
use super::*;
use crate::features::notifications::{WatchLevel, WatchTarget};
use crate::store::cache::{LogCache, Stale};

const CAPACITY: usize = 100_000;

/// One member's drafts (by thread) and chosen watch levels (by target,
/// `None` for a level this version does not know).
#[derive(Debug, Default)]
pub struct MemberState {
    drafts: HashMap<ThreadId, Draft>,
    watches: HashMap<String, Option<WatchLevel>>,
}

/// Member states by member id.
pub type MemberStateCache = LogCache<UserId, Arc<MemberState>>;

/// A cache for [`Db::reader_state`] and [`Db::watch_level_cached`].
pub fn member_state_cache() -> MemberStateCache {
    LogCache::new(CAPACITY, |user, _| *user, stale_states)
}

fn stale_states(event: &Event) -> Stale {
    match event {
        Event::MemberStateChanged(e) => Stale::Member(e.user_id),
        _ => Stale::Nothing,
    }
}

/// Logs that `user_id`'s drafts or watch levels changed.
pub(crate) fn member_state_changed(conn: &mut DbConnection, user_id: UserId) -> Result<()> {
    events::append(
        conn,
        &Event::MemberStateChanged(event_payloads::UserRef { user_id }),
        None,
        None,
        Some(user_id),
    )?;
    Ok(())
}

fn load(conn: &mut DbConnection, user_id: UserId) -> Result<MemberState> {
    let drafts: Vec<(ThreadId, String, Option<PostId>, NaiveDateTime)> = drafts::table
        .filter(drafts::user_id.eq(user_id))
        .select((
            drafts::thread_id,
            drafts::body,
            drafts::reply_to,
            drafts::updated_at,
        ))
        .load(conn)?;
    let watches: Vec<(String, String)> = watches::table
        .filter(watches::user_id.eq(user_id))
        .select((watches::target, watches::level))
        .load(conn)?;
    Ok(MemberState {
        drafts: drafts
            .into_iter()
            .map(|(thread_id, body, reply_to, updated_at)| {
                (
                    thread_id,
                    Draft {
                        thread_id,
                        body,
                        reply_to,
                        updated_at,
                    },
                )
            })
            .collect(),
        watches: watches
            .into_iter()
            .map(|(target, level)| (target, WatchLevel::parse(&level).ok()))
            .collect(),
    })
}

impl Db {
    fn member_state(&self, cache: &MemberStateCache, user_id: UserId) -> Result<Arc<MemberState>> {
        if let Some(state) = cache.local_hit(self, &user_id) {
            return Ok(state);
        }
        Ok(cache
            .get_or_load(self, &user_id, || {
                self.read(|conn| load(conn, user_id))
                    .map(|s| Some(Arc::new(s)))
            })?
            .unwrap_or_default())
    }

    /// What a thread page shows of `viewer`'s own, in a thread whose
    /// access was just checked for them: their draft and their watch
    /// level (their choice, else watching where they posted, else
    /// normal).
    pub fn reader_state(
        &self,
        cache: &MemberStateCache,
        viewer: &Viewer,
        seen: &super::thread_cache::ThreadForReader,
    ) -> Result<(Option<Draft>, WatchLevel)> {
        if !seen.checked_for(viewer) {
            return Err(CoreError::NotFound);
        }
        let state = self.member_state(cache, viewer.id)?;
        let draft = state.drafts.get(&seen.id()).cloned();
        let level = match state.watches.get(&format!("thread:{}", seen.id())) {
            Some(chosen) => chosen.unwrap_or(WatchLevel::Normal),
            None if seen.has_post_by(viewer.id) => WatchLevel::Watching,
            None => WatchLevel::Normal,
        };
        Ok((draft, level))
    }

    /// [`Db::watch_level`] through `cache`, for targets other than threads
    /// (a thread's default depends on its posts: [`Db::reader_state`]).
    pub fn watch_level_cached(
        &self,
        cache: &MemberStateCache,
        viewer: &Viewer,
        target: &str,
    ) -> Result<WatchLevel> {
        let parsed = WatchTarget::parse(target)?;
        if let WatchTarget::Thread(_) = parsed {
            return self.watch_level(viewer, target);
        }
        let state = self.member_state(cache, viewer.id)?;
        Ok(match state.watches.get(&parsed.to_string()) {
            Some(chosen) => chosen.unwrap_or(WatchLevel::Normal),
            None => match &parsed {
                WatchTarget::Jurisdiction(code) if **code == *viewer.country => {
                    WatchLevel::Tracking
                }
                _ => WatchLevel::Normal,
            },
        })
    }
}
