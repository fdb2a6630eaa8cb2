//! Which language to answer in: the member's preference, else the
//! `comity_lang` cookie, else `Accept-Language`, else English. The identity
//! middleware resolves it once per request and runs the rest of the request
//! inside [`REQUEST_LANG`], so error responses (built without access to the
//! request) speak the caller's language too.

use actix_web::{FromRequest, HttpMessage, HttpRequest};
use views::{I18n, Lang};

use crate::auth::Identity;

pub const LANG_COOKIE: &str = "comity_lang";

tokio::task_local! {
    /// The language of the request being handled.
    pub static REQUEST_LANG: Lang;
}

/// The language of the request being handled, English outside a request.
pub fn current() -> Lang {
    REQUEST_LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// Negotiates the language for a request.
pub fn negotiate(req: &HttpRequest, identity: Option<&Identity>) -> Lang {
    identity
        .and_then(|i| i.viewer.language.as_deref())
        .and_then(Lang::from_tag)
        .or_else(|| {
            req.cookie(LANG_COOKIE)
                .and_then(|c| Lang::from_tag(c.value()))
        })
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::En)
}

/// What a page needs to speak the reader's language and return here.
pub struct Ui {
    pub i18n: I18n,
    pub path: String,
    /// The signed-in member's unread notifications (0 when unknown).
    pub unread: i64,
}

impl FromRequest for Ui {
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let lang = req
            .extensions()
            .get::<Lang>()
            .copied()
            .unwrap_or_else(current);
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        // A signed-in member's pages show their unread notifications.
        let viewer = req
            .extensions()
            .get::<Identity>()
            .map(|identity| identity.viewer.clone());
        let state = req
            .app_data::<actix_web::web::Data<crate::startup::AppState>>()
            .cloned();
        Box::pin(async move {
            // From the cache on this worker when it is fresh (on
            // PostgreSQL at the head this request read), else counted.
            let unread = match (viewer, state) {
                (Some(viewer), Some(state)) => {
                    let cache = state.clone();
                    state
                        .read_kept(move |db| db.unread_notifications_cached(&cache.unread, &viewer))
                        .await
                        .unwrap_or(0)
                }
                _ => 0,
            };
            Ok(Ui {
                i18n: I18n::new(lang),
                path,
                unread,
            })
        })
    }
}
