//! The inbox and the review list.

use super::*;

/// One notification in the inbox.
pub struct InboxItem {
    pub href: String,
    pub text: String,
    pub when: When,
    pub unread: bool,
}

/// One of the member's watches, with the level choices (value, label,
/// selected).
#[derive(Hash, PartialEq, Eq)]
pub struct WatchRow {
    pub target: String,
    /// The select's element id.
    pub id: String,
    pub label: String,
    pub levels: Vec<(String, String, bool)>,
}

/// The inbox page.
#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    pub chrome: Chrome,
    pub items: Vec<InboxItem>,
    pub unread: i64,
    pub watches: Vec<WatchRow>,
}

/// Analyses needing review, for moderators.
#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub chrome: Chrome,
    pub items: Vec<(ThreadRow, Vec<String>)>,
}
