//! Who is asking, without asking the database each time: the [`Viewer`]
//! of each session (session live, account usable, role, groups, second
//! factor), kept in a [`LogCache`] and dropped when the log says
//! something it depends on changed: `sessions_revoked`,
//! `membership_changed`, `user_suspended`, `user_reinstated`,
//! `role_changed`, `account_updated`.

use crate::access::Viewer;
use crate::error::Result;
use crate::store::cache::{LogCache, Stale};
use crate::store::db::Db;
use crate::store::event_payloads::Event;
use crate::store::ids::*;

/// Sessions kept at most.
const CAPACITY: usize = 100_000;

/// Viewers by session id.
pub type ViewerCache = LogCache<SessionId, Viewer>;

/// A cache for [`Db::viewer_for_session_cached`].
pub fn viewer_cache() -> ViewerCache {
    LogCache::new(CAPACITY, |_, viewer| viewer.id, stale_viewers)
}

/// What an event makes stale.
fn stale_viewers(event: &Event) -> Stale {
    match event {
        Event::SessionsRevoked(e) | Event::UserReinstated(e) => Stale::Member(e.user_id),
        Event::MembershipChanged(e) => Stale::Member(e.user_id),
        Event::UserSuspended(e) => Stale::Member(e.user_id),
        Event::RoleChanged(e) => Stale::Member(e.user_id),
        Event::AccountUpdated(e) => e.user_id.map_or(Stale::Everything, Stale::Member),
        Event::UserCreated(_)
        | Event::CategoryCreated(_)
        | Event::ThreadCreated(_)
        | Event::PostCreated(_)
        | Event::PostEdited(_)
        | Event::GroupCreated(_)
        | Event::ThreadUpdated(_)
        | Event::EndorsementAdded(_)
        | Event::EndorsementWithdrawn(_)
        | Event::PostHidden(_)
        | Event::PostRestored(_)
        | Event::ThreadLocked(_)
        | Event::ThreadPinned(_)
        | Event::ThreadMoved(_)
        | Event::FlagResolved(_)
        | Event::ThreadMerged(_)
        | Event::ThreadSplit(_)
        | Event::ThreadSlowMode(_)
        | Event::ThreadFeatured(_)
        | Event::NotificationsRead(_)
        | Event::MemberStateChanged(_)
        | Event::AttachmentExtracted(_)
        | Event::AttachmentHidden(_)
        | Event::Notification(_) => Stale::Nothing,
    }
}

/// The cached viewer of a session if `cache` is fresh without asking the
/// database (SQLite, this process's writes applied).
pub fn cached_viewer(
    cache: &ViewerCache,
    db: &Db,
    user_id: UserId,
    session_id: SessionId,
) -> Option<Viewer> {
    cache
        .local_hit(db, &session_id)
        .filter(|viewer| viewer.id == user_id && !expired(viewer))
}

/// A guest whose account ended since the viewer was cached.
fn expired(viewer: &Viewer) -> bool {
    viewer
        .guest_until
        .is_some_and(|until| until <= crate::now())
}

impl Db {
    /// [`Db::viewer_for_session`] through `cache`.
    pub fn viewer_for_session_cached(
        &self,
        cache: &ViewerCache,
        user_id: UserId,
        session_id: SessionId,
    ) -> Result<Option<Viewer>> {
        let viewer = cache.get_or_load(self, &session_id, || {
            self.viewer_for_session(user_id, session_id)
        })?;
        Ok(viewer.filter(|viewer| viewer.id == user_id && !expired(viewer)))
    }
}
