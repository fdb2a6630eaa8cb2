//! Invitations (moderators and admins).

use actix_web::{HttpResponse, web};
use chrono::Duration;

use super::types::*;
use crate::auth::Member;
use crate::error::ApiError;
use crate::routes::block;
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
    let db = state.db.clone();
    let ttl = Duration::seconds(state.settings.invitation_ttl_secs);
    let viewer = member.0.viewer;
    let issued =
        block(move || db.create_invitation(&viewer, &body.email, body.role.as_deref(), ttl))
            .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        url: state.links.invitation(&issued.token),
        token: issued.token,
        email: issued.email,
        role: issued.role.to_string(),
        expires_at: forum_core::rfc3339(issued.expires_at),
    }))
}
