//! What the search index is fed, and the database recheck of its hits.
//!
//! The index itself lives in the `search-index` crate, which knows nothing
//! of the database; the server turns the [`SearchSource`]s read here into
//! index documents, with access keys from [`crate::access::document_keys`]
//! and a viewer's keys from [`Db::search_keys`]. Hidden posts are never
//! indexed. Every hit the index returns is checked again here against the
//! database ([`Db::visible_search_hits`]), so an index lagging behind a
//! move or a hide cannot show what the viewer may no longer see.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::visibility::{Restrictions, named_markings, readable, visible_category_ids};
use crate::access::{self, MarkKey, Marking, SearchKey, Viewer};
use crate::domain::ThreadKind;
use crate::domain::markdown;
use crate::error::{CoreError, Result};
use crate::features::attachments::{AttachmentPage, AttachmentText};
use crate::features::forum::jurisdictions_of;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::schema::{
    analyses, analysis_crime_areas, analysis_instruments, groups, posts, threads, users,
};

/// One visible (not hidden) post with everything the index needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSource {
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub author_id: UserId,
    pub category_id: CategoryId,
    /// The groups the category is restricted to (empty: open to members).
    pub restricted_to: Vec<GroupId>,
    /// The thread's handling mark (its mark keys:
    /// [`crate::access::marking_keys`]).
    pub marking: Marking,
    /// The post's own mark, when it is stricter than its thread's and
    /// names its readers: a reader must hold a key of both.
    pub post_marking: Option<Marking>,
    pub title: String,
    /// The thread's first post.
    pub opening: bool,
    /// Plain text: for the opening post of an analysis, its summary, then
    /// the body; Markdown is rendered and stripped.
    pub body_text: String,
    pub language: String,
    pub kind: ThreadKind,
    pub jurisdictions: Vec<String>,
    /// "untoc" or "untoc:5".
    pub instruments: Vec<String>,
    pub crime_areas: Vec<String>,
    pub created_at: NaiveDateTime,
    /// The text inside the post's current, unhidden files.
    pub attachments: Vec<AttachmentText>,
}

/// A hit the viewer may see, as the search results show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHitView {
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub title: String,
    /// The thread's handling mark.
    pub mark: crate::domain::mark::Mark,
    pub kind: ThreadKind,
    pub jurisdictions: Vec<String>,
    pub author_username: String,
    pub author_display_name: String,
    pub created_at: NaiveDateTime,
    /// Plain text of the post body (for the snippet).
    pub body_text: String,
    pub language: String,
    /// The pages of text of its files (for a snippet "in judgment.pdf,
    /// p. 3" when the match is there).
    pub attachment_pages: Vec<AttachmentPage>,
}

/// Search filters as a client sends them, before validation. Blank means
/// no filter.
#[derive(Debug, Clone, Default)]
pub struct SearchFilterInput {
    pub jurisdiction: Option<String>,
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    pub kind: Option<String>,
    pub language: Option<String>,
    pub category: Option<CategoryId>,
    /// A username.
    pub author: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub to: Option<String>,
}

/// Validated search filters, in the index's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// A known jurisdiction code.
    pub jurisdiction: Option<String>,
    /// "untoc" or "untoc:5", in the catalogue.
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    pub kind: Option<String>,
    /// A lowercase ISO 639-1 code.
    pub language: Option<String>,
    /// A category the viewer may see.
    pub category_id: Option<CategoryId>,
    pub author_id: Option<UserId>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive (the day after `to`).
    pub until: Option<i64>,
}

type PostRow = (PostId, ThreadId, UserId, String, String, NaiveDateTime);

