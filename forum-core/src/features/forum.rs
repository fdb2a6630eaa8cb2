//! Categories, threads, posts and revisions.
//!
//! Every read takes a [`Viewer`] and filters through [`crate::access`];
//! every write appends to the event log in its own transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::access::visibility::{
    Restrictions, visible_category, visible_category_ids, visible_thread,
};
use crate::access::{self, Viewer};
use crate::domain::analysis::AnalysisInput;
use crate::domain::markdown::{self, SanitizedHtml};
use crate::domain::{
    ContentLanguage, JurisdictionCode, Markdown, Slug, ThreadKind, ThreadTitle, parse_line,
    parse_text,
};
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::analyses::{self};
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::rows::*;
use crate::store::schema::*;
use crate::views::*;

/// Threads per page in lists.
pub const PAGE_SIZE: i64 = 30;

/// Filters for a thread list.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    pub category_id: Option<i64>,
    pub jurisdiction: Option<String>,
    pub kind: Option<ThreadKind>,
    /// Only analyses filed under this crime area.
    pub crime_area: Option<String>,
    /// Only analyses citing this instrument (`untoc`) or article (`untoc:5`).
    pub instrument: Option<String>,
    /// Only threads whose opening post is in this language (ISO 639-1).
    pub language: Option<String>,
    /// 1-based.
    pub page: i64,
}

/// Input for a new thread.
pub struct NewThreadInput<'a> {
    pub category_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub jurisdictions: &'a [String],
    /// Declared language of the body; detected when absent.
    pub language: Option<&'a str>,
    /// The structured record, for threads of kind `analysis`.
    pub analysis: Option<&'a AnalysisInput>,
}

/// One line of a diff between revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `"equal"`, `"insert"` or `"delete"`.
    pub change: &'static str,
    pub text: String,
}

/// Line diff between two revisions' Markdown.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                similar::ChangeTag::Equal => "equal",
                similar::ChangeTag::Insert => "insert",
                similar::ChangeTag::Delete => "delete",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

pub(crate) fn authors(
    conn: &mut DbConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, AuthorView>> {
    let ids: Vec<i64> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let rows: Vec<(i64, String, String)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::username, users::display_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name)| {
            (
                id,
                AuthorView {
                    id,
                    username,
                    display_name,
                },
            )
        })
        .collect())
}

pub(crate) fn jurisdictions_of(
    conn: &mut DbConnection,
    thread_ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = thread_jurisdictions::table
        .filter(thread_jurisdictions::thread_id.eq_any(thread_ids))
        .order((thread_jurisdictions::thread_id, thread_jurisdictions::code))
        .select((thread_jurisdictions::thread_id, thread_jurisdictions::code))
        .load(conn)?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (thread, code) in rows {
        map.entry(thread).or_default().push(code);
    }
    Ok(map)
}

pub(crate) fn summaries(
    conn: &mut DbConnection,
    threads: Vec<Thread>,
) -> Result<Vec<ThreadSummary>> {
    let ids: Vec<i64> = threads.iter().map(|t| t.id).collect();
    let people = authors(conn, threads.iter().map(|t| t.author_id))?;
    let mut codes = jurisdictions_of(conn, &ids)?;
    let category_ids: Vec<i64> = threads.iter().map(|t| t.category_id).collect();
    let cats: HashMap<i64, (String, String)> = categories::table
        .filter(categories::id.eq_any(&category_ids))
        .select((categories::id, categories::slug, categories::name))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, name)| (id, (slug, name)))
        .collect();
    let analysis_ids: Vec<i64> = threads
        .iter()
        .filter(|t| t.kind == ThreadKind::Analysis.as_str())
        .map(|t| t.id)
        .collect();
    let mut analysis_summaries: HashMap<i64, String> = if analysis_ids.is_empty() {
        HashMap::new()
    } else {
        use crate::store::schema::analyses as a;
        a::table
            .filter(a::thread_id.eq_any(&analysis_ids))
            .select((a::thread_id, a::summary))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect()
    };
    Ok(threads
        .into_iter()
        .map(|t| {
            let (category_slug, category_name) =
                cats.get(&t.category_id).cloned().unwrap_or_default();
            ThreadSummary {
                author: people
                    .get(&t.author_id)
                    .cloned()
                    .unwrap_or_else(|| AuthorView {
                        id: t.author_id,
                        username: String::new(),
                        display_name: String::new(),
                    }),
                jurisdictions: codes.remove(&t.id).unwrap_or_default(),
                id: t.id,
                title: t.title,
                kind: t.kind,
                category_id: t.category_id,
                category_slug,
                category_name,
                locked: t.locked,
                pinned: t.pinned,
                post_count: t.post_count,
                created_at: t.created_at,
                last_post_at: t.last_post_at,
                language: t.language,
                summary: analysis_summaries.remove(&t.id),
                slow_mode_seconds: t.slow_mode_seconds,
                featured: t.featured_at.is_some(),
            }
        })
        .collect())
}

