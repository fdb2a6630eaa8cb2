//! Login, refresh, logout, registration and `me`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use forum_core::features::accounts::{IssuedSession, Registration};
use forum_core::store::rows::User;

use super::types::*;
use crate::auth::{self, ACCESS_COOKIE, Member, REFRESH_COOKIE};
use crate::error::ApiError;
use crate::startup::AppState;
use forum_core::store::audit::Entry;

/// The caller's `User-Agent`, recorded with the session.
pub fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Issues an access token for a session and answers with the pair, setting
/// the browser cookies too.
pub async fn token_response(
    state: &AppState,
    user: &User,
    session: IssuedSession,
) -> Result<HttpResponse, ApiError> {
    let IssuedSession {
        session_id,
        refresh_token,
    } = session;
    let access_token = state.jwt.issue(user.id, session_id)?;
    let user_id = user.id;
    let groups = state.run(move |db| db.user_groups(user_id)).await?;
    Ok(HttpResponse::Ok()
        .cookie(auth::access_cookie(state, access_token.clone()))
        .cookie(auth::refresh_cookie(state, refresh_token.clone()))
        .json(TokenPair {
            access_token,
            refresh_token,
            token_type: "Bearer",
            expires_in: state.jwt.ttl_secs,
            user: MeBody::of(user, groups),
        }))
}

/// Verifies credentials and opens a session; shared with the login page.
/// Throttled per address and account (see `limits`).
pub async fn open_session(
    state: &AppState,
    req: &HttpRequest,
    username: String,
    password: String,
    totp_code: Option<String>,
) -> Result<(User, forum_core::features::accounts::IssuedSession), ApiError> {
    let ip = state.limits.client_ip(req);
    state.limits.check_login(&username, ip).await?;
    let user_agent = user_agent(req);
    let account = username.clone();
    let address = ip.to_string();
    let result = state
        .run(move |db| {
            let user = db.authenticate(&account, &password)?;
            let second_factor = db.verify_second_factor(&user, totp_code.as_deref())?;
            let session = db.create_session(user.id, &user_agent, second_factor, Some(&address))?;
            Ok((user, session))
        })
        .await;
    match &result {
        Ok(_) => state.limits.login_succeeded(&username, ip).await,
        Err(e) if e.status == StatusCode::UNAUTHORIZED || e.status == StatusCode::FORBIDDEN => {
            tracing::warn!(%ip, "failed login");
            if e.status == StatusCode::UNAUTHORIZED {
                state.limits.login_failed(&username, ip).await;
            }
            let name: String = username.trim().to_lowercase().chars().take(64).collect();
            let code = e.code.to_string();
            let address = ip.to_string();
            // The refusal stands whatever happens to its audit entry.
            let recorded = state
                .run(move |db| {
                    db.record_security_event(Entry {
                        actor: None,
                        action: "login.failure",
                        target: format!("username:{name}"),
                        reason: "",
                        details: serde_json::json!({ "ip": address, "code": code }),
                    })
                })
                .await;
            if let Err(err) = recorded {
                tracing::error!(error = %err.message, "could not audit a failed login");
            }
        }
        Err(_) => {}
    }
    result
}

#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::ErrorBody)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (user, session) =
        open_session(&state, &req, body.username, body.password, body.totp_code).await?;
    tracing::info!(
        user_id = user.id.get(),
        session_id = session.session_id.get(),
        "login"
    );
    token_response(&state, &user, session).await
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::ErrorBody)))]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().refresh_token;
    let ip = state.limits.client_ip(&req).to_string();
    let (user, session) = state
        .run(move |db| db.rotate_refresh_token(&token, chrono::Duration::zero(), Some(&ip)))
        .await?;
    token_response(&state, &user, session).await
}

#[utoipa::path(post, path = "/api/v1/auth/logout", responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn logout(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let session_id = member.0.viewer.session_id;
    state.run(move |db| db.revoke_session(session_id)).await?;
    tracing::info!(
        user_id = member.0.viewer.id.get(),
        session_id = session_id.get(),
        "logout"
    );
    Ok(HttpResponse::NoContent()
        .cookie(auth::expired_cookie(&state, ACCESS_COOKIE))
        .cookie(auth::expired_cookie(&state, REFRESH_COOKIE))
        .finish())
}

#[utoipa::path(post, path = "/api/v1/auth/register", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .check_register(state.limits.client_ip(&req))
        .await?;
    let b = body.into_inner();
    let user = state
        .run(move |db| {
            db.register(&Registration {
                invitation_token: &b.invitation_token,
                username: &b.username,
                display_name: &b.display_name,
                password: &b.password,
                country: &b.country,
                profession: &b.profession,
            })
        })
        .await?;
    tracing::info!(user_id = user.id.get(), "registered");
    Ok(HttpResponse::Created().json(RegisterResponse {
        user: MeBody::of(&user, Vec::new()),
    }))
}