/// Which posts to feed the index.
enum Posts<'a> {
    OfThreads(&'a [ThreadId]),
    Ids(&'a [PostId]),
}

/// The posts named, unless hidden, oldest first, as the index takes them.
fn indexable(conn: &mut DbConnection, which: Posts<'_>) -> Result<Vec<SearchSource>> {
    let query = posts::table
        .filter(posts::hidden.eq(false))
        .order(posts::id.asc())
        .into_boxed();
    let query = match which {
        Posts::OfThreads(ids) => crate::store::filter_in!(query, posts::thread_id, ids),
        Posts::Ids(ids) => crate::store::filter_in!(query, posts::id, ids),
    };
    let rows: Vec<PostRow> = query.select(post_columns()).load(conn)?;
    sources(conn, rows)
}

impl Db {
    /// The indexable posts of these threads (none for a thread that no
    /// longer exists).
    pub fn search_sources_for_threads(&self, thread_ids: &[ThreadId]) -> Result<Vec<SearchSource>> {
        self.read(|conn| indexable(conn, Posts::OfThreads(thread_ids)))
    }

    /// These posts, where they exist and are not hidden.
    pub fn search_sources_for_posts(&self, post_ids: &[PostId]) -> Result<Vec<SearchSource>> {
        self.read(|conn| indexable(conn, Posts::Ids(post_ids)))
    }

    /// The opening post of a thread, unless it is hidden or the thread is
    /// gone.
    pub fn search_source_of_opening_post(
        &self,
        thread_id: ThreadId,
    ) -> Result<Option<SearchSource>> {
        self.read(|conn| {
            let first: Option<PostId> = posts::table
                .filter(posts::thread_id.eq(thread_id))
                .select(diesel::dsl::min(posts::id))
                .first(conn)?;
            let rows: Vec<PostRow> = posts::table
                .filter(posts::id.eq_any(first))
                .filter(posts::hidden.eq(false))
                .select(post_columns())
                .load(conn)?;
            Ok(sources(conn, rows)?.into_iter().next())
        })
    }

    /// Up to `limit` indexable posts with ids above `after`, by id: a full
    /// rebuild pages through these.
    pub fn search_sources_after(&self, after: i64, limit: i64) -> Result<Vec<SearchSource>> {
        self.read(|conn| {
            let rows: Vec<PostRow> = posts::table
                .filter(posts::id.gt(after))
                .filter(posts::hidden.eq(false))
                .order(posts::id.asc())
                .limit(limit)
                .select(post_columns())
                .load(conn)?;
            sources(conn, rows)
        })
    }

    /// Validates search filters: each unknown value is a 422 naming its
    /// parameter. A category the viewer may not see is as unknown as one
    /// that does not exist.
    pub fn search_filter(
        &self,
        viewer: &Viewer,
        input: &SearchFilterInput,
    ) -> Result<SearchFilter> {
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let jurisdiction = blank(&input.jurisdiction)
            .map(|code| {
                crate::domain::jurisdictions::get(&code)
                    .map(|j| j.code.clone())
                    .ok_or_else(|| CoreError::invalid("jurisdiction", "unknown jurisdiction code"))
            })
            .transpose()?;
        let instrument = crate::domain::analysis::instrument_filter(input.instrument.as_deref())?
            .map(|r| r.key());
        let crime_area = crate::domain::analysis::crime_area_filter(input.crime_area.as_deref())?
            .map(|a| a.as_str().to_owned());
        let kind = blank(&input.kind)
            .map(|k| ThreadKind::parse(&k).map(|k| k.as_str().to_owned()))
            .transpose()
            .map_err(|_| CoreError::invalid("kind", "unknown thread kind"))?;
        let language = blank(&input.language)
            .map(|l| {
                let l = l.to_ascii_lowercase();
                if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()) {
                    Ok(l)
                } else {
                    Err(CoreError::invalid("language", "must be an ISO 639-1 code"))
                }
            })
            .transpose()?;
        let from = crate::domain::analysis::parse_date("from", input.from.as_deref())?;
        let to = crate::domain::analysis::parse_date("to", input.to.as_deref())?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(CoreError::invalid("to", "must not be before from"));
        }
        let midnight =
            |d: chrono::NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
        let author = blank(&input.author);
        // Only a category or an author needs the database.
        let (category_id, author_id) = if input.category.is_none() && author.is_none() {
            (None, None)
        } else {
            self.read(|conn| {
                let category_id = match input.category {
                    None => None,
                    Some(id) => {
                        if !visible_category_ids(conn, viewer)?.contains(&id) {
                            return Err(CoreError::invalid("category", "no such category"));
                        }
                        Some(id)
                    }
                };
                let author_id = match author {
                    None => None,
                    Some(name) => Some(
                        users::table
                            .filter(users::username.eq(name.to_lowercase()))
                            .select(users::id)
                            .first::<UserId>(conn)
                            .optional()?
                            .ok_or_else(|| CoreError::invalid("author", "no such member"))?,
                    ),
                };
                Ok((category_id, author_id))
            })?
        };
        Ok(SearchFilter {
            jurisdiction,
            instrument,
            crime_area,
            kind,
            language,
            category_id,
            author_id,
            from: from.map(midnight),
            until: to.and_then(|d| d.succ_opt()).map(midnight),
        })
    }

    /// The mark keys `viewer` searches with (see
    /// [`access::viewer_mark_keys`]).
    pub fn search_mark_keys(&self, viewer: &Viewer) -> Vec<MarkKey> {
        access::viewer_mark_keys(viewer)
    }

    /// The keys `viewer` searches with (see [`access::viewer_keys`]).
    pub fn search_keys(&self, viewer: &Viewer) -> Result<Vec<SearchKey>> {
        if !viewer.is_admin() {
            // A member's keys are their own groups: nothing to read.
            return Ok(access::viewer_keys(viewer, &[]));
        }
        self.read(|conn| {
            let all: Vec<GroupId> = groups::table.select(groups::id).load(conn)?;
            Ok(access::viewer_keys(viewer, &all))
        })
    }

    /// The posts among `post_ids` that `viewer` may see now, in the order
    /// given: the recheck of every search hit.
    pub fn visible_search_hits(
        &self,
        viewer: &Viewer,
        post_ids: &[PostId],
    ) -> Result<Vec<SearchHitView>> {
        self.read(|conn| {
            let readable = readable(conn, viewer)?;
            let rows: Vec<(PostRow, String, String, String, String, String)> = posts::table
                .inner_join(threads::table)
                .inner_join(users::table)
                .filter(posts::id.eq_any(post_ids))
                .filter(posts::hidden.eq(false))
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .filter(posts::id.ne_all(&readable.hidden_posts))
                .select((
                    post_columns(),
                    threads::kind,
                    threads::title,
                    users::username,
                    users::display_name,
                    threads::mark,
                ))
                .load(conn)?;
            let thread_ids: Vec<ThreadId> = rows.iter().map(|(p, ..)| p.1).collect();
            let codes = jurisdictions_of(conn, &thread_ids)?;
            let found: Vec<PostId> = rows.iter().map(|(p, ..)| p.0).collect();
            let mut pages: HashMap<PostId, Vec<AttachmentPage>> = HashMap::new();
            for page in crate::features::attachments::pages_of(conn, &found)? {
                pages.entry(page.post_id).or_default().push(page);
            }
            let mut by_id: HashMap<PostId, SearchHitView> = rows
                .into_iter()
                .map(
                    |(
                        (id, thread_id, _, body, language, created_at),
                        kind,
                        title,
                        username,
                        name,
                        mark,
                    )| {
                        let hit = SearchHitView {
                            post_id: id,
                            thread_id,
                            title,
                            mark: mark.try_into()?,
                            kind: kind.try_into()?,
                            jurisdictions: codes.get(&thread_id).cloned().unwrap_or_default(),
                            author_username: username,
                            author_display_name: name,
                            created_at,
                            body_text: markdown::plain_text(&body),
                            language,
                            attachment_pages: pages.remove(&id).unwrap_or_default(),
                        };
                        Ok((id, hit))
                    },
                )
                .collect::<Result<_>>()?;
            Ok(post_ids.iter().filter_map(|id| by_id.remove(id)).collect())
        })
    }
}

