//! Cross-site request refusal: a state-changing request a browser sends
//! from another site never reaches a handler, unless it carries a Bearer
//! token (which a browser never adds by itself) or is the one-click
//! unsubscribe (RFC 8058), whose link carries its own signed token.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, ResponseError};
use forum_core::error::ErrorCode;

use crate::error::ApiError;
use crate::http::identity::bearer_token;
use crate::i18n;
use crate::startup::AppState;

/// Paths whose requests carry their own signed token instead.
const SIGNED_LINK_PATHS: &[&str] = &["/email/unsubscribe"];

/// Refuses cross-site unsafe requests without a Bearer token (403
/// `csrf_rejected`).
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let state = super::app_state(&req)?;
    if is_unsafe(req.method())
        && bearer_token(req.request()).is_none()
        && !SIGNED_LINK_PATHS.contains(&req.path())
        && is_cross_site(req.request(), &state)
    {
        let lang = i18n::negotiate(req.request(), None);
        tracing::warn!(path = %req.path(), "cross-site request refused");
        let response = i18n::REQUEST_LANG.sync_scope(lang, || {
            ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::CsrfRejected,
                "cross-site request refused",
            )
            .error_response()
        });
        return Ok(req.into_response(response).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Is this state-changing request from another site? Browsers send
/// `Sec-Fetch-Site` and `Origin` on every unsafe request; a request with
/// neither is not from a browser and cannot ride on a victim's cookies.
pub fn is_cross_site(req: &HttpRequest, state: &AppState) -> bool {
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    if origin == "null" {
        return true;
    }
    if let Some(public) = &state.settings.public_url
        && public.trim_end_matches('/') == origin
    {
        return false;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or(origin);
    origin_host != host
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}
