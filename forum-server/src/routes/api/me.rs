//! `/me`: the caller's own account, sessions, password, second factor,
//! e-mail preferences and flags.

use actix_web::{HttpResponse, web};
use forum_core::{SessionId, UserId, rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use forum_core::features::notifications::email::{DigestFrequency, ImmediateMail};

use super::moderation::FlagBody;
use super::types::MeBody;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    pub id: i64,
    pub created_at: String,
    pub last_seen_at: String,
    pub user_agent: String,
    /// The client address at sign-in or the latest token refresh.
    pub last_ip: Option<String>,
    /// The session this request belongs to.
    pub current: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[utoipa::path(get, path = "/api/v1/me/sessions", responses((status = 200, body = [SessionBody])))]
pub async fn sessions(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let current = viewer.session_id;
    let list = state.run(move |db| db.live_sessions(viewer.id)).await?;
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(|s| SessionBody {
                id: s.id.into(),
                created_at: rfc3339(s.created_at),
                last_seen_at: rfc3339(s.last_seen_at),
                user_agent: s.user_agent,
                last_ip: s.last_ip,
                current: s.id == current,
            })
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", params(("id" = i64, Path, description = "the numeric id in the path")), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_one(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<SessionId>,
) -> Result<HttpResponse, ApiError> {
    let user_id = member.0.viewer.id;
    let session_id = path.into_inner();
    state
        .run(move |db| db.revoke_own_session(user_id, session_id))
        .await?;
    tracing::info!(
        user_id = user_id.get(),
        session_id = session_id.get(),
        "session revoked"
    );
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/me/sessions", responses((status = 204)))]
pub async fn revoke_others(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let (user_id, keep) = (viewer.id, viewer.session_id);
    let ended = state
        .run(move |db| db.revoke_other_sessions(user_id, keep))
        .await?;
    tracing::info!(user_id = user_id.get(), ended, "other sessions revoked");
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/me/password", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let (user_id, keep) = (viewer.id, viewer.session_id);
    let b = body.into_inner();
    let ended = state
        .run(move |db| db.change_password(user_id, keep, &b.current_password, &b.new_password))
        .await?;
    tracing::info!(
        user_id = user_id.get(),
        ended,
        "password changed, other sessions revoked"
    );
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolmentBody {
    /// Base32 secret, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://` URL, for a QR code.
    pub otpauth_url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TotpCode {
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten single-use codes; shown once.
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TotpDisable {
    pub password: String,
    /// A current code or a recovery code.
    pub code: String,
}

#[utoipa::path(post, path = "/api/v1/me/totp", responses((status = 200, body = TotpEnrolmentBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn begin_totp(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let user_id = member.0.viewer.id;
    let enrolment = state.run(move |db| db.begin_totp(user_id)).await?;
    Ok(HttpResponse::Ok().json(TotpEnrolmentBody {
        secret: enrolment.secret,
        otpauth_url: enrolment.otpauth_url,
    }))
}

#[utoipa::path(post, path = "/api/v1/me/totp/confirm", request_body = TotpCode,
    responses((status = 200, body = RecoveryCodes), (status = 422, body = crate::error::ErrorBody)))]
pub async fn confirm_totp(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<TotpCode>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let code = body.into_inner().code;
    let recovery_codes = state
        .run(move |db| db.confirm_totp(viewer.id, viewer.session_id, &code))
        .await?;
    tracing::info!(user_id = viewer.id.get(), "second factor enabled");
    Ok(HttpResponse::Ok().json(RecoveryCodes { recovery_codes }))
}

#[utoipa::path(delete, path = "/api/v1/me/totp", request_body = TotpDisable,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn disable_totp(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<TotpDisable>,
) -> Result<HttpResponse, ApiError> {
    let user_id = member.0.viewer.id;
    let b = body.into_inner();
    state
        .run(move |db| db.disable_totp(user_id, &b.password, &b.code))
        .await?;
    tracing::info!(user_id = user_id.get(), "second factor disabled");
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = MeBody), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let _ = state;
    let viewer = &member.0.viewer;
    let mut me = MeBody::of_viewer(viewer);
    me.feed_token = Some(state.feed_key.token(viewer));
    Ok(HttpResponse::Ok().json(me))
}

#[utoipa::path(get, path = "/api/v1/me/email", responses((status = 200, body = EmailPreferencesBody)))]
pub async fn email_preferences(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(email_body(&state, member.0.viewer.id).await?))
}

