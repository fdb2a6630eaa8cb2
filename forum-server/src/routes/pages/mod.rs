//! Server-rendered HTML pages. Plain forms that work without JavaScript;
//! every POST redirects (post/redirect/get) or re-renders with the error.

mod account;
mod admin;
mod advice;
mod analyses;
mod colloquia;
mod dialogues;
pub(crate) mod inbox;
mod language;
mod members;
mod moderation;
mod network;
mod search;
mod settings;
mod submission;
mod threads;
mod verify;
mod webhooks;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use forum_core::error::Reason;
use forum_core::{CoreError, Viewer};
use views::Template;
use views::{Chrome, ErrorPage, Fragment, NavUser};

use crate::error::{ApiError, status_of};
use crate::i18n::Ui;

pub fn configure(app: &mut actix_web::web::ServiceConfig) {
    // Grouped by first segment (see `routes::grouped`); the pages read
    // most first all the same: no two modules' patterns overlap, so the
    // order changes only the cost.
    let mut cfg = crate::routes::grouped::Grouped::default();
    let cfg = &mut cfg;
    threads::configure(cfg);
    account::configure(cfg);
    language::configure(cfg);
    settings::configure(cfg);
    admin::configure(cfg);
    members::configure(cfg);
    analyses::configure(cfg);
    network::configure(cfg);
    colloquia::configure(cfg);
    advice::configure(cfg);
    dialogues::configure(cfg);
    webhooks::configure(cfg);
    moderation::configure(cfg);
    inbox::configure(cfg);
    search::configure(cfg);
    verify::configure(cfg);
    std::mem::take(cfg).register(app);
    app.default_service(actix_web::web::to(not_found));
}

async fn not_found() -> HttpResponse {
    PageError::keyed(StatusCode::NOT_FOUND, "error-not_found").error_response()
}

pub fn nav(viewer: &Viewer) -> NavUser {
    NavUser {
        username: viewer.username.to_string(),
        display_name: viewer.display_name.to_string(),
        is_staff: forum_core::access::can_invite(viewer),
        is_admin: viewer.is_admin(),
        unread: 0,
        second_factor_missing: viewer.second_factor_missing,
    }
}

pub fn chrome(title: impl Into<String>, viewer: &Viewer, ui: &Ui) -> Chrome {
    let mut user = nav(viewer);
    user.unread = ui.unread;
    Chrome::new(title, Some(user), ui.i18n.clone(), ui.path.clone())
}

/// The frame of a page for someone not signed in.
pub fn anonymous_chrome(title: impl Into<String>, ui: &Ui) -> Chrome {
    Chrome::new(title, None, ui.i18n.clone(), ui.path.clone())
}

