//! `/admin/webhooks`: admins add endpoints (the secret is shown once),
//! see each one's state and recent deliveries, enable a disabled one and
//! remove one. The same `forum_core` calls as the JSON API.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::WebhookId;
use views::{DeliveryRow, WebhookRow, WebhooksPage};

use super::{PageError, chrome, form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/admin/webhooks", web::get().to(page))
        .route("/admin/webhooks", web::post().to(create))
        .route("/admin/webhooks/{id}/enable", web::post().to(enable))
        .route("/admin/webhooks/{id}/delete", web::post().to(delete));
}

/// What was typed into a refused add form, and why.
#[derive(Default)]
struct Refused {
    error: Option<String>,
    url: String,
    chosen: Vec<String>,
}

async fn show(
    state: &AppState,
    ui: &Ui,
    viewer: forum_core::Viewer,
    secret: Option<String>,
    refused: Refused,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let hooks = state
        .run(move |db| {
            let mut out = Vec::new();
            for hook in db.webhooks(&v)? {
                let log = db.webhook_deliveries(&v, hook.id, 10)?;
                out.push((hook, log));
            }
            Ok(out)
        })
        .await?;
    let hooks = hooks
        .into_iter()
        .map(|(h, log)| {
            let status = if h.disabled_at.is_some() {
                "disabled"
            } else if h.failures > 0 {
                "retrying"
            } else {
                "active"
            };
            WebhookRow {
                id: h.id.get(),
                url: h.url,
                events: h.events.join(", "),
                status: status.to_owned(),
                status_label: ui.i18n.t(&format!("webhooks-status-{status}")),
                failures: h.failures,
                deliveries: log
                    .into_iter()
                    .map(|d| DeliveryRow {
                        seq: d.seq,
                        kind: d.kind,
                        status: d.status,
                        attempts: d.attempts,
                        answer: match (d.response_code, d.error) {
                            (Some(code), _) => code.to_string(),
                            (None, Some(e)) => e,
                            (None, None) => String::new(),
                        },
                        when: views::When::of(d.last_attempt_at, &ui.i18n),
                    })
                    .collect(),
            }
        })
        .collect();
    let status = if refused.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &WebhooksPage {
            chrome: chrome(ui.i18n.t("webhooks-title"), &viewer, ui),
            hooks,
            kinds: forum_core::features::webhooks::KINDS.to_vec(),
            secret,
            error: refused.error,
            url: refused.url,
            chosen: refused.chosen,
        },
        status,
    )
}

fn admins_only(viewer: &forum_core::Viewer) -> Result<(), PageError> {
    if forum_core::access::can_manage_roles(viewer) {
        Ok(())
    } else {
        Err(PageError::keyed(StatusCode::FORBIDDEN, "error-forbidden"))
    }
}

async fn page(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, PageError> {
    admins_only(&member.0)?;
    let secret = super::shown_once::read(&req);
    let shown = secret.is_some();
    let mut response = show(&state, &ui, member.0, secret, Refused::default()).await?;
    if shown {
        super::shown_once::clear(&mut response, "/admin/webhooks");
    }
    Ok(response)
}

async fn create(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    admins_only(&viewer)?;
    let mut url = String::new();
    let mut events = Vec::new();
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "url" => url = value.into_owned(),
            "events" => events.push(value.into_owned()),
            _ => {}
        }
    }
    let secret = crate::workers::webhooks::new_secret();
    let (v, u, e, key) = (viewer.clone(), url.clone(), events.clone(), secret.clone());
    match state
        .try_run(move |db| db.create_webhook(&v, &u, &e, &key))
        .await?
    {
        Ok(_) => Ok(super::shown_once::redirect_with(
            "/admin/webhooks",
            "/admin/webhooks",
            &secret,
            state.settings.secure_cookies(),
        )),
        Err(err) => {
            let refused = Refused {
                error: Some(form_error(&err, &ui)),
                url,
                chosen: events,
            };
            show(&state, &ui, viewer, None, refused).await
        }
    }
}

async fn enable(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    admins_only(&viewer)?;
    let id = path.into_inner();
    state.run(move |db| db.enable_webhook(&viewer, id)).await?;
    Ok(redirect(&format!("/admin/webhooks#webhook-{id}")))
}

async fn delete(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    admins_only(&viewer)?;
    let id = path.into_inner();
    state.run(move |db| db.delete_webhook(&viewer, id)).await?;
    Ok(redirect("/admin/webhooks"))
}