fn post_view(post: Post, author: AuthorView) -> PostView {
    PostView {
        id: post.id,
        thread_id: post.thread_id,
        author,
        body: post.body,
        body_html: SanitizedHtml::from_stored(post.body_html),
        created_at: post.created_at,
        edited_at: post.edited_at,
        reply_to: post.reply_to,
        revision: post.revision,
        language: post.language,
        hidden: post.hidden,
    }
}

/// The event payload for a post: what live clients render.
fn post_payload(view: &PostView) -> event_payloads::PostPayload {
    event_payloads::PostPayload {
        id: view.id,
        thread_id: view.thread_id,
        author: event_payloads::AuthorRef {
            id: view.author.id,
            username: view.author.username.clone(),
            display_name: view.author.display_name.clone(),
        },
        body: view.body.clone(),
        body_html: view.body_html.as_str().to_owned(),
        created_at: crate::rfc3339(view.created_at),
        edited_at: view.edited_at.map(crate::rfc3339),
        reply_to: view.reply_to,
        revision: view.revision,
        language: view.language.clone(),
        hidden: view.hidden,
    }
}

/// A post body as stored: source, rendering and language.
pub(crate) struct PostContent<'a> {
    pub(crate) body: &'a Markdown,
    pub(crate) html: &'a SanitizedHtml,
    pub(crate) language: &'a ContentLanguage,
}

fn insert_post(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread_id: i64,
    content: &PostContent<'_>,
    reply_to: Option<i64>,
    at: NaiveDateTime,
) -> Result<Post> {
    let PostContent {
        body,
        html,
        language,
    } = content;
    let post = diesel::insert_into(posts::table)
        .values((
            posts::thread_id.eq(thread_id),
            posts::author_id.eq(viewer.id),
            posts::reply_to.eq(reply_to),
            posts::body.eq(body.as_str()),
            posts::body_html.eq(html.as_str()),
            posts::revision.eq(1i64),
            posts::hidden.eq(false),
            posts::created_at.eq(at),
            posts::language.eq(language.as_str()),
        ))
        .returning(posts::all_columns)
        .get_result::<Post>(conn)?;
    diesel::insert_into(post_revisions::table)
        .values((
            post_revisions::post_id.eq(post.id),
            post_revisions::revision.eq(1i64),
            post_revisions::body.eq(body.as_str()),
            post_revisions::edited_by.eq(viewer.id),
            post_revisions::edited_at.eq(at),
        ))
        .execute(conn)?;
    Ok(post)
}

