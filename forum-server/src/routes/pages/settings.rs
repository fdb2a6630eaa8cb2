//! Account settings: live sessions (sign one or all others out), the
//! password change and the second factor (enrol, recovery codes, turn off).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::features::notifications::email::{DigestFrequency, ImmediateMail};
use forum_core::{SessionId, UserId};
use serde::Deserialize;
use views::{
    EmailForm, QrSvg, RecoveryCodesPage, SessionItem, SettingsPage, TotpSetupPage, UnsubscribePage,
    When,
};

use super::{PageError, anonymous_chrome, chrome, form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/settings", web::get().to(settings))
        .route(
            "/settings/sessions/revoke-others",
            web::post().to(revoke_others),
        )
        .route("/settings/sessions/{id}/revoke", web::post().to(revoke_one))
        .route("/settings/password", web::post().to(change_password))
        .route("/settings/totp/begin", web::post().to(begin_totp))
        .route("/settings/totp/confirm", web::post().to(confirm_totp))
        .route("/settings/totp/disable", web::post().to(disable_totp))
        .route("/settings/email", web::post().to(set_email))
        .route("/settings/profile", web::post().to(set_profile))
        .route("/settings/feeds/revoke", web::post().to(revoke_feeds))
        .route("/email/unsubscribe", web::get().to(unsubscribe_form))
        .route("/email/unsubscribe", web::post().to(unsubscribe));
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
    let user_id = viewer.id;
    let v = viewer.clone();
    let (sessions, totp_enabled, email, address, profile, categories) = state
        .run(move |db| {
            Ok((
                db.live_sessions(user_id)?,
                db.totp_enabled(user_id)?,
                db.email_preferences(user_id)?,
                db.user(user_id)?.email,
                db.expert_profile(&v, user_id)?,
                db.categories(&v)?,
            ))
        })
        .await?;
    let feed_base = format!(
        "{}/feeds/{}",
        state.links.base().trim_end_matches('/'),
        state.feed_key.token(&viewer)
    );
    let i18n = &ui.i18n;
    let email = EmailForm {
        address,
        enabled: state.settings.email.smtp_host.is_some(),
        immediate: ImmediateMail::ALL
            .iter()
            .map(|v| {
                let label = i18n.t(&format!("email-immediate-{}", v.as_str()));
                (v.as_str().to_owned(), label, *v == email.immediate)
            })
            .collect(),
        digest: DigestFrequency::ALL
            .iter()
            .map(|v| {
                let label = i18n.t(&format!("email-digest-{}", v.as_str()));
                (v.as_str().to_owned(), label, *v == email.digest)
            })
            .collect(),
    };
    let SettingsErrors {
        password: password_error,
        totp: totp_error,
        profile: profile_error,
    } = errors;
    let profile = views::ProfileForm {
        organisation: profile.organisation,
        languages: profile.languages.join(", "),
        jurisdictions: profile.expertise_jurisdictions.join(", "),
        crime_areas: views::crime_area_options(&profile.crime_areas, i18n),
        instruments: forum_core::domain::instruments::all()
            .iter()
            .map(|x| views::PickOption {
                value: x.id.clone(),
                label: format!("{} ({})", x.short_name, x.year),
                selected: profile.instruments.contains(&x.id),
                search: String::new(),
            })
            .collect(),
        bio: profile.bio,
        visibility: forum_core::domain::DirectoryVisibility::ALL
            .iter()
            .map(|v| {
                let label = i18n.t(&format!("profile-visibility-{}", v.as_str()));
                (
                    v.as_str().to_owned(),
                    label,
                    *v == profile.directory_visibility,
                )
            })
            .collect(),
        routing_paused: profile.routing_paused,
        error: profile_error,
    };
    let mut chrome = chrome(ui.i18n.t("settings"), &viewer, ui);
    chrome.flash = flash;
    let status = if password_error.is_some() || totp_error.is_some() || profile.error.is_some() {
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
                    id: s.id.into(),
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
            email,
            profile,
            feeds: categories
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        format!("{feed_base}/category/{}.atom", c.slug),
                    )
                })
                .collect(),
            feed_base,
            export_url: "/api/v1/me/export".to_owned(),
        },
        status,
    )
}

/// Form errors to show on the settings page.
#[derive(Default)]
struct SettingsErrors {
    password: Option<String>,
    totp: Option<String>,
    profile: Option<String>,
}

async fn begin_totp(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let user_id = member.0.id;
    let enrolment = state.run(move |db| db.begin_totp(user_id)).await?;
    totp_setup_page(&ui, &member.0, enrolment, None, StatusCode::OK)
}

