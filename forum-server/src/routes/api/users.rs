//! Staff managing members' accounts: the member list, an admin changing
//! a role or groups, ending all sessions and issuing one-time password
//! reset links; the public reset itself.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use forum_core::features::accounts::members::{MemberFilter, MemberSummary};
use forum_core::rfc3339;
use forum_core::{GroupId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::MeBody;
use crate::auth::Member;
use crate::error::ApiError;
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
    path: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let by = member.0.viewer;
    let admin = by.id.get();
    let ended = state
        .run(move |db| db.end_sessions_of(&by, user_id))
        .await?;
    tracing::warn!(
        admin,
        user_id = user_id.get(),
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
    path: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let by = member.0.viewer;
    let admin = by.id.get();
    let issued = state
        .run(move |db| db.issue_password_reset(&by, user_id, Duration::hours(RESET_LINK_HOURS)))
        .await?;
    tracing::warn!(
        admin,
        user_id = user_id.get(),
        "an admin issued a password reset link"
    );
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
    state
        .limits
        .check_register(state.limits.client_ip(&req))
        .await?;
    let b = body.into_inner();
    let user = state
        .run(move |db| db.reset_password(&b.token, &b.new_password))
        .await?;
    tracing::info!(user_id = user.id.get(), "password reset through a link");
    Ok(HttpResponse::build(StatusCode::NO_CONTENT).finish())
}

/// `PATCH /api/v1/users/{id}`: what an admin may change about a member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberUpdate {
    /// `member`, `moderator` or `admin`.
    pub role: Option<String>,
    /// The exact set of groups the member belongs to afterwards.
    #[schema(value_type = Option<Vec<i64>>)]
    pub groups: Option<Vec<GroupId>>,
}

/// A member as staff see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberBody {
    #[serde(flatten)]
    pub user: MeBody,
    pub created_at: String,
    /// RFC 3339, while suspended.
    pub suspended_until: Option<String>,
}

impl From<MemberSummary> for MemberBody {
    fn from(m: MemberSummary) -> Self {
        MemberBody {
            created_at: rfc3339(m.user.created_at),
            suspended_until: m
                .user
                .suspended_until
                .filter(|u| *u > forum_core::now())
                .map(rfc3339),
            user: MeBody::of(&m.user, m.groups),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MemberQuery {
    /// Part of the username or display name.
    pub q: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// `member`, `moderator` or `admin`.
    pub role: Option<String>,
}

impl MemberQuery {
    pub fn filter(&self) -> Result<MemberFilter, forum_core::CoreError> {
        Ok(MemberFilter {
            query: self.q.clone(),
            country: self.country.clone(),
            role: match self.role.as_deref().map(str::trim) {
                Some(r) if !r.is_empty() => Some(forum_core::domain::Role::parse(r)?),
                _ => None,
            },
        })
    }
}

#[utoipa::path(get, path = "/api/v1/users", params(MemberQuery),
    responses((status = 200, body = [MemberBody]), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<MemberQuery>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let filter = query.filter()?;
    let members = state.run(move |db| db.members(&viewer, &filter)).await?;
    Ok(HttpResponse::Ok().json(
        members
            .into_iter()
            .map(MemberBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", request_body = MemberUpdate, params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = MemberBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<UserId>,
    body: web::Json<MemberUpdate>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let by = member.0.viewer;
    let admin = by.id.get();
    let b = body.into_inner();
    let updated = state
        .run(move |db| db.update_member(&by, user_id, b.role.as_deref(), b.groups.as_deref()))
        .await?;
    tracing::warn!(
        admin,
        user_id = user_id.get(),
        role = updated.user.role.as_str(),
        "an admin changed a member's role or groups"
    );
    Ok(HttpResponse::Ok().json(MemberBody::from(updated)))
}

/// Why a member is erased (kept in the audit log).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureRequest {
    /// The request being answered, e.g. "data-protection request of 3 May".
    pub reason: String,
}

/// What an erasure did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErasureBody {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    /// The name the account carries from now on ("Former member #N").
    pub display_name: String,
    /// `keep` or `remove`: the operator's policy (`[privacy] erased_posts`).
    pub posts: String,
    pub posts_kept: usize,
    pub posts_removed: usize,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/erase", request_body = ErasureRequest, params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = ErasureBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn erase(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<UserId>,
    body: web::Json<ErasureRequest>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let by = member.0.viewer;
    let admin = by.id.get();
    let reason = body.into_inner().reason;
    let policy = state.settings.privacy.erased_posts();
    let files = state.files.clone();
    let erased = state
        .run(move |db| erase_now(db, &files, &by, user_id, &reason, policy))
        .await?;
    tracing::warn!(
        admin,
        user_id = user_id.get(),
        posts = policy.as_str(),
        "an admin erased a member"
    );
    Ok(HttpResponse::Ok().json(ErasureBody {
        user_id,
        display_name: erased.display_name,
        posts: policy.as_str().to_owned(),
        posts_kept: erased.posts_kept,
        posts_removed: erased.posts_removed,
    }))
}

/// Erases a member (the API's and the members page's one path): the
/// database's part, then the files no row names any more and the freed
/// pages, so nothing erased stays on disk (the index follows the
/// `post_edited` events).
pub(crate) fn erase_now(
    db: &forum_core::Db,
    files: &std::sync::Arc<dyn crate::files::FileStore>,
    by: &forum_core::access::Viewer,
    user_id: UserId,
    reason: &str,
    policy: forum_core::features::accounts::erasure::ErasedPosts,
) -> Result<forum_core::features::accounts::erasure::Erasure, forum_core::CoreError> {
    let erased = db.erase_member(by, user_id, reason, policy)?;
    for sha in &erased.blobs_to_delete {
        files
            .delete(sha)
            .map_err(|e| forum_core::CoreError::Internal(format!("cannot delete a file: {e}")))?;
    }
    db.purge_freed_pages()?;
    Ok(erased)
}
