//! Account settings: live sessions (sign one or all others out) and the
//! password change.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use views::{SessionItem, SettingsPage, When};

use super::{PageError, chrome, form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::routes::block;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/settings", web::get().to(settings))
        .route(
            "/settings/sessions/revoke-others",
            web::post().to(revoke_others),
        )
        .route("/settings/sessions/{id}/revoke", web::post().to(revoke_one))
        .route("/settings/password", web::post().to(change_password));
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn settings_page(
    state: &AppState,
    ui: &Ui,
    viewer: forum_core::Viewer,
    flash: Option<String>,
    password_error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let user_id = viewer.id;
    let sessions = block(move || db.live_sessions(user_id)).await?;
    let mut chrome = chrome(ui.i18n.t("settings"), &viewer, ui);
    chrome.flash = flash;
    let status = if password_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &SettingsPage {
            chrome,
            sessions: sessions
                .into_iter()
                .map(|s| SessionItem {
                    id: s.id,
                    current: s.id == viewer.session_id,
                    user_agent: s.user_agent,
                    started: When::of(s.created_at, &ui.i18n),
                    last_seen: When::of(s.last_seen_at, &ui.i18n),
                })
                .collect(),
            password_error,
        },
        status,
    )
}

async fn settings(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let flash = match query.done.as_deref() {
        Some(done @ ("password" | "others" | "one")) => Some(ui.i18n.t(&format!("done-{done}"))),
        _ => None,
    };
    settings_page(&state, &ui, member.0, flash, None).await
}

async fn revoke_one(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let user_id = member.0.id;
    let session_id = path.into_inner();
    block(move || db.revoke_own_session(user_id, session_id)).await?;
    Ok(redirect("/settings?done=one"))
}

async fn revoke_others(
    state: web::Data<AppState>,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let (user_id, keep) = (member.0.id, member.0.session_id);
    block(move || db.revoke_other_sessions(user_id, keep)).await?;
    Ok(redirect("/settings?done=others"))
}

#[derive(Deserialize)]
struct PasswordFields {
    current_password: String,
    new_password: String,
}

async fn change_password(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<PasswordFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let f = form.into_inner();
    let db = state.db.clone();
    let (user_id, keep) = (viewer.id, viewer.session_id);
    let result =
        web::block(move || db.change_password(user_id, keep, &f.current_password, &f.new_password))
            .await
            .map_err(crate::error::ApiError::from)?;
    match result {
        Ok(_) => Ok(redirect("/settings?done=password")),
        Err(err) if err.field().is_some() => {
            let message = form_error(&err, &ui);
            settings_page(&state, &ui, viewer, None, Some(message)).await
        }
        Err(err) => Err(err.into()),
    }
}
