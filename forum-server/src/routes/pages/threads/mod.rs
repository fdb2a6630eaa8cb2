//! Home, category, thread, new thread, reply, edit and revision pages.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::access;
use forum_core::domain::analysis::{AnalysisInput, CaseCitationInput, LegalProvisionInput};
use forum_core::domain::{ContentLanguage, ThreadKind};
use forum_core::error::ErrorCode;
use forum_core::features::analyses::ThreadUpdate;
use forum_core::features::forum::{NewThreadInput, ThreadFilter, diff_lines};
use forum_core::{CategoryId, PostId, ThreadId};
use serde::Deserialize;
use views::{
    AnalysisBlock, CategoryPage, Chrome, EditPostPage, Fragment, HomePage, LiveContext,
    NewThreadPage, PostItem, PostList, RevisionItem, RevisionsPage, ThreadForm, ThreadPage,
    ThreadRow, ThreadRows, When,
};

use super::{PageError, chrome, form_error, fragment, is_form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

mod compose;
mod edits;

use compose::*;
use edits::*;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/", web::get().to(home))
        .route("/c/{slug}", web::get().to(category))
        .route("/t/{id}", web::get().to(thread))
        .route("/t/{id}/reply", web::post().to(reply))
        .route("/t/{id}/draft/discard", web::post().to(discard_draft))
        .route("/posts/{id}/fragment", web::get().to(post_fragment))
        .route("/new", web::get().to(new_thread_form))
        .route("/new", web::post().to(new_thread))
        .route("/posts/{id}/edit", web::get().to(edit_form))
        .route("/posts/{id}/edit", web::post().to(edit))
        .route("/posts/{id}/revisions", web::get().to(revisions))
        .route("/t/{id}/jurisdictions", web::post().to(retag))
        .route("/t/{id}/mark", web::post().to(remark))
        .route("/t/{id}/accept", web::post().to(accept_answer))
        .route("/t/{id}/endorsement", web::post().to(endorse))
        .route("/t/{id}/endorsement/withdraw", web::post().to(withdraw))
        .route(
            "/attachments/{id}/remove-author",
            web::post().to(remove_author),
        )
        .route(
            "/attachments/{id}/visibility",
            web::post().to(file_visibility),
        );
}

#[derive(Deserialize)]
struct FileVisibilityForm {
    #[serde(default, rename = "return")]
    back: String,
    hidden: String,
    #[serde(default)]
    reason: String,
}

/// A moderator's hide (or show again) button under a file.
async fn file_visibility(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<forum_core::AttachmentId>,
    form: web::Form<FileVisibilityForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let viewer = member.0;
    let form = form.into_inner();
    let hidden = form.hidden == "true";
    state
        .run(move |db| db.hide_attachment(&viewer, id, hidden, &form.reason))
        .await?;
    let back = forum_core::domain::ReturnPath::parse(Some(form.back.as_str())).into_string();
    Ok(redirect(&back))
}

#[derive(Deserialize)]
struct ReturnForm {
    #[serde(default, rename = "return")]
    back: String,
}

/// The attachment list's "remove the author" button: rewrites the PDF
/// without it, then back to the post.
async fn remove_author(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<forum_core::AttachmentId>,
    form: web::Form<ReturnForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let viewer = member.0;
    let (db, store) = (state.db.clone(), state.files.clone());
    crate::http::head::blocking(move || {
        crate::files::upload::remove_pdf_author(&db, &*store, &viewer, id)
    })
    .await
    .map_err(crate::error::ApiError::from)??;
    let back = forum_core::domain::ReturnPath::parse(Some(form.back.as_str())).into_string();
    Ok(redirect(&back))
}

/// The filters of a thread list, as the query string has them.
#[derive(Deserialize)]
pub(super) struct ListQuery {
    pub(super) page: Option<i64>,
    /// Continue after this cursor (the "older" link of the page before).
    pub(super) before: Option<String>,
    /// Content language filter (ISO 639-1); empty means all.
    language: Option<String>,
    kind: Option<String>,
    crime_area: Option<String>,
    jurisdiction: Option<String>,
}

impl ListQuery {
    /// The kind filter, if it names a kind.
    pub(super) fn kind(&self) -> Option<ThreadKind> {
        self.kind.as_deref().and_then(|k| ThreadKind::parse(k).ok())
    }

