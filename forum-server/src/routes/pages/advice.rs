//! Advice requests' pages: the list with the form to file one, one
//! request with its steps, and the office's forms (all without
//! JavaScript). The case itself, its files and the advice are the
//! request's thread (`/t/{id}`), `RED` for the requester and the office.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use forum_core::features::network::{AdviceInput, AdviceOffice};
use forum_core::{CoreError, ThreadId, UserId, Viewer, access};
use views::{AdviceListPage, AdviceRequestPage, AdviceRow};

use super::{PageError, chrome, form_error, is_form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/advice", web::get().to(list))
        .route("/advice", web::post().to(file))
        .route("/advice/{id}", web::get().to(show))
        .route("/advice/{id}/assign", web::post().to(assign))
        .route("/advice/{id}/notes", web::post().to(note))
        .route("/advice/{id}/advice", web::post().to(give))
        .route("/advice/{id}/consent", web::post().to(consent))
        .route("/advice/{id}/close", web::post().to(close));
}

fn fields(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field(raw: &[u8], name: &str) -> String {
    fields(raw)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// What the filing form holds (kept when refused).
#[derive(Debug, Clone, Default)]
struct Filing {
    category_id: Option<forum_core::CategoryId>,
    title: String,
    body: String,
    jurisdictions: Vec<String>,
}

async fn list_page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    form: Filing,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let (requests, categories) = state
        .run(move |db| Ok((db.advice_requests(&v)?, db.categories(&v)?)))
        .await?;
    render(
        &AdviceListPage {
            chrome: chrome(ui.i18n.t("advice-title"), &viewer, ui),
            rows: requests
                .iter()
                .map(|r| AdviceRow::new(r, &ui.i18n))
                .collect(),
            categories: categories
                .iter()
                .map(|c| (c.id, c.name.clone(), Some(c.id) == form.category_id))
                .collect(),
            title: form.title,
            body: form.body,
            jurisdictions: views::jurisdiction_picker(&form.jurisdictions, &ui.i18n),
            can_request: access::can_request_advice(&viewer),
            error,
        },
        status,
    )
}

async fn list(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    list_page(
        &state,
        &ui,
        member.0,
        Filing::default(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn file(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.limits.check_post(&viewer).await?;
    let all = fields(&body);
    let form = Filing {
        category_id: field(&body, "category_id")
            .parse::<i64>()
            .ok()
            .map(Into::into),
        title: field(&body, "title"),
        body: field(&body, "body"),
        jurisdictions: all
            .iter()
            .filter(|(k, _)| k == "jurisdictions")
            .map(|(_, v)| v.trim().to_ascii_uppercase())
            .filter(|v| !v.is_empty())
            .collect(),
    };
    let (group, due_days) = (
        state.settings.advice.group.clone(),
        state.settings.advice.due_days,
    );
    let v = viewer.clone();
    let f = form.clone();
    let result = state
        .try_run(move |db| {
            let category_id = f
                .category_id
                .ok_or_else(|| CoreError::invalid("category_id", "choose a category"))?;
            db.request_advice(
                &v,
                &AdviceInput {
                    category_id,
                    title: &f.title,
                    body: &f.body,
                    jurisdictions: &f.jurisdictions,
                    attachments: &[],
                    language: None,
                    acknowledge_personal_data: None,
                },
                &AdviceOffice {
                    group: &group,
                    due_days,
                },
            )
        })
        .await?;
    match result {
        Ok(r) => Ok(redirect(&format!("/advice/{}", r.thread_id))),
        Err(err) if is_form_error(&err) => {
            let message = form_error(&err, &ui);
            let status = crate::error::status_of(err.kind());
            list_page(&state, &ui, viewer, form, Some(message), status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    id: ThreadId,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let (request, office) = state
        .run(move |db| {
            Ok((
                db.advice_request(&v, id)?,
                db.advice_office_members(&v, id)?,
            ))
        })
        .await?;
    let mut page = AdviceRequestPage::new(
        chrome(request.title.clone(), &viewer, ui),
        &request,
        viewer.id,
        office.into_iter().map(|a| (a.id, a.display_name)).collect(),
    );
    page.error = error;
    render(&page, status)
}

async fn show(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, PageError> {
    page(
        &state,
        &ui,
        member.0,
        path.into_inner(),
        None,
        StatusCode::OK,
    )
    .await
}

/// Runs a change to request `id` from a form: back to its page, or the page
/// again with the refusal.
async fn change(
    state: web::Data<AppState>,
    ui: Ui,
    viewer: Viewer,
    id: ThreadId,
    act: impl FnOnce(&forum_core::Db, &Viewer) -> forum_core::Result<()> + Send + 'static,
) -> Result<HttpResponse, PageError> {
    state.limits.check_post(&viewer).await?;
    let v = viewer.clone();
    match state.try_run(move |db| act(db, &v)).await? {
        Ok(()) => Ok(redirect(&format!("/advice/{id}"))),
        Err(err) if is_form_error(&err) => {
            let message = form_error(&err, &ui);
            let status = crate::error::status_of(err.kind());
            page(&state, &ui, viewer, id, Some(message), status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn assign(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let assignee = field(&body, "assignee_id")
        .parse::<i64>()
        .ok()
        .map(UserId::from);
    let due = field(&body, "due_at");
    change(state, ui, member.0, id, move |db, v| {
        // A due date is the end of that day, UTC.
        let due_at = match due.trim() {
            "" => None,
            d => Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| CoreError::invalid("due_at", "a date"))?
                    .and_hms_opt(23, 59, 0)
                    .unwrap_or_default(),
            ),
        };
        db.assign_advice(v, id, assignee, due_at).map(drop)
    })
    .await
}

async fn note(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let text = field(&body, "body");
    change(state, ui, member.0, id, move |db, v| {
        db.note_advice(v, id, &text).map(drop)
    })
    .await
}

async fn give(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let text = field(&body, "body");
    change(state, ui, member.0, id, move |db, v| {
        db.give_advice(v, id, &text).map(drop)
    })
    .await
}

async fn consent(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let yes = field(&body, "consent") == "true";
    change(state, ui, member.0, id, move |db, v| {
        db.consent_to_publish(v, id, yes).map(drop)
    })
    .await
}

async fn close(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    change(state, ui, member.0, id, move |db, v| {
        db.close_advice(v, id).map(drop)
    })
    .await
}
