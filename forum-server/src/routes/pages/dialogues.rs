//! Dialogues' pages: the list with the staff's compile form, one
//! publication, and its PDF.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::features::network::DialogueInput;
use forum_core::{DialogueId, ThreadId, Viewer, access};
use views::{DialoguePage, DialogueRow, DialoguesPage};

use super::{PageError, chrome, form_error, is_form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/dialogues", web::get().to(list))
        .route("/dialogues", web::post().to(compile))
        .route("/dialogues/{id}", web::get().to(show))
        .route("/dialogues/{id}/pdf", web::get().to(pdf));
}

/// What the compile form holds (kept when refused).
#[derive(Debug, Clone, Default)]
struct Compiling {
    title: String,
    intro: String,
    jurisdictions: Vec<String>,
    threads: Vec<ThreadId>,
}

impl Compiling {
    fn read(raw: &[u8]) -> Compiling {
        let mut form = Compiling::default();
        for (k, v) in url::form_urlencoded::parse(raw) {
            match k.as_ref() {
                "title" => form.title = v.into_owned(),
                "intro" => form.intro = v.into_owned(),
                "jurisdictions" if !v.trim().is_empty() => {
                    form.jurisdictions.push(v.trim().to_ascii_uppercase())
                }
                "thread_ids" => {
                    if let Ok(id) = v.trim().parse::<i64>() {
                        form.threads.push(ThreadId::from(id));
                    }
                }
                _ => {}
            }
        }
        form
    }
}

async fn list_page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    form: Compiling,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let can_compile = access::can_compile_dialogues(&viewer);
    let (rows, candidates) = state
        .run(move |db| {
            let rows = db.dialogues(&v)?;
            let candidates = if can_compile {
                db.dialogue_candidates(&v)?
            } else {
                Vec::new()
            };
            Ok((rows, candidates))
        })
        .await?;
    render(
        &DialoguesPage {
            chrome: chrome(ui.i18n.t("dialogues-title"), &viewer, ui),
            rows: rows.iter().map(|d| DialogueRow::new(d, &ui.i18n)).collect(),
            can_compile,
            candidates: DialoguesPage::candidates(&candidates, &form.threads),
            title: form.title,
            intro: form.intro,
            jurisdictions: views::jurisdiction_picker(&form.jurisdictions, &ui.i18n),
            error,
        },
        status,
    )
}

async fn list(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    list_page(
        &state,
        &ui,
        member.0,
        Compiling::default(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn compile(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.limits.check_post(&viewer).await?;
    let form = Compiling::read(&body);
    let v = viewer.clone();
    let f = form.clone();
    let result = state
        .try_run(move |db| {
            db.create_dialogue(
                &v,
                &DialogueInput {
                    title: &f.title,
                    intro: &f.intro,
                    jurisdictions: &f.jurisdictions,
                    threads: &f.threads,
                },
            )
        })
        .await?;
    match result {
        Ok(d) => Ok(redirect(&format!("/dialogues/{}", d.id))),
        Err(err) if is_form_error(&err) => {
            let message = form_error(&err, &ui);
            let status = crate::error::status_of(err.kind());
            list_page(&state, &ui, viewer, form, Some(message), status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn show(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<DialogueId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let v = viewer.clone();
    let d = state.run(move |db| db.dialogue(&v, id)).await?;
    render(
        &DialoguePage::new(
            chrome(d.title.clone(), &viewer, &ui),
            &d,
            state.links.base(),
        ),
        StatusCode::OK,
    )
}

async fn pdf(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<DialogueId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let d = state.run(move |db| db.dialogue(&viewer, id)).await?;
    Ok(crate::routes::api::dialogues::pdf_response(&d, &state)?)
}