    /// The crime area filter, if it names one.
    pub(super) fn crime_area(&self) -> Option<String> {
        self.crime_area
            .as_deref()
            .filter(|a| forum_core::domain::CrimeArea::parse(a).is_ok())
            .map(str::to_owned)
    }

    /// The jurisdiction filter, if it names a known one.
    fn jurisdiction(&self) -> Option<String> {
        self.jurisdiction
            .as_deref()
            .map(|j| j.trim().to_ascii_uppercase())
            .filter(|j| forum_core::domain::jurisdictions::get(j).is_some())
    }

    fn filters(&self, ui: &Ui) -> views::ListFilters {
        views::ListFilters::new(
            self.kind().map(|k| k.as_str()),
            self.crime_area().as_deref(),
            self.jurisdiction().as_deref(),
            self.language().as_deref(),
            &ui.i18n,
        )
    }

    /// The language filter, if it names one of the interface languages.
    fn language(&self) -> Option<String> {
        self.language
            .as_deref()
            .and_then(views::Lang::from_tag)
            .map(|l| l.code().to_owned())
    }
}

async fn home(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let language = query.language();
    let filter = ThreadFilter {
        language: language.clone(),
        kind: query.kind(),
        crime_area: query.crime_area(),
        jurisdiction: query.jurisdiction(),
        ..Default::default()
    };
    let lists = state.lists.clone();
    let (categories, list, featured) = state
        .read_kept(move |db| {
            let featured = ThreadFilter {
                featured: true,
                ..Default::default()
            };
            Ok((
                db.categories(&v)?,
                db.thread_list_cached(&lists, &v, &filter)?,
                db.thread_list_cached(&lists, &v, &featured)?,
            ))
        })
        .await?;
    let chrome = chrome(ui.i18n.t("page-home"), &viewer, &ui);
    let threads = thread_rows(&state, &ui, &chrome, &list)?;
    let page = HomePage {
        categories,
        language_filter: language.unwrap_or_default(),
        filters: query.filters(&ui),
        featured: featured
            .threads
            .iter()
            .map(|t| ThreadRow::new(t, &ui.i18n))
            .collect(),
        chrome,
        threads,
    };
    let parts = state
        .home_pages
        .render(page)
        .map_err(super::render_failed)?;
    Ok(crate::http::caching::kept_response(StatusCode::OK, &parts))
}

/// A page of a thread list in the reader's language, rendered once per
/// version of the page (see [`forum_core::features::forum::ThreadListPage::version`]).
fn thread_rows(
    state: &AppState,
    ui: &Ui,
    chrome: &Chrome,
    list: &forum_core::features::forum::ThreadListPage,
) -> Result<Fragment, PageError> {
    let key = format!("rows:{}:{}", list.version, ui.i18n.code());
    state.fragments.get_or_put(key, || {
        fragment(&ThreadRows {
            chrome,
            threads: list
                .threads
                .iter()
                .map(|t| ThreadRow::new(t, &ui.i18n))
                .collect(),
        })
    })
}

async fn category(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let slug = path.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let language = query.language();
    let list_language = language.clone();
    let list_before = query.before.clone();
    let lists = state.lists.clone();
    let members = state.members.clone();
    let (kind, crime_area, jurisdiction) = (query.kind(), query.crime_area(), query.jurisdiction());
    let (category, list, watch_level) = state
        .read_kept(move |db| {
            let category = db.category_by_slug(&v, &slug)?;
            let filter = ThreadFilter {
                category_id: Some(category.id),
                page,
                before: list_before.clone(),
                language: list_language.clone(),
                kind,
                crime_area: crime_area.clone(),
                jurisdiction: jurisdiction.clone(),
                ..Default::default()
            };
            let list = db.thread_list_cached(&lists, &v, &filter)?;
            let watch_level =
                db.watch_level_cached(&members, &v, &format!("category:{}", category.id))?;
            Ok((category, list, watch_level))
        })
        .await?;
    let watch = super::inbox::watch_row_at(
        watch_level.as_str(),
        format!("category:{}", category.id),
        &ui,
    );
    let chrome = chrome(category.name.clone(), &viewer, &ui);
    let threads = thread_rows(&state, &ui, &chrome, &list)?;
    let rendered = CategoryPage {
        watch,
        chrome,
        category,
        threads,
        page,
        by_cursor: query
            .before
            .as_deref()
            .is_some_and(|b| !b.trim().is_empty()),
        older: list.next_before.clone(),
        language_filter: language.unwrap_or_default(),
        filters: query.filters(&ui),
    };
    let parts = state
        .category_pages
        .render(rendered)
        .map_err(super::render_failed)?;
    Ok(crate::http::caching::kept_response(StatusCode::OK, &parts))
}

