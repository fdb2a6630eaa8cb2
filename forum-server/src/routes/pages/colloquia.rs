//! Colloquia's pages: the list with the organisers' form, one colloquium
//! with its conclusions, and the forms that change it (all without
//! JavaScript).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use forum_core::features::network::ColloquiumInput;
use forum_core::{CategoryId, ColloquiumId, CoreError, UserId, Viewer, access};
use views::{ColloquiaPage, ColloquiumForm, ColloquiumPage, ColloquiumRow};

use super::{PageError, chrome, form_error, is_form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/colloquia", web::get().to(list))
        .route("/colloquia", web::post().to(create))
        .route("/colloquia/{id}", web::get().to(show))
        .route("/colloquia/{id}/calendar.ics", web::get().to(calendar))
        .route(
            "/colloquia/{id}/conclusions",
            web::post().to(write_conclusions),
        )
        .route("/colloquia/{id}/publish", web::post().to(publish))
        .route("/colloquia/{id}/endorse", web::post().to(endorse))
        .route(
            "/colloquia/{id}/participants",
            web::post().to(add_participants),
        )
        .route("/colloquia/{id}/guests", web::post().to(invite_guest));
}

/// The first value of `name` in an urlencoded body.
fn field(raw: &[u8], name: &str) -> String {
    url::form_urlencoded::parse(raw)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A `datetime-local` value (UTC, as the form says), or 422 on `name`.
fn local_time(name: &'static str, raw: &str) -> Result<NaiveDateTime, CoreError> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| CoreError::invalid(name, "a date and time"))
}

/// The members named by comma-separated usernames, or 422 on `name`.
fn members_named(
    db: &forum_core::Db,
    name: &'static str,
    raw: &str,
) -> Result<Vec<UserId>, CoreError> {
    raw.split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| {
            db.user_by_username(u)
                .map(|user| user.id)
                .map_err(|_| CoreError::invalid(name, format!("unknown member: {u}")))
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    form: ColloquiumForm,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let (colloquia, categories) = state
        .run(move |db| Ok((db.colloquia(&v)?, db.categories(&v)?)))
        .await?;
    let selected = form.publish_category_id;
    render(
        &ColloquiaPage {
            chrome: chrome(ui.i18n.t("colloquia-title"), &viewer, ui),
            rows: colloquia
                .iter()
                .map(|c| ColloquiumRow::new(c, &ui.i18n))
                .collect(),
            can_organise: access::can_organise_colloquia(&viewer),
            categories: categories
                .iter()
                .filter(|c| c.restricted_to_groups.is_empty())
                .map(|c| (c.id, c.name.clone(), Some(c.id) == selected))
                .collect(),
            form,
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
        ColloquiumForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn create(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.limits.check_post(&viewer).await?;
    let form = ColloquiumForm {
        title: field(&body, "title"),
        agenda: field(&body, "agenda"),
        opens_at: field(&body, "opens_at"),
        closes_at: field(&body, "closes_at"),
        participants: field(&body, "participants"),
        publish_category_id: field(&body, "publish_category_id")
            .parse::<i64>()
            .ok()
            .map(CategoryId::from),
    };
    let v = viewer.clone();
    let f = form.clone();
    let result = state
        .try_run(move |db| {
            let participants = members_named(db, "participants", &f.participants)?;
            let publish_category_id = f
                .publish_category_id
                .ok_or_else(|| CoreError::invalid("publish_category_id", "choose a category"))?;
            db.create_colloquium(
                &v,
                &ColloquiumInput {
                    title: &f.title,
                    agenda: &f.agenda,
                    opens_at: local_time("opens_at", &f.opens_at)?,
                    closes_at: local_time("closes_at", &f.closes_at)?,
                    participants: &participants,
                    publish_category_id,
                },
            )
        })
        .await?;
    match result {
        Ok(c) => Ok(redirect(&format!("/colloquia/{}", c.id))),
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
    id: ColloquiumId,
    invitation_url: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let c = state.run(move |db| db.colloquium(&v, id)).await?;
    let reads = c.reads_discussion;
    let mut page = ColloquiumPage::new(
        chrome(c.title.clone(), &viewer, ui),
        &c,
        reads,
        access::can_organise_colloquia(&viewer),
        viewer.id,
    );
    page.invitation_url = invitation_url;
    page.error = error;
    render(&page, status)
}

async fn show(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ColloquiumId>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    // An invitation link issued a moment ago, shown once.
    let invitation = super::shown_once::read(&req);
    let shown = invitation.is_some();
    let mut response = page(&state, &ui, member.0, id, invitation, None, StatusCode::OK).await?;
    if shown {
        super::shown_once::clear(&mut response, &format!("/colloquia/{id}"));
    }
    Ok(response)
}

async fn calendar(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let c = state.run(move |db| db.colloquium(&viewer, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"colloquium-{}.ics\"", c.id),
        ))
        .body(crate::routes::api::colloquia::calendar_of(
            &c,
            state.links.base(),
        )))
}

/// Runs a change to colloquium `id` from a form: back to its page, or the
/// page again with the refusal.
async fn change(
    state: web::Data<AppState>,
    ui: Ui,
    viewer: Viewer,
    id: ColloquiumId,
    act: impl FnOnce(&forum_core::Db, &Viewer) -> forum_core::Result<Option<String>> + Send + 'static,
) -> Result<HttpResponse, PageError> {
    state.limits.check_post(&viewer).await?;
    let v = viewer.clone();
    let result = state.try_run(move |db| act(db, &v)).await?;
    match result {
        Ok(None) => Ok(redirect(&format!("/colloquia/{id}"))),
        // Only its hash is kept: the link travels to the page once.
        Ok(Some(invitation)) => Ok(super::shown_once::redirect_with(
            &format!("/colloquia/{id}"),
            &format!("/colloquia/{id}"),
            &invitation,
            state.settings.secure_cookies(),
        )),
        Err(err) if is_form_error(&err) => {
            let message = form_error(&err, &ui);
            let status = crate::error::status_of(err.kind());
            page(&state, &ui, viewer, id, None, Some(message), status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn write_conclusions(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ColloquiumId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (text, note) = (field(&body, "body"), field(&body, "note"));
    change(state, ui, member.0, id, move |db, v| {
        db.write_conclusions(v, id, &text, &note).map(|_| None)
    })
    .await
}

async fn publish(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    change(state, ui, member.0, id, move |db, v| {
        db.publish_conclusions(v, id).map(|_| None)
    })
    .await
}

async fn endorse(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    change(state, ui, member.0, id, move |db, v| {
        db.endorse_conclusions(v, id).map(|_| None)
    })
    .await
}

async fn add_participants(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ColloquiumId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let names = field(&body, "participants");
    change(state, ui, member.0, id, move |db, v| {
        let members = members_named(db, "user_ids", &names)?;
        db.add_colloquium_participants(v, id, &members)
            .map(|_| None)
    })
    .await
}

async fn invite_guest(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ColloquiumId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let email = field(&body, "email");
    let links = state.links.clone();
    change(state, ui, member.0, id, move |db, v| {
        db.invite_colloquium_guest(v, id, &email)
            .map(|issued| Some(links.invitation(&issued.token)))
    })
    .await
}
