//! `GET /ws`: the websocket handshake. Authentication is the session
//! cookie, a Bearer header, or `?access_token=` (never logged: the access
//! log records paths only).

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use forum_core::error::ErrorCode;
use serde::Deserialize;

use crate::auth::{self, Identity};
use crate::error::ApiError;
use crate::live::Connection;
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct WsQuery {
    access_token: Option<String>,
}

pub async fn connect(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    query: web::Query<WsQuery>,
) -> Result<HttpResponse, ApiError> {
    // Cross-site websocket hijacking: a page elsewhere must not ride on the
    // member's cookies.
    if crate::http::csrf::is_cross_site(&req, &state) {
        tracing::warn!("cross-site websocket handshake refused");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::CrossSiteRefused,
            "cross-site websocket handshake refused",
        ));
    }
    let identity = req.extensions().get::<Identity>().cloned();
    let viewer = match (identity, query.into_inner().access_token) {
        (Some(identity), _) => identity.viewer,
        (None, Some(token)) => auth::resolve_token(&state, &token)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(ApiError::unauthenticated)?,
        (None, None) => return Err(ApiError::unauthenticated()),
    };
    let live = state.settings.live.clone();
    let registration = state
        .hub
        .register(viewer.id, live.max_connections_per_user)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyConnections,
                "too many open live connections for this account",
            )
        })?;
    let (response, session, stream) = actix_ws::handle(&req, body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            format!("not a websocket handshake: {e}"),
        )
    })?;
    let stream = stream.max_frame_size(live.max_frame_bytes);
    actix_web::rt::spawn(Connection::serve(
        state.hub.clone(),
        state.db.clone(),
        viewer,
        registration,
        live,
        session,
        stream,
    ));
    Ok(response)
}
