//! Advice requests to the legal office: filed by a member, worked through
//! by the office (assign, notes, advice, close), published anonymised with
//! the requester's consent.

use actix_web::{HttpResponse, web};
use forum_core::domain::analysis::AnalysisInput;
use forum_core::features::network::{AdviceInput, AdviceOffice, AdviceRequest, PublishedAdvice};
use forum_core::{AttachmentId, CategoryId, PostId, ThreadId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{AcknowledgeBody, AnalysisRequest, AuthorBody};
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

/// One step of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceStepBody {
    /// `received`, `assigned`, `note`, `advice_given`, `consent`, `closed`
    /// or `published`.
    pub action: String,
    pub detail: String,
    pub actor: AuthorBody,
    pub at: String,
}

/// A private note of the office's.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceNoteBody {
    pub author: AuthorBody,
    pub body: String,
    pub created_at: String,
}

/// An advice request.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceBody {
    /// The request's thread (`RED`, naming the office's group).
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub title: String,
    pub requester: AuthorBody,
    /// `received`, `assigned`, `advice_given` or `closed`.
    pub status: String,
    pub assignee: Option<AuthorBody>,
    pub due_at: String,
    pub overdue: bool,
    pub created_at: String,
    pub closed_at: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub advice_post_id: Option<PostId>,
    pub publish_consent: bool,
    #[schema(value_type = Option<i64>)]
    pub published_thread_id: Option<ThreadId>,
    pub steps: Vec<AdviceStepBody>,
    /// The office's notes (empty for the requester).
    pub notes: Vec<AdviceNoteBody>,
    /// Whether the caller works in the office.
    pub office: bool,
}

impl From<AdviceRequest> for AdviceBody {
    fn from(r: AdviceRequest) -> Self {
        AdviceBody {
            thread_id: r.thread_id,
            title: r.title,
            requester: r.requester.into(),
            status: r.status.to_string(),
            assignee: r.assignee.map(Into::into),
            due_at: forum_core::rfc3339(r.due_at),
            overdue: r.overdue,
            created_at: forum_core::rfc3339(r.created_at),
            closed_at: r.closed_at.map(forum_core::rfc3339),
            advice_post_id: r.advice_post_id,
            publish_consent: r.publish_consent,
            published_thread_id: r.published_thread_id,
            steps: r
                .steps
                .into_iter()
                .map(|s| AdviceStepBody {
                    action: s.action,
                    detail: s.detail,
                    actor: s.actor.into(),
                    at: forum_core::rfc3339(s.at),
                })
                .collect(),
            notes: r
                .notes
                .into_iter()
                .map(|n| AdviceNoteBody {
                    author: n.author.into(),
                    body: n.body,
                    created_at: forum_core::rfc3339(n.created_at),
                })
                .collect(),
            office: r.office,
        }
    }
}

/// A new request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceRequestBody {
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub title: String,
    /// The case, in Markdown.
    pub body: String,
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub attachments: Vec<AttachmentId>,
    pub language: Option<String>,
    pub acknowledge_personal_data: Option<AcknowledgeBody>,
}

/// Who handles a request, and by when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// A member of the office (default: the caller).
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<UserId>,
    /// RFC 3339.
    pub due_at: Option<String>,
}

/// A note, or the advice itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    pub body: String,
}

/// The requester's consent to an anonymised publication.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    pub consent: bool,
}

/// The anonymised analysis to publish.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishAdviceBody {
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    pub analysis: AnalysisRequest,
}

fn office(state: &AppState) -> (String, i64) {
    (
        state.settings.advice.group.clone(),
        state.settings.advice.due_days,
    )
}

const ID: &str = "the numeric id of the request's thread";

