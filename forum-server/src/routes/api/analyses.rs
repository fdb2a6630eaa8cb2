//! Legal analyses: the taxonomy and catalogue, the comparison matrix,
//! endorsements and the review list.

use actix_web::{HttpResponse, web};
use forum_core::ThreadId;
use forum_core::features::analyses::CompareQuery;

use super::types::*;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[utoipa::path(get, path = "/api/v1/jurisdictions", responses((status = 200, body = [JurisdictionBody])))]
pub async fn jurisdictions() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(
            forum_core::domain::jurisdictions::all()
                .map(JurisdictionBody::from)
                .collect::<Vec<_>>(),
        )
}

#[utoipa::path(get, path = "/api/v1/instruments", responses((status = 200, body = [InstrumentBody])))]
pub async fn instruments() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(
            forum_core::domain::instruments::all()
                .iter()
                .map(InstrumentBody::from)
                .collect::<Vec<_>>(),
        )
}

#[utoipa::path(get, path = "/api/v1/compare", params(CompareQueryParams),
    responses((status = 200, body = CompareBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn compare(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<CompareQueryParams>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let query = CompareQuery {
        instrument: q.instrument,
        crime_area: q.crime_area,
        jurisdictions: q
            .jurisdictions
            .split(',')
            .map(str::trim)
            .filter(|j| !j.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let columns = state
        .run(move |db| db.compare(&member.0.viewer, &query))
        .await?;
    Ok(HttpResponse::Ok().json(CompareBody {
        columns: columns
            .into_iter()
            .map(|c| CompareColumnBody {
                jurisdiction: c.jurisdiction,
                analyses: c
                    .analyses
                    .into_iter()
                    .map(|t| CompareCell {
                        thread_id: t.id,
                        title: t.title,
                        summary: t.summary,
                        jurisdictions: t.jurisdictions,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/threads/{id}/endorsements", request_body = EndorseRequest,
    params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 201), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn endorse(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<EndorseRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let jurisdiction = body.into_inner().jurisdiction;
    state
        .run(move |db| db.endorse(&member.0.viewer, id, &jurisdiction))
        .await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "endorsed": true })))
}

#[utoipa::path(delete, path = "/api/v1/threads/{id}/endorsements/mine",
    params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn withdraw(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    state
        .run(move |db| db.withdraw_endorsement(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/analyses/review",
    responses((status = 200, body = [ReviewItem]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn review(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let due = state
        .run(move |db| db.analyses_needing_review(&member.0.viewer))
        .await?;
    Ok(HttpResponse::Ok().json(
        due.into_iter()
            .map(|(thread, reasons)| ReviewItem {
                thread: thread.into(),
                reasons,
            })
            .collect::<Vec<_>>(),
    ))
}
