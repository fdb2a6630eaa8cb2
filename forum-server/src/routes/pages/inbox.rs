//! The inbox: notifications, "mark all read", and watch levels (the list
//! of one's watches, and the forms thread and jurisdiction pages post).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::NotificationId;
use forum_core::features::notifications::WatchLevel;
use serde::Deserialize;
use views::{InboxItem, InboxPage, WatchRow, When};

use super::{PageError, chrome, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/inbox", web::get().to(inbox))
        .route("/inbox/read", web::post().to(mark_all_read))
        .route("/inbox/{id}", web::get().to(open))
        .route("/watch", web::post().to(set_watch));
}

async fn inbox(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let ((list, unread), watches) = state
        .run(move |db| Ok((db.notifications(&v, false)?, db.watches(&v)?)))
        .await?;
    let i18n = &ui.i18n;
    let items = list
        .into_iter()
        .map(|n| InboxItem {
            href: format!("/inbox/{}", n.id),
            text: views::describe_notification(&n, i18n),
            when: When::of(n.updated_at, i18n),
            unread: !n.read,
        })
        .collect();
    let watches = watches
        .into_iter()
        .map(|w| WatchRow {
            id: format!("watch-{}", w.target.replace(':', "-")),
            label: watch_label(&w.target, &ui),
            levels: level_options(&w.level, &ui),
            target: w.target,
        })
        .collect();
    render(
        &InboxPage {
            chrome: chrome(i18n.t("inbox-title"), &viewer, &ui),
            items,
            unread,
            watches,
        },
        StatusCode::OK,
    )
}

/// The watch form of a page: the viewer's current level on `target`.
pub async fn watch_row(
    state: &AppState,
    viewer: &forum_core::Viewer,
    target: String,
    ui: &Ui,
) -> Result<WatchRow, PageError> {
    let members = state.members.clone();
    let v = viewer.clone();
    let t = target.clone();
    let level = state
        .run(move |db| db.watch_level_cached(&members, &v, &t))
        .await?;
    Ok(watch_row_at(level.as_str(), target, ui))
}

/// The watch control for `target` when its level is already known.
pub fn watch_row_at(level: &str, target: String, ui: &Ui) -> WatchRow {
    WatchRow {
        id: format!("watch-{}", target.replace(':', "-")),
        label: ui.i18n.t("watch-label"),
        levels: level_options(level, ui),
        target,
    }
}

/// What a watch is on, in words.
fn watch_label(target: &str, ui: &Ui) -> String {
    let (kind, value) = target.split_once(':').unwrap_or((target, ""));
    let name = match kind {
        "jurisdiction" => ui.i18n.country(value),
        "instrument" => forum_core::domain::instruments::get(value)
            .map_or_else(|| value.to_owned(), |i| i.short_name.clone()),
        _ => format!("#{value}"),
    };
    ui.i18n
        .t_with(&format!("watch-target-{kind}"), &[("name", &name)])
}

/// The level choices, the current one selected: (value, label, selected).
pub fn level_options(current: &str, ui: &Ui) -> Vec<(String, String, bool)> {
    WatchLevel::ALL
        .iter()
        .map(|l| {
            (
                l.as_str().to_owned(),
                ui.i18n.t(&format!("watch-level-{}", l.as_str())),
                l.as_str() == current,
            )
        })
        .collect()
}

async fn mark_all_read(
    state: web::Data<AppState>,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    state
        .run(move |db| db.mark_notifications_read(&member.0, None))
        .await?;
    Ok(redirect("/inbox"))
}

async fn open(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<NotificationId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (thread, post) = state
        .run(move |db| db.open_notification(&member.0, id))
        .await?;
    Ok(redirect(&match (thread, post) {
        (Some(t), Some(p)) => format!("/t/{t}#post-{p}"),
        (Some(t), None) => format!("/t/{t}"),
        _ => "/inbox".to_owned(),
    }))
}

#[derive(Deserialize)]
struct WatchForm {
    target: String,
    level: String,
    /// Where to return: a local path.
    next: Option<String>,
}

async fn set_watch(
    state: web::Data<AppState>,
    member: PageMember,
    form: web::Form<WatchForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let (target, level) = (form.target.clone(), form.level.clone());
    state
        .run(move |db| db.set_watch(&member.0, &target, &level))
        .await?;
    Ok(redirect(&super::account::safe_next(form.next.as_deref())))
}
