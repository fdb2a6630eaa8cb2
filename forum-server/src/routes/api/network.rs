//! The expert network: one's profile, the expert directory, routed
//! questions and the coverage of analyses.

use actix_web::{HttpResponse, web};
use forum_core::domain::QuestionStatus;
use forum_core::features::network::{
    Contributions, CoverageFilter, ExpertFilter, ExpertProfile, ProfileUpdate, QuestionInput,
    QuestionStats, RoutedQuestion,
};
use forum_core::{CategoryId, PostId, ThreadId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::AuthorBody;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

/// A member's directory entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertBody {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub country: String,
    pub profession: String,
    pub organisation: String,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub crime_areas: Vec<String>,
    pub instruments: Vec<String>,
    pub expertise_jurisdictions: Vec<String>,
    pub bio: String,
}

impl From<ExpertProfile> for ExpertBody {
    fn from(p: ExpertProfile) -> Self {
        ExpertBody {
            id: p.id.into(),
            username: p.username,
            display_name: p.display_name,
            country: p.country,
            profession: p.profession,
            organisation: p.organisation,
            languages: p.languages,
            crime_areas: p.crime_areas,
            instruments: p.instruments,
            expertise_jurisdictions: p.expertise_jurisdictions,
            bio: p.bio,
        }
    }
}

/// One's own profile, with the choices only its owner sees.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileBody {
    #[serde(flatten)]
    pub expert: ExpertBody,
    /// `members`, `staff` or `hidden`.
    pub directory_visibility: String,
    /// Takes no routed questions for now.
    pub routing_paused: bool,
}

impl From<ExpertProfile> for ProfileBody {
    fn from(p: ExpertProfile) -> Self {
        ProfileBody {
            directory_visibility: p.directory_visibility.as_str().to_owned(),
            routing_paused: p.routing_paused,
            expert: p.into(),
        }
    }
}

/// A directory entry with what the member contributed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertDetailBody {
    #[serde(flatten)]
    pub expert: ExpertBody,
    /// Analyses you may read, endorsements they received, answers accepted.
    #[schema(value_type = Object)]
    pub contributions: Contributions,
}

/// Changes to one's profile; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileRequest {
    pub display_name: Option<String>,
    pub organisation: Option<String>,
    pub languages: Option<Vec<String>>,
    pub crime_areas: Option<Vec<String>>,
    pub instruments: Option<Vec<String>>,
    pub expertise_jurisdictions: Option<Vec<String>>,
    pub bio: Option<String>,
    /// `members` (default), `staff` or `hidden`.
    pub directory_visibility: Option<String>,
    /// Pause (or resume) routed questions.
    pub routing_paused: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExpertQuery {
    /// A country or region: its members and those who know its law.
    pub jurisdiction: Option<String>,
    /// ISO 639-1.
    pub language: Option<String>,
    pub crime_area: Option<String>,
    pub instrument: Option<String>,
    pub profession: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ProposalQuery {
    #[param(value_type = i64)]
    pub category_id: CategoryId,
    /// Comma-separated codes: `MA` or `MA,DZ`.
    pub jurisdictions: String,
    /// Comma-separated crime areas.
    pub crime_areas: Option<String>,
}

/// A question to route to experts.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QuestionRequest {
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub title: String,
    pub body: String,
    /// The countries or regions whose law it asks about.
    pub jurisdictions: Vec<String>,
    #[serde(default)]
    pub crime_areas: Vec<String>,
    /// The experts to ask (as confirmed from the proposals); absent: the
    /// forum's proposals.
    #[schema(value_type = Option<Vec<i64>>)]
    pub experts: Option<Vec<UserId>>,
    pub language: Option<String>,
    pub acknowledge_personal_data: Option<super::types::AcknowledgeBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionCreatedBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    #[schema(value_type = Vec<i64>)]
    pub routed_to: Vec<UserId>,
}

/// A routed question and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub title: String,
    pub asker: AuthorBody,
    pub jurisdictions: Vec<String>,
    /// `open`, `answered` or `accepted`.
    pub status: String,
    pub routed_to: Vec<AuthorBody>,
    pub created_at: String,
    pub first_answer_at: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub accepted_post_id: Option<PostId>,
}

