//! Embedded static assets, cached forever under content-hashed names.

use actix_web::{HttpRequest, HttpResponse, web};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/assets/{name}", web::get().to(serve))
        .route("/favicon.ico", web::get().to(favicon));
}

/// The icon at the address browsers and tools ask for by themselves: it
/// changes rarely but is not content-addressed, so it is cached a day.
async fn favicon() -> HttpResponse {
    match views::assets::lookup("/favicon.ico") {
        Some((body, content_type)) => HttpResponse::Ok()
            .content_type(content_type)
            .insert_header(("Cache-Control", "public, max-age=86400"))
            .body(body),
        None => HttpResponse::NotFound().finish(),
    }
}

async fn serve(req: HttpRequest) -> HttpResponse {
    match views::assets::lookup(req.path()) {
        Some((body, content_type)) => HttpResponse::Ok()
            .content_type(content_type)
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .body(body),
        None => HttpResponse::NotFound()
            .content_type("text/plain")
            .body("not found"),
    }
}