/// Writes a new revision of `post` (checked by the caller), with its event;
/// an edit by someone other than the author is also audited.
pub(crate) fn apply_edit(
    conn: &mut DbConnection,
    viewer: &Viewer,
    post: &Post,
    thread: &Thread,
    content: &PostContent<'_>,
    reason: Option<&str>,
) -> Result<PostView> {
    let PostContent {
        body,
        html,
        language,
    } = content;
    let at = now();
    let revision = post.revision + 1;
    let updated: Post = diesel::update(posts::table.find(post.id))
        .set((
            posts::body.eq(body.as_str()),
            posts::body_html.eq(html.as_str()),
            posts::revision.eq(revision),
            posts::edited_at.eq(at),
            posts::language.eq(language.as_str()),
        ))
        .returning(posts::all_columns)
        .get_result::<Post>(conn)?;
    record_citations(conn, &updated, body.as_str())?;
    diesel::insert_into(post_revisions::table)
        .values((
            post_revisions::post_id.eq(post.id),
            post_revisions::revision.eq(revision),
            post_revisions::body.eq(body.as_str()),
            post_revisions::edited_by.eq(viewer.id),
            post_revisions::edited_at.eq(at),
            post_revisions::reason.eq(reason),
        ))
        .execute(conn)?;
    let author = authors(conn, [updated.author_id])?
        .remove(&updated.author_id)
        .ok_or(CoreError::NotFound)?;
    let view = post_view(updated, author);
    events::append(
        conn,
        &Event::PostEdited(event_payloads::PostEdited {
            post: post_payload(&view),
            reason: reason.map(str::to_owned),
        }),
        Some(thread.id),
        Some(thread.category_id),
        Some(viewer.id),
    )?;
    if viewer.id != post.author_id {
        crate::store::audit::append(
            conn,
            crate::store::audit::Entry {
                actor: Some(viewer.id),
                action: "post.edit",
                target: format!("post:{}", post.id),
                reason: reason.unwrap_or_default(),
                details: serde_json::json!({ "thread_id": thread.id, "author_id": post.author_id,
                                             "revision": view.revision }),
            },
        )?;
    }
    Ok(view)
}

