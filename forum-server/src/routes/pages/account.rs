//! Sign in, sign out, registration and profiles.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use forum_core::UserId;
use forum_core::domain::Profession;
use forum_core::error::ErrorCode;
use forum_core::features::accounts::Registration;
use serde::Deserialize;
use views::{
    AdminTools, I18n, LoginPage, ProfilePage, RegisterForm, RegisterPage, ResetPage, ThreadRow,
    When,
};

use super::{PageError, anonymous_chrome, chrome, form_error, is_form_error, redirect, render};
use crate::auth::{self, ACCESS_COOKIE, MaybeMember, PageMember, REFRESH_COOKIE};
use crate::i18n::Ui;
use crate::routes::api::auth::open_session;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/register", web::get().to(register_form))
        .route("/register", web::post().to(register))
        .route("/u/{username}", web::get().to(profile))
        .route("/u/{username}/end-sessions", web::post().to(end_sessions))
        .route("/u/{username}/reset-link", web::post().to(reset_link))
        .route("/reset", web::get().to(reset_form))
        .route("/reset", web::post().to(reset));
}

/// Only paths on this site are followed after a form (no open redirect):
/// decided by [`forum_core::domain::ReturnPath`], as a browser resolves it.
pub fn safe_next(next: Option<&str>) -> String {
    forum_core::domain::ReturnPath::parse(next).into_string()
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

async fn login_form(
    ui: Ui,
    member: MaybeMember,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref());
    if member.0.is_some() {
        return Ok(redirect(&next));
    }
    let mut chrome = anonymous_chrome(ui.i18n.t("sign-in"), &ui);
    if query.done.as_deref() == Some("reset") {
        chrome.flash = Some(ui.i18n.t("done-reset"));
    }
    render(
        &LoginPage {
            chrome,
            next,
            username: String::new(),
            error: None,
        },
        StatusCode::OK,
    )
}

/// Sets the session cookies of a member who just signed in and sends them
/// on to `location`.
fn signed_in(
    state: &AppState,
    user_id: UserId,
    session: forum_core::features::accounts::IssuedSession,
    location: &str,
) -> Result<HttpResponse, PageError> {
    let token = state.jwt.issue(user_id, session.session_id)?;
    Ok(HttpResponse::SeeOther()
        .cookie(auth::access_cookie(state, token))
        .cookie(auth::refresh_cookie(state, session.refresh_token))
        .insert_header((actix_web::http::header::LOCATION, location.to_owned()))
        .finish())
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    totp_code: Option<String>,
    next: Option<String>,
}

async fn login(
    ui: Ui,
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    match open_session(
        &state,
        &req,
        form.username.clone(),
        form.password,
        form.totp_code.filter(|c| !c.trim().is_empty()),
    )
    .await
    {
        Ok((user, session)) => {
            tracing::info!(
                user_id = user.id.get(),
                session_id = session.session_id.get(),
                "login"
            );
            signed_in(&state, user.id, session, &next)
        }
        Err(err) if err.status.is_client_error() => render(
            &LoginPage {
                chrome: anonymous_chrome(ui.i18n.t("sign-in"), &ui),
                next,
                username: form.username,
                error: Some(err.localized_message(ui.i18n.lang)),
            },
            err.status,
        ),
        Err(err) => Err(err.into()),
    }
}