fn post_columns() -> (
    posts::id,
    posts::thread_id,
    posts::author_id,
    posts::body,
    posts::language,
    posts::created_at,
) {
    (
        posts::id,
        posts::thread_id,
        posts::author_id,
        posts::body,
        posts::language,
        posts::created_at,
    )
}

/// Completes post rows with their thread's title, kind, category, access
/// and tags.
fn sources(conn: &mut DbConnection, rows: Vec<PostRow>) -> Result<Vec<SearchSource>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut thread_ids: Vec<ThreadId> = rows.iter().map(|r| r.1).collect();
    thread_ids.sort_unstable();
    thread_ids.dedup();
    type ThreadFacts = (String, ThreadKind, CategoryId, Marking);
    let threads: HashMap<ThreadId, ThreadFacts> = threads::table
        .filter(threads::id.eq_any(&thread_ids))
        .select((
            threads::id,
            threads::title,
            threads::kind,
            threads::category_id,
            threads::author_id,
            threads::mark,
        ))
        .load::<(ThreadId, String, String, CategoryId, UserId, String)>(conn)?
        .into_iter()
        .map(|(id, title, kind, category, author, mark)| {
            let marking = Marking {
                mark: mark.try_into()?,
                author,
                ..Marking::default()
            };
            Ok((id, (title, kind.try_into()?, category, marking)))
        })
        .collect::<Result<_>>()?;
    // The recipients of the marks that name them.
    let named: HashMap<ThreadId, Marking> = named_markings(conn, Some(&thread_ids))?
        .into_iter()
        .map(|(id, _, marking)| (id, marking))
        .collect();
    let first_posts: HashMap<ThreadId, PostId> = posts::table
        .filter(posts::thread_id.eq_any(&thread_ids))
        .group_by(posts::thread_id)
        .select((posts::thread_id, diesel::dsl::min(posts::id)))
        .load::<(ThreadId, Option<PostId>)>(conn)?
        .into_iter()
        .filter_map(|(thread, first)| Some((thread, first?)))
        .collect();
    let summaries: HashMap<ThreadId, String> = analyses::table
        .filter(analyses::thread_id.eq_any(&thread_ids))
        .select((analyses::thread_id, analyses::summary))
        .load::<(ThreadId, String)>(conn)?
        .into_iter()
        .collect();
    let mut instruments: HashMap<ThreadId, Vec<String>> = HashMap::new();
    for (thread, instrument, article) in analysis_instruments::table
        .filter(analysis_instruments::thread_id.eq_any(&thread_ids))
        .order((
            analysis_instruments::instrument_id,
            analysis_instruments::article,
        ))
        .select((
            analysis_instruments::thread_id,
            analysis_instruments::instrument_id,
            analysis_instruments::article,
        ))
        .load::<(ThreadId, String, String)>(conn)?
    {
        let reference = if article.is_empty() {
            instrument
        } else {
            format!("{instrument}:{article}")
        };
        instruments.entry(thread).or_default().push(reference);
    }
    let mut areas: HashMap<ThreadId, Vec<String>> = HashMap::new();
    for (thread, area) in analysis_crime_areas::table
        .filter(analysis_crime_areas::thread_id.eq_any(&thread_ids))
        .order(analysis_crime_areas::area)
        .select((analysis_crime_areas::thread_id, analysis_crime_areas::area))
        .load::<(ThreadId, String)>(conn)?
    {
        areas.entry(thread).or_default().push(area);
    }
    let codes = jurisdictions_of(conn, &thread_ids)?;
    let restrictions = Restrictions::load(conn)?;
    let post_ids: Vec<PostId> = rows.iter().map(|r| r.0).collect();
    let mut files = crate::features::attachments::texts_of(conn, &post_ids)?;

    Ok(rows
        .into_iter()
        .filter_map(
            |(post_id, thread_id, author_id, body, language, created_at)| {
                let (title, kind, category_id, marking) = threads.get(&thread_id)?.clone();
                let marking = named.get(&thread_id).cloned().unwrap_or(marking);
                let mut body_text = markdown::plain_text(&body);
                let opening = first_posts.get(&thread_id) == Some(&post_id);
                if opening && let Some(summary) = summaries.get(&thread_id) {
                    body_text = format!("{summary}\n\n{body_text}");
                }
                Some(SearchSource {
                    post_id,
                    thread_id,
                    author_id,
                    category_id,
                    restricted_to: restrictions.get(&category_id).cloned().unwrap_or_default(),
                    marking,
                    post_marking: restrictions.post_marking(post_id).cloned(),
                    title,
                    opening,
                    body_text,
                    language,
                    kind,
                    jurisdictions: codes.get(&thread_id).cloned().unwrap_or_default(),
                    instruments: instruments.get(&thread_id).cloned().unwrap_or_default(),
                    crime_areas: areas.get(&thread_id).cloned().unwrap_or_default(),
                    created_at,
                    attachments: files.remove(&post_id).unwrap_or_default(),
                })
            },
        )
        .collect())
}
