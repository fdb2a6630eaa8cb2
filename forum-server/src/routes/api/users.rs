//! Admins managing members' accounts: ending all their sessions and
//! issuing one-time password reset links; the public reset itself.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use forum_core::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Member;
use crate::error::ApiError;
use crate::routes::block;
use crate::startup::AppState;

/// How long a reset link works.
pub const RESET_LINK_HOURS: i64 = 24;

#[derive(Debug, Serialize, ToSchema)]
pub struct ResetLink {
    /// The page the member opens to choose a new password.
    pub url: String,
    pub token: String,
    pub expires_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordReset {
    pub token: String,
    pub new_password: String,
}

#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn end_sessions(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    let user_id = path.into_inner();
    let by = member.0.viewer;
    let admin = by.id;
    let ended = block(move || db.end_sessions_of(&by, user_id)).await?;
    tracing::warn!(
        admin,
        user_id,
        ended,
        "an admin ended every session of a member"
    );
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 201, body = ResetLink), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn issue_reset(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    let user_id = path.into_inner();
    let by = member.0.viewer;
    let admin = by.id;
    let issued =
        block(move || db.issue_password_reset(&by, user_id, Duration::hours(RESET_LINK_HOURS)))
            .await?;
    tracing::warn!(admin, user_id, "an admin issued a password reset link");
    Ok(HttpResponse::Created().json(ResetLink {
        url: state.links.password_reset(&issued.token),
        token: issued.token,
        expires_at: rfc3339(issued.expires_at),
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset", request_body = PasswordReset,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordReset>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_register(state.limits.client_ip(&req))?;
    let db = state.db.clone();
    let b = body.into_inner();
    let user = block(move || db.reset_password(&b.token, &b.new_password)).await?;
    tracing::info!(user_id = user.id, "password reset through a link");
    Ok(HttpResponse::build(StatusCode::NO_CONTENT).finish())
}
