//! Dialogues: publications compiled from analyses and conclusions, as JSON
//! and as a printable PDF.

use actix_web::{HttpResponse, web};
use forum_core::features::network::{Dialogue, DialogueInput, DialogueSummary};
use forum_core::{DialogueId, ThreadId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::AuthorBody;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

/// A chapter: an analysis or a colloquium's conclusions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChapterBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub title: String,
    /// `analysis`, or `discussion` for published conclusions.
    pub kind: String,
    /// `CLEAR` or `GREEN`.
    pub mark: String,
    pub author: AuthorBody,
    pub jurisdictions: Vec<String>,
    pub created_at: String,
    pub body: String,
    pub body_html: String,
    /// The analysis summary, for analyses.
    pub summary: Option<String>,
    /// `"FR: Code pénal, art. 450-1"`, for analyses.
    pub legal_provisions: Vec<String>,
    /// `"Cour de cassation, 2019-03-12, 18-80.123 (ECLI:…)"`.
    pub case_citations: Vec<String>,
    /// The colloquium these are the conclusions of.
    #[schema(value_type = Option<i64>)]
    pub colloquium_id: Option<forum_core::ColloquiumId>,
}

/// A dialogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct DialogueBody {
    #[schema(value_type = i64)]
    pub id: DialogueId,
    pub title: String,
    pub intro: String,
    pub intro_html: String,
    pub jurisdictions: Vec<String>,
    pub compiled_by: AuthorBody,
    pub created_at: String,
    pub updated_at: String,
    /// The strictest mark of its chapters: `CLEAR` or `GREEN`.
    pub mark: String,
    pub chapters: Vec<ChapterBody>,
    /// Chapters left out for the caller (since marked stricter, hidden, or
    /// out of their sight).
    pub omitted: usize,
    pub pdf_url: String,
}

impl From<Dialogue> for DialogueBody {
    fn from(d: Dialogue) -> Self {
        DialogueBody {
            id: d.id,
            pdf_url: format!("/api/v1/dialogues/{}/pdf", d.id),
            mark: d.mark().as_str().to_owned(),
            title: d.title,
            intro: d.intro,
            intro_html: d.intro_html.as_str().to_owned(),
            jurisdictions: d.jurisdictions,
            compiled_by: d.compiled_by.into(),
            created_at: forum_core::rfc3339(d.created_at),
            updated_at: forum_core::rfc3339(d.updated_at),
            omitted: d.omitted,
            chapters: d
                .chapters
                .into_iter()
                .map(|c| ChapterBody {
                    thread_id: c.thread_id,
                    title: c.title,
                    kind: c.kind.as_str().to_owned(),
                    mark: c.mark.as_str().to_owned(),
                    author: c.author.into(),
                    jurisdictions: c.jurisdictions,
                    created_at: forum_core::rfc3339(c.created_at),
                    body: c.body,
                    body_html: c.body_html.as_str().to_owned(),
                    summary: c.analysis.as_ref().map(|a| a.summary.clone()),
                    legal_provisions: c
                        .analysis
                        .as_ref()
                        .map(|a| {
                            a.legal_provisions
                                .iter()
                                .map(|p| format!("{}: {}", p.jurisdiction, p.text))
                                .collect()
                        })
                        .unwrap_or_default(),
                    case_citations: c
                        .analysis
                        .as_ref()
                        .map(|a| a.case_citations.iter().map(|k| k.cite()).collect())
                        .unwrap_or_default(),
                    colloquium_id: c.colloquium,
                })
                .collect(),
        }
    }
}

/// A dialogue in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct DialogueSummaryBody {
    #[schema(value_type = i64)]
    pub id: DialogueId,
    pub title: String,
    pub jurisdictions: Vec<String>,
    pub chapters: usize,
    pub updated_at: String,
}

impl From<DialogueSummary> for DialogueSummaryBody {
    fn from(d: DialogueSummary) -> Self {
        DialogueSummaryBody {
            id: d.id,
            title: d.title,
            jurisdictions: d.jurisdictions,
            chapters: d.chapters,
            updated_at: forum_core::rfc3339(d.updated_at),
        }
    }
}

/// A dialogue as staff compile it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DialogueRequest {
    pub title: String,
    /// Markdown: the foreword.
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// Its chapters in order: analyses and published conclusions, `CLEAR`
    /// or `GREEN`.
    #[schema(value_type = Vec<i64>)]
    pub thread_ids: Vec<ThreadId>,
}

#[utoipa::path(post, path = "/api/v1/dialogues", request_body = DialogueRequest,
    responses((status = 201, body = DialogueBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<DialogueRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let d = state
        .run(move |db| {
            db.create_dialogue(
                &member.0.viewer,
                &DialogueInput {
                    title: &b.title,
                    intro: &b.intro,
                    jurisdictions: &b.jurisdictions,
                    threads: &b.thread_ids,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(DialogueBody::from(d)))
}

#[utoipa::path(put, path = "/api/v1/dialogues/{id}", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = DialogueRequest,
    responses((status = 200, body = DialogueBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<DialogueId>,
    body: web::Json<DialogueRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let d = state
        .run(move |db| {
            db.update_dialogue(
                &member.0.viewer,
                id,
                &DialogueInput {
                    title: &b.title,
                    intro: &b.intro,
                    jurisdictions: &b.jurisdictions,
                    threads: &b.thread_ids,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(DialogueBody::from(d)))
}

#[utoipa::path(get, path = "/api/v1/dialogues", responses((status = 200, body = [DialogueSummaryBody])))]
pub async fn list(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let list = state.run(move |db| db.dialogues(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(DialogueSummaryBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(get, path = "/api/v1/dialogues/{id}", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = DialogueBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<DialogueId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let d = state
        .run(move |db| db.dialogue(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(DialogueBody::from(d)))
}

/// The PDF of dialogue `d` as a response.
pub fn pdf_response(d: &Dialogue, state: &AppState) -> Result<HttpResponse, ApiError> {
    let bytes =
        crate::export::dialogue_printable(d, state.links.base()).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"dialogue-{}.pdf\"", d.id),
        ))
        .body(bytes))
}

#[utoipa::path(get, path = "/api/v1/dialogues/{id}/pdf", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, description = "the printable dialogue", content_type = "application/pdf"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn pdf(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<DialogueId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let d = state
        .run(move |db| db.dialogue(&member.0.viewer, id))
        .await?;
    pdf_response(&d, &state)
}