async fn logout(
    state: web::Data<AppState>,
    member: MaybeMember,
) -> Result<HttpResponse, PageError> {
    if let Some(identity) = member.0 {
        let session_id = identity.viewer.session_id;
        state.run(move |db| db.revoke_session(session_id)).await?;
    }
    Ok(HttpResponse::SeeOther()
        .cookie(auth::expired_cookie(&state, ACCESS_COOKIE))
        .cookie(auth::expired_cookie(&state, REFRESH_COOKIE))
        .insert_header((actix_web::http::header::LOCATION, "/login"))
        .finish())
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn professions(i18n: &I18n) -> Vec<(&'static str, String)> {
    Profession::ALL
        .iter()
        .map(|p| (p.as_str(), i18n.t(&format!("profession-{}", p.as_str()))))
        .collect()
}

async fn register_form(
    ui: Ui,
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let token = query.into_inner().token.unwrap_or_default();
    let lookup = token.clone();
    let invitation = state
        .run(move |db| db.pending_invitation(&lookup))
        .await
        .map_err(|e| PageError::new(StatusCode::BAD_REQUEST, e.localized_message(ui.i18n.lang)))?;
    render(
        &RegisterPage {
            chrome: anonymous_chrome(ui.i18n.t("join"), &ui),
            form: RegisterForm {
                token,
                email: invitation.email,
                profession: Profession::Prosecutor.to_string(),
                ..Default::default()
            },
            professions: professions(&ui.i18n),
            countries: views::country_options(&ui.i18n),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct RegisterFields {
    invitation_token: String,
    username: String,
    display_name: String,
    password: String,
    country: String,
    profession: String,
}

async fn register(
    ui: Ui,
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<RegisterFields>,
) -> Result<HttpResponse, PageError> {
    state
        .limits
        .check_register(state.limits.client_ip(&req))
        .await?;
    let f = form.into_inner();
    let db = state.db.clone();
    let token = f.invitation_token.clone();
    let (username, display_name, password, country, profession) = (
        f.username.clone(),
        f.display_name.clone(),
        f.password.clone(),
        f.country.clone(),
        f.profession.clone(),
    );
    let result = crate::http::head::blocking(move || {
        let email = db
            .pending_invitation(&token)
            .map(|i| i.email)
            .unwrap_or_default();
        let user = db.register(&Registration {
            invitation_token: &token,
            username: &username,
            display_name: &display_name,
            password: &password,
            country: &country,
            profession: &profession,
        });
        (email, user)
    })
    .await
    .map_err(crate::error::ApiError::from)?;
    match result {
        (_, Ok(_user)) => {
            let (user, session) = open_session(&state, &req, f.username, f.password, None).await?;
            signed_in(&state, user.id, session, "/")
        }
        (email, Err(err)) if is_form_error(&err) => render(
            &RegisterPage {
                chrome: anonymous_chrome(ui.i18n.t("join"), &ui),
                form: RegisterForm {
                    token: f.invitation_token,
                    email,
                    username: f.username,
                    display_name: f.display_name,
                    country: f.country,
                    profession: f.profession,
                    error: Some(form_error(&err, &ui)),
                    error_field: err
                        .field()
                        .or_else(|| {
                            (err.code() == forum_core::error::ErrorCode::UsernameTaken)
                                .then_some("username")
                        })
                        .map(str::to_owned),
                },
                professions: professions(&ui.i18n),
                countries: views::country_options(&ui.i18n),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (_, Err(err)) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct ProfileQuery {
    done: Option<String>,
}

async fn profile(
    ui: Ui,
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<String>,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, PageError> {
    let notice =
        (query.done.as_deref() == Some("sessions-ended")).then(|| ui.i18n.t("done-sessions-ended"));
    profile_page(&ui, &state, member.0, path.into_inner(), notice, None).await
}

async fn profile_page(
    ui: &Ui,
    state: &AppState,
    viewer: forum_core::Viewer,
    name: String,
    notice: Option<String>,
    reset_url: Option<String>,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let (user, threads, expert, contributions) = state
        .run(move |db| {
            let user = db.user_by_username(&name)?;
            let threads = db.threads_by_author(&v, user.id)?;
            let expert = db.expert_profile(&v, user.id).ok();
            let contributions = db.contributions(&v, user.id)?;
            Ok((user, threads, expert, contributions))
        })
        .await?;
    let admin_tools = (forum_core::access::can_manage_users(&viewer) && user.id != viewer.id)
        .then_some(AdminTools { reset_url, notice });
    render(
        &ProfilePage {
            chrome: chrome(user.display_name.clone(), &viewer, ui),
            username: user.username,
            display_name: user.display_name,
            role: ui.i18n.t(&format!("role-{}", user.role)),
            country: ui.i18n.country(&user.country),
            profession: ui.i18n.t(&format!("profession-{}", user.profession)),
            joined: When::of(user.created_at, &ui.i18n),
            threads: threads
                .iter()
                .map(|t| ThreadRow::new(t, &ui.i18n))
                .collect(),
            admin_tools,
            expertise: expert.map(|e| views::ExpertCard::new(&e, &ui.i18n)),
            contributions: (
                contributions.analyses,
                contributions.endorsements_received,
                contributions.answers_accepted,
            ),
        },
        StatusCode::OK,
    )
}

async fn end_sessions(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = path.into_inner();
    let by = member.0;
    let target = name.clone();
    state
        .run(move |db| {
            let user = db.user_by_username(&target)?;
            db.end_sessions_of(&by, user.id)
        })
        .await?;
    Ok(redirect(&format!("/u/{name}?done=sessions-ended")))
}

async fn reset_link(
    ui: Ui,
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = path.into_inner();
    let by = member.0.clone();
    let target = name.clone();
    let issued = state
        .run(move |db| {
            let user = db.user_by_username(&target)?;
            db.issue_password_reset(
                &by,
                user.id,
                chrono::Duration::hours(crate::routes::api::users::RESET_LINK_HOURS),
            )
        })
        .await?;
    let url = state.links.password_reset(&issued.token);
    profile_page(&ui, &state, member.0, name, None, Some(url)).await
}

#[derive(Deserialize)]
struct ResetQuery {
    token: Option<String>,
}

async fn reset_form(
    ui: Ui,
    state: web::Data<AppState>,
    query: web::Query<ResetQuery>,
) -> Result<HttpResponse, PageError> {
    let token = query.into_inner().token.unwrap_or_default();
    let t = token.clone();
    let user = state.run(move |db| db.password_reset_user(&t)).await?;
    render(
        &ResetPage {
            chrome: anonymous_chrome(ui.i18n.t("reset-title"), &ui),
            token,
            username: user.username,
            error: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct ResetFields {
    token: String,
    new_password: String,
}

async fn reset(
    ui: Ui,
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<ResetFields>,
) -> Result<HttpResponse, PageError> {
    state
        .limits
        .check_register(state.limits.client_ip(&req))
        .await?;
    let f = form.into_inner();
    let (token, password) = (f.token.clone(), f.new_password);
    match state
        .run(move |db| db.reset_password(&token, &password))
        .await
    {
        Ok(_) => Ok(redirect("/login?done=reset")),
        Err(err) if err.code == ErrorCode::ResetLinkInvalid => Err(err.into()),
        Err(err) if err.status.is_client_error() => {
            let t = f.token.clone();
            let user = state.run(move |db| db.password_reset_user(&t)).await?;
            render(
                &ResetPage {
                    chrome: anonymous_chrome(ui.i18n.t("reset-title"), &ui),
                    token: f.token,
                    username: user.username,
                    error: Some(err.localized_message(ui.i18n.lang)),
                },
                err.status,
            )
        }
        Err(err) => Err(err.into()),
    }
}
