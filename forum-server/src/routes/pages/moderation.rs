//! Moderator pages: tools on thread and post pages, the queue, the case
//! view and the audit log; and the flag form every member has.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::domain::FlagStatus;
use forum_core::features::moderation::{FLAG_RESOLUTIONS, FlagView};
use forum_core::store::audit::{AUDIT_PAGE, AuditFilter};
use forum_core::{CategoryId, FlagId, PostId, ThreadId, Viewer};
use serde::Deserialize;
use views::{AuditPage, FlagCasePage, FlagRow, ModerationPage, When};

use super::{PageError, chrome, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/moderation", web::get().to(queue))
        .route("/moderation/audit", web::get().to(audit))
        .route("/moderation/flags/{id}", web::get().to(case))
        .route("/moderation/flags/{id}/note", web::post().to(note))
        .route("/moderation/flags/{id}/assign", web::post().to(assign))
        .route("/moderation/flags/{id}/resolve", web::post().to(resolve))
        .route("/t/{id}/moderate", web::post().to(moderate_thread))
        .route("/posts/{id}/moderate", web::get().to(moderate_form))
        .route("/posts/{id}/moderate", web::post().to(moderate_post))
        .route("/posts/{id}/flag", web::get().to(flag_form))
        .route("/posts/{id}/flag", web::post().to(flag));
}

fn row(f: FlagView, ui: &Ui) -> FlagRow {
    FlagRow {
        id: f.id,
        post_id: f.post_id,
        thread_id: f.thread_id,
        thread_title: f.thread_title,
        flagger: f.flagger,
        reason: ui.i18n.t(&format!("flag-reason-{}", f.reason)),
        note: f.note,
        assignee: f.assignee.unwrap_or_default(),
        created: When::of(f.created_at, &ui.i18n),
    }
}

#[derive(Deserialize)]
struct QueueQuery {
    /// `open` (the default), `resolved` or `all`.
    status: Option<String>,
}

async fn queue(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let status = match query.into_inner().status.as_deref() {
        Some("resolved") => "resolved",
        Some("all") => "all",
        _ => "open",
    };
    let v = viewer.clone();
    let filter = match status {
        "all" => None,
        shown => Some(FlagStatus::parse(shown)?),
    };
    let (flags, stats) = state
        .run(move |db| Ok((db.flag_queue(&v, filter)?, db.flag_stats(&v)?)))
        .await?;
    render(
        &ModerationPage {
            chrome: chrome(ui.i18n.t("queue-title"), &viewer, &ui),
            flags: flags.into_iter().map(|f| row(f, &ui)).collect(),
            status,
            stats: stats
                .into_iter()
                .map(|s| {
                    (
                        ui.i18n.t(&format!("flag-reason-{}", s.reason)),
                        s.total,
                        s.open,
                        s.resolved,
                        s.mean_hours_to_resolution
                            .map(|h| format!("{h:.1}"))
                            .unwrap_or_else(|| "—".to_owned()),
                    )
                })
                .collect(),
        },
        StatusCode::OK,
    )
}