/// Renders a template as an HTML response.
pub fn render(template: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    let mut body = String::with_capacity(48 * 1024);
    template.render_into(&mut body).map_err(render_failed)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// Renders part of a page to be kept (see [`views::Fragment`]).
pub fn fragment(template: &impl Template) -> Result<Fragment, PageError> {
    Fragment::render(template).map_err(render_failed)
}

pub(crate) fn render_failed(e: views::RenderError) -> PageError {
    tracing::error!(error = %e, "template rendering failed");
    PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.")
}

/// Marks a page that shows a secret: never stored, never compressed
/// (see [`crate::http::caching`]).
pub fn no_store(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// An instrument's names in every language (`search-index/data/names.json`),
/// for the instrument picker's typeahead: the same aliases search expands.
pub fn instrument_aliases(id: &str) -> Vec<String> {
    search_index::instrument_names(id)
        .into_iter()
        .map(|(_, name)| name)
        .collect()
}

/// A 303 to `to`, a path this server built. A value that cannot be a
/// header (it never should be) goes home rather than failing with a 500.
pub fn redirect(to: &str) -> HttpResponse {
    let location = actix_web::http::header::HeaderValue::from_str(to)
        .unwrap_or_else(|_| actix_web::http::header::HeaderValue::from_static("/"));
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    /// Catalogue key of the message, when there is one.
    key: Option<String>,
    message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        PageError {
            status,
            key: None,
            message: message.into(),
        }
    }

    /// An error whose message is the catalogue entry `key`.
    pub fn keyed(status: StatusCode, key: &str) -> Self {
        PageError {
            status,
            key: Some(key.to_owned()),
            message: String::new(),
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
        match err.status {
            StatusCode::NOT_FOUND => PageError::keyed(err.status, "error-not_found"),
            s if s.is_server_error() => PageError::keyed(err.status, "error-internal"),
            _ => PageError::new(err.status, err.localized_message(crate::i18n::current())),
        }
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
        let i18n = views::I18n::new(crate::i18n::current());
        let message = match &self.key {
            Some(key) => i18n.t(key),
            None => self.message.clone(),
        };
        let page = ErrorPage {
            chrome: Chrome::new(i18n.t("error-page-title"), None, i18n, "/"),
            status: self.status.as_u16(),
            message,
        };
        match page.render() {
            Ok(body) => HttpResponse::build(self.status)
                .content_type("text/html; charset=utf-8")
                .body(body),
            Err(_) => HttpResponse::build(self.status).body(self.message.clone()),
        }
    }
}

/// The message for a form error in the reader's language, naming the
/// field by its label and saying why: from the error's [`Reason`] or its
/// code; the domain's own (English) message only for English readers when
/// neither says more.
pub fn form_error(err: &CoreError, ui: &Ui) -> String {
    let i18n = &ui.i18n;
    if let Some(field) = err.field() {
        let input = views::input_of_field(field);
        let label_key = format!("field-{}", input.replace('_', "-"));
        let label = i18n
            .try_t(&label_key)
            .unwrap_or_else(|| input.replace('_', " "));
        let why = match err.reason() {
            Reason::Empty => Some(i18n.t("reason-empty")),
            Reason::TooShort { min } => Some(i18n.t1("reason-too-short", "min", &min.to_string())),
            Reason::TooLong { max } => Some(i18n.t1("reason-too-long", "max", &max.to_string())),
            Reason::SingleLine => Some(i18n.t("reason-single-line")),
            Reason::Date => Some(i18n.t("reason-date")),
            Reason::TooMany { max } => Some(i18n.t1("reason-too-many", "max", &max.to_string())),
            Reason::UnknownCode => Some(i18n.t("reason-unknown-code")),
            Reason::Other if err.code() != forum_core::error::ErrorCode::InvalidField => {
                i18n.try_t(&format!("error-{}", err.code()))
            }
            Reason::Other if i18n.lang == views::Lang::En => Some(err.public_message()),
            Reason::Other => None,
        };
        return match why {
            Some(why) => i18n.t_with("field-refused", &[("field", &label), ("reason", &why)]),
            None => i18n.t1("error-invalid_field", "field", &label),
        };
    }
    let code = format!("error-{}", err.code());
    i18n.try_t(&code)
        .filter(|_| i18n.lang != views::Lang::En)
        .unwrap_or_else(|| err.public_message())
}

/// Whether a core error is the user's to fix (re-render the form) rather
/// than a failure to show as an error page.
pub fn is_form_error(err: &CoreError) -> bool {
    let status = status_of(err.kind());
    status.is_client_error() && status != StatusCode::NOT_FOUND
}

/// A secret shown once after a POST (an invitation or reset link):
/// post/redirect/get carries it to the page in a short-lived cookie,
/// scoped to the page that shows it, which that page clears as it reads
/// it. A reload then neither repeats the action nor shows the link again.
pub mod shown_once {
    use actix_web::cookie::{Cookie, SameSite, time::Duration};
    use actix_web::{HttpRequest, HttpResponse};

    const NAME: &str = "comity_shown_once";

    /// A 303 to `to` carrying `value` for the page at `path`.
    pub fn redirect_with(to: &str, path: &str, value: &str, secure: bool) -> HttpResponse {
        let mut response = super::redirect(to);
        let cookie = Cookie::build(NAME, value.to_owned())
            .path(path.to_owned())
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .max_age(Duration::minutes(5))
            .finish();
        let _ = response.add_cookie(&cookie);
        response
    }

    /// The value carried to this page, if any.
    pub fn read(req: &HttpRequest) -> Option<String> {
        req.cookie(NAME)
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Clears the value on `response` (the page showing it), which is
    /// then neither stored nor compressed.
    pub fn clear(response: &mut HttpResponse, path: &str) {
        let mut cookie = Cookie::build(NAME, "").path(path.to_owned()).finish();
        cookie.make_removal();
        let _ = response.add_cookie(&cookie);
        response.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("no-store"),
        );
    }
}
