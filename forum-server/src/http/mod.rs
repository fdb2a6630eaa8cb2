//! Request middleware, outermost first: response caching headers and
//! compression, cross-site refusal, then who is calling and in which
//! language (with, on PostgreSQL, the log's head the request's cached
//! reads are fresh to).

pub mod caching;
pub mod csrf;
pub mod head;
pub mod identity;

use actix_web::dev::ServiceRequest;
use actix_web::web;

use crate::error::ApiError;
use crate::startup::AppState;

/// The application state a middleware works with.
fn app_state(req: &ServiceRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}
