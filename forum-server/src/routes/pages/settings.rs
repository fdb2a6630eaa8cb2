//! Account settings: live sessions (sign one or all others out), the
//! password change and the second factor (enrol, recovery codes, turn off).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use views::{QrSvg, RecoveryCodesPage, SessionItem, SettingsPage, TotpSetupPage, When};

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
        .route("/settings/password", web::post().to(change_password))
        .route("/settings/totp/begin", web::post().to(begin_totp))
        .route("/settings/totp/confirm", web::post().to(confirm_totp))
        .route("/settings/totp/disable", web::post().to(disable_totp));
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
    errors: SettingsErrors,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let user_id = viewer.id;
    let (sessions, totp_enabled) =
        block(move || Ok((db.live_sessions(user_id)?, db.totp_enabled(user_id)?))).await?;
    let SettingsErrors {
        password: password_error,
        totp: totp_error,
    } = errors;
    let mut chrome = chrome(ui.i18n.t("settings"), &viewer, ui);
    chrome.flash = flash;
    let status = if password_error.is_some() || totp_error.is_some() {
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
                    last_ip: s.last_ip.unwrap_or_default(),
                    started: When::of(s.created_at, &ui.i18n),
                    last_seen: When::of(s.last_seen_at, &ui.i18n),
                })
                .collect(),
            password_error,
            totp_enabled,
            totp_error,
        },
        status,
    )
}

/// Form errors to show on the settings page.
#[derive(Default)]
struct SettingsErrors {
    password: Option<String>,
    totp: Option<String>,
}

async fn begin_totp(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let user_id = member.0.id;
    let enrolment = block(move || db.begin_totp(user_id)).await?;
    totp_setup_page(&ui, &member.0, enrolment, None, StatusCode::OK)
}

fn totp_setup_page(
    ui: &Ui,
    viewer: &forum_core::Viewer,
    enrolment: forum_core::second_factor::TotpEnrolment,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    render(
        &TotpSetupPage {
            chrome: chrome(ui.i18n.t("totp-setup-title"), viewer, ui),
            qr: QrSvg::of(&enrolment.otpauth_url),
            secret: enrolment.secret,
            error,
        },
        status,
    )
}

#[derive(Deserialize)]
struct TotpForm {
    code: String,
}

async fn confirm_totp(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<TotpForm>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let db = state.db.clone();
    let (user_id, session_id) = (viewer.id, viewer.session_id);
    let code = form.into_inner().code;
    match block(move || db.confirm_totp(user_id, session_id, &code)).await {
        Ok(codes) => render(
            &RecoveryCodesPage {
                chrome: chrome(ui.i18n.t("totp-recovery-title"), &viewer, &ui),
                codes,
            },
            StatusCode::OK,
        ),
        Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let db = state.db.clone();
            match block(move || db.pending_totp(user_id)).await? {
                Some(enrolment) => totp_setup_page(
                    &ui,
                    &viewer,
                    enrolment,
                    Some(err.localized_message(ui.i18n.lang)),
                    err.status,
                ),
                None => Ok(redirect("/settings")),
            }
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct TotpDisableForm {
    password: String,
    code: String,
}

async fn disable_totp(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<TotpDisableForm>,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let user_id = member.0.id;
    let f = form.into_inner();
    match block(move || db.disable_totp(user_id, &f.password, &f.code)).await {
        Ok(()) => Ok(redirect("/settings?done=totp-off")),
        Err(err) if err.status.is_client_error() => {
            let message = err.localized_message(ui.i18n.lang);
            let errors = SettingsErrors {
                totp: Some(message),
                ..SettingsErrors::default()
            };
            settings_page(&state, &ui, member.0, None, errors).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn settings(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let flash = match query.done.as_deref() {
        Some(done @ ("password" | "others" | "one" | "totp-off")) => {
            Some(ui.i18n.t(&format!("done-{done}")))
        }
        _ => None,
    };
    settings_page(&state, &ui, member.0, flash, SettingsErrors::default()).await
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
            let errors = SettingsErrors {
                password: Some(message),
                ..SettingsErrors::default()
            };
            settings_page(&state, &ui, viewer, None, errors).await
        }
        Err(err) => Err(err.into()),
    }
}