impl From<RoutedQuestion> for QuestionBody {
    fn from(q: RoutedQuestion) -> Self {
        QuestionBody {
            thread_id: q.thread_id,
            title: q.title,
            asker: q.asker.into(),
            jurisdictions: q.jurisdictions,
            status: q.status.as_str().to_owned(),
            routed_to: q.routed_to.into_iter().map(Into::into).collect(),
            created_at: forum_core::rfc3339(q.created_at),
            first_answer_at: q.first_answer_at.map(forum_core::rfc3339),
            accepted_post_id: q.accepted_post_id,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QuestionListQuery {
    /// `open`, `answered` or `accepted`.
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptRequest {
    #[schema(value_type = i64)]
    pub post_id: PostId,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionStatsBody {
    pub jurisdiction: String,
    pub open: i64,
    pub answered: i64,
    pub median_hours_to_answer: Option<f64>,
}

impl From<QuestionStats> for QuestionStatsBody {
    fn from(s: QuestionStats) -> Self {
        QuestionStatsBody {
            jurisdiction: s.jurisdiction,
            open: s.open,
            answered: s.answered,
            median_hours_to_answer: s.median_hours_to_answer,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CoverageQuery {
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    /// `true`: only analyses stated as of the last two years.
    #[serde(default)]
    pub recent: bool,
    /// `instrument` (default) or `crime_area`: the matrix's columns.
    pub by: Option<String>,
}

/// Analyses per jurisdiction tag, and per tag and instrument (or crime
/// area).
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageBody {
    #[schema(value_type = Object)]
    pub jurisdictions: std::collections::BTreeMap<String, i64>,
    #[schema(value_type = Object)]
    pub matrix: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>>,
}

fn split(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// In the reader's alphabetical order, by display name.
fn sorted(mut experts: Vec<ExpertProfile>) -> Vec<ExpertProfile> {
    views::I18n::new(crate::i18n::current()).sort_by_name(&mut experts, |e| &e.display_name);
    experts
}

#[utoipa::path(patch, path = "/api/v1/me", request_body = ProfileRequest,
    responses((status = 200, body = ProfileBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_me(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<ProfileRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let profile = state
        .run(move |db| {
            db.update_profile(
                &member.0.viewer,
                &ProfileUpdate {
                    display_name: b.display_name.as_deref(),
                    organisation: b.organisation.as_deref(),
                    languages: b.languages.as_deref(),
                    crime_areas: b.crime_areas.as_deref(),
                    instruments: b.instruments.as_deref(),
                    expertise_jurisdictions: b.expertise_jurisdictions.as_deref(),
                    bio: b.bio.as_deref(),
                    directory_visibility: b.directory_visibility.as_deref(),
                    routing_paused: b.routing_paused,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProfileBody::from(profile)))
}

#[utoipa::path(get, path = "/api/v1/me/profile", responses((status = 200, body = ProfileBody)))]
pub async fn my_profile(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let profile = state
        .run(move |db| db.expert_profile(&viewer, viewer.id))
        .await?;
    Ok(HttpResponse::Ok().json(ProfileBody::from(profile)))
}

#[utoipa::path(get, path = "/api/v1/experts", params(ExpertQuery),
    responses((status = 200, body = [ExpertBody]), (status = 422, body = crate::error::ErrorBody)))]
pub async fn experts(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ExpertQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let filter = ExpertFilter {
        jurisdiction: q.jurisdiction,
        language: q.language,
        crime_area: q.crime_area,
        instrument: q.instrument,
        profession: q.profession,
    }
    .validated()?;
    let found = state
        .run(move |db| db.experts(&member.0.viewer, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(
        sorted(found)
            .into_iter()
            .map(ExpertBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(get, path = "/api/v1/experts/{id}", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = ExpertDetailBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn expert(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let viewer = member.0.viewer;
    let (profile, contributions) = state
        .run(move |db| {
            Ok((
                db.expert_profile(&viewer, id)?,
                db.contributions(&viewer, id)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(ExpertDetailBody {
        expert: profile.into(),
        contributions,
    }))
}

#[utoipa::path(get, path = "/api/v1/experts/proposals", params(ProposalQuery),
    responses((status = 200, body = [ExpertBody]), (status = 422, body = crate::error::ErrorBody)))]
pub async fn proposals(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ProposalQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let cap = state.settings.routing.weekly_cap;
    let found = state
        .run(move |db| {
            db.propose_experts(
                &member.0.viewer,
                q.category_id,
                &split(&q.jurisdictions),
                &split(q.crime_areas.as_deref().unwrap_or_default()),
                cap,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.into_iter().map(ExpertBody::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/v1/questions", request_body = QuestionRequest,
    responses((status = 201, body = QuestionCreatedBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn ask(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<QuestionRequest>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_post(&member.0.viewer).await?;
    let b = body.into_inner();
    let cap = state.settings.routing.weekly_cap;
    let (thread, routed_to) = state
        .run(move |db| {
            db.ask_question(
                &member.0.viewer,
                &QuestionInput {
                    category_id: b.category_id,
                    title: &b.title,
                    body: &b.body,
                    jurisdictions: &b.jurisdictions,
                    crime_areas: &b.crime_areas,
                    experts: b.experts.as_deref(),
                    language: b.language.as_deref(),
                    acknowledge_personal_data: b
                        .acknowledge_personal_data
                        .as_ref()
                        .map(|a| a.reason.as_str()),
                },
                cap,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(QuestionCreatedBody {
        thread_id: thread.id,
        routed_to,
    }))
}

#[utoipa::path(get, path = "/api/v1/questions", params(QuestionListQuery),
    responses((status = 200, body = [QuestionBody]), (status = 422, body = crate::error::ErrorBody)))]
pub async fn questions(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<QuestionListQuery>,
) -> Result<HttpResponse, ApiError> {
    let status = query
        .into_inner()
        .status
        .filter(|s| !s.trim().is_empty())
        .map(|s| QuestionStatus::parse(&s))
        .transpose()?;
    let list = state
        .run(move |db| db.routed_questions(&member.0.viewer, status))
        .await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(QuestionBody::from).collect::<Vec<_>>()))
}

#[utoipa::path(get, path = "/api/v1/questions/stats",
    responses((status = 200, body = [QuestionStatsBody]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn question_stats(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let viewer = member.0.viewer;
    let stats = state.run(move |db| db.question_stats(&viewer)).await?;
    Ok(HttpResponse::Ok().json(
        stats
            .into_iter()
            .map(QuestionStatsBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(get, path = "/api/v1/questions/{id}", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = QuestionBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn question(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let q = state
        .run(move |db| db.routed_question(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(QuestionBody::from(q)))
}

#[utoipa::path(post, path = "/api/v1/questions/{id}/accept", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = AcceptRequest,
    responses((status = 200, body = QuestionBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn accept(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<AcceptRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let post = body.into_inner().post_id;
    let q = state
        .run(move |db| db.accept_answer(&member.0.viewer, id, post))
        .await?;
    Ok(HttpResponse::Ok().json(QuestionBody::from(q)))
}

#[utoipa::path(get, path = "/api/v1/coverage", params(CoverageQuery),
    responses((status = 200, body = CoverageBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn coverage(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<CoverageQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let by_crime_area = match q.by.as_deref().map(str::trim) {
        None | Some("") | Some("instrument") => false,
        Some("crime_area") => true,
        Some(_) => {
            return Err(
                forum_core::CoreError::invalid("by", "must be instrument or crime_area").into(),
            );
        }
    };
    let filter = CoverageFilter {
        instrument: q.instrument,
        crime_area: q.crime_area,
        recent: q.recent,
        by_crime_area,
    }
    .validated()?;
    let c = state
        .run(move |db| db.coverage(&member.0.viewer, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(CoverageBody {
        jurisdictions: c.jurisdictions,
        matrix: c.matrix,
    }))
}
