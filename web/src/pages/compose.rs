//! Writing: the new-thread form, editing a post, revisions.

use super::*;

/// Values and errors of the new-thread form.
#[derive(Default)]
pub struct ThreadForm {
    /// Publishing the anonymised analysis of this advice request (the
    /// legal office, once the requester consented).
    pub advice: Option<ThreadId>,
    pub category_id: CategoryId,
    pub title: String,
    pub kind: String,
    pub jurisdictions: Vec<String>,
    pub body: String,
    pub summary: String,
    pub instruments: Vec<String>,
    pub crime_areas: Vec<String>,
    /// One a line: `code | provision`.
    pub provisions: String,
    /// One a line: `court | date | reference | ECLI`.
    pub cases: String,
    pub valid_as_of: String,
    pub review_by: String,
    /// Declared content language (empty: detect).
    pub language: String,
    /// Ids of uploads to attach, comma-separated (the composer's script
    /// fills it as files finish uploading).
    pub attachments: String,
    /// Handling mark (`GREEN` when empty).
    pub mark: String,
    /// Countries an `AMBER+STRICT` mark admits: codes separated by commas.
    pub mark_countries: String,
    /// Members a `RED` mark admits: usernames separated by commas.
    pub mark_members: String,
    /// The writer's reason to post despite suspected personal data.
    pub acknowledge_reason: String,
    /// Asked to replace suspected personal data with pseudonyms.
    pub pseudonymise: bool,
    /// Suspected personal data found in the last submission.
    pub personal_data: Option<PersonalDataNotice>,
    /// Said above the form (not an error).
    pub notice: Option<String>,
    pub error: Option<String>,
    pub error_field: Option<String>,
}

/// The ids in a comma-separated `attachments` field (what does not parse
/// is left out).
pub fn attachment_ids(field: &str) -> Vec<forum_core::AttachmentId> {
    field
        .split([',', ' '])
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

impl ThreadForm {
    /// The uploads to attach.
    pub fn attachment_ids(&self) -> Vec<forum_core::AttachmentId> {
        attachment_ids(&self.attachments)
    }

    /// The error message when it is about the input `input`.
    pub fn error_for(&self, input: &str) -> Option<&str> {
        field_error(&self.error, &self.error_field, input)
    }

    /// Whether `mark` (its TLP label) is the one chosen (`GREEN` when
    /// none is).
    pub fn mark_is(&self, mark: &str) -> bool {
        if self.mark.trim().is_empty() {
            mark == "GREEN"
        } else {
            self.mark.trim().eq_ignore_ascii_case(mark)
        }
    }

    /// The error is about no one input (shown at the top only).
    pub fn error_elsewhere(&self) -> bool {
        self.error.is_some() && !FORM_INPUTS.iter().any(|i| self.error_for(i).is_some())
    }
}

/// The inputs of the new-thread form that show their own error.
const FORM_INPUTS: [&str; 15] = [
    "category",
    "mark",
    "mark_recipients",
    "title",
    "kind",
    "jurisdictions",
    "language",
    "summary",
    "instruments",
    "crime_areas",
    "provisions",
    "cases",
    "valid_as_of",
    "review_by",
    "body",
];

#[derive(Template)]
#[template(path = "new_thread.html")]
pub struct NewThreadPage {
    pub chrome: Chrome,
    pub categories: Vec<CategoryView>,
    pub form: ThreadForm,
    pub jurisdiction_options: Vec<PickGroup>,
    pub instrument_options: Vec<PickGroup>,
    pub crime_area_options: Vec<PickOption>,
    pub picker_script: &'static str,
    pub composer_script: &'static str,
}

#[derive(Template)]
#[template(path = "edit_post.html")]
pub struct EditPostPage {
    pub chrome: Chrome,
    pub composer_script: &'static str,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub body: String,
    pub reason: String,
    pub error: Option<String>,
    /// Said above the form (not an error).
    pub notice: Option<String>,
    /// Suspected personal data found in the last submission.
    pub personal_data: Option<PersonalDataNotice>,
}

/// One revision with its diff against the one before.
pub struct RevisionItem {
    pub revision: i64,
    pub editor: String,
    pub at: When,
    pub reason: Option<String>,
    pub diff: Vec<DiffLine>,
    /// Files this revision removed (staff only).
    pub removed_files: Vec<FileRow>,
}

/// The flag form for one post, which the thread page links each post to
/// (one form here instead of one in every post of every thread page).
#[derive(Template)]
#[template(path = "flag_post.html")]
pub struct FlagPage {
    pub chrome: Chrome,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub author: String,
    pub language: String,
    pub body_html: forum_core::domain::markdown::SanitizedHtml,
    /// (value, label) of each reason.
    pub flag_reasons: Vec<(String, String)>,
}

/// A moderator's page to hide or restore one post, with a reason for the
/// audit log (linked from each post instead of a form in every post).
#[derive(Template)]
#[template(path = "moderate_post.html")]
pub struct ModeratePostPage {
    pub chrome: Chrome,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub author: String,
    pub language: String,
    pub body_html: forum_core::domain::markdown::SanitizedHtml,
    /// Hidden now: the page restores it.
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "revisions.html")]
pub struct RevisionsPage {
    pub chrome: Chrome,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub revisions: Vec<RevisionItem>,
}
