//! Who is calling: the middleware that resolves the caller from a Bearer
//! token or the browser's cookies (rotating an expired access cookie from
//! the refresh cookie) and settles the reader's language. Handlers take
//! the extractors in [`crate::auth`].

use actix_web::HttpMessage;
use actix_web::HttpRequest;
use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;
use forum_core::Viewer;
use forum_core::error::ErrorCode;

use crate::auth::{
    ACCESS_COOKIE, COOKIE_REUSE_GRACE, REFRESH_COOKIE, access_cookie, expired_cookie,
    refresh_cookie, resolve_token,
};
use crate::i18n;
use crate::startup::AppState;

/// Paths (prefixes) served to anyone without resolving a caller.
/// (Feeds carry their own token: [`crate::feeds`].)
const ANONYMOUS_PATHS: &[&str] = &[
    "/assets/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/feeds/",
    "/favicon.ico",
];

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Bearer,
    Cookie,
}

/// The resolved caller, stored in request extensions by the middleware.
#[derive(Debug, Clone)]
pub struct Identity {
    pub viewer: Viewer,
    pub via: Via,
}

/// Cookies to set on the way out after a transparent refresh.
#[derive(Debug, Clone)]
struct RefreshedCookies(Vec<Cookie<'static>>);

/// The token of an `Authorization: Bearer` header.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves the caller (Bearer token, else the access cookie, refreshed
/// from the refresh cookie when it has expired) and the reader's language.
pub async fn resolve_caller<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let state = super::app_state(&req)?;
    // Static assets and the health check need no identity.
    if ANONYMOUS_PATHS.iter().any(|p| req.path().starts_with(p)) {
        return next.call(req).await;
    }
    // On PostgreSQL, the log's head the request's cached reads are fresh
    // to: read once, shared with the requests that arrive together.
    if state.head.wanted() {
        let head = state.head.read().await?;
        super::head::REQUEST_HEAD
            .scope(head, resolve_and_call(state, req, next))
            .await
    } else {
        resolve_and_call(state, req, next).await
    }
}

async fn resolve_and_call<B: MessageBody + 'static>(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let mut refreshed = None;
    let identity = if let Some(token) = bearer_token(req.request()) {
        resolve_token(&state, token).await?.map(|viewer| Identity {
            viewer,
            via: Via::Bearer,
        })
    } else {
        let access = req.cookie(ACCESS_COOKIE).map(|c| c.value().to_owned());
        let mut viewer = match access {
            Some(token) => resolve_token(&state, &token).await?,
            None => None,
        };
        if viewer.is_none()
            && let Some(refresh) = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned())
        {
            // Rare (once per access token's life), and its state is large:
            // boxed, so every other request's future stays small.
            let ip = state.limits.client_ip(req.request()).to_string();
            (viewer, refreshed) = Box::pin(refresh_from_cookie(&state, refresh, ip)).await?;
        }
        viewer.map(|viewer| Identity {
            viewer,
            via: Via::Cookie,
        })
    };
    let lang = i18n::negotiate(req.request(), identity.as_ref());
    req.extensions_mut().insert(lang);
    if let Some(identity) = identity {
        req.extensions_mut().insert(identity);
    }
    let mut response = i18n::REQUEST_LANG.scope(lang, next.call(req)).await?;
    if let Some(RefreshedCookies(cookies)) = refreshed {
        for cookie in cookies {
            if let Ok(value) = header::HeaderValue::from_str(&cookie.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }
    Ok(response)
}

/// The viewer behind a refresh cookie, rotating it, and the cookies the
/// response sets (new ones, or expired ones when the refresh failed).
async fn refresh_from_cookie(
    state: &AppState,
    refresh: String,
    ip: String,
) -> Result<(Option<Viewer>, Option<RefreshedCookies>), actix_web::Error> {
    let db = state.db.clone();
    let rotated = crate::http::head::blocking(move || {
        db.rotate_refresh_token(&refresh, COOKIE_REUSE_GRACE, Some(&ip))
    })
    .await?;
    match rotated {
        Ok((user, session)) => {
            let token = state.jwt.issue(user.id, session.session_id)?;
            let viewer = resolve_token(state, &token).await?;
            let cookies = RefreshedCookies(vec![
                access_cookie(state, token),
                refresh_cookie(state, session.refresh_token),
            ]);
            Ok((viewer, Some(cookies)))
        }
        // A parallel request of this browser already rotated the token:
        // the other response carries the new cookies, which clearing them
        // here would undo.
        Err(err) if err.code() == ErrorCode::RefreshTokenJustUsed => Ok((None, None)),
        Err(_) => Ok((
            None,
            Some(RefreshedCookies(vec![
                expired_cookie(state, ACCESS_COOKIE),
                expired_cookie(state, REFRESH_COOKIE),
            ])),
        )),
    }
}

/// How many unread notifications the member has, for page headers.
#[derive(Debug, Clone, Copy)]
pub struct UnreadCount(pub i64);
