//! Colloquia: time-boxed expert discussions, their participants and
//! guests, their versioned conclusions, and a calendar entry.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime};
use forum_core::features::network::{Colloquium, ColloquiumInput, ConclusionsVersion};
use forum_core::{CategoryId, ColloquiumId, ThreadId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{AuthorBody, InvitationResponse};
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

/// A participant of a colloquium.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantBody {
    #[serde(flatten)]
    pub member: AuthorBody,
    /// An outside expert on a time-limited account.
    pub guest: bool,
    /// The version of the conclusions they endorse.
    pub endorses: Option<i64>,
}

/// One version of the conclusions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConclusionsBody {
    pub version: i64,
    pub body: String,
    pub body_html: String,
    pub note: String,
    pub author: AuthorBody,
    pub created_at: String,
    pub published_at: Option<String>,
    /// Participants endorsing this version.
    pub endorsements: i64,
}

impl From<ConclusionsVersion> for ConclusionsBody {
    fn from(v: ConclusionsVersion) -> Self {
        ConclusionsBody {
            version: v.version,
            body: v.body,
            body_html: v.body_html.as_str().to_owned(),
            note: v.note,
            author: v.author.into(),
            created_at: forum_core::rfc3339(v.created_at),
            published_at: v.published_at.map(forum_core::rfc3339),
            endorsements: v.endorsements,
        }
    }
}

/// A colloquium.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColloquiumBody {
    pub id: i64,
    pub title: String,
    pub agenda: String,
    pub agenda_html: String,
    /// `upcoming`, `open` or `closed`: participants write only while open.
    pub state: String,
    pub opens_at: String,
    pub closes_at: String,
    pub organiser: AuthorBody,
    /// The discussion's category, restricted to the participants.
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub category_slug: String,
    /// The thread holding the agenda.
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    #[schema(value_type = i64)]
    pub publish_category_id: CategoryId,
    pub participants: Vec<ParticipantBody>,
    pub participating: bool,
    /// Newest first: every version for participants and staff, the
    /// published ones for other members.
    pub conclusions: Vec<ConclusionsBody>,
    #[schema(value_type = Option<i64>)]
    pub conclusions_thread_id: Option<ThreadId>,
    /// The `.ics` calendar entry.
    pub calendar_url: String,
}

impl From<Colloquium> for ColloquiumBody {
    fn from(c: Colloquium) -> Self {
        ColloquiumBody {
            id: c.id.into(),
            calendar_url: format!("/api/v1/colloquia/{}/calendar.ics", c.id),
            title: c.title,
            agenda: c.agenda,
            agenda_html: c.agenda_html.as_str().to_owned(),
            state: c.state.to_string(),
            opens_at: forum_core::rfc3339(c.opens_at),
            closes_at: forum_core::rfc3339(c.closes_at),
            organiser: c.organiser.into(),
            category_id: c.category_id,
            category_slug: c.category_slug,
            thread_id: c.thread_id,
            publish_category_id: c.publish_category_id,
            participants: c
                .participants
                .into_iter()
                .map(|p| ParticipantBody {
                    member: p.member.into(),
                    guest: p.guest,
                    endorses: p.endorses,
                })
                .collect(),
            participating: c.participating,
            conclusions: c.conclusions.into_iter().map(Into::into).collect(),
            conclusions_thread_id: c.conclusions_thread_id,
        }
    }
}

/// A new colloquium.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ColloquiumRequest {
    pub title: String,
    /// Markdown.
    pub agenda: String,
    /// RFC 3339.
    pub opens_at: String,
    /// RFC 3339, after `opens_at`.
    pub closes_at: String,
    /// Members taking part (the organiser always does).
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub participants: Vec<UserId>,
    /// The open category the conclusions are published in.
    #[schema(value_type = i64)]
    pub publish_category_id: CategoryId,
}

/// Members to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantsRequest {
    #[schema(value_type = Vec<i64>)]
    pub user_ids: Vec<UserId>,
}

/// An outside expert to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestRequest {
    pub email: String,
}

/// A new version of the conclusions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConclusionsRequest {
    /// Markdown.
    pub body: String,
    /// What changed in this version.
    #[serde(default)]
    pub note: String,
}