fn totp_setup_page(
    ui: &Ui,
    viewer: &forum_core::Viewer,
    enrolment: forum_core::features::accounts::second_factor::TotpEnrolment,
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
    .map(super::no_store)
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
    let (user_id, session_id) = (viewer.id, viewer.session_id);
    let code = form.into_inner().code;
    match state
        .run(move |db| db.confirm_totp(user_id, session_id, &code))
        .await
    {
        Ok(codes) => render(
            &RecoveryCodesPage {
                chrome: chrome(ui.i18n.t("totp-recovery-title"), &viewer, &ui),
                codes,
            },
            StatusCode::OK,
        )
        .map(super::no_store),
        Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
            match state.run(move |db| db.pending_totp(user_id)).await? {
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
    let user_id = member.0.id;
    let f = form.into_inner();
    match state
        .run(move |db| db.disable_totp(user_id, &f.password, &f.code))
        .await
    {
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
        Some(
            done @ ("password" | "others" | "one" | "totp-off" | "email" | "profile" | "feeds"),
        ) => Some(ui.i18n.t(&format!("done-{done}"))),
        _ => None,
    };
    settings_page(&state, &ui, member.0, flash, SettingsErrors::default()).await
}

async fn revoke_one(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<SessionId>,
) -> Result<HttpResponse, PageError> {
    let user_id = member.0.id;
    let session_id = path.into_inner();
    state
        .run(move |db| db.revoke_own_session(user_id, session_id))
        .await?;
    Ok(redirect("/settings?done=one"))
}

async fn revoke_others(
    state: web::Data<AppState>,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let (user_id, keep) = (member.0.id, member.0.session_id);
    state
        .run(move |db| db.revoke_other_sessions(user_id, keep))
        .await?;
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
    let (user_id, keep) = (viewer.id, viewer.session_id);
    let result = state
        .try_run(move |db| db.change_password(user_id, keep, &f.current_password, &f.new_password))
        .await?;
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

#[derive(Deserialize)]
struct EmailFields {
    immediate: String,
    digest: String,
}

async fn set_email(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<EmailFields>,
) -> Result<HttpResponse, PageError> {
    let f = form.into_inner();
    let bad = |e: forum_core::CoreError| {
        PageError::new(StatusCode::UNPROCESSABLE_ENTITY, form_error(&e, &ui))
    };
    let immediate = ImmediateMail::parse(&f.immediate).map_err(bad)?;
    let digest = DigestFrequency::parse(&f.digest).map_err(bad)?;
    let user = member.0.id;
    state
        .run(move |db| db.set_email_preferences(user, Some(immediate), Some(digest)))
        .await?;
    Ok(redirect("/settings?done=email#email"))
}

/// The expert-profile form: lists typed comma-separated, checkboxes sent
/// once per ticked value.
async fn set_profile(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let many = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| {
                v.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let (organisation, bio, visibility) =
        (one("organisation"), one("bio"), one("directory_visibility"));
    let (languages, jurisdictions, areas, instruments) = (
        many("languages"),
        many("expertise_jurisdictions"),
        many("crime_areas"),
        many("instruments"),
    );
    let paused = one("routing_paused") == "true";
    let v = viewer.clone();
    let result = state
        .try_run(move |db| {
            db.update_profile(
                &v,
                &forum_core::features::network::ProfileUpdate {
                    display_name: None,
                    organisation: Some(&organisation),
                    languages: Some(&languages),
                    crime_areas: Some(&areas),
                    instruments: Some(&instruments),
                    expertise_jurisdictions: Some(&jurisdictions),
                    bio: Some(&bio),
                    directory_visibility: Some(visibility.as_str()).filter(|v| !v.is_empty()),
                    routing_paused: Some(paused),
                },
            )
        })
        .await?;
    match result {
        Ok(_) => Ok(redirect("/settings?done=profile#profile")),
        Err(err) if super::is_form_error(&err) => {
            let errors = SettingsErrors {
                profile: Some(form_error(&err, &ui)),
                ..SettingsErrors::default()
            };
            settings_page(&state, &ui, viewer, None, errors).await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// RFC 8058 one-click requests post `List-Unsubscribe=One-Click` to the
/// link itself (token in the query); the page's button posts the token.
#[derive(Deserialize)]
struct UnsubscribeFields {
    token: Option<String>,
}

/// The member an unsubscribe token names, or a 400 page.
fn unsubscribe_target(state: &AppState, ui: &Ui, token: Option<&str>) -> Result<UserId, PageError> {
    token
        .and_then(|t| state.jwt.verify_unsubscribe(t))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, ui.i18n.t("unsubscribe-invalid")))
}

/// The link in every e-mail: no sign-in needed. It only asks, so a mail
/// scanner that follows links changes nothing; the button does it.
async fn unsubscribe_form(
    state: web::Data<AppState>,
    ui: Ui,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let token = query.into_inner().token;
    unsubscribe_target(&state, &ui, token.as_deref())?;
    render(
        &UnsubscribePage {
            chrome: anonymous_chrome(ui.i18n.t("unsubscribe-title"), &ui),
            token: token.unwrap_or_default(),
            done: false,
        },
        StatusCode::OK,
    )
}

async fn unsubscribe(
    state: web::Data<AppState>,
    ui: Ui,
    query: web::Query<TokenQuery>,
    form: web::Form<UnsubscribeFields>,
) -> Result<HttpResponse, PageError> {
    let token = form.into_inner().token.or(query.into_inner().token);
    let user = unsubscribe_target(&state, &ui, token.as_deref())?;
    state.run(move |db| db.unsubscribe_email(user)).await?;
    tracing::info!(
        user = user.get(),
        "e-mail turned off through an unsubscribe link"
    );
    render(
        &UnsubscribePage {
            chrome: anonymous_chrome(ui.i18n.t("unsubscribe-title"), &ui),
            token: String::new(),
            done: true,
        },
        StatusCode::OK,
    )
}

async fn revoke_feeds(
    state: web::Data<AppState>,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.run(move |db| db.revoke_feed_links(&viewer)).await?;
    Ok(redirect("/settings?done=feeds#feeds"))
}
