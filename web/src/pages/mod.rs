//! One view model per page template.

use forum_core::features::forum::DiffLine;
use forum_core::views::{CategoryView, PostView};
use forum_core::{CategoryId, FlagId, GroupId, PostId, ThreadId, UserId};

use crate::*;

mod accounts;
mod admin;
mod advice;
mod analyses;
mod colloquia;
mod compose;
mod dialogues;
mod inbox;
mod moderation;
mod network;
mod search;
mod threads;
mod verify;

pub use accounts::*;
pub use admin::*;
pub use advice::*;
pub use analyses::*;
pub use colloquia::*;
pub use compose::*;
pub use dialogues::*;
pub use inbox::*;
pub use moderation::*;
pub use network::*;
pub use search::*;
pub use threads::*;
pub use verify::*;

/// The form input a field named by a domain error is typed into (the
/// analysis record's fields are `analysis.…` in the domain).
pub fn input_of_field(field: &str) -> &str {
    match field.strip_prefix("analysis.").unwrap_or(field) {
        "category_id" => "category",
        "legal_provisions" => "provisions",
        "case_citations" => "cases",
        other => other,
    }
}

/// A form's error message when the field it names is typed into `input`.
fn field_error<'a>(
    error: &'a Option<String>,
    field: &Option<String>,
    input: &str,
) -> Option<&'a str> {
    match (error, field) {
        (Some(message), Some(field)) if input_of_field(field) == input => Some(message.as_str()),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub message: String,
}
