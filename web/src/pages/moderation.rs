//! The moderation queue, flag cases and the audit log.

use super::*;

/// A flag in the queue.
pub struct FlagRow {
    pub id: FlagId,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub thread_title: String,
    pub flagger: String,
    pub reason: String,
    pub note: String,
    pub assignee: String,
    pub created: When,
}

/// The moderation queue with statistics per reason.
#[derive(Template)]
#[template(path = "moderation.html")]
pub struct ModerationPage {
    pub chrome: Chrome,
    /// The flags shown: `open`, `resolved` or `all`.
    pub status: &'static str,
    pub flags: Vec<FlagRow>,
    /// reason label, total, open, resolved, mean hours (formatted).
    pub stats: Vec<(String, i64, i64, i64, String)>,
}

/// One flag, worked as a case.
#[derive(Template)]
#[template(path = "flag_case.html")]
pub struct FlagCasePage {
    pub chrome: Chrome,
    pub flag: FlagRow,
    pub open: bool,
    pub resolution: String,
    pub resolution_note: String,
    pub post_body: String,
    pub post_html: PostHtml,
    pub post_author: String,
    /// author, body, when.
    pub notes: Vec<(String, String, When)>,
    pub resolutions: Vec<(String, String)>,
}

/// The audit log with its filters.
#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub actor: String,
    pub action: String,
    /// The actions the log holds, by family: value, label, actions.
    pub actions: Vec<(String, String, Vec<String>)>,
    pub target: String,
    /// id, when, actor, action, target, reason, details.
    pub entries: Vec<(i64, When, String, String, String, String, String)>,
    pub older: Option<i64>,
}
