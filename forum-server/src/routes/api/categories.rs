//! Categories.

use actix_web::{HttpResponse, web};

use super::types::*;
use crate::auth::Member;
use crate::error::ApiError;
use crate::startup::AppState;

#[utoipa::path(get, path = "/api/v1/categories", responses((status = 200, body = [CategoryBody])))]
pub async fn list(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let categories = state.run(move |db| db.categories(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(
        categories
            .into_iter()
            .map(CategoryBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(post, path = "/api/v1/categories", request_body = NewCategoryRequest,
    responses((status = 201, body = CategoryBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let category = state
        .run(move |db| {
            db.create_category(
                &member.0.viewer,
                &b.slug,
                &b.name,
                b.description.as_deref().unwrap_or(""),
                b.restricted_to_groups.as_deref().unwrap_or(&[]),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(CategoryBody::from(category)))
}
