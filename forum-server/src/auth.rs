//! Authentication: JWT access tokens, refresh-token cookies, and the
//! extractors handlers use to name the caller (resolved by
//! [`crate::http::identity`]; cross-site refusal is [`crate::http::csrf`]).
//!
//! API clients send `Authorization: Bearer <jwt>`. Browsers carry the same
//! JWT in an HttpOnly, SameSite=Lax cookie plus the opaque refresh token in
//! another; when the access cookie has expired the middleware rotates the
//! refresh token and sets both cookies again. Every token names its session,
//! and the session must still be live in the database, so logout takes
//! effect at once.

use std::path::Path;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use forum_core::{SessionId, UserId, Viewer};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
pub use crate::http::identity::{Identity, Via};
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
pub(crate) const COOKIE_REUSE_GRACE: chrono::Duration = chrono::Duration::seconds(10);

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
    /// Access tokens already verified: token → (user, session, expiry).
    /// Only the exact string that passed the signature check is found
    /// here, and only until it expires.
    verified: std::sync::Arc<std::sync::RwLock<VerifiedTokens>>,
}

/// Token → (user id, session id, expiry).
type VerifiedTokens = std::collections::HashMap<String, (UserId, SessionId, i64)>;

/// Verified tokens remembered at most (past it the memory starts again).
const VERIFIED_CAPACITY: usize = 50_000;

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
            verified: std::sync::Arc::default(),
        }
    }

    /// A signed token for a member's one-click unsubscribe link.
    pub fn issue_unsubscribe(&self, user_id: UserId) -> anyhow::Result<String> {
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
    pub fn verify_unsubscribe(&self, token: &str) -> Option<UserId> {
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

    pub fn issue(&self, user_id: UserId, session_id: SessionId) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id.get(),
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
    pub fn verify(&self, token: &str) -> Option<(UserId, SessionId)> {
        let now = chrono::Utc::now().timestamp();
        let known = self
            .verified
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(token)
            .copied();
        if let Some((user, session, exp)) = known {
            // The same leeway as the full check.
            if now <= exp + self.validation.leeway as i64 {
                return Some((user, session));
            }
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        if data.claims.typ != TOKEN_TYPE_ACCESS || data.claims.iat > data.claims.exp {
            return None;
        }
        let found = (
            data.claims.sub.parse().ok()?,
            SessionId::from(data.claims.sid),
        );
        let mut verified = self
            .verified
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if verified.len() >= VERIFIED_CAPACITY {
            verified.clear();
        }
        verified.insert(token.to_owned(), (found.0, found.1, data.claims.exp));
        Some(found)
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

/// The viewer behind an access token, if it is valid and its session live.
pub async fn resolve_token(
    state: &AppState,
    token: &str,
) -> Result<Option<Viewer>, actix_web::Error> {
    let Some((user_id, session_id)) = state.jwt.verify(token) else {
        return Ok(None);
    };
    let cached = || {
        forum_core::features::accounts::viewer_cache::cached_viewer(
            &state.viewers,
            &state.db,
            user_id,
            session_id,
        )
    };
    // On PostgreSQL, fresh to the head this request read (crate::http::head).
    if let Some(viewer) = state.at_request_head(cached) {
        return Ok(Some(viewer));
    }
    let db = state.db.clone();
    let viewers = state.viewers.clone();
    let viewer = crate::http::head::blocking(move || {
        db.viewer_for_session_cached(&viewers, user_id, session_id)
    })
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
        let token = keys.issue(5.into(), 9.into()).unwrap();
        assert_eq!(keys.verify(&token), Some((5.into(), 9.into())));
        let other = JwtKeys::new(&[8u8; 32], 900);
        assert_eq!(other.verify(&token), None);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[2] = "AAAA";
        assert_eq!(keys.verify(&parts.join(".")), None);
    }
}
