//! Every page header shows the member's unread notifications. The count
//! (of what they may see now) is kept per member in a [`LogCache`] and
//! dropped when the log says it may have changed: a notification for them
//! (`notification`), their reading some (`notifications_read`), their
//! groups or role changing, or anything that changes what anyone may see
//! of a thread (`post_hidden`, `post_restored`, `thread_moved`,
//! `thread_merged`, `thread_split`: everyone's count is dropped).

use crate::access::Viewer;
use crate::error::Result;
use crate::store::cache::{LogCache, Stale};
use crate::store::db::Db;
use crate::store::event_payloads::Event;
use crate::store::ids::*;

const CAPACITY: usize = 100_000;

/// Unread counts by member id.
pub type UnreadCache = LogCache<UserId, i64>;

/// A cache for [`Db::unread_notifications_cached`].
pub fn unread_cache() -> UnreadCache {
    LogCache::new(CAPACITY, |user, _| *user, stale_counts)
}

fn stale_counts(event: &Event) -> Stale {
    match event {
        Event::Notification(e) => Stale::Member(e.user_id),
        Event::NotificationsRead(e) | Event::SessionsRevoked(e) | Event::UserReinstated(e) => {
            Stale::Member(e.user_id)
        }
        Event::MembershipChanged(e) => Stale::Member(e.user_id),
        Event::RoleChanged(e) => Stale::Member(e.user_id),
        Event::UserSuspended(e) => Stale::Member(e.user_id),
        Event::AccountUpdated(e) => e.user_id.map_or(Stale::Everything, Stale::Member),
        Event::PostHidden(_)
        | Event::PostRestored(_)
        | Event::ThreadMoved(_)
        | Event::ThreadMerged(_)
        | Event::ThreadSplit(_) => Stale::Everything,
        Event::UserCreated(_)
        | Event::CategoryCreated(_)
        | Event::ThreadCreated(_)
        | Event::PostCreated(_)
        | Event::PostEdited(_)
        | Event::GroupCreated(_)
        | Event::ThreadUpdated(_)
        | Event::EndorsementAdded(_)
        | Event::EndorsementWithdrawn(_)
        | Event::ThreadLocked(_)
        | Event::ThreadPinned(_)
        | Event::FlagResolved(_)
        | Event::ThreadSlowMode(_)
        | Event::ThreadFeatured(_)
        | Event::MemberStateChanged(_)
        | Event::AttachmentExtracted(_)
        | Event::AttachmentHidden(_) => Stale::Nothing,
    }
}

impl Db {
    /// [`Db::unread_notifications`] through `cache`.
    pub fn unread_notifications_cached(&self, cache: &UnreadCache, viewer: &Viewer) -> Result<i64> {
        Ok(cache
            .get_or_load(self, &viewer.id, || {
                self.unread_notifications(viewer).map(Some)
            })?
            .unwrap_or(0))
    }
}
