//! Advice requests to the legal office: the list with the form to file
//! one, and one request with its steps (and, for the office, its notes and
//! the forms that move it on).

use forum_core::domain::AdviceStatus;
use forum_core::features::network::AdviceRequest;

use super::*;

fn status_text(status: AdviceStatus, i18n: &I18n) -> String {
    i18n.t(&format!("advice-status-{}", status.as_str()))
}

/// A request in the list.
pub struct AdviceRow {
    pub thread_id: ThreadId,
    pub title: String,
    pub requester: String,
    /// `received`, `assigned`, `advice_given` or `closed`, and its words.
    pub status: String,
    pub status_text: String,
    pub due: When,
    pub overdue: bool,
    pub assignee: Option<String>,
}

impl AdviceRow {
    pub fn new(r: &AdviceRequest, i18n: &I18n) -> AdviceRow {
        AdviceRow {
            thread_id: r.thread_id,
            title: r.title.clone(),
            requester: r.requester.display_name.clone(),
            status: r.status.as_str().to_owned(),
            status_text: status_text(r.status, i18n),
            due: When::of(r.due_at, i18n),
            overdue: r.overdue,
            assignee: r.assignee.as_ref().map(|a| a.display_name.clone()),
        }
    }
}

/// The requests the reader may see, and the form to file one.
#[derive(Template)]
#[template(path = "advice_list.html")]
pub struct AdviceListPage {
    pub chrome: Chrome,
    pub rows: Vec<AdviceRow>,
    /// Categories to file in: id, name, selected.
    pub categories: Vec<(CategoryId, String, bool)>,
    pub title: String,
    pub body: String,
    pub jurisdictions: Vec<PickGroup>,
    pub can_request: bool,
    pub error: Option<String>,
}

/// One step, as the page lists it.
pub struct StepRow {
    pub action_text: String,
    pub detail: String,
    pub actor: String,
    pub at: When,
}

/// A private note of the office's.
pub struct NoteRow {
    pub author: String,
    pub body: String,
    pub at: When,
}

/// One request.
#[derive(Template)]
#[template(path = "advice_request.html")]
pub struct AdviceRequestPage {
    pub chrome: Chrome,
    pub row: AdviceRow,
    pub created: When,
    /// The due date, `YYYY-MM-DD`, for the date input.
    pub due_date: String,
    pub steps: Vec<StepRow>,
    pub notes: Vec<NoteRow>,
    pub office: bool,
    pub requester: bool,
    pub closed: bool,
    pub consent: bool,
    pub published: Option<ThreadId>,
    /// The office's members, to assign to: id, name, selected.
    pub office_members: Vec<(UserId, String, bool)>,
    pub error: Option<String>,
}

impl AdviceRequestPage {
    pub fn new(
        chrome: Chrome,
        r: &AdviceRequest,
        me: UserId,
        office_members: Vec<(UserId, String)>,
    ) -> AdviceRequestPage {
        let i18n = &chrome.i18n;
        let assignee = r.assignee.as_ref().map(|a| a.id);
        AdviceRequestPage {
            row: AdviceRow::new(r, i18n),
            created: When::of(r.created_at, i18n),
            due_date: r.due_at.format("%Y-%m-%d").to_string(),
            steps: r
                .steps
                .iter()
                .map(|s| StepRow {
                    action_text: i18n.t(&format!("advice-step-{}", s.action)),
                    detail: if s.action == "published" {
                        String::new()
                    } else {
                        s.detail.clone()
                    },
                    actor: s.actor.display_name.clone(),
                    at: When::of(s.at, i18n),
                })
                .collect(),
            notes: r
                .notes
                .iter()
                .map(|n| NoteRow {
                    author: n.author.display_name.clone(),
                    body: n.body.clone(),
                    at: When::of(n.created_at, i18n),
                })
                .collect(),
            office: r.office,
            requester: r.requester.id == me,
            closed: r.status == AdviceStatus::Closed,
            consent: r.publish_consent,
            published: r.published_thread_id,
            office_members: office_members
                .into_iter()
                .map(|(id, name)| (id, name, Some(id) == assignee))
                .collect(),
            error: None,
            chrome,
        }
    }
}
