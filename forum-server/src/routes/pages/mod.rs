//! Server-rendered HTML pages. Plain forms that work without JavaScript;
//! every POST redirects (post/redirect/get) or re-renders with the error.

mod account;
mod admin;
mod threads;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use forum_core::{CoreError, Viewer};
use views::Template;
use views::{Chrome, ErrorPage, NavUser};

use crate::error::{ApiError, status_of};

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    account::configure(cfg);
    admin::configure(cfg);
    threads::configure(cfg);
    cfg.default_service(actix_web::web::to(not_found));
}

async fn not_found() -> HttpResponse {
    PageError::new(
        StatusCode::NOT_FOUND,
        "This page does not exist, or you may not see it.",
    )
    .error_response()
}

pub fn nav(viewer: &Viewer) -> NavUser {
    NavUser {
        username: viewer.username.clone(),
        display_name: viewer.display_name.clone(),
        is_staff: viewer.is_staff(),
        is_admin: viewer.is_admin(),
    }
}

pub fn chrome(title: impl Into<String>, viewer: &Viewer) -> Chrome {
    Chrome::new(title, Some(nav(viewer)))
}

/// Renders a template as an HTML response.
pub fn render(template: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    let body = template.render().map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.")
    })?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, to.to_owned()))
        .finish()
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        PageError {
            status,
            message: message.into(),
        }
    }
}

impl From<CoreError> for PageError {
    fn from(err: CoreError) -> Self {
        ApiError::from(err).into()
    }
}

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> Self {
        let message = match err.status {
            StatusCode::NOT_FOUND => "This page does not exist, or you may not see it.".to_owned(),
            s if s.is_server_error() => "Something went wrong. Please try again.".to_owned(),
            _ => err.message,
        };
        PageError::new(err.status, message)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let page = ErrorPage {
            chrome: Chrome::new(self.status.canonical_reason().unwrap_or("Error"), None),
            status: self.status.as_u16(),
            message: self.message.clone(),
        };
        match page.render() {
            Ok(body) => HttpResponse::build(self.status)
                .content_type("text/html; charset=utf-8")
                .body(body),
            Err(_) => HttpResponse::build(self.status).body(self.message.clone()),
        }
    }
}

/// The message for a form error, naming the field.
pub fn form_error(err: &CoreError) -> String {
    match err.field() {
        Some(field) => format!("{}: {}", field.replace('_', " "), err.public_message()),
        None => err.public_message(),
    }
}

/// Whether a core error is the user's to fix (re-render the form) rather
/// than a failure to show as an error page.
pub fn is_form_error(err: &CoreError) -> bool {
    let status = status_of(err.kind());
    status.is_client_error() && status != StatusCode::NOT_FOUND
}
