//! Authentication: JWT access tokens, refresh-token cookies, CSRF checks
//! and the middleware that resolves who is calling.
//!
//! API clients send `Authorization: Bearer <jwt>`. Browsers carry the same
//! JWT in an HttpOnly, SameSite=Lax cookie plus the opaque refresh token in
//! another; when the access cookie has expired the middleware rotates the
//! refresh token and sets both cookies again. Every token names its session,
//! and the session must still be live in the database, so logout takes
//! effect at once.

use forum_core::error::ErrorCode;
use std::path::Path;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use forum_core::Viewer;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::i18n;
use crate::startup::AppState;

pub const ACCESS_COOKIE: &str = "comity_access";
pub const REFRESH_COOKIE: &str = "comity_refresh";
const ISSUER: &str = "comity";
const AUDIENCE: &str = "comity";
const TOKEN_TYPE_ACCESS: &str = "access";
/// Unsubscribe links: another audience, so they never pass as access
/// tokens (which also need `exp` and `sid`).
const EMAIL_AUDIENCE: &str = "comity-email";
const TOKEN_TYPE_UNSUBSCRIBE: &str = "unsubscribe";
const REFRESH_COOKIE_DAYS: i64 = 30;
/// Parallel requests of one browser may present the same refresh cookie.
const COOKIE_REUSE_GRACE: chrono::Duration = chrono::Duration::seconds(10);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: i64,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub typ: String,
}

/// What an unsubscribe link carries: whose e-mail to stop. It does not
/// expire (old e-mails keep working) and grants nothing else.
#[derive(Debug, Serialize, Deserialize)]
struct UnsubscribeClaims {
    sub: String,
    iat: i64,
    iss: String,
    aud: String,
    typ: String,
}

/// The signing keys; HS256 only, pinned.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    unsubscribe_validation: Validation,
    pub ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        validation.validate_exp = true;
        let mut unsubscribe_validation = Validation::new(Algorithm::HS256);
        unsubscribe_validation.algorithms = vec![Algorithm::HS256];
        unsubscribe_validation.set_issuer(&[ISSUER]);
        unsubscribe_validation.set_audience(&[EMAIL_AUDIENCE]);
        unsubscribe_validation.set_required_spec_claims(&["iat", "iss", "aud", "sub"]);
        unsubscribe_validation.validate_exp = false;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            unsubscribe_validation,
            ttl_secs,
        }
    }

    /// A signed token for a member's one-click unsubscribe link.
    pub fn issue_unsubscribe(&self, user_id: i64) -> anyhow::Result<String> {
        let claims = UnsubscribeClaims {
            sub: user_id.to_string(),
            iat: chrono::Utc::now().timestamp(),
            iss: ISSUER.to_owned(),
            aud: EMAIL_AUDIENCE.to_owned(),
            typ: TOKEN_TYPE_UNSUBSCRIBE.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The member an unsubscribe token was issued for.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<i64> {
        let data = jsonwebtoken::decode::<UnsubscribeClaims>(
            token,
            &self.decoding,
            &self.unsubscribe_validation,
        )
        .ok()?;
        if data.claims.typ != TOKEN_TYPE_UNSUBSCRIBE {
            return None;
        }
        data.claims.sub.parse().ok()
    }

    pub fn issue(&self, user_id: i64, session_id: i64) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id,
            iat: now,
            exp: now + self.ttl_secs,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            typ: TOKEN_TYPE_ACCESS.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// The (user id, session id) of a valid access token.
    pub fn verify(&self, token: &str) -> Option<(i64, i64)> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        if data.claims.typ != TOKEN_TYPE_ACCESS || data.claims.iat > data.claims.exp {
            return None;
        }
        Some((data.claims.sub.parse().ok()?, data.claims.sid))
    }
}

/// The configured secret, or one generated into `data_dir/jwt-secret` on
/// first start (64 random bytes, hex, readable by the owner only).
pub fn load_or_create_secret(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let trimmed = existing.trim();
        anyhow::ensure!(trimmed.len() >= 64, "{} is too short", path.display());
        return Ok(trimmed.as_bytes().to_vec());
    }
    std::fs::create_dir_all(data_dir)?;
    let secret = hex::encode((0..64).map(|_| rand::random::<u8>()).collect::<Vec<u8>>());
    write_private(&path, &secret)?;
    tracing::info!(path = %path.display(), "generated a new token signing secret");
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents)?;
    Ok(())
}

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

pub fn access_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(ACCESS_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies())
        .max_age(CookieDuration::seconds(state.jwt.ttl_secs))
        .finish()
}

pub fn refresh_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies())
        .max_age(CookieDuration::days(REFRESH_COOKIE_DAYS))
        .finish()
}

pub fn expired_cookie(state: &AppState, name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, "")
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies())
        .finish();
    cookie.make_removal();
    cookie
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
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

