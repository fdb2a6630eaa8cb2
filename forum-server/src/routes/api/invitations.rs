//! Invitations (moderators and admins): issuing, listing the pending ones,
//! revoking.

use actix_web::{HttpResponse, web};
use chrono::Duration;
use forum_core::InvitationId;

use super::types::*;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[utoipa::path(post, path = "/api/v1/invitations", request_body = InvitationRequest,
    responses((status = 201, body = InvitationResponse), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<InvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.groups.as_ref().is_some_and(|g| !g.is_empty()) {
        // Group membership by invitation arrives with the groups work.
        return Err(ApiError::invalid("groups", "unknown group"));
    }
    let ttl = Duration::seconds(state.settings.invitation_ttl_secs);
    let viewer = member.0.viewer;
    let issued = state
        .run(move |db| db.create_invitation(&viewer, &body.email, body.role.as_deref(), ttl))
        .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        url: state.links.invitation(&issued.token),
        token: issued.token,
        email: issued.email,
        role: issued.role.to_string(),
        expires_at: forum_core::rfc3339(issued.expires_at),
    }))
}

/// An invitation not yet used (its link is shown only when issued).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PendingInvitationBody {
    #[schema(value_type = i64)]
    pub id: InvitationId,
    pub email: String,
    pub role: String,
    /// Username of the member who issued it.
    pub created_by: String,
    pub created_at: String,
    pub expires_at: String,
}

#[utoipa::path(get, path = "/api/v1/invitations",
    responses((status = 200, body = [PendingInvitationBody]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn pending(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let pending = state.run(move |db| db.pending_invitations(&viewer)).await?;
    Ok(HttpResponse::Ok().json(
        pending
            .into_iter()
            .map(|p| PendingInvitationBody {
                id: p.id,
                email: p.email,
                role: p.role.to_string(),
                created_by: p.created_by,
                created_at: forum_core::rfc3339(p.created_at),
                expires_at: forum_core::rfc3339(p.expires_at),
            })
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/invitations/{id}", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<InvitationId>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let id = path.into_inner();
    state
        .run(move |db| db.revoke_invitation(&viewer, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