/// Records which threads a post cites (`#123`), replacing what an earlier
/// revision cited. Only existing threads are recorded; who may see them is
/// decided when the citation is read.
fn record_citations(conn: &mut DbConnection, post: &Post, body: &str) -> Result<()> {
    diesel::delete(thread_citations::table.filter(thread_citations::source_post.eq(post.id)))
        .execute(conn)?;
    let mut targets = markdown::thread_references(body);
    targets.retain(|t| *t != post.thread_id);
    if targets.is_empty() {
        return Ok(());
    }
    let existing: Vec<i64> = threads::table
        .filter(threads::id.eq_any(&targets))
        .select(threads::id)
        .load(conn)?;
    for target in existing {
        diesel::insert_into(thread_citations::table)
            .values((
                thread_citations::source_post.eq(post.id),
                thread_citations::source_thread.eq(post.thread_id),
                thread_citations::target_thread.eq(target),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Threads `viewer` may see whose visible posts cite `thread_id`.
fn cited_by(conn: &mut DbConnection, viewer: &Viewer, thread_id: i64) -> Result<Vec<ThreadRef>> {
    let visible = visible_category_ids(conn, viewer)?;
    let mut query = thread_citations::table
        .inner_join(posts::table.on(posts::id.eq(thread_citations::source_post)))
        .inner_join(threads::table.on(threads::id.eq(thread_citations::source_thread)))
        .filter(thread_citations::target_thread.eq(thread_id))
        .filter(threads::category_id.eq_any(visible))
        .into_boxed();
    if !viewer.is_staff() {
        query = query.filter(posts::hidden.eq(false));
    }
    let mut rows: Vec<(i64, String, String)> = query
        .select((threads::id, threads::title, threads::kind))
        .order(threads::id.asc())
        .load(conn)?;
    rows.dedup_by_key(|r| r.0);
    Ok(rows
        .into_iter()
        .map(|(id, title, kind)| ThreadRef { id, title, kind })
        .collect())
}

fn viewer_author(viewer: &Viewer) -> AuthorView {
    AuthorView {
        id: viewer.id,
        username: viewer.username.clone(),
        display_name: viewer.display_name.clone(),
    }
}

impl Db {
    /// Categories `viewer` may see, in display order.
    pub fn categories(&self, viewer: &Viewer) -> Result<Vec<CategoryView>> {
        self.read(|conn| {
            let restrictions = Restrictions::load(conn)?;
            let rows: Vec<Category> = categories::table
                .order((categories::position.asc(), categories::id.asc()))
                .select(Category::as_select())
                .load(conn)?;
            let counts: HashMap<i64, i64> = threads::table
                .group_by(threads::category_id)
                .select((threads::category_id, diesel::dsl::count_star()))
                .load::<(i64, i64)>(conn)?
                .into_iter()
                .collect();
            Ok(rows
                .into_iter()
                .filter_map(|c| {
                    let groups = restrictions.get(&c.id).cloned().unwrap_or_default();
                    access::can_see_category(viewer, &groups).then(|| CategoryView {
                        thread_count: counts.get(&c.id).copied().unwrap_or(0),
                        id: c.id,
                        slug: c.slug,
                        name: c.name,
                        description: c.description,
                        restricted_to_groups: groups,
                    })
                })
                .collect())
        })
    }

    /// A category by slug, if visible.
    pub fn category_by_slug(&self, viewer: &Viewer, slug: &str) -> Result<CategoryView> {
        self.categories(viewer)?
            .into_iter()
            .find(|c| c.slug == slug)
            .ok_or(CoreError::NotFound)
    }

    /// Creates a category (admins).
    pub fn create_category(
        &self,
        viewer: &Viewer,
        slug: &str,
        name: &str,
        description: &str,
        restricted_to_groups: &[i64],
    ) -> Result<CategoryView> {
        access::check_second_factor(viewer)?;
        if !access::can_manage_categories(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins can create categories",
            ));
        }
        let slug = Slug::parse(slug)?;
        let name = parse_line("name", name, 1, 80)?;
        let description = parse_text("description", description, 1000)?;
        let groups: Vec<i64> = restricted_to_groups
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        self.write(|conn| {
            let taken: i64 = categories::table
                .filter(categories::slug.eq(slug.as_str()))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(CoreError::conflict(ErrorCode::SlugTaken, "a category with this slug exists"));
            }
            let known: i64 = groups::table
                .filter(groups::id.eq_any(&groups))
                .count()
                .get_result(conn)?;
            if known != groups.len() as i64 {
                return Err(CoreError::invalid("restricted_to_groups", "unknown group"));
            }
            let position: i64 = categories::table
                .select(diesel::dsl::max(categories::position))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1;
            let category = diesel::insert_into(categories::table)
                .values((
                    categories::slug.eq(slug.as_str()),
                    categories::name.eq(&name),
                    categories::description.eq(&description),
                    categories::position.eq(position),
                    categories::created_at.eq(now()),
                ))
                .returning(categories::all_columns)
                .get_result::<Category>(conn)?;
            for group in &groups {
                diesel::insert_into(category_groups::table)
                    .values((
                        category_groups::category_id.eq(category.id),
                        category_groups::group_id.eq(group),
                    ))
                    .execute(conn)?;
            }
            events::append(conn, &Event::CategoryCreated(event_payloads::CategoryCreated { id: category.id, slug: category.slug.clone(), name: category.name.clone() }), None, Some(category.id), Some(viewer.id))?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "category.create",
                    target: format!("category:{}", category.id),
                    reason: "",
                    details: serde_json::json!({ "slug": category.slug, "restricted_to_groups": groups }),
                },
            )?;
            Ok(CategoryView {
                id: category.id,
                slug: category.slug,
                name: category.name,
                description: category.description,
                restricted_to_groups: groups,
                thread_count: 0,
            })
        })
    }

    /// A page of threads `viewer` may see, pinned first then most recent,
    /// and whether another page follows.
    pub fn threads(
        &self,
        viewer: &Viewer,
        filter: &ThreadFilter,
    ) -> Result<(Vec<ThreadSummary>, Option<i64>)> {
        let page = filter.page.max(1);
        let jurisdiction = filter
            .jurisdiction
            .as_deref()
            .map(|j| JurisdictionCode::parse("jurisdiction", j))
            .transpose()?;
        let crime_area = crate::domain::analysis::crime_area_filter(filter.crime_area.as_deref())?;
        let instrument = crate::domain::analysis::instrument_filter(filter.instrument.as_deref())?;
        let language = filter
            .language
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .map(ContentLanguage::parse)
            .transpose()?;
        self.read(|conn| {
            let mut visible = visible_category_ids(conn, viewer)?;
            if let Some(category) = filter.category_id {
                visible.retain(|id| *id == category);
            }
            let mut query = threads::table
                .filter(threads::category_id.eq_any(visible))
                .into_boxed();
            if let Some(code) = &jurisdiction {
                // A country's list includes threads tagged with a region it
                // belongs to; a region's, those of its members.
                let tagged = thread_jurisdictions::table
                    .filter(
                        thread_jurisdictions::code
                            .eq_any(crate::domain::jurisdictions::related_tags(code.as_str())),
                    )
                    .select(thread_jurisdictions::thread_id);
                query = query.filter(threads::id.eq_any(tagged));
            }
            if let Some(area) = crime_area {
                let filed = analysis_crime_areas::table
                    .filter(analysis_crime_areas::area.eq(area.as_str()))
                    .select(analysis_crime_areas::thread_id);
                query = query.filter(threads::id.eq_any(filed));
            }
            if let Some(r) = &instrument {
                let citing = analysis_instruments::table
                    .filter(analysis_instruments::instrument_id.eq(r.instrument.clone()));
                query = if r.article.is_empty() {
                    query.filter(threads::id.eq_any(citing.select(analysis_instruments::thread_id)))
                } else {
                    query.filter(
                        threads::id.eq_any(
                            citing
                                .filter(analysis_instruments::article.eq(r.article.clone()))
                                .select(analysis_instruments::thread_id),
                        ),
                    )
                };
            }
            if let Some(kind) = filter.kind {
                query = query.filter(threads::kind.eq(kind.as_str()));
            }
            if let Some(language) = &language {
                query = query.filter(threads::language.eq(language.as_str().to_owned()));
            }
            if filter.category_id.is_some() {
                query = query.order((
                    threads::pinned.desc(),
                    threads::last_post_at.desc(),
                    threads::id.desc(),
                ));
            } else {
                query = query.order((threads::last_post_at.desc(), threads::id.desc()));
            }
            let mut rows: Vec<Thread> = query
                .offset((page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE + 1)
                .select(Thread::as_select())
                .load(conn)?;
            let next = if rows.len() as i64 > PAGE_SIZE {
                rows.truncate(PAGE_SIZE as usize);
                Some(page + 1)
            } else {
                None
            };
            Ok((summaries(conn, rows)?, next))
        })
    }

    /// Opens a thread with its first post.
    pub fn create_thread(
        &self,
        viewer: &Viewer,
        input: &NewThreadInput<'_>,
    ) -> Result<(ThreadSummary, PostView)> {
        access::check_second_factor(viewer)?;
        let title = ThreadTitle::parse(input.title)?;
        let kind = ThreadKind::parse(input.kind)?;
        let body = Markdown::parse(input.body)?;
        let codes = crate::domain::analysis::parse_jurisdictions(input.jurisdictions)?;
        let record = analyses::record_for_kind(kind, input.analysis, &codes)?;
        let language = ContentLanguage::declared_or_detected(input.language, body.as_str())?;
        let html = markdown::render(body.as_str());
        self.write(|conn| {
            let category =
                visible_category(conn, viewer, input.category_id).map_err(|e| match e {
                    CoreError::NotFound => CoreError::invalid("category_id", "unknown category"),
                    other => other,
                })?;
            let at = now();
            let thread = diesel::insert_into(threads::table)
                .values((
                    threads::category_id.eq(category.id),
                    threads::author_id.eq(viewer.id),
                    threads::title.eq(title.as_str()),
                    threads::kind.eq(kind.as_str()),
                    threads::locked.eq(false),
                    threads::pinned.eq(false),
                    threads::post_count.eq(1i64),
                    threads::created_at.eq(at),
                    threads::last_post_at.eq(at),
                    threads::language.eq(language.as_str()),
                ))
                .returning(threads::all_columns)
                .get_result::<Thread>(conn)?;
            analyses::replace_tags(conn, thread.id, &codes)?;
            let post = insert_post(
                conn,
                viewer,
                thread.id,
                &PostContent {
                    body: &body,
                    html: &html,
                    language: &language,
                },
                None,
                at,
            )?;
            if let Some(record) = &record {
                analyses::store_record(conn, thread.id, record, at)?;
            }
            record_citations(conn, &post, body.as_str())?;
            let post = post_view(post, viewer_author(viewer));
            let summary = summaries(conn, vec![thread])?.remove(0);
            events::append(
                conn,
                &Event::ThreadCreated(event_payloads::ThreadCreated {
                    thread: analyses::thread_payload(&summary),
                    analysis: record.as_ref().map(analyses::record_payload),
                    post: post_payload(&post),
                }),
                Some(summary.id),
                Some(summary.category_id),
                Some(viewer.id),
            )?;
            Ok((summary, post))
        })
    }

    /// A thread and its posts, if visible.
    pub fn thread(&self, viewer: &Viewer, thread_id: i64) -> Result<ThreadView> {
        self.read(|conn| {
            let (thread, _category) = visible_thread(conn, viewer, thread_id)?;
            let mut query = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .order(posts::id.asc())
                .into_boxed();
            if !viewer.is_staff() {
                query = query.filter(posts::hidden.eq(false));
            }
            let rows: Vec<Post> = query.select(Post::as_select()).load(conn)?;
            let people = authors(conn, rows.iter().map(|p| p.author_id))?;
            let posts = rows
                .into_iter()
                .map(|p| {
                    let author = people
                        .get(&p.author_id)
                        .cloned()
                        .unwrap_or_else(|| AuthorView {
                            id: p.author_id,
                            username: String::new(),
                            display_name: String::new(),
                        });
                    post_view(p, author)
                })
                .collect();
            let analysis = analyses::analysis_view(conn, viewer, &thread)?;
            let cited_by = cited_by(conn, viewer, thread.id)?;
            let thread = summaries(conn, vec![thread])?.remove(0);
            Ok(ThreadView {
                thread,
                posts,
                analysis,
                cited_by,
            })
        })
    }

    /// Replies in a thread.
    pub fn create_post(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        body: &str,
        reply_to: Option<i64>,
        language: Option<&str>,
    ) -> Result<PostView> {
        access::check_second_factor(viewer)?;
        let body = Markdown::parse(body)?;
        let language = ContentLanguage::declared_or_detected(language, body.as_str())?;
        let html = markdown::render(body.as_str());
        self.write(|conn| {
            let (thread, _category) = visible_thread(conn, viewer, thread_id)?;
            if !access::can_reply(viewer, thread.locked) {
                return Err(CoreError::Locked {
                    message: "this thread is locked".to_owned(),
                });
            }
            if thread.slow_mode_seconds > 0 && !viewer.is_staff() {
                let last: Option<NaiveDateTime> = posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .filter(posts::author_id.eq(viewer.id))
                    .select(diesel::dsl::max(posts::created_at))
                    .first(conn)?;
                if let Some(last) = last {
                    let wait = thread.slow_mode_seconds - (now() - last).num_seconds();
                    if wait > 0 {
                        return Err(CoreError::RateLimited {
                            code: ErrorCode::SlowMode,
                            message: format!(
                                "this thread is in slow mode: you can reply again in {wait} s"
                            ),
                        });
                    }
                }
            }
            if let Some(parent) = reply_to {
                let same_thread: i64 = posts::table
                    .filter(posts::id.eq(parent))
                    .filter(posts::thread_id.eq(thread.id))
                    .count()
                    .get_result(conn)?;
                if same_thread == 0 {
                    return Err(CoreError::invalid(
                        "reply_to",
                        "no such post in this thread",
                    ));
                }
            }
            let at = now();
            let content = PostContent {
                body: &body,
                html: &html,
                language: &language,
            };
            let post = insert_post(conn, viewer, thread.id, &content, reply_to, at)?;
            record_citations(conn, &post, body.as_str())?;
            diesel::update(threads::table.find(thread.id))
                .set((
                    threads::post_count.eq(threads::post_count + 1i64),
                    threads::last_post_at.eq(at),
                ))
                .execute(conn)?;
            let post = post_view(post, viewer_author(viewer));
            events::append(
                conn,
                &Event::PostCreated(event_payloads::PostCreated {
                    post: post_payload(&post),
                }),
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            Ok(post)
        })
    }

    /// A single visible post.
    pub fn post(&self, viewer: &Viewer, post_id: i64) -> Result<PostView> {
        self.read(|conn| {
            let post: Post = posts::table
                .find(post_id)
                .select(Post::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            visible_thread(conn, viewer, post.thread_id)?;
            if post.hidden && !viewer.is_staff() {
                return Err(CoreError::NotFound);
            }
            let author = authors(conn, [post.author_id])?
                .remove(&post.author_id)
                .ok_or(CoreError::NotFound)?;
            Ok(post_view(post, author))
        })
    }

    /// Edits a post, keeping the new text as a revision.
    pub fn edit_post(
        &self,
        viewer: &Viewer,
        post_id: i64,
        body: &str,
        reason: Option<&str>,
        language: Option<&str>,
    ) -> Result<PostView> {
        access::check_second_factor(viewer)?;
        let body = Markdown::parse(body)?;
        let language = ContentLanguage::declared_or_detected(language, body.as_str())?;
        let reason = reason
            .map(|r| parse_line("edit_reason", r, 0, 300))
            .transpose()?
            .filter(|r| !r.is_empty());
        let html = markdown::render(body.as_str());
        self.write(|conn| {
            let post: Post = posts::table
                .find(post_id)
                .select(Post::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            let (thread, _category) = visible_thread(conn, viewer, post.thread_id)?;
            if post.hidden && !viewer.is_staff() {
                return Err(CoreError::NotFound);
            }
            if !access::can_edit_post(viewer, post.author_id) {
                return Err(CoreError::forbidden(
                    ErrorCode::Forbidden,
                    "you can only edit your own posts",
                ));
            }
            if thread.locked && !viewer.is_staff() {
                return Err(CoreError::Locked {
                    message: "this thread is locked".to_owned(),
                });
            }
            apply_edit(
                conn,
                viewer,
                &post,
                &thread,
                &PostContent {
                    body: &body,
                    html: &html,
                    language: &language,
                },
                reason.as_deref(),
            )
        })
    }

    /// Every revision of a visible post, oldest first.
    pub fn revisions(&self, viewer: &Viewer, post_id: i64) -> Result<Vec<RevisionView>> {
        self.post(viewer, post_id)?;
        self.read(|conn| {
            let rows: Vec<PostRevision> = post_revisions::table
                .filter(post_revisions::post_id.eq(post_id))
                .order(post_revisions::revision.asc())
                .select(PostRevision::as_select())
                .load(conn)?;
            let people = authors(conn, rows.iter().map(|r| r.edited_by))?;
            Ok(rows
                .into_iter()
                .map(|r| RevisionView {
                    revision: r.revision,
                    body: r.body,
                    edited_by: people
                        .get(&r.edited_by)
                        .cloned()
                        .unwrap_or_else(|| AuthorView {
                            id: r.edited_by,
                            username: String::new(),
                            display_name: String::new(),
                        }),
                    edited_at: r.edited_at,
                    reason: r.reason,
                })
                .collect())
        })
    }

    /// Recent threads a user started that `viewer` may see (profiles).
    pub fn threads_by_author(&self, viewer: &Viewer, author_id: i64) -> Result<Vec<ThreadSummary>> {
        self.read(|conn| {
            let visible = visible_category_ids(conn, viewer)?;
            let rows: Vec<Thread> = threads::table
                .filter(threads::author_id.eq(author_id))
                .filter(threads::category_id.eq_any(visible))
                .order(threads::created_at.desc())
                .limit(PAGE_SIZE)
                .select(Thread::as_select())
                .load(conn)?;
            summaries(conn, rows)
        })
    }
}

#[cfg(feature = "test-support")]
impl Db {
    /// Posts that exist, hidden or not (for tests of "nothing stored").
    pub fn post_count(&self) -> Result<i64> {
        self.read(|conn| Ok(posts::table.count().get_result(conn)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\n");
        let changes: Vec<_> = d.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            changes,
            vec![
                ("equal", "a"),
                ("delete", "b"),
                ("insert", "B"),
                ("equal", "c")
            ]
        );
    }
}
