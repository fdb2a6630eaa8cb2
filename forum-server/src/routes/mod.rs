//! Routes: the JSON API under `/api/v1`, HTML pages, static assets, the
//! `/ws` websocket, `/healthz` and `/readyz`.

pub mod api;
pub mod assets;
pub mod grouped;
pub mod pages;
pub mod ws;

use actix_web::{HttpResponse, web};
use forum_core::CoreError;

use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz));
    cfg.route("/readyz", web::get().to(readyz));
    cfg.route("/metrics", web::get().to(crate::metrics::scrape));
    cfg.route(
        "/.well-known/comity-export-key",
        web::get().to(api::threads::export_key),
    );
    cfg.route("/ws", web::get().to(ws::connect));
    crate::feeds::configure(cfg);
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

/// Ready to serve: the database answers, its schema is this build's, and
/// the search index opens. 200, else 503 naming what is not (a load
/// balancer sends no traffic to it meanwhile); `/healthz` only says the
/// process runs.
async fn readyz(state: web::Data<crate::startup::AppState>) -> HttpResponse {
    let db = state.db.clone();
    let (database, migrations) =
        match crate::http::head::blocking(move || db.migrations_pending()).await {
            Ok(Ok(false)) => ("ok", "current"),
            Ok(Ok(true)) => ("ok", "pending"),
            _ => ("unreachable", "unknown"),
        };
    let index = if state.search.index().is_ok() {
        "ok"
    } else {
        "unavailable"
    };
    let ready = database == "ok" && migrations == "current" && index == "ok";
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "not_ready" },
        "database": database,
        "migrations": migrations,
        "index": index,
    });
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Runs a blocking forum-core call on the blocking pool, at the log's head
/// the request read ([`crate::http::head::blocking`]).
pub async fn block<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, CoreError> + Send + 'static,
    T: Send + 'static,
{
    Ok(crate::http::head::blocking(f).await??)
}
