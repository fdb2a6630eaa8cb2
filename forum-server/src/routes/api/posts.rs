//! Replies, edits and revisions.

use actix_web::{HttpResponse, web};
use forum_core::features::forum::{NewPost, PostEdit};
use forum_core::{PostId, ThreadId};

use super::types::*;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[utoipa::path(post, path = "/api/v1/threads/{id}/posts", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = NewPostRequest,
    responses((status = 201, body = PostBody), (status = 404, body = crate::error::ErrorBody), (status = 423, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<NewPostRequest>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_post(&member.0.viewer).await?;
    let thread_id = path.into_inner();
    let b = body.into_inner();
    check_file_count(&state, b.attachments.len())?;
    let recipients = b.mark_recipients.clone().map(Into::into);
    let post = state
        .run(move |db| {
            db.create_post(
                &member.0.viewer,
                thread_id,
                &NewPost {
                    body: &b.body,
                    reply_to: b.reply_to,
                    mark: b.mark.as_deref(),
                    mark_recipients: recipients.as_ref(),
                    language: b.language.as_deref(),
                    attachments: &b.attachments,
                    acknowledge_personal_data: b
                        .acknowledge_personal_data
                        .as_ref()
                        .map(|a| a.reason.as_str()),
                },
            )
        })
        .await?;
    tracing::info!(
        thread_id = thread_id.get(),
        post_id = post.id.get(),
        "reply posted"
    );
    Ok(HttpResponse::Created().json(PostBody::from(post)))
}

#[utoipa::path(patch, path = "/api/v1/posts/{id}", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = EditPostRequest,
    responses((status = 200, body = PostBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn edit(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<PostId>,
    body: web::Json<EditPostRequest>,
) -> Result<HttpResponse, ApiError> {
    let post_id = path.into_inner();
    let b = body.into_inner();
    check_file_count(&state, b.attachments.as_ref().map_or(0, Vec::len))?;
    let recipients = b.mark_recipients.clone().map(Into::into);
    let post = state
        .run(move |db| {
            db.edit_post(
                &member.0.viewer,
                post_id,
                &PostEdit {
                    body: &b.body,
                    reason: b.edit_reason.as_deref(),
                    language: b.language.as_deref(),
                    attachments: b.attachments.as_deref(),
                    mark: b.mark.as_deref(),
                    mark_recipients: recipients.as_ref(),
                    acknowledge_personal_data: b
                        .acknowledge_personal_data
                        .as_ref()
                        .map(|a| a.reason.as_str()),
                },
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(PostBody::from(post)))
}

#[utoipa::path(get, path = "/api/v1/posts/{id}/revisions", params(("id" = i64, Path, description = "the numeric id in the path")), responses((status = 200, body = [RevisionBody]), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revisions(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<PostId>,
) -> Result<HttpResponse, ApiError> {
    let post_id = path.into_inner();
    let revisions = state
        .run(move |db| db.revisions(&member.0.viewer, post_id))
        .await?;
    Ok(HttpResponse::Ok().json(
        revisions
            .into_iter()
            .map(RevisionBody::from)
            .collect::<Vec<_>>(),
    ))
}

/// 413 `too_large` when a post would carry more files than allowed.
pub fn check_file_count(state: &AppState, files: usize) -> Result<(), ApiError> {
    let max = state.settings.attachments.max_files_per_post;
    if files > max {
        return Err(crate::files::upload::too_large(format!(
            "a post may carry at most {max} files"
        )));
    }
    Ok(())
}

/// What to redact: text wherever the post holds it, or one of its files.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct RedactionRequest {
    /// The text to remove (3 to 2,000 characters).
    pub text: Option<String>,
    /// A file of the post to remove whole.
    #[schema(value_type = Option<i64>)]
    pub attachment_id: Option<forum_core::AttachmentId>,
    pub reason: String,
}

/// What a redaction did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RedactionBody {
    pub post: PostBody,
    /// How many places held the text.
    pub occurrences: usize,
    /// Files removed whole (the text was inside them).
    #[schema(value_type = Vec<i64>)]
    pub attachments_removed: Vec<forum_core::AttachmentId>,
}

#[utoipa::path(post, path = "/api/v1/posts/{id}/redactions", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = RedactionRequest,
    responses((status = 200, body = RedactionBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn redact(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<PostId>,
    body: web::Json<RedactionRequest>,
) -> Result<HttpResponse, ApiError> {
    let post_id = path.into_inner();
    let b = body.into_inner();
    let redaction = state
        .run(move |db| {
            db.redact_post(
                &member.0.viewer,
                post_id,
                &forum_core::features::redaction::RedactionInput {
                    text: b.text.as_deref(),
                    attachment: b.attachment_id,
                    reason: &b.reason,
                },
            )
        })
        .await?;
    // Physically gone: the blobs no row names any more, then the
    // database's freed pages (the index purges itself on the event).
    let files = state.files.clone();
    let blobs = redaction.blobs_to_delete.clone();
    let db = state.db.clone();
    crate::http::head::blocking(move || -> Result<(), ApiError> {
        for sha in &blobs {
            files.delete(sha).map_err(ApiError::internal)?;
        }
        db.purge_freed_pages().map_err(ApiError::from)
    })
    .await??;
    tracing::info!(post_id = post_id.get(), "post redacted");
    Ok(HttpResponse::Ok().json(RedactionBody {
        post: PostBody::from(redaction.post),
        occurrences: redaction.occurrences,
        attachments_removed: redaction.attachments_removed,
    }))
}