/// Rejects cross-site unsafe requests and resolves the caller.
pub async fn identity_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    // Static assets and the health check need no identity.
    if req.path().starts_with("/assets/") || req.path() == "/healthz" {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let bearer = bearer_token(req.request());
    // The unsubscribe link carries its own signed token, which is the
    // protection cross-site checks give elsewhere; a mail client may post to
    // it from anywhere (RFC 8058).
    let token_authenticated = req.path() == "/email/unsubscribe";
    if bearer.is_none()
        && !token_authenticated
        && is_unsafe(req.method())
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

    let mut refreshed = None;
    let identity = if let Some(token) = bearer {
        resolve_token(&state, &token).await?.map(|viewer| Identity {
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
            let db = state.db.clone();
            let ip = state.limits.client_ip(req.request()).to_string();
            let rotated = web::block(move || {
                db.rotate_refresh_token(&refresh, COOKIE_REUSE_GRACE, Some(&ip))
            })
            .await?;
            match rotated {
                Ok((user, session)) => {
                    let token = state.jwt.issue(user.id, session.session_id)?;
                    viewer = resolve_token(&state, &token).await?;
                    refreshed = Some(RefreshedCookies(vec![
                        access_cookie(&state, token),
                        refresh_cookie(&state, session.refresh_token),
                    ]));
                }
                // A parallel request of this browser already rotated the
                // token: the other response carries the new cookies, which
                // clearing them here would undo.
                Err(err) if err.code() == ErrorCode::RefreshTokenJustUsed => {}
                Err(_) => {
                    refreshed = Some(RefreshedCookies(vec![
                        expired_cookie(&state, ACCESS_COOKIE),
                        expired_cookie(&state, REFRESH_COOKIE),
                    ]));
                }
            }
        }
        viewer.map(|viewer| Identity {
            viewer,
            via: Via::Cookie,
        })
    };
    let lang = i18n::negotiate(req.request(), identity.as_ref());
    req.extensions_mut().insert(lang);
    if let Some(identity) = identity {
        // Pages show the member's unread notifications in their header.
        let page =
            req.method() == Method::GET && !req.path().starts_with("/api/") && req.path() != "/ws";
        if page {
            let db = state.db.clone();
            let viewer = identity.viewer.clone();
            if let Ok(Ok(unread)) = web::block(move || db.unread_notifications(&viewer)).await {
                req.extensions_mut().insert(UnreadCount(unread));
            }
        }
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
    Ok(response.map_into_left_body())
}

/// How many unread notifications the member has, for page headers.
#[derive(Debug, Clone, Copy)]
pub struct UnreadCount(pub i64);

/// The viewer behind an access token, if it is valid and its session live.
pub async fn resolve_token(
    state: &AppState,
    token: &str,
) -> Result<Option<Viewer>, actix_web::Error> {
    let Some((user_id, session_id)) = state.jwt.verify(token) else {
        return Ok(None);
    };
    let db = state.db.clone();
    let viewer = web::block(move || db.viewer_for_session(user_id, session_id))
        .await?
        .map_err(ApiError::from)?;
    Ok(viewer)
}

/// The signed-in caller, for API handlers: 401 without one.
pub struct Member(pub Identity);

impl FromRequest for Member {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<Identity>()
                .cloned()
                .map(Member)
                .ok_or_else(ApiError::unauthenticated),
        )
    }
}

/// The signed-in caller, if any, for pages.
pub struct MaybeMember(pub Option<Identity>);

impl FromRequest for MaybeMember {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(MaybeMember(req.extensions().get::<Identity>().cloned())))
    }
}

/// The signed-in caller for pages: redirects to the login page without one.
pub struct PageMember(pub Viewer);

#[derive(Debug)]
pub struct LoginRedirect(String);

impl std::fmt::Display for LoginRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "login required")
    }
}

impl ResponseError for LoginRedirect {
    fn status_code(&self) -> StatusCode {
        StatusCode::SEE_OTHER
    }
    fn error_response(&self) -> HttpResponse {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, self.0.clone()))
            .finish()
    }
}

impl FromRequest for PageMember {
    type Error = LoginRedirect;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(match req.extensions().get::<Identity>() {
            Some(identity) => Ok(PageMember(identity.viewer.clone())),
            None => {
                let next = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(LoginRedirect(format!(
                    "/login?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                )))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let keys = JwtKeys::new(&[7u8; 32], 900);
        let token = keys.issue(5, 9).unwrap();
        assert_eq!(keys.verify(&token), Some((5, 9)));
        let other = JwtKeys::new(&[8u8; 32], 900);
        assert_eq!(other.verify(&token), None);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[2] = "AAAA";
        assert_eq!(keys.verify(&parts.join(".")), None);
    }
}
