//! What members, moderators and admins do: each module checks access
//! through [`crate::access`], writes through [`crate::store`] and appends
//! the event (and audit entry) in the same transaction.

pub mod accounts;
pub mod analyses;
pub mod attachments;
pub mod audit;
pub mod export;
pub mod forum;
pub mod index_feed;
pub mod moderation;
pub mod network;
pub mod notifications;
pub mod redaction;
pub mod webhooks;