#[derive(Deserialize)]
struct ThreadQuery {
    reply_to: Option<PostId>,
    /// Start the reply with this post quoted.
    quote: Option<PostId>,
    /// Set after a flag was sent: thank the member.
    flagged: Option<String>,
    /// Set when a reply was refused and kept as a draft: the error code.
    refused: Option<String>,
}

/// The reply form's state on a thread page.
struct Reply {
    /// The post replied to.
    to: Option<PostId>,
    /// A refused reply: the message and what the member wrote (`None`:
    /// it is in their saved draft).
    error: Option<(String, Option<String>)>,
    /// A post to quote at the start of the reply.
    quote: Option<PostId>,
    /// Suspected personal data in the refused reply.
    personal_data: Option<views::PersonalDataNotice>,
    /// The mark chosen for the refused reply.
    mark: ReplyMark,
}

/// The handling mark chosen in the reply form (empty: its thread's) and
/// the readers it names: countries by code, members by username.
#[derive(Debug, Clone, Default)]
struct ReplyMark {
    mark: String,
    countries: String,
    members: String,
}

async fn thread_page(
    state: &AppState,
    ui: &Ui,
    viewer: forum_core::Viewer,
    id: i64,
    reply: Reply,
    flagged: bool,
) -> Result<HttpResponse, PageError> {
    let Reply {
        to: mut reply_to,
        error: reply_error,
        quote,
        personal_data,
        mark: mut reply_mark,
    } = reply;
    // Read before the thread: events after it are replayed to the page's
    // script, so nothing falls between the render and the socket.
    let seq = state.hub.head();
    let v = viewer.clone();
    let search = state.search.clone();
    let threads = state.threads.clone();
    let members = state.members.clone();
    // One trip to the blocking pool for everything the page reads.
    let (seen, view, categories, draft, watch_level, related, question) = state
        .read_kept(move |db| {
            let seen = db.thread_cached(&threads, &v, id.into())?;
            let view = seen.view_without_posts(&v)?;
            let categories = if access::can_moderate(&v) {
                db.categories(&v)?
            } else {
                Vec::new()
            };
            let (draft, watch_level) = db.reader_state(&members, &v, &seen)?;
            // Related analyses are a courtesy: a search outage leaves them out.
            let related: Vec<(ThreadId, String, Vec<String>)> =
                match crate::search::related(db, &search, &v, view.thread.id, 5) {
                    Ok(hits) => hits
                        .into_iter()
                        .map(|h| (h.thread_id, h.title, h.jurisdictions))
                        .collect(),
                    Err(_) => Vec::new(),
                };
            // A routed question: where it stands, and what its asker may
            // accept.
            let question = if view.thread.kind == forum_core::domain::ThreadKind::Question {
                db.routed_question(&v, view.thread.id).ok().map(|q| {
                    let answers = if q.asker.id == v.id {
                        seen.view(&v)
                            .map(|t| {
                                t.posts
                                    .iter()
                                    .filter(|p| p.author.id != v.id && !p.hidden)
                                    .map(|p| (p.id, p.author.display_name.clone()))
                                    .collect()
                            })
                            .unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                    (q, answers)
                })
            } else {
                None
            };
            Ok((
                seen,
                view,
                categories,
                draft,
                watch_level,
                related,
                question,
            ))
        })
        .await?;
    let moderation = access::can_moderate(&viewer).then(|| views::ThreadModeration {
        locked: view.thread.locked,
        pinned: view.thread.pinned,
        featured: (view.thread.kind == forum_core::domain::ThreadKind::Analysis)
            .then_some(view.thread.featured),
        slow_mode_seconds: view.thread.slow_mode_seconds,
        categories: categories
            .iter()
            .filter(|c| c.id != view.thread.category_id)
            .map(|c| (c.id, c.name.clone()))
            .collect(),
    });
    let can_reply = access::can_reply(&viewer, view.thread.locked);
    let can_edit_tags = access::can_edit_thread(&viewer, view.thread.author.id);
    let analysis = view.analysis.as_ref().map(|a| {
        let may_endorse = a.my_endorsement.is_none()
            && access::endorsement_refused(
                &viewer,
                view.thread.author.id,
                &view.thread.jurisdictions,
                &viewer.country,
            )
            .is_none();
        AnalysisBlock::new(a, may_endorse.then_some(&*viewer.country), &ui.i18n)
    });
    let live = LiveContext::new(seq, viewer.id, viewer.is_staff());
    let has_draft = draft.is_some();
    let (reply_error, mut reply_body) = match (reply_error, draft) {
        (Some((error, Some(body))), _) => (Some(error), body),
        (Some((error, None)), Some(draft)) => {
            reply_to = reply_to.or(draft.reply_to);
            (Some(error), draft.body)
        }
        (Some((error, None)), None) => (Some(error), String::new()),
        (None, Some(draft)) => {
            reply_to = reply_to.or(draft.reply_to);
            (None, draft.body)
        }
        (None, None) => (None, String::new()),
    };
    if let Some(quoted) = quote
        && reply_body.is_empty()
        && let Some(post) = seen
            .view(&viewer)?
            .posts
            .iter()
            .find(|p| p.id == quoted && !p.hidden)
    {
        reply_body = quote_markdown(post);
        reply_to = Some(post.id);
        // Quoting a post keeps its mark: the reply starts at least as
        // strict (a RED post's readers are for the author to name again).
        if let Some(own) = post.own_mark
            && reply_mark.mark.is_empty()
        {
            reply_mark.mark = own.as_str().to_owned();
            reply_mark.countries = post
                .mark_recipients
                .as_ref()
                .map(|r| r.countries.join(", "))
                .unwrap_or_default();
        }
    }
    let is_moderator = moderation.is_some();
    let status = if reply_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    // The mark is part of the title: it shows in tabs, bookmarks, prints.
    let mut page_chrome = chrome(
        format!("TLP:{} · {}", view.thread.mark, view.thread.title),
        &viewer,
        ui,
    );
    if flagged {
        page_chrome.flash = Some(ui.i18n.t("done-flagged"));
    }
    // The posts are the same for every reader of this copy with the same
    // language, tools and editable posts: rendered once for them.
    let key = format!(
        "posts:{}:{}:{}{}:{}",
        seen.tag,
        ui.i18n.code(),
        u8::from(can_reply),
        u8::from(is_moderator),
        seen.editable_key(&viewer),
    );
    let posts = state.fragments.get_or_put(key, || {
        fragment(&PostList {
            chrome: &page_chrome,
            thread_id: view.thread.id,
            posts: seen
                .view(&viewer)?
                .posts
                .into_iter()
                .map(|p| {
                    let can_edit = access::can_edit_post(&viewer, p.author.id);
                    PostItem::new(p, can_edit, &ui.i18n)
                })
                .collect(),
            can_reply,
            is_moderator,
        })
    })?;
    let watch = super::inbox::watch_row_at(
        watch_level.as_str(),
        format!("thread:{}", view.thread.id),
        ui,
    );
    let page = ThreadPage {
        watch,
        chrome: page_chrome,
        thread_id: view.thread.id,
        is_moderator,
        has_draft,
        composer_script: views::assets::composer_script_path(),
        thread: ThreadRow::new(&view.thread, &ui.i18n),
        posts,
        can_reply,
        reply_error,
        personal_data,
        reply_body,
        reply_to: reply_to.map(|r| r.to_string()).unwrap_or_default(),
        live,
        analysis,
        cited_by: view.cited_by.into_iter().map(|c| (c.id, c.title)).collect(),
        related,
        can_edit_tags,
        tags: view.thread.jurisdictions.join(", "),
        mark_countries: view
            .thread
            .mark_recipients
            .as_ref()
            .map(|r| r.countries.join(", "))
            .unwrap_or_default(),
        mark_members: view.thread.mark_members.join(", "),
        reply_marks: forum_core::domain::mark::Mark::ALL
            .iter()
            .filter(|m| **m > view.thread.mark)
            .map(|m| m.as_str())
            .collect(),
        reply_mark: reply_mark.mark,
        reply_mark_countries: reply_mark.countries,
        reply_mark_members: reply_mark.members,
        picker_script: views::assets::picker_script_path(),
        moderation,
        question: question.map(|(q, answers)| views::QuestionBox {
            status: q.status.as_str().to_owned(),
            status_text: ui.i18n.t(&format!("question-status-{}", q.status.as_str())),
            routed_to: q.routed_to.iter().map(|a| a.display_name.clone()).collect(),
            accepted: q.accepted_post_id,
            answers,
        }),
    };
    // The same page for the same fields: kept whole, sent without
    // rendering it again.
    let parts = state
        .thread_pages
        .render(page)
        .map_err(super::render_failed)?;
    Ok(crate::http::caching::kept_response(status, &parts))
}

#[derive(Deserialize)]
struct AcceptForm {
    post_id: PostId,
}

/// The asker accepts a reply as the answer to their routed question.
async fn accept_answer(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let post = form.post_id;
    let viewer = member.0;
    let result = state
        .try_run(move |db| db.accept_answer(&viewer, id, post))
        .await?;
    match result {
        Ok(_) => Ok(redirect(&format!("/t/{id}#post-{post}"))),
        Err(err) if is_form_error(&err) => Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_error(&err, &ui),
        )),
        Err(err) => Err(err.into()),
    }
}

