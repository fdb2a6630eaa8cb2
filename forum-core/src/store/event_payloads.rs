//! What each event of the log says: one payload struct per
//! [`EventKind`], and [`Event`], the typed event every consumer matches
//! on. Payloads serialise exactly as they are stored (field names, nesting,
//! `null`s); [`Event::decode`] reads a stored row back.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{NotificationKind, Role, ThreadKind};
use crate::store::ids::{
    AttachmentId, CategoryId, FlagId, GroupId, NotificationId, PostId, ThreadId, UserId,
};

use crate::store::events::EventKind;

/// The short public face of a user inside a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorRef {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
}

/// A post as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostPayload {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub author: AuthorRef,
    pub body: String,
    pub body_html: String,
    /// RFC 3339.
    pub created_at: String,
    pub edited_at: Option<String>,
    pub reply_to: Option<PostId>,
    pub revision: i64,
    pub language: String,
    pub hidden: bool,
    /// Its handling mark: its own when stricter than its thread's, else
    /// its thread's (events logged before marks: `GREEN`).
    #[serde(default)]
    pub mark: crate::domain::mark::Mark,
    /// The readers its own mark names, when it has one that names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark_recipients: Option<MarkReaders>,
    /// The files on it that members see (as the API shows them).
    #[serde(default)]
    pub attachments: Vec<AttachmentPayload>,
}

/// The readers a post's own mark names, as the API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkReaders {
    pub countries: Vec<String>,
    pub groups: Vec<GroupId>,
    pub users: Vec<UserId>,
}

/// A file on a post, as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentPayload {
    pub id: AttachmentId,
    pub name: String,
    pub size: i64,
    pub media_type: String,
    pub sha256: String,
    pub url: String,
    pub pages: Option<i64>,
    pub language: Option<String>,
    pub extraction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction_error: Option<String>,
    pub hidden: bool,
}

/// A thread's identity and tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadPayload {
    pub id: ThreadId,
    pub title: String,
    pub kind: ThreadKind,
    pub category_id: CategoryId,
    pub jurisdictions: Vec<String>,
    /// Its handling mark (events logged before marks existed: `GREEN`).
    #[serde(default)]
    pub mark: crate::domain::mark::Mark,
}