#[utoipa::path(put, path = "/api/v1/me/email", request_body = EmailPreferencesRequest,
    responses((status = 200, body = EmailPreferencesBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_email_preferences(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<EmailPreferencesRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let immediate = body
        .immediate
        .as_deref()
        .map(ImmediateMail::parse)
        .transpose()?;
    let digest = body
        .digest
        .as_deref()
        .map(DigestFrequency::parse)
        .transpose()?;
    let user = member.0.viewer.id;
    state
        .run(move |db| db.set_email_preferences(user, immediate, digest))
        .await?;
    Ok(HttpResponse::Ok().json(email_body(&state, user).await?))
}

#[utoipa::path(get, path = "/api/v1/me/flags", responses((status = 200, body = [FlagBody])))]
pub async fn my_flags(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let flags = state.run(move |db| db.my_flags(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(flags.into_iter().map(FlagBody::from).collect::<Vec<_>>()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailPreferencesBody {
    /// `off`, `direct` (mentions, quotes, replies to you, moderators'
    /// actions on your content, review reminders) or `watching` (those and
    /// everything from what you watch).
    pub immediate: String,
    /// Digest of what is still unread: `off`, `daily` or `weekly`.
    pub digest: String,
    /// Where e-mail goes.
    pub address: String,
    /// Whether this server sends e-mail at all (an SMTP server is set up).
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailPreferencesRequest {
    pub immediate: Option<String>,
    pub digest: Option<String>,
}

async fn email_body(state: &AppState, user: UserId) -> Result<EmailPreferencesBody, ApiError> {
    let (prefs, address) = state
        .run(move |db| Ok((db.email_preferences(user)?, db.user(user)?.email)))
        .await?;
    Ok(EmailPreferencesBody {
        immediate: prefs.immediate.as_str().to_owned(),
        digest: prefs.digest.as_str().to_owned(),
        address,
        enabled: state.settings.email.smtp_host.is_some(),
    })
}

#[utoipa::path(get, path = "/api/v1/me/export",
    responses((status = 200, description = "a zip of data.json, index.html and files/", content_type = "application/zip"), (status = 401, body = crate::error::ErrorBody)))]
/// The caller's own data (a data-protection request): a zip of `data.json`
/// (account, profile, posts with their revisions, threads, notifications,
/// sessions), `index.html` (the same, readable) and `files/` (the files on
/// their posts).
pub async fn export(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    use std::io::Write;
    let viewer = member.0.viewer;
    let username = viewer.username.clone();
    let data = state.run(move |db| db.own_data(&viewer)).await?;
    let store = state.files.clone();
    let bytes = crate::http::head::blocking(move || -> anyhow::Result<Vec<u8>> {
        let json = serde_json::to_vec_pretty(&data)?;
        let html = views::Template::render(&views::OwnDataPage {
            data: &data,
            exported: forum_core::rfc3339(data.exported_at),
        })?;
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("data.json", options)?;
            zip.write_all(&json)?;
            zip.start_file("index.html", options)?;
            zip.write_all(html.as_bytes())?;
            let mut seen = std::collections::HashSet::new();
            for post in &data.posts {
                for file in &post.post.attachments {
                    if seen.insert(file.id) {
                        zip.start_file(format!("files/{}-{}", file.id, file.name), options)?;
                        zip.write_all(&std::fs::read(store.path(&file.sha256)?)?)?;
                    }
                }
            }
            zip.finish()?;
        }
        Ok(out.into_inner())
    })
    .await?
    .map_err(ApiError::internal)?;
    tracing::info!(bytes = bytes.len(), "own data exported");
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"comity-{username}.zip\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// The caller's new feed token.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FeedTokenBody {
    pub feed_token: String,
}

#[utoipa::path(post, path = "/api/v1/me/feed-token",
    responses((status = 200, body = FeedTokenBody), (status = 401, body = crate::error::ErrorBody)))]
/// Revokes every feed link of the caller's and gives the new token.
pub async fn revoke_feed_token(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let mut viewer = member.0.viewer;
    let v = viewer.clone();
    viewer.feed_generation = state.run(move |db| db.revoke_feed_links(&v)).await?;
    Ok(HttpResponse::Ok().json(FeedTokenBody {
        feed_token: state.feed_key.token(&viewer),
    }))
}