/// The flag reasons a member chooses from: value, label.
pub(super) fn flag_reasons(ui: &Ui) -> Vec<(String, String)> {
    forum_core::features::moderation::FLAG_REASONS
        .iter()
        .map(|r| ((*r).to_owned(), ui.i18n.t(&format!("flag-reason-{r}"))))
        .collect()
}

/// One post as the thread page renders it for this reader: live updates
/// insert this, so a live post and a loaded one are the same HTML.
async fn post_fragment(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<PostId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let id = path.into_inner();
    let (post, locked) = state.run(move |db| db.post_and_lock(&v, id)).await?;
    let can_edit = access::can_edit_post(&viewer, post.author.id);
    let thread_id = post.thread_id;
    let fragment = views::PostFragment {
        chrome: chrome(String::new(), &viewer, &ui),
        thread_id,
        p: PostItem::new(post, can_edit, &ui.i18n),
        can_reply: access::can_reply(&viewer, locked),
        is_moderator: access::can_moderate(&viewer),
    };
    let mut response = render(&fragment, StatusCode::OK)?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// Throws away the member's draft in a thread.
async fn discard_draft(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    state.run(move |db| db.discard_draft(&member.0, id)).await?;
    Ok(redirect(&format!("/t/{id}#reply-heading")))
}

async fn thread(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    query: web::Query<ThreadQuery>,
) -> Result<HttpResponse, PageError> {
    thread_page(
        &state,
        &ui,
        member.0,
        path.into_inner().into(),
        Reply {
            to: query.reply_to,
            error: query
                .refused
                .as_deref()
                .map(|code| (refusal(code, &ui), None)),
            quote: query.quote,
            personal_data: None,
            mark: ReplyMark::default(),
        },
        query.flagged.is_some(),
    )
    .await
}

/// Why a reply kept as a draft was refused, from its error code.
fn refusal(code: &str, ui: &Ui) -> String {
    let key = match code {
        "thread_locked" => "draft-thread-locked",
        "slow_mode" => "draft-slow-mode",
        _ => "draft-refused",
    };
    ui.i18n.t(key)
}

/// A post quoted at the start of a reply: a block quote headed by a link
/// to the post, which is how the notifier recognises a quote
/// (`forum_core::domain::markdown::quoted_posts`).
fn quote_markdown(post: &forum_core::views::PostView) -> String {
    let quoted: Vec<String> = post
        .body
        .trim()
        .lines()
        .map(|line| format!("> {line}").trim_end().to_owned())
        .collect();
    format!(
        "> [@{}](/t/{}#post-{}):\n{}\n\n",
        post.author.username,
        post.thread_id,
        post.id,
        quoted.join("\n")
    )
}

struct ReplyForm {
    body: String,
    reply_to: Option<String>,
    /// Uploads to attach, comma-separated.
    attachments: String,
    mark: ReplyMark,
}

impl ReplyForm {
    fn attachment_ids(&self) -> Vec<forum_core::AttachmentId> {
        views::attachment_ids(&self.attachments)
    }
}

async fn reply(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<ThreadId>,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.limits.check_post(&viewer).await?;
    let id = path.into_inner();
    let submission = super::submission::Submission::read(&req, payload, &state).await?;
    let mut form = ReplyForm {
        body: submission.field("body").to_owned(),
        reply_to: Some(submission.field("reply_to").to_owned()),
        attachments: submission.field("attachments").to_owned(),
        mark: ReplyMark {
            mark: submission.field("mark").trim().to_owned(),
            countries: submission.field("mark_countries").to_owned(),
            members: submission.field("mark_members").to_owned(),
        },
    };
    let pseudonymise = !submission.field("pseudonymise").is_empty();
    let acknowledge =
        Some(submission.field("acknowledge_reason").trim().to_owned()).filter(|r| !r.is_empty());
    let reply_to = form
        .reply_to
        .as_deref()
        .filter(|r| !r.is_empty())
        .and_then(|r| r.parse::<PostId>().ok());
    // Asked to replace suspected personal data: the form comes back
    // with the pseudonyms, nothing is posted.
    if pseudonymise {
        let spans = forum_core::domain::personal_data::detect(&form.body);
        let body = forum_core::domain::personal_data::pseudonymise(&form.body, &spans);
        let message = ui.i18n.t("pd-pseudonymised");
        return reply_refused(
            &state, &ui, viewer, id, reply_to, message, body, None, form.mark,
        )
        .await;
    }
    // Files chosen without the script come with the form: counted with
    // the uploads the script made, then stored.
    let count = form.attachment_ids().len() + submission.files.len();
    if let Some(refusal) = super::submission::too_many_files(&state, count, ui.i18n.lang) {
        return reply_refused(
            &state, &ui, viewer, id, reply_to, refusal, form.body, None, form.mark,
        )
        .await;
    }
    match submission
        .store_files(&state, &viewer, ui.i18n.lang)
        .await?
    {
        Ok(ids) => {
            for file in ids {
                form.attachments.push_str(&format!(",{file}"));
            }
        }
        Err(refusal) => {
            return reply_refused(
                &state, &ui, viewer, id, reply_to, refusal, form.body, None, form.mark,
            )
            .await;
        }
    }
    let v = viewer.clone();
    let body = form.body.clone();
    let attachments = form.attachment_ids();
    let chosen = form.mark.clone();
    let result = state
        .try_run(move |db| {
            let (mark, recipients) =
                compose::form_marking(db, &chosen.mark, &chosen.countries, &chosen.members)?;
            db.create_post(
                &v,
                id,
                &forum_core::features::forum::NewPost {
                    body: &body,
                    reply_to,
                    attachments: &attachments,
                    acknowledge_personal_data: acknowledge.as_deref(),
                    mark: mark.as_deref(),
                    mark_recipients: mark.is_some().then_some(&recipients),
                    ..Default::default()
                },
            )
        })
        .await?;
    match result {
        Ok(post) => Ok(redirect(&format!("/t/{id}#post-{}", post.id))),
        // Refused because of the thread (locked, slow mode): what was
        // written is kept as the member's draft, and the page they come
        // back to (post/redirect/get) says why.
        // (A reply with a mark of its own is not kept as a draft, which
        // has no mark: the form comes back with it instead.)
        Err(err)
            if matches!(err.code(), ErrorCode::ThreadLocked | ErrorCode::SlowMode)
                && form.mark.mark.is_empty() =>
        {
            let v = viewer.clone();
            let body = form.body.clone();
            state
                .run(move |db| db.save_draft(&v, id, &body, reply_to))
                .await?;
            Ok(redirect(&format!("/t/{id}?refused={}#reply", err.code())))
        }
        Err(err) if is_form_error(&err) => {
            let message = form_error(&err, &ui);
            let personal_data = err.personal_data().map(|spans| {
                views::PersonalDataNotice::new(spans, &[("body", form.body.as_str())], &ui.i18n)
            });
            reply_refused(
                &state,
                &ui,
                viewer,
                id,
                reply_to,
                message,
                form.body,
                personal_data,
                form.mark,
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

/// The thread page again, its reply form showing why the reply was
/// refused, with what was written (and the personal data it seems to hold).
#[allow(clippy::too_many_arguments)]
async fn reply_refused(
    state: &AppState,
    ui: &Ui,
    viewer: forum_core::Viewer,
    id: ThreadId,
    reply_to: Option<PostId>,
    message: String,
    body: String,
    personal_data: Option<views::PersonalDataNotice>,
    mark: ReplyMark,
) -> Result<HttpResponse, PageError> {
    let reply = Reply {
        to: reply_to,
        error: Some((message, Some(body))),
        quote: None,
        personal_data,
        mark,
    };
    thread_page(state, ui, viewer, id.into(), reply, false).await
}
