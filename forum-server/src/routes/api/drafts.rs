//! Drafts of replies (saved as a member types) and the Markdown preview
//! the composer shows: both for the signed-in member only.

use actix_web::{HttpResponse, web};
use forum_core::domain::Markdown;
use forum_core::domain::markdown;
use forum_core::features::forum::Draft;
use forum_core::{PostId, ThreadId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub body: String,
    #[schema(value_type = Option<i64>)]
    pub reply_to: Option<PostId>,
    pub updated_at: String,
}

impl From<Draft> for DraftBody {
    fn from(d: Draft) -> Self {
        DraftBody {
            thread_id: d.thread_id,
            body: d.body,
            reply_to: d.reply_to,
            updated_at: forum_core::rfc3339(d.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    /// Markdown; empty removes the draft.
    pub body: String,
    #[schema(value_type = Option<i64>)]
    pub reply_to: Option<PostId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Markdown, as it would be posted.
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewBody {
    /// The sanitised HTML a post with this body would show.
    pub html: String,
}

#[utoipa::path(get, path = "/api/v1/threads/{id}/draft", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = DraftBody), (status = 204, description = "no draft"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let thread_id = path.into_inner();
    let draft = state
        .run(move |db| db.draft(&member.0.viewer, thread_id))
        .await?;
    Ok(match draft {
        Some(d) => HttpResponse::Ok().json(DraftBody::from(d)),
        None => HttpResponse::NoContent().finish(),
    })
}

#[utoipa::path(put, path = "/api/v1/threads/{id}/draft", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = DraftRequest,
    responses((status = 200, body = DraftBody), (status = 204, description = "empty body: the draft was removed"), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<DraftRequest>,
) -> Result<HttpResponse, ApiError> {
    let thread_id = path.into_inner();
    let b = body.into_inner();
    let draft = state
        .run(move |db| db.save_draft(&member.0.viewer, thread_id, &b.body, b.reply_to))
        .await?;
    Ok(match draft {
        Some(d) => HttpResponse::Ok().json(DraftBody::from(d)),
        None => HttpResponse::NoContent().finish(),
    })
}

#[utoipa::path(delete, path = "/api/v1/threads/{id}/draft", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn discard(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let thread_id = path.into_inner();
    state
        .run(move |db| db.discard_draft(&member.0.viewer, thread_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/preview", request_body = PreviewRequest,
    responses((status = 200, body = PreviewBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn preview(
    _member: Member,
    body: web::Json<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = Markdown::parse(&body.into_inner().body)?;
    let html = crate::http::head::blocking(move || markdown::render(body.as_str()))
        .await
        .map_err(|_| ApiError::internal("preview failed"))?;
    Ok(HttpResponse::Ok().json(PreviewBody {
        html: html.into_string(),
    }))
}
