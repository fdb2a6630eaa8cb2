//! The inbox and watch levels.

use actix_web::{HttpResponse, web};
use forum_core::features::notifications::{NotificationView, WatchView};
use forum_core::{NotificationId, PostId, ThreadId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::AuthorBody;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct NotificationsQuery {
    /// Only unread notifications.
    pub unread: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationBody {
    pub id: i64,
    /// `reply`, `mention`, `quote`, `new_thread`, `endorsement`,
    /// `flag_outcome`, `moderation`, `review_due` (extendable).
    pub kind: String,
    /// For `moderation`: `post_hidden`, `post_edited` or `warned`.
    pub detail: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub thread_id: Option<ThreadId>,
    pub thread_title: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub post_id: Option<PostId>,
    pub actor: Option<AuthorBody>,
    /// Events collapsed into this notification.
    pub count: i64,
    pub created_at: String,
    pub updated_at: String,
    pub read: bool,
}

impl From<NotificationView> for NotificationBody {
    fn from(n: NotificationView) -> Self {
        NotificationBody {
            id: n.id.into(),
            kind: n.kind.to_string(),
            detail: n.detail,
            thread_id: n.thread_id,
            thread_title: n.thread_title,
            post_id: n.post_id,
            actor: n.actor.map(AuthorBody::from),
            count: n.count,
            created_at: forum_core::rfc3339(n.created_at),
            updated_at: forum_core::rfc3339(n.updated_at),
            read: n.read,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsBody {
    pub notifications: Vec<NotificationBody>,
    /// Unread notifications in all.
    pub unread: i64,
}

#[utoipa::path(get, path = "/api/v1/notifications", params(NotificationsQuery),
    responses((status = 200, body = NotificationsBody)))]
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<NotificationsQuery>,
) -> Result<HttpResponse, ApiError> {
    let unread_only = query.unread.unwrap_or(false);
    let (list, unread) = state
        .run(move |db| db.notifications(&member.0.viewer, unread_only))
        .await?;
    Ok(HttpResponse::Ok().json(NotificationsBody {
        notifications: list.into_iter().map(NotificationBody::from).collect(),
        unread,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadRequest {
    /// These notifications…
    #[schema(value_type = Option<Vec<i64>>)]
    pub ids: Option<Vec<NotificationId>>,
    /// …or all of them.
    pub all: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/notifications/read", request_body = MarkReadRequest,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn mark_read(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<MarkReadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let ids = match (body.ids, body.all) {
        (Some(ids), None | Some(false)) if ids.len() <= 1000 => Some(ids),
        (None, Some(true)) => None,
        _ => {
            return Err(ApiError::invalid(
                "ids",
                "give either ids (at most 1000) or all: true",
            ));
        }
    };
    state
        .run(move |db| db.mark_notifications_read(&member.0.viewer, ids.as_deref()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchRequest {
    /// `thread:42`, `category:3`, `jurisdiction:FR` or `instrument:untoc`.
    pub target: String,
    /// `watching`, `tracking`, `normal` or `muted`.
    pub level: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WatchBody {
    pub target: String,
    pub level: String,
}

impl From<WatchView> for WatchBody {
    fn from(w: WatchView) -> Self {
        WatchBody {
            target: w.target,
            level: w.level,
        }
    }
}

#[utoipa::path(put, path = "/api/v1/watches", request_body = WatchRequest,
    responses((status = 200, body = WatchBody), (status = 404, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_watch(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<WatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let watch = state
        .run(move |db| db.set_watch(&member.0.viewer, &body.target, &body.level))
        .await?;
    Ok(HttpResponse::Ok().json(WatchBody::from(watch)))
}

#[utoipa::path(get, path = "/api/v1/watches", responses((status = 200, body = [WatchBody])))]
pub async fn watches(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let list = state.run(move |db| db.watches(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(WatchBody::from).collect::<Vec<_>>()))
}
