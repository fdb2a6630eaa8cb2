//! Rows as stored (`User`, `Thread`, …) and the joined read models the
//! server renders (`ThreadView`, `PostView`, …).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::domain::{DocumentType, Extraction, Role, ThreadKind};
use crate::store::ids::{
    AttachmentId, CategoryId, InvitationId, PostId, SessionId, ThreadId, UserId,
};
use crate::store::schema::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub country: String,
    pub profession: String,
    pub created_at: NaiveDateTime,
    pub suspended_until: Option<NaiveDateTime>,
    /// Interface language preference (`en`, `fr`, `es`, `ar`).
    pub language: Option<String>,
    /// TOTP secret (base32); pending until `totp_enabled_at` is set.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<NaiveDateTime>,
    /// The last TOTP time step accepted: a code works once.
    pub totp_last_step: Option<i64>,
}

impl User {
    /// Whether the account was erased on request ("Former member #N"): no
    /// one may sign in to it, reset it, reinstate it or give it a role.
    pub fn is_erased(&self) -> bool {
        self.username
            .starts_with(crate::domain::ERASED_USERNAME_PREFIX)
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub country: &'a str,
    pub profession: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: InvitationId,
    pub token_hash: String,
    pub email: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub used_by: Option<UserId>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub user_agent: String,
    pub revoked_at: Option<NaiveDateTime>,
    /// Opened with the second factor (or confirmed it since).
    pub second_factor: bool,
    /// The client address at sign-in or the latest token refresh.
    pub last_ip: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub session_id: SessionId,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = threads)]
pub struct Thread {
    pub id: ThreadId,
    pub category_id: CategoryId,
    pub author_id: UserId,
    pub title: String,
    #[diesel(deserialize_as = String)]
    pub kind: ThreadKind,
    pub locked: bool,
    pub pinned: bool,
    pub post_count: i64,
    pub created_at: NaiveDateTime,
    pub last_post_at: NaiveDateTime,
    /// Language of the opening post (ISO 639-1, or `und`).
    pub language: String,
    /// Seconds a member waits between replies here (0: no slow mode).
    pub slow_mode_seconds: i64,
    /// When a moderator featured this analysis, if they did.
    pub featured_at: Option<NaiveDateTime>,
    /// Its handling mark (who may read it is the access layer's rule).
    #[diesel(deserialize_as = String)]
    pub mark: crate::domain::mark::Mark,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub author_id: UserId,
    pub reply_to: Option<PostId>,
    pub body: String,
    pub body_html: String,
    pub revision: i64,
    pub hidden: bool,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    /// ISO 639-1, declared or detected; `und` when unknown.
    pub language: String,
    /// Its own handling mark, stricter than its thread's (`None`: as its
    /// thread). See [`Post::own_mark`].
    pub mark: Option<String>,
}

impl Post {
    /// Its own handling mark, if it has one.
    pub fn own_mark(&self) -> Option<crate::domain::mark::Mark> {
        self.mark
            .as_deref()
            .and_then(|m| crate::domain::mark::Mark::parse("mark", m).ok())
    }
}

/// A file uploaded to attach to a post.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    pub id: AttachmentId,
    pub uploader_id: UserId,
    /// `None` until the upload is used on a post.
    pub post_id: Option<PostId>,
    pub name: String,
    pub size: i64,
    #[diesel(deserialize_as = String)]
    pub media_type: DocumentType,
    pub sha256: String,
    pub created_at: NaiveDateTime,
    /// The post's revision that dropped it (kept for the history).
    pub removed_in_revision: Option<i64>,
    /// Set when a moderator hid it: why.
    pub hidden_reason: Option<String>,
    /// Browsers may show it in the page (sandboxed).
    pub inline: bool,
    #[diesel(deserialize_as = String)]
    pub extraction: Extraction,
    pub extraction_error: Option<String>,
    pub pages: Option<i64>,
    pub language: Option<String>,
    pub document_author: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = post_revisions)]
pub struct PostRevision {
    pub id: i64,
    pub post_id: PostId,
    pub revision: i64,
    pub body: String,
    pub edited_by: UserId,
    pub edited_at: NaiveDateTime,
    pub reason: Option<String>,
}

/// One row of the event log.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub seq: i64,
    pub kind: String,
    pub thread_id: Option<ThreadId>,
    pub category_id: Option<CategoryId>,
    pub actor_id: Option<UserId>,
    pub payload: String,
    pub created_at: NaiveDateTime,
}
