//! Comity's domain: accounts, categories, threads, posts, revisions, legal
//! analyses (jurisdiction taxonomy, instruments catalogue, endorsements),
//! the event log, notifications and what is e-mailed, Markdown rendering
//! and the access rule, stored with diesel on SQLite or PostgreSQL.
//!
//! This crate owns every SQL query and every decision about who may see and
//! do what. It never knows about HTTP, websockets or the search engine: the
//! server translates requests into calls on [`Db`], and tails the event log
//! to feed live updates and the index.
//!
//! It is built in layers, each naming only those before it (a test checks):
//! [`domain`] (values with rules, no storage) ← [`store`] (pools, schema,
//! rows, migrations, the event log and the audit chain) ← [`access`] (the
//! rule and the visibility SQL) ← [`views`] (what a viewer is shown) ←
//! [`features`] (what members, moderators and admins do). `docs/
//! ARCHITECTURE.md` says where each kind of code goes.

pub mod access;
pub mod domain;
pub mod error;
pub mod features;
pub mod store;
pub mod views;

pub use access::Viewer;
pub use error::{CoreError, ErrorKind, Result};
pub use store::db::{Backend, Db};
pub use store::ids::{
    AttachmentId, CategoryId, ColloquiumId, DialogueId, FlagId, GroupId, InvitationId,
    NotificationId, PostId, SessionId, ThreadId, UserId, WebhookId,
};

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// The current UTC time at microsecond precision (what both backends keep).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Formats a stored UTC timestamp as RFC 3339.
pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Serialises a stored UTC timestamp as RFC 3339 (for serde).
pub(crate) fn serialize_rfc3339<S: serde::Serializer>(
    at: &NaiveDateTime,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*at))
}

/// [`serialize_rfc3339`] of a timestamp that may be absent (`null`).
pub(crate) fn serialize_rfc3339_opt<S: serde::Serializer>(
    at: &Option<NaiveDateTime>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&rfc3339(*at)),
        None => s.serialize_none(),
    }
}
