//! The OpenAPI document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::OpenApi;

use super::{
    advice, analyses, attachments, auth, categories, colloquia, dialogues, drafts, invitations,
    live, me, moderation, network, notifications, posts, search, threads, users, webhooks,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Comity API", version = "1", description = "The JSON API of the Comity forum. Errors: {\"error\": {\"code\", \"message\", \"field\"?}}."),
    paths(
        auth::login, auth::refresh, auth::logout, auth::register, me::me,
        me::sessions, me::revoke_one, me::revoke_others, me::change_password,
        me::begin_totp, me::confirm_totp, me::disable_totp,
        invitations::create,
        categories::list, categories::create,
        threads::list, threads::create, threads::show, threads::update, threads::export,
        analyses::jurisdictions, analyses::instruments, analyses::compare,
        analyses::endorse, analyses::withdraw, analyses::review,
        moderation::flag_post, moderation::break_glass, moderation::hide_post, moderation::restore_post,
        moderation::lock, moderation::unlock, moderation::pin, moderation::unpin,
        moderation::move_thread, moderation::suspend, moderation::unsuspend,
        moderation::queue, moderation::flag_case, moderation::assign_flag,
        moderation::note_flag, moderation::resolve_flag, moderation::stats,
        moderation::audit, me::my_flags, moderation::groups,
        moderation::create_group, moderation::group_member,
        moderation::slow_mode, moderation::feature, moderation::unfeature,
        moderation::merge, moderation::split, moderation::featured,
        posts::create, posts::edit, posts::revisions, posts::redact,
        attachments::upload, attachments::set_visibility, attachments::remove_author,
        search::search, search::suggest, search::related,
        notifications::list, notifications::mark_read, notifications::watches,
        notifications::set_watch, me::email_preferences,
        me::set_email_preferences,
        live::stats,
        users::end_sessions, users::issue_reset, users::reset, users::list, users::update, users::erase,
        webhooks::create, webhooks::list, webhooks::delete, webhooks::enable, webhooks::deliveries,
        invitations::pending, invitations::revoke,
        drafts::show, drafts::save, drafts::discard, drafts::preview,
        network::update_me, network::my_profile, me::export, me::revoke_feed_token, network::experts, network::expert,
        network::proposals, network::ask, network::questions, network::question_stats,
        network::question, network::accept, network::coverage,
        advice::create, advice::list, advice::show, advice::assign, advice::note, advice::give,
        advice::consent, advice::close, advice::publish,
        dialogues::create, dialogues::list, dialogues::show, dialogues::update, dialogues::pdf,
        colloquia::create, colloquia::list, colloquia::show, colloquia::add_participants,
        colloquia::invite_guest, colloquia::write_conclusions, colloquia::publish,
        colloquia::endorse, colloquia::calendar,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
