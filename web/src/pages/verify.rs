//! Checking a certified export.

use super::*;

/// What checking an uploaded bundle found.
#[derive(Debug, Clone, Default)]
pub struct VerifyResult {
    /// A file was uploaded and checked.
    pub checked: bool,
    pub intact: bool,
    /// Why not, when not.
    pub problem: String,
    /// (id, title) of the thread it certifies.
    pub thread: Option<(ThreadId, String)>,
    pub mark: String,
    pub exported_by: String,
    pub exported_at: String,
    pub audit_head: String,
    /// (member, SHA-256).
    pub files: Vec<(String, String)>,
}

/// `/verify`.
#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub chrome: Chrome,
    pub result: Option<VerifyResult>,
}
