//! Operational figures of the live-events hub, for admins.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::access;
use forum_core::error::ErrorCode;

use crate::auth::Member;
use crate::error::ApiError;
use crate::live::LiveStats;
use crate::startup::AppState;

#[utoipa::path(get, path = "/api/v1/admin/live", responses((status = 200, body = LiveStats), (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    if !access::can_see_operations(&member.0.viewer) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "only admins can see this",
        ));
    }
    Ok(HttpResponse::Ok().json(state.hub.stats()))
}
