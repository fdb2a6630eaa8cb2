//! The JSON API v1, as in `API.md`. One module per resource; every handler
//! is a thin translation to a `forum-core` call.

pub mod advice;
pub mod analyses;
pub mod attachments;
pub mod auth;
pub mod categories;
pub mod colloquia;
pub mod dialogues;
pub mod drafts;
pub mod invitations;
pub mod live;
pub mod me;
pub mod moderation;
pub mod network;
pub mod notifications;
pub mod openapi;
pub mod posts;
pub mod search;
pub mod threads;
pub mod types;
pub mod users;
pub mod webhooks;

use actix_web::web;
use forum_core::error::ErrorCode;

use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut api = super::grouped::Grouped::default();
    api.route("/openapi.json", web::get().to(openapi::serve))
        .route("/auth/login", web::post().to(auth::login))
        .route("/auth/refresh", web::post().to(auth::refresh))
        .route("/auth/logout", web::post().to(auth::logout))
        .route("/auth/register", web::post().to(auth::register))
        .route("/auth/password-reset", web::post().to(users::reset))
        .route(
            "/users/{id}/sessions",
            web::delete().to(users::end_sessions),
        )
        .route(
            "/users/{id}/password-reset",
            web::post().to(users::issue_reset),
        )
        .route("/me", web::get().to(me::me))
        .route("/me", web::patch().to(network::update_me))
        .route("/me/profile", web::get().to(network::my_profile))
        .route("/me/export", web::get().to(me::export))
        .route("/me/feed-token", web::post().to(me::revoke_feed_token))
        .route("/experts", web::get().to(network::experts))
        .route("/experts/proposals", web::get().to(network::proposals))
        .route("/experts/{id}", web::get().to(network::expert))
        .route("/questions", web::post().to(network::ask))
        .route("/questions", web::get().to(network::questions))
        .route("/questions/stats", web::get().to(network::question_stats))
        .route("/questions/{id}", web::get().to(network::question))
        .route("/questions/{id}/accept", web::post().to(network::accept))
        .route("/coverage", web::get().to(network::coverage))
        .route("/advice", web::post().to(advice::create))
        .route("/advice", web::get().to(advice::list))
        .route("/advice/{id}", web::get().to(advice::show))
        .route("/advice/{id}/assign", web::post().to(advice::assign))
        .route("/advice/{id}/notes", web::post().to(advice::note))
        .route("/advice/{id}/advice", web::post().to(advice::give))
        .route("/advice/{id}/consent", web::post().to(advice::consent))
        .route("/advice/{id}/close", web::post().to(advice::close))
        .route("/advice/{id}/publish", web::post().to(advice::publish))
        .route("/dialogues", web::post().to(dialogues::create))
        .route("/dialogues", web::get().to(dialogues::list))
        .route("/dialogues/{id}", web::get().to(dialogues::show))
        .route("/dialogues/{id}", web::put().to(dialogues::update))
        .route("/dialogues/{id}/pdf", web::get().to(dialogues::pdf))
        .route("/colloquia", web::post().to(colloquia::create))
        .route("/colloquia", web::get().to(colloquia::list))
        .route("/colloquia/{id}", web::get().to(colloquia::show))
        .route(
            "/colloquia/{id}/participants",
            web::post().to(colloquia::add_participants),
        )
        .route(
            "/colloquia/{id}/guests",
            web::post().to(colloquia::invite_guest),
        )
        .route(
            "/colloquia/{id}/conclusions",
            web::post().to(colloquia::write_conclusions),
        )
        .route(
            "/colloquia/{id}/conclusions/publish",
            web::post().to(colloquia::publish),
        )
        .route(
            "/colloquia/{id}/conclusions/endorse",
            web::post().to(colloquia::endorse),
        )
        .route(
            "/colloquia/{id}/calendar.ics",
            web::get().to(colloquia::calendar),
        )
        .route("/me/sessions", web::get().to(me::sessions))
        .route("/me/sessions", web::delete().to(me::revoke_others))
        .route("/me/sessions/{id}", web::delete().to(me::revoke_one))
        .route("/me/password", web::post().to(me::change_password))
        .route("/me/totp", web::post().to(me::begin_totp))
        .route("/me/totp", web::delete().to(me::disable_totp))
        .route("/me/totp/confirm", web::post().to(me::confirm_totp))
        .route("/me/email", web::get().to(me::email_preferences))
        .route("/me/email", web::put().to(me::set_email_preferences))
        .route("/invitations", web::post().to(invitations::create))
        .route("/invitations", web::get().to(invitations::pending))
        .route("/invitations/{id}", web::delete().to(invitations::revoke))
        .route("/users", web::get().to(users::list))
        .route("/users/{id}", web::patch().to(users::update))
        .route("/users/{id}/erase", web::post().to(users::erase))
        .route("/admin/live", web::get().to(live::stats))
        .route("/admin/webhooks", web::get().to(webhooks::list))
        .route("/admin/webhooks", web::post().to(webhooks::create))
        .route("/admin/webhooks/{id}", web::delete().to(webhooks::delete))
        .route(
            "/admin/webhooks/{id}/enable",
            web::post().to(webhooks::enable),
        )
        .route(
            "/admin/webhooks/{id}/deliveries",
            web::get().to(webhooks::deliveries),
        )
        .route("/categories", web::get().to(categories::list))
        .route("/categories", web::post().to(categories::create))
        .route("/threads", web::get().to(threads::list))
        .route("/threads", web::post().to(threads::create))
        .route("/threads/{id}", web::get().to(threads::show))
        .route("/threads/{id}", web::patch().to(threads::update))
        .route(
            "/threads/{id}/endorsements",
            web::post().to(analyses::endorse),
        )
        .route(
            "/threads/{id}/endorsements/mine",
            web::delete().to(analyses::withdraw),
        )
        .route("/jurisdictions", web::get().to(analyses::jurisdictions))
        .route("/instruments", web::get().to(analyses::instruments))
        .route("/compare", web::get().to(analyses::compare))
        .route("/notifications", web::get().to(notifications::list))
        .route(
            "/notifications/read",
            web::post().to(notifications::mark_read),
        )
        .route("/watches", web::get().to(notifications::watches))
        .route("/watches", web::put().to(notifications::set_watch))
        .route("/search", web::get().to(search::search))
        .route("/search/suggest", web::get().to(search::suggest))
        .route("/threads/{id}/related", web::get().to(search::related))
        .route("/analyses/review", web::get().to(analyses::review))
        .route("/posts/{id}/flags", web::post().to(moderation::flag_post))
        .route("/posts/{id}/hide", web::post().to(moderation::hide_post))
        .route("/posts/{id}/redactions", web::post().to(posts::redact))
        .route("/threads/{id}/export", web::get().to(threads::export))
        .route(
            "/threads/{id}/break-glass",
            web::post().to(moderation::break_glass),
        )
        .route(
            "/posts/{id}/restore",
            web::post().to(moderation::restore_post),
        )
        .route("/threads/{id}/lock", web::post().to(moderation::lock))
        .route("/threads/{id}/unlock", web::post().to(moderation::unlock))
        .route("/threads/{id}/pin", web::post().to(moderation::pin))
        .route("/threads/{id}/unpin", web::post().to(moderation::unpin))
        .route(
            "/threads/{id}/move",
            web::post().to(moderation::move_thread),
        )
        .route(
            "/threads/{id}/slow-mode",
            web::post().to(moderation::slow_mode),
        )
        .route("/threads/{id}/feature", web::post().to(moderation::feature))
        .route(
            "/threads/{id}/unfeature",
            web::post().to(moderation::unfeature),
        )
        .route("/threads/{id}/merge", web::post().to(moderation::merge))
        .route("/threads/{id}/split", web::post().to(moderation::split))
        .route("/analyses/featured", web::get().to(moderation::featured))
        .route("/users/{id}/suspend", web::post().to(moderation::suspend))
        .route(
            "/users/{id}/unsuspend",
            web::post().to(moderation::unsuspend),
        )
        .route("/moderation/flags", web::get().to(moderation::queue))
        .route(
            "/moderation/flags/{id}",
            web::get().to(moderation::flag_case),
        )
        .route(
            "/moderation/flags/{id}/assign",
            web::post().to(moderation::assign_flag),
        )
        .route(
            "/moderation/flags/{id}/notes",
            web::post().to(moderation::note_flag),
        )
        .route(
            "/moderation/flags/{id}/resolve",
            web::post().to(moderation::resolve_flag),
        )
        .route("/moderation/stats", web::get().to(moderation::stats))
        .route("/moderation/audit", web::get().to(moderation::audit))
        .route("/me/flags", web::get().to(me::my_flags))
        .route("/groups", web::get().to(moderation::groups))
        .route("/groups", web::post().to(moderation::create_group))
        .route(
            "/groups/{id}/members",
            web::post().to(moderation::group_member),
        )
        .route("/threads/{id}/posts", web::post().to(posts::create))
        .route("/threads/{id}/draft", web::get().to(drafts::show))
        .route("/threads/{id}/draft", web::put().to(drafts::save))
        .route("/threads/{id}/draft", web::delete().to(drafts::discard))
        .route("/preview", web::post().to(drafts::preview))
        .route("/posts/{id}", web::patch().to(posts::edit))
        .route("/attachments", web::post().to(attachments::upload))
        .route(
            "/attachments/{id}/visibility",
            web::post().to(attachments::set_visibility),
        )
        .route(
            "/attachments/{id}/remove-author",
            web::post().to(attachments::remove_author),
        )
        .route("/posts/{id}/revisions", web::get().to(posts::revisions));
    cfg.service(api.into_scope("/api/v1", || web::to(not_found)));
}

async fn not_found() -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    ApiError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "no such endpoint",
    )
    .error_response()
}
