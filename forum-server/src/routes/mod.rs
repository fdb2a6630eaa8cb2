//! Routes: the JSON API under `/api/v1`, HTML pages, static assets, the
//! `/ws` websocket and `/healthz`.

pub mod api;
pub mod assets;
pub mod pages;
pub mod ws;

use actix_web::{HttpResponse, web};
use forum_core::CoreError;

use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz));
    cfg.route(
        "/.well-known/comity-export-key",
        web::get().to(api::threads::export_key),
    );
    cfg.route("/ws", web::get().to(ws::connect));
    api::configure(cfg);
    // Pages before files and assets (with a parameter each): no pattern
    // overlaps, and pages are asked for most.
    pages::configure(cfg);
    cfg.route("/files/{id}/{name}", web::get().to(api::attachments::serve));
    assets::configure(cfg);
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Runs a blocking forum-core call on the blocking pool.
pub async fn block<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, CoreError> + Send + 'static,
    T: Send + 'static,
{
    Ok(web::block(f).await??)
}
