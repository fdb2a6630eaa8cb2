//! The language switcher: a plain form that sets the `comity_lang` cookie
//! and, for a signed-in member, stores the preference.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use views::Lang;

use super::PageError;
use super::account::safe_next;
use crate::auth::MaybeMember;
use crate::i18n::LANG_COOKIE;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/language", web::post().to(switch));
}

#[derive(Deserialize)]
struct SwitchForm {
    lang: String,
    next: Option<String>,
}

async fn switch(
    state: web::Data<AppState>,
    member: MaybeMember,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let lang = Lang::from_tag(&form.lang)
        .ok_or_else(|| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown language"))?;
    if let Some(identity) = member.0 {
        let user_id = identity.viewer.id;
        state
            .run(move |db| db.set_interface_language(user_id, Some(lang.code())))
            .await?;
    }
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.settings.secure_cookies())
        .max_age(CookieDuration::days(365))
        .finish();
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((
            actix_web::http::header::LOCATION,
            safe_next(form.next.as_deref()),
        ))
        .finish())
}