async fn case(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<FlagId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let id = path.into_inner();
    let case = state.run(move |db| db.flag_case(&v, id)).await?;
    let open = case.flag.status == FlagStatus::Open;
    let resolution = case
        .flag
        .resolution
        .as_deref()
        .map(|r| ui.i18n.t(&format!("resolution-{r}")))
        .unwrap_or_default();
    let resolution_note = case.flag.resolution_note.clone().unwrap_or_default();
    render(
        &FlagCasePage {
            chrome: chrome(
                ui.i18n.t1("case-title", "id", &id.to_string()),
                &viewer,
                &ui,
            ),
            flag: row(case.flag, &ui),
            open,
            resolution,
            resolution_note,
            post_body: case.post_body,
            post_html: views::PostHtml::new(case.post_html),
            post_author: case.post_author,
            notes: case
                .notes
                .into_iter()
                .map(|n| (n.author, n.body, When::of(n.created_at, &ui.i18n)))
                .collect(),
            resolutions: FLAG_RESOLUTIONS
                .iter()
                .map(|r| ((*r).to_owned(), ui.i18n.t(&format!("resolution-{r}"))))
                .collect(),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct NoteFields {
    body: String,
}

async fn note(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<FlagId>,
    form: web::Form<NoteFields>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let body = form.into_inner().body;
    state
        .run(move |db| db.add_flag_note(&member.0, id, &body))
        .await?;
    Ok(redirect(&format!("/moderation/flags/{id}")))
}

async fn assign(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<FlagId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let me = member.0.id;
    state
        .run(move |db| db.assign_flag(&member.0, id, Some(me)))
        .await?;
    Ok(redirect(&format!("/moderation/flags/{id}")))
}

#[derive(Deserialize)]
struct ResolveFields {
    action: String,
    note: String,
    #[serde(default)]
    body: String,
}

async fn resolve(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<FlagId>,
    form: web::Form<ResolveFields>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let f = form.into_inner();
    state
        .run(move |db| db.resolve_flag(&member.0, id, &f.action, &f.note, Some(&f.body)))
        .await?;
    Ok(redirect(&format!("/moderation/flags/{id}")))
}

#[derive(Deserialize)]
struct ThreadActionFields {
    action: String,
    reason: String,
    category_id: Option<CategoryId>,
    seconds: Option<i64>,
}

async fn moderate_thread(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ThreadId>,
    form: web::Form<ThreadActionFields>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let f = form.into_inner();
    let v = member.0;
    state
        .run(move |db| match f.action.as_str() {
            "lock" => db.set_locked(&v, id, true, &f.reason),
            "unlock" => db.set_locked(&v, id, false, &f.reason),
            "pin" => db.set_pinned(&v, id, true, &f.reason),
            "unpin" => db.set_pinned(&v, id, false, &f.reason),
            "move" => db.move_thread(&v, id, f.category_id.unwrap_or_default(), &f.reason),
            "slow_mode" => db.set_slow_mode(&v, id, f.seconds.unwrap_or_default(), &f.reason),
            "feature" => db.set_featured(&v, id, true, &f.reason),
            "unfeature" => db.set_featured(&v, id, false, &f.reason),
            _ => Err(forum_core::CoreError::invalid(
                "action",
                "must be lock, unlock, pin, unpin, move, slow_mode, feature or unfeature",
            )),
        })
        .await?;
    Ok(redirect(&format!("/t/{id}")))
}

#[derive(Deserialize)]
struct PostActionFields {
    action: String,
    reason: String,
}

/// The page where a moderator hides or restores one post, with a reason.
async fn moderate_form(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<PostId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let id = path.into_inner();
    let post = state.run(move |db| db.post_to_moderate(&v, id)).await?;
    let heading = if post.hidden {
        "moderate-post-restore-heading"
    } else {
        "moderate-post-hide-heading"
    };
    render(
        &views::ModeratePostPage {
            chrome: chrome(ui.i18n.t(heading), &viewer, &ui),
            post_id: post.id,
            thread_id: post.thread_id,
            author: post.author.display_name,
            language: post.language,
            body_html: post.body_html,
            hidden: post.hidden,
        },
        StatusCode::OK,
    )
}

async fn moderate_post(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<PostId>,
    form: web::Form<PostActionFields>,
) -> Result<HttpResponse, PageError> {
    let (id, f) = (path.into_inner(), form.into_inner());
    let thread = on_post(&state, member.0, id, move |db, v| match f.action.as_str() {
        "hide" => db.hide_post(v, id, &f.reason),
        "restore" => db.restore_post(v, id, &f.reason),
        _ => Err(forum_core::CoreError::invalid(
            "action",
            "must be hide or restore",
        )),
    })
    .await?;
    Ok(redirect(&format!("/t/{thread}#post-{id}")))
}

/// Does `act` to a post `viewer` may see and returns the post's thread,
/// where the page goes back to.
async fn on_post<F>(
    state: &AppState,
    viewer: Viewer,
    id: PostId,
    act: F,
) -> Result<ThreadId, crate::error::ApiError>
where
    F: FnOnce(&forum_core::Db, &Viewer) -> forum_core::Result<()> + Send + 'static,
{
    state
        .run(move |db| {
            let post = db.post(&viewer, id)?;
            act(db, &viewer)?;
            Ok(post.thread_id)
        })
        .await
}

#[derive(Deserialize)]
struct FlagFields {
    reason: String,
    #[serde(default)]
    note: String,
}

/// The flag form for one post the member may read.
async fn flag_form(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<PostId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let id = path.into_inner();
    let post = state.run(move |db| db.post(&v, id)).await?;
    render(
        &views::FlagPage {
            chrome: chrome(ui.i18n.t("flag-post-heading"), &viewer, &ui),
            post_id: post.id,
            thread_id: post.thread_id,
            author: post.author.display_name,
            language: post.language,
            body_html: post.body_html,
            flag_reasons: super::threads::flag_reasons(&ui),
        },
        StatusCode::OK,
    )
}

async fn flag(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<PostId>,
    form: web::Form<FlagFields>,
) -> Result<HttpResponse, PageError> {
    let (id, f) = (path.into_inner(), form.into_inner());
    let thread = on_post(&state, member.0, id, move |db, v| {
        db.flag_post(v, id, &f.reason, &f.note).map(|_| ())
    })
    .await?;
    Ok(redirect(&format!("/t/{thread}?flagged=1#post-{id}")))
}

#[derive(Deserialize)]
struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    before: Option<i64>,
}

/// The actions of the log grouped by what they act on (`thread.`,
/// `post.`…): (family value, family label, actions).
fn action_groups(actions: Vec<String>, ui: &Ui) -> Vec<(String, String, Vec<String>)> {
    let mut groups: Vec<(String, String, Vec<String>)> = Vec::new();
    for action in actions {
        let family = action.split('.').next().unwrap_or_default().to_owned();
        match groups.iter_mut().find(|g| g.0 == family) {
            Some(group) => group.2.push(action),
            None => {
                let key = match family.as_str() {
                    "category" => Some("audit-family-category"),
                    "flag" => Some("audit-family-flag"),
                    "group" => Some("audit-family-group"),
                    "invitation" => Some("audit-family-invitation"),
                    "login" => Some("audit-family-login"),
                    "post" => Some("audit-family-post"),
                    "session" => Some("audit-family-session"),
                    "settings" => Some("audit-family-settings"),
                    "thread" => Some("audit-family-thread"),
                    "user" => Some("audit-family-user"),
                    _ => None,
                };
                let label = key.map_or_else(|| family.clone(), |k| ui.i18n.t(k));
                groups.push((family, label, vec![action]));
            }
        }
    }
    groups
}

/// An entry's details as `key: value` lines rather than raw JSON.
fn readable_details(details: &serde_json::Value) -> String {
    match details {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(s) => format!("{key}: {s}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

async fn audit(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let q = query.into_inner();
    let filter = AuditFilter {
        actor: q.actor.clone(),
        action: q.action.clone(),
        target: q.target.clone(),
        before: q.before,
    };
    let v = viewer.clone();
    let (entries, actions) = state
        .run(move |db| Ok((db.audit_entries(&v, &filter)?, db.audit_actions(&v)?)))
        .await?;
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    render(
        &AuditPage {
            chrome: chrome(ui.i18n.t("audit-title"), &viewer, &ui),
            actor: q.actor.unwrap_or_default(),
            action: q.action.unwrap_or_default(),
            actions: action_groups(actions, &ui),
            target: q.target.unwrap_or_default(),
            entries: entries
                .into_iter()
                .map(|e| {
                    (
                        e.id,
                        When::of(e.at, &ui.i18n),
                        e.actor.map(|a| a.username).unwrap_or_default(),
                        e.action,
                        e.target,
                        e.reason,
                        if e.restricted {
                            ui.i18n.t("audit-restricted")
                        } else {
                            readable_details(&e.details)
                        },
                    )
                })
                .collect(),
            older,
        },
        StatusCode::OK,
    )
}