#[utoipa::path(post, path = "/api/v1/advice", request_body = AdviceRequestBody,
    responses((status = 201, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<AdviceRequestBody>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_post(&member.0.viewer).await?;
    let b = body.into_inner();
    super::posts::check_file_count(&state, b.attachments.len())?;
    let (group, due_days) = office(&state);
    let request = state
        .run(move |db| {
            db.request_advice(
                &member.0.viewer,
                &AdviceInput {
                    category_id: b.category_id,
                    title: &b.title,
                    body: &b.body,
                    jurisdictions: &b.jurisdictions,
                    attachments: &b.attachments,
                    language: b.language.as_deref(),
                    acknowledge_personal_data: b
                        .acknowledge_personal_data
                        .as_ref()
                        .map(|a| a.reason.as_str()),
                },
                &AdviceOffice {
                    group: &group,
                    due_days,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(AdviceBody::from(request)))
}

#[utoipa::path(get, path = "/api/v1/advice", responses((status = 200, body = [AdviceBody])))]
pub async fn list(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let list = state
        .run(move |db| db.advice_requests(&member.0.viewer))
        .await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(AdviceBody::from).collect::<Vec<_>>()))
}

#[utoipa::path(get, path = "/api/v1/advice/{id}", params(("id" = i64, Path, description = ID)),
    responses((status = 200, body = AdviceBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let r = state
        .run(move |db| db.advice_request(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(AdviceBody::from(r)))
}

#[utoipa::path(post, path = "/api/v1/advice/{id}/assign", params(("id" = i64, Path, description = ID)), request_body = AssignBody,
    responses((status = 200, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn assign(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<AssignBody>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let due_at = b
        .due_at
        .as_deref()
        .map(|d| super::colloquia::instant("due_at", d))
        .transpose()?;
    let r = state
        .run(move |db| db.assign_advice(&member.0.viewer, id, b.assignee_id, due_at))
        .await?;
    Ok(HttpResponse::Ok().json(AdviceBody::from(r)))
}

#[utoipa::path(post, path = "/api/v1/advice/{id}/notes", params(("id" = i64, Path, description = ID)), request_body = TextBody,
    responses((status = 201, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn note(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<TextBody>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let text = body.into_inner().body;
    let r = state
        .run(move |db| db.note_advice(&member.0.viewer, id, &text))
        .await?;
    Ok(HttpResponse::Created().json(AdviceBody::from(r)))
}

#[utoipa::path(post, path = "/api/v1/advice/{id}/advice", params(("id" = i64, Path, description = ID)), request_body = TextBody,
    responses((status = 200, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn give(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<TextBody>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_post(&member.0.viewer).await?;
    let id = path.into_inner();
    let text = body.into_inner().body;
    let r = state
        .run(move |db| db.give_advice(&member.0.viewer, id, &text))
        .await?;
    Ok(HttpResponse::Ok().json(AdviceBody::from(r)))
}

#[utoipa::path(post, path = "/api/v1/advice/{id}/consent", params(("id" = i64, Path, description = ID)), request_body = ConsentBody,
    responses((status = 200, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn consent(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<ConsentBody>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let yes = body.into_inner().consent;
    let r = state
        .run(move |db| db.consent_to_publish(&member.0.viewer, id, yes))
        .await?;
    Ok(HttpResponse::Ok().json(AdviceBody::from(r)))
}

#[utoipa::path(post, path = "/api/v1/advice/{id}/close", params(("id" = i64, Path, description = ID)),
    responses((status = 200, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn close(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let r = state
        .run(move |db| db.close_advice(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(AdviceBody::from(r)))
}

#[utoipa::path(post, path = "/api/v1/advice/{id}/publish", params(("id" = i64, Path, description = ID)), request_body = PublishAdviceBody,
    responses((status = 200, body = AdviceBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn publish(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<PublishAdviceBody>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let analysis: AnalysisInput = b.analysis.into();
    let r = state
        .run(move |db| {
            db.publish_advice(
                &member.0.viewer,
                id,
                &PublishedAdvice {
                    category_id: b.category_id,
                    title: &b.title,
                    body: &b.body,
                    jurisdictions: &b.jurisdictions,
                    analysis: &analysis,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(AdviceBody::from(r)))
}