/// An analysis record's searchable part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisPayload {
    pub summary: String,
    pub language: String,
    pub instruments: Vec<String>,
    pub crime_areas: Vec<String>,
    pub valid_as_of: Option<NaiveDate>,
    pub review_by: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserCreated {
    pub user_id: UserId,
    pub username: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryCreated {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadCreated {
    pub thread: ThreadPayload,
    pub analysis: Option<AnalysisPayload>,
    pub post: PostPayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostCreated {
    pub post: PostPayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostEdited {
    pub post: PostPayload,
    pub reason: Option<String>,
}

/// About one member (`sessions_revoked`, `user_reinstated`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRef {
    pub user_id: UserId,
}

/// How a member is identified changed (interface language, second
/// factor); without `user_id`, every member's (the site-wide
/// second-factor rule). Cached identities of the member are dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountUpdated {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCreated {
    pub group_id: GroupId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipChanged {
    pub user_id: UserId,
    pub group_id: GroupId,
    pub member: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadUpdated {
    pub thread: ThreadPayload,
    pub analysis: Option<AnalysisPayload>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndorsementAdded {
    pub thread_id: ThreadId,
    pub author_id: UserId,
    pub jurisdiction: String,
}

/// About one thread (`endorsement_withdrawn`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadRef {
    pub thread_id: ThreadId,
}

/// A post hidden or shown again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostVisibility {
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub author_id: UserId,
}

/// Something about one attachment of a post changed: its text was read,
/// or a moderator hid it (`hidden`) or showed it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentChange {
    pub attachment_id: AttachmentId,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadLocked {
    pub thread_id: ThreadId,
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadPinned {
    pub thread_id: ThreadId,
    pub pinned: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadMoved {
    pub thread_id: ThreadId,
    pub from: CategoryId,
    pub to: CategoryId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagResolved {
    pub flag_id: FlagId,
    pub flagger_id: UserId,
    pub post_id: PostId,
    pub author_id: UserId,
    /// What the moderator did (`hide`, `dismiss`…).
    pub resolution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadMerged {
    pub from: ThreadId,
    pub into: ThreadId,
    /// Posts moved.
    pub posts: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSplit {
    pub from: ThreadId,
    pub into: ThreadId,
    pub post_ids: Vec<PostId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSlowMode {
    pub thread_id: ThreadId,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadFeatured {
    pub thread_id: ThreadId,
    pub featured: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSuspended {
    pub user_id: UserId,
    /// RFC 3339.
    pub until: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleChanged {
    pub user_id: UserId,
    pub role: Role,
}

/// A notification as the inbox topic delivers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationBody {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub thread_id: Option<ThreadId>,
    pub post_id: Option<PostId>,
    pub actor_id: Option<UserId>,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub user_id: UserId,
    pub notification: NotificationBody,
    /// The recipient's unread count after this one.
    pub unread: i64,
}

/// An event of the log, typed. Stored as its [`EventKind`] name and its
/// payload serialised as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    UserCreated(UserCreated),
    CategoryCreated(CategoryCreated),
    ThreadCreated(ThreadCreated),
    PostCreated(PostCreated),
    PostEdited(PostEdited),
    /// Sessions of the member ended (logout, revocation, password change,
    /// refresh-token reuse): live connections revalidate.
    SessionsRevoked(UserRef),
    GroupCreated(GroupCreated),
    /// The member joined or left a group: what they may see changed.
    MembershipChanged(MembershipChanged),
    /// A thread's title, jurisdiction tags or analysis record changed.
    ThreadUpdated(ThreadUpdated),
    EndorsementAdded(EndorsementAdded),
    EndorsementWithdrawn(ThreadRef),
    PostHidden(PostVisibility),
    PostRestored(PostVisibility),
    ThreadLocked(ThreadLocked),
    ThreadPinned(ThreadPinned),
    /// Who may read the thread changed.
    ThreadMoved(ThreadMoved),
    /// The flagger learns the outcome.
    FlagResolved(FlagResolved),
    ThreadMerged(ThreadMerged),
    ThreadSplit(ThreadSplit),
    ThreadSlowMode(ThreadSlowMode),
    ThreadFeatured(ThreadFeatured),
    UserSuspended(UserSuspended),
    UserReinstated(UserRef),
    /// What the member may do changed: live connections revalidate.
    RoleChanged(RoleChanged),
    /// Written by the notifier; delivered on the member's `inbox` topic.
    Notification(Notification),
    /// How a member (or, without one, everyone) is identified changed.
    AccountUpdated(AccountUpdated),
    /// The member read some of their notifications.
    NotificationsRead(UserRef),
    /// The member's drafts or watch levels changed.
    MemberStateChanged(UserRef),
    /// The text inside an attachment was read, or could not be.
    AttachmentExtracted(AttachmentChange),
    /// A moderator hid an attachment or showed it again.
    AttachmentHidden(AttachmentChange),
}

/// Applies `$body` to the payload of every variant of `$event`.
macro_rules! each_payload {
    ($event:expr, $payload:ident => $body:expr) => {
        match $event {
            Event::UserCreated($payload) => $body,
            Event::CategoryCreated($payload) => $body,
            Event::ThreadCreated($payload) => $body,
            Event::PostCreated($payload) => $body,
            Event::PostEdited($payload) => $body,
            Event::SessionsRevoked($payload) => $body,
            Event::GroupCreated($payload) => $body,
            Event::MembershipChanged($payload) => $body,
            Event::ThreadUpdated($payload) => $body,
            Event::EndorsementAdded($payload) => $body,
            Event::EndorsementWithdrawn($payload) => $body,
            Event::PostHidden($payload) => $body,
            Event::PostRestored($payload) => $body,
            Event::ThreadLocked($payload) => $body,
            Event::ThreadPinned($payload) => $body,
            Event::ThreadMoved($payload) => $body,
            Event::FlagResolved($payload) => $body,
            Event::ThreadMerged($payload) => $body,
            Event::ThreadSplit($payload) => $body,
            Event::ThreadSlowMode($payload) => $body,
            Event::ThreadFeatured($payload) => $body,
            Event::UserSuspended($payload) => $body,
            Event::UserReinstated($payload) => $body,
            Event::RoleChanged($payload) => $body,
            Event::Notification($payload) => $body,
            Event::AccountUpdated($payload) => $body,
            Event::NotificationsRead($payload) => $body,
            Event::MemberStateChanged($payload) => $body,
            Event::AttachmentExtracted($payload) => $body,
            Event::AttachmentHidden($payload) => $body,
        }
    };
}

impl Event {
    /// The kind it is stored as.
    pub fn kind(&self) -> EventKind {
        match self {
            Event::UserCreated(_) => EventKind::UserCreated,
            Event::CategoryCreated(_) => EventKind::CategoryCreated,
            Event::ThreadCreated(_) => EventKind::ThreadCreated,
            Event::PostCreated(_) => EventKind::PostCreated,
            Event::PostEdited(_) => EventKind::PostEdited,
            Event::SessionsRevoked(_) => EventKind::SessionsRevoked,
            Event::GroupCreated(_) => EventKind::GroupCreated,
            Event::MembershipChanged(_) => EventKind::MembershipChanged,
            Event::ThreadUpdated(_) => EventKind::ThreadUpdated,
            Event::EndorsementAdded(_) => EventKind::EndorsementAdded,
            Event::EndorsementWithdrawn(_) => EventKind::EndorsementWithdrawn,
            Event::PostHidden(_) => EventKind::PostHidden,
            Event::PostRestored(_) => EventKind::PostRestored,
            Event::ThreadLocked(_) => EventKind::ThreadLocked,
            Event::ThreadPinned(_) => EventKind::ThreadPinned,
            Event::ThreadMoved(_) => EventKind::ThreadMoved,
            Event::FlagResolved(_) => EventKind::FlagResolved,
            Event::ThreadMerged(_) => EventKind::ThreadMerged,
            Event::ThreadSplit(_) => EventKind::ThreadSplit,
            Event::ThreadSlowMode(_) => EventKind::ThreadSlowMode,
            Event::ThreadFeatured(_) => EventKind::ThreadFeatured,
            Event::UserSuspended(_) => EventKind::UserSuspended,
            Event::UserReinstated(_) => EventKind::UserReinstated,
            Event::RoleChanged(_) => EventKind::RoleChanged,
            Event::Notification(_) => EventKind::Notification,
            Event::AccountUpdated(_) => EventKind::AccountUpdated,
            Event::NotificationsRead(_) => EventKind::NotificationsRead,
            Event::MemberStateChanged(_) => EventKind::MemberStateChanged,
            Event::AttachmentExtracted(_) => EventKind::AttachmentExtracted,
            Event::AttachmentHidden(_) => EventKind::AttachmentHidden,
        }
    }

    /// The payload as stored and as live clients receive it.
    pub fn payload(&self) -> serde_json::Value {
        each_payload!(self, payload => serde_json::to_value(payload)).expect("payloads serialise")
    }

    /// The event stored as `kind` with `payload`; `None` for a kind this
    /// version does not know or a payload of another shape.
    pub fn decode(kind: &str, payload: &str) -> Option<Event> {
        fn from<T: for<'de> Deserialize<'de>>(payload: &str) -> Option<T> {
            serde_json::from_str(payload).ok()
        }
        Some(match EventKind::parse(kind)? {
            EventKind::UserCreated => Event::UserCreated(from(payload)?),
            EventKind::CategoryCreated => Event::CategoryCreated(from(payload)?),
            EventKind::ThreadCreated => Event::ThreadCreated(from(payload)?),
            EventKind::PostCreated => Event::PostCreated(from(payload)?),
            EventKind::PostEdited => Event::PostEdited(from(payload)?),
            EventKind::SessionsRevoked => Event::SessionsRevoked(from(payload)?),
            EventKind::GroupCreated => Event::GroupCreated(from(payload)?),
            EventKind::MembershipChanged => Event::MembershipChanged(from(payload)?),
            EventKind::ThreadUpdated => Event::ThreadUpdated(from(payload)?),
            EventKind::EndorsementAdded => Event::EndorsementAdded(from(payload)?),
            EventKind::EndorsementWithdrawn => Event::EndorsementWithdrawn(from(payload)?),
            EventKind::PostHidden => Event::PostHidden(from(payload)?),
            EventKind::PostRestored => Event::PostRestored(from(payload)?),
            EventKind::ThreadLocked => Event::ThreadLocked(from(payload)?),
            EventKind::ThreadPinned => Event::ThreadPinned(from(payload)?),
            EventKind::ThreadMoved => Event::ThreadMoved(from(payload)?),
            EventKind::FlagResolved => Event::FlagResolved(from(payload)?),
            EventKind::ThreadMerged => Event::ThreadMerged(from(payload)?),
            EventKind::ThreadSplit => Event::ThreadSplit(from(payload)?),
            EventKind::ThreadSlowMode => Event::ThreadSlowMode(from(payload)?),
            EventKind::ThreadFeatured => Event::ThreadFeatured(from(payload)?),
            EventKind::UserSuspended => Event::UserSuspended(from(payload)?),
            EventKind::UserReinstated => Event::UserReinstated(from(payload)?),
            EventKind::RoleChanged => Event::RoleChanged(from(payload)?),
            EventKind::Notification => Event::Notification(from(payload)?),
            EventKind::AccountUpdated => Event::AccountUpdated(from(payload)?),
            EventKind::NotificationsRead => Event::NotificationsRead(from(payload)?),
            EventKind::MemberStateChanged => Event::MemberStateChanged(from(payload)?),
            EventKind::AttachmentExtracted => Event::AttachmentExtracted(from(payload)?),
            EventKind::AttachmentHidden => Event::AttachmentHidden(from(payload)?),
        })
    }

    /// The member an event is about, for events that change what one
    /// member may do or see (`sessions_revoked`, `membership_changed`,
    /// `user_suspended`, `user_reinstated`, `role_changed`) or that go to one member
    /// (`notification`).
    pub fn member(&self) -> Option<UserId> {
        match self {
            Event::SessionsRevoked(e) | Event::UserReinstated(e) => Some(e.user_id),
            Event::MembershipChanged(e) => Some(e.user_id),
            Event::UserSuspended(e) => Some(e.user_id),
            Event::RoleChanged(e) => Some(e.user_id),
            Event::Notification(e) => Some(e.user_id),
            Event::AccountUpdated(e) => e.user_id,
            Event::NotificationsRead(e) => Some(e.user_id),
            Event::MemberStateChanged(e) => Some(e.user_id),
            _ => None,
        }
    }

    /// The post an event is about.
    pub fn post_id(&self) -> Option<PostId> {
        match self {
            Event::ThreadCreated(e) => Some(e.post.id),
            Event::PostCreated(e) => Some(e.post.id),
            Event::PostEdited(e) => Some(e.post.id),
            Event::PostHidden(e) | Event::PostRestored(e) => Some(e.post_id),
            Event::AttachmentExtracted(e) | Event::AttachmentHidden(e) => Some(e.post_id),
            Event::FlagResolved(e) => Some(e.post_id),
            Event::Notification(e) => e.notification.post_id,
            _ => None,
        }
    }

    /// The thread an event names in its payload when its row names none
    /// (a notification's).
    pub fn named_thread(&self) -> Option<ThreadId> {
        match self {
            Event::Notification(e) => e.notification.thread_id,
            _ => None,
        }
    }

    /// Whether the event carries the text of its post.
    pub fn shows_post_text(&self) -> bool {
        matches!(
            self,
            Event::ThreadCreated(_) | Event::PostCreated(_) | Event::PostEdited(_)
        )
    }
}
