//! Admins' webhooks: register an endpoint for event kinds (its secret is
//! shown once), list endpoints with their state, read an endpoint's
//! delivery log, enable one that was disabled, remove one. The worker in
//! `crate::workers::webhooks` delivers.

use actix_web::{HttpResponse, web};
use forum_core::WebhookId;
use forum_core::features::webhooks::{DeliveryRecord, Webhook};
use forum_core::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// The endpoint (`http` or `https`).
    pub url: String,
    /// Event kinds: `thread_created`, `post_created`, `post_edited`,
    /// `post_hidden`, `post_restored`, `thread_locked`, `thread_updated`.
    pub events: Vec<String>,
}

/// An endpoint and how its deliveries go.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookBody {
    #[schema(value_type = i64)]
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
    /// The last event of the log it has been given (or that was not for
    /// it).
    pub cursor: i64,
    /// `active`, `retrying` (failed last time; waits for `next_attempt_at`)
    /// or `disabled` (failed too many times in a row).
    pub status: String,
    pub failures: i64,
    pub next_attempt_at: Option<String>,
    pub disabled_at: Option<String>,
}

impl From<Webhook> for WebhookBody {
    fn from(w: Webhook) -> Self {
        let status = if w.disabled_at.is_some() {
            "disabled"
        } else if w.failures > 0 {
            "retrying"
        } else {
            "active"
        };
        WebhookBody {
            id: w.id,
            url: w.url,
            events: w.events,
            created_at: rfc3339(w.created_at),
            cursor: w.cursor,
            status: status.to_owned(),
            failures: w.failures,
            next_attempt_at: w.next_attempt_at.map(rfc3339),
            disabled_at: w.disabled_at.map(rfc3339),
        }
    }
}

/// A new endpoint with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookBody,
    /// The HMAC-SHA256 key of `Comity-Signature` (see docs/operations.md).
    pub secret: String,
}

/// One event given to an endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryBody {
    pub seq: i64,
    pub kind: String,
    /// `delivered`, `retrying` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub response_code: Option<i32>,
    pub error: Option<String>,
    pub first_attempt_at: String,
    pub last_attempt_at: String,
}

impl From<DeliveryRecord> for DeliveryBody {
    fn from(d: DeliveryRecord) -> Self {
        DeliveryBody {
            seq: d.seq,
            kind: d.kind,
            status: d.status,
            attempts: d.attempts,
            response_code: d.response_code,
            error: d.error,
            first_attempt_at: rfc3339(d.first_attempt_at),
            last_attempt_at: rfc3339(d.last_attempt_at),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/admin/webhooks", request_body = NewWebhook,
    responses((status = 201, body = CreatedWebhook), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let b = body.into_inner();
    let secret = crate::workers::webhooks::new_secret();
    let key = secret.clone();
    let created = state
        .run(move |db| db.create_webhook(&viewer, &b.url, &b.events, &key))
        .await?;
    Ok(HttpResponse::Created().json(CreatedWebhook {
        webhook: created.into(),
        secret,
    }))
}

#[utoipa::path(get, path = "/api/v1/admin/webhooks",
    responses((status = 200, body = [WebhookBody]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let hooks = state.run(move |db| db.webhooks(&viewer)).await?;
    Ok(HttpResponse::Ok().json(hooks.into_iter().map(WebhookBody::from).collect::<Vec<_>>()))
}

#[utoipa::path(delete, path = "/api/v1/admin/webhooks/{id}", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let id = path.into_inner();
    state.run(move |db| db.delete_webhook(&viewer, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/admin/webhooks/{id}/enable", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = WebhookBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn enable(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let id = path.into_inner();
    let hook = state.run(move |db| db.enable_webhook(&viewer, id)).await?;
    Ok(HttpResponse::Ok().json(WebhookBody::from(hook)))
}

#[utoipa::path(get, path = "/api/v1/admin/webhooks/{id}/deliveries", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = [DeliveryBody]), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn deliveries(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let id = path.into_inner();
    let log = state
        .run(move |db| db.webhook_deliveries(&viewer, id, 100))
        .await?;
    Ok(HttpResponse::Ok().json(log.into_iter().map(DeliveryBody::from).collect::<Vec<_>>()))
}