/// An RFC 3339 instant as the UTC the database keeps, or 422 on `field`.
pub(crate) fn instant(field: &'static str, raw: &str) -> Result<NaiveDateTime, ApiError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.naive_utc())
        .map_err(|_| {
            ApiError::invalid(
                field,
                "an RFC 3339 date and time, e.g. 2027-03-01T09:00:00Z",
            )
        })
}

#[utoipa::path(post, path = "/api/v1/colloquia", request_body = ColloquiumRequest,
    responses((status = 201, body = ColloquiumBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<ColloquiumRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let opens_at = instant("opens_at", &b.opens_at)?;
    let closes_at = instant("closes_at", &b.closes_at)?;
    let created = state
        .run(move |db| {
            db.create_colloquium(
                &member.0.viewer,
                &ColloquiumInput {
                    title: &b.title,
                    agenda: &b.agenda,
                    opens_at,
                    closes_at,
                    participants: &b.participants,
                    publish_category_id: b.publish_category_id,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(ColloquiumBody::from(created)))
}

#[utoipa::path(get, path = "/api/v1/colloquia",
    responses((status = 200, body = [ColloquiumBody])))]
pub async fn list(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let list = state.run(move |db| db.colloquia(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(ColloquiumBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(get, path = "/api/v1/colloquia/{id}", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = ColloquiumBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let c = state
        .run(move |db| db.colloquium(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(ColloquiumBody::from(c)))
}

#[utoipa::path(post, path = "/api/v1/colloquia/{id}/participants", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = ParticipantsRequest,
    responses((status = 200, body = ColloquiumBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_participants(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
    body: web::Json<ParticipantsRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let ids = body.into_inner().user_ids;
    let c = state
        .run(move |db| db.add_colloquium_participants(&member.0.viewer, id, &ids))
        .await?;
    Ok(HttpResponse::Ok().json(ColloquiumBody::from(c)))
}

#[utoipa::path(post, path = "/api/v1/colloquia/{id}/guests", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = GuestRequest,
    responses((status = 201, body = InvitationResponse), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn invite_guest(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
    body: web::Json<GuestRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let email = body.into_inner().email;
    let issued = state
        .run(move |db| db.invite_colloquium_guest(&member.0.viewer, id, &email))
        .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        url: state.links.invitation(&issued.token),
        token: issued.token,
        email: issued.email,
        role: issued.role.to_string(),
        expires_at: forum_core::rfc3339(issued.expires_at),
    }))
}

#[utoipa::path(post, path = "/api/v1/colloquia/{id}/conclusions", params(("id" = i64, Path, description = "the numeric id in the path")), request_body = ConclusionsRequest,
    responses((status = 201, body = ColloquiumBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn write_conclusions(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
    body: web::Json<ConclusionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let c = state
        .run(move |db| db.write_conclusions(&member.0.viewer, id, &b.body, &b.note))
        .await?;
    Ok(HttpResponse::Created().json(ColloquiumBody::from(c)))
}

#[utoipa::path(post, path = "/api/v1/colloquia/{id}/conclusions/publish", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = ColloquiumBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn publish(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let c = state
        .run(move |db| db.publish_conclusions(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(ColloquiumBody::from(c)))
}

#[utoipa::path(post, path = "/api/v1/colloquia/{id}/conclusions/endorse", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = ColloquiumBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn endorse(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let c = state
        .run(move |db| db.endorse_conclusions(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(ColloquiumBody::from(c)))
}

/// The colloquium as an iCalendar (RFC 5545) event, for any calendar.
pub fn calendar_of(c: &Colloquium, base_url: &str) -> String {
    use icalendar::{Calendar, Component, EventLike};
    let url = format!("{}/colloquia/{}", base_url.trim_end_matches('/'), c.id);
    let event = icalendar::Event::new()
        .uid(&format!("colloquium-{}@comity", c.id))
        .summary(&c.title)
        .description(&format!("{}\n\n{url}", c.agenda))
        .url(&url)
        .starts(c.opens_at.and_utc())
        .ends(c.closes_at.and_utc())
        .done();
    Calendar::new()
        .name(&c.title)
        .push(event)
        .done()
        .to_string()
}

#[utoipa::path(get, path = "/api/v1/colloquia/{id}/calendar.ics", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, description = "an iCalendar event", content_type = "text/calendar"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn calendar(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ColloquiumId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let c = state
        .run(move |db| db.colloquium(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"colloquium-{}.ics\"", c.id),
        ))
        .body(calendar_of(&c, state.links.base())))
}
