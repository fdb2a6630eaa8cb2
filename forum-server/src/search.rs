//! The search request path: validate the parameters, query the index
//! with the viewer's access keys, recheck every hit against the database,
//! highlight the page of hits. The index itself is kept by
//! [`crate::workers::indexer`].

use forum_core::Db;
use forum_core::error::ErrorCode;
use forum_core::{PostId, ThreadId};
use search_index::SearchIndex;

use crate::workers::indexer::{Search, Unavailable, key_string};

/// A search as a client asks for it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub filters: forum_core::features::index_feed::SearchFilterInput,
    /// "relevance" (default) or "newest".
    pub sort: Option<String>,
    /// 1-based.
    pub page: Option<usize>,
    pub per_page: Option<usize>,
    /// "any" (default, ranked and translated) or "all" (every word).
    pub match_mode: Option<String>,
    /// Expansions not to search.
    pub exclude_terms: Vec<String>,
}

/// Hits per page unless asked otherwise, and the most one may ask for.
pub const PER_PAGE: usize = 20;
pub const MAX_PER_PAGE: usize = 50;

/// One result, rechecked against the database.
#[derive(Debug, Clone)]
pub struct FoundPost {
    pub post: forum_core::features::index_feed::SearchHitView,
    /// Escaped text with `<b>` around the matches.
    pub snippet_html: String,
    pub score: f32,
    /// The file and page the match is in, when it is in a file and not
    /// in the post's own text.
    pub in_attachment: Option<FoundIn>,
}

/// Where inside a post's files a hit matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundIn {
    pub attachment_id: forum_core::AttachmentId,
    pub name: String,
    pub page: i64,
    /// The page's language (the snippet's).
    pub language: String,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    pub total: usize,
    /// Whether the facet counts are exact (see [`search_index::tally`]):
    /// beyond 10,000 matches they are estimates.
    pub facets_exact: bool,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<FoundPost>,
    pub facets: search_index::FacetTotals,
    /// The validated filters, for chips and links.
    pub filter: forum_core::features::index_feed::SearchFilter,
    /// Terms in other languages also searched.
    pub expansions: Vec<search_index::Expansion>,
    /// "Did you mean": a spelling the index knows.
    pub suggestion: Option<String>,
    /// Whether every word was required (`match=all`).
    pub match_all: bool,
}

/// Why a search failed.
#[derive(Debug)]
pub enum SearchFailure {
    /// Bad input or a database error.
    Core(forum_core::CoreError),
    /// The index cannot answer now.
    Unavailable(Unavailable),
}

impl From<forum_core::CoreError> for SearchFailure {
    fn from(e: forum_core::CoreError) -> Self {
        SearchFailure::Core(e)
    }
}

impl From<search_index::SearchError> for SearchFailure {
    fn from(e: search_index::SearchError) -> Self {
        tracing::error!(error = %e, "search failed");
        SearchFailure::Unavailable(Unavailable::Failed(e.to_string()))
    }
}

impl From<SearchFailure> for crate::error::ApiError {
    fn from(failure: SearchFailure) -> Self {
        match failure {
            SearchFailure::Core(e) => e.into(),
            SearchFailure::Unavailable(why) => {
                let message = match why {
                    Unavailable::Rebuilding => {
                        "search is being rebuilt from the database; try again in a moment"
                    }
                    Unavailable::Failed(_) => {
                        "search is unavailable right now; the rest of the forum works"
                    }
                };
                let mut error = crate::error::ApiError::new(
                    actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::SearchUnavailable,
                    message,
                );
                error.retry_after = Some(5);
                error
            }
        }
    }
}

/// Runs a search for `viewer`: validates the request, queries the index
/// with the viewer's access keys, rechecks every hit against the database
/// and highlights the snippets. Blocking.
pub fn find(
    db: &Db,
    search: &Search,
    viewer: &forum_core::Viewer,
    request: &SearchRequest,
) -> Result<SearchOutcome, SearchFailure> {
    use forum_core::CoreError;
    if request.q.chars().count() > search_index::MAX_QUERY_CHARS {
        return Err(CoreError::invalid("q", "is longer than 1000 characters").into());
    }
    let sort = match request.sort.as_deref().map(str::trim) {
        None | Some("") | Some("relevance") => search_index::Sort::Relevance,
        Some("newest") => search_index::Sort::Newest,
        Some(_) => return Err(CoreError::invalid("sort", "must be relevance or newest").into()),
    };
    let per_page = request.per_page.unwrap_or(PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(CoreError::invalid("per_page", "must be between 1 and 50").into());
    }
    let page = request.page.unwrap_or(1);
    if page == 0 || page.saturating_mul(per_page) > search_index::MAX_RANK {
        return Err(CoreError::invalid("page", "is out of range").into());
    }
    let match_all = match request.match_mode.as_deref().map(str::trim) {
        None | Some("") | Some("any") => false,
        Some("all") => true,
        Some(_) => return Err(CoreError::invalid("match", "must be any or all").into()),
    };
    if request.exclude_terms.len() > 100
        || request
            .exclude_terms
            .iter()
            .any(|t| t.chars().count() > 200)
    {
        return Err(CoreError::invalid(
            "exclude_terms",
            "names at most 100 terms of 200 characters",
        )
        .into());
    }
    let filter = db.search_filter(viewer, &request.filters)?;
    let index = search.index().map_err(SearchFailure::Unavailable)?;
    let acl = viewer_acl(db, viewer)?;
    let query = search_index::SearchQuery {
        text: request.q.clone(),
        acl,
        filters: index_filters(&filter),
        sort,
        offset: (page - 1) * per_page,
        limit: per_page,
        match_all,
        exclude_terms: request.exclude_terms.clone(),
    };
    let results = index.search(&query)?;
    let ids: Vec<PostId> = results
        .hits
        .iter()
        .map(|h| PostId::from(h.post_id as i64))
        .collect();
    let visible = db.visible_search_hits(viewer, &ids)?;
    let texts: Vec<(&str, &str)> = visible
        .iter()
        .map(|p| (p.language.as_str(), p.body_text.as_str()))
        .collect();
    let mut snippets = snippets_in_parallel(&index, &query, &texts)?;
    // A hit whose own text shows no match matched inside a file: its
    // snippet is the first page of a file that shows one.
    let mut found_in: Vec<Option<FoundIn>> = vec![None; visible.len()];
    for (i, post) in visible.iter().enumerate() {
        if post.attachment_pages.is_empty() || snippets[i].contains("<b>") {
            continue;
        }
        let pages: Vec<(&str, &str)> = post
            .attachment_pages
            .iter()
            .map(|p| (p.language.as_str(), p.text.as_str()))
            .collect();
        let page_snippets = index.snippets(&query, &pages)?;
        // The page showing the most distinct matched words (the first of
        // equals): a page with only a common word loses to the passage.
        let best = post
            .attachment_pages
            .iter()
            .zip(page_snippets)
            .map(|(page, snippet)| (matched_words(&snippet), page, snippet))
            .filter(|(words, ..)| *words > 0)
            .fold(
                None,
                |best: Option<(usize, _, String)>, candidate| match best {
                    Some(b) if b.0 >= candidate.0 => Some(b),
                    _ => Some(candidate),
                },
            );
        if let Some((_, page, snippet)) = best {
            snippets[i] = snippet;
            found_in[i] = Some(FoundIn {
                attachment_id: page.attachment_id,
                name: page.name.clone(),
                page: page.page,
                language: page.language.clone(),
            });
        }
    }
    let scores: std::collections::HashMap<PostId, f32> = results
        .hits
        .iter()
        .map(|h| (PostId::from(h.post_id as i64), h.score))
        .collect();
    let hits = visible
        .into_iter()
        .zip(snippets)
        .zip(found_in)
        .map(|((post, snippet_html), in_attachment)| FoundPost {
            score: scores.get(&post.post_id).copied().unwrap_or_default(),
            post,
            snippet_html,
            in_attachment,
        })
        .collect();
    Ok(SearchOutcome {
        total: results.total,
        facets_exact: results.facets_exact,
        page,
        per_page,
        hits,
        facets: results.facets,
        filter,
        expansions: results.expansions,
        suggestion: results.suggestion,
        match_all,
    })
}

/// Thread titles for search-as-you-type: `(thread_id, title)`, rechecked.
pub fn suggest(
    db: &Db,
    search: &Search,
    viewer: &forum_core::Viewer,
    prefix: &str,
) -> Result<Vec<(ThreadId, String)>, SearchFailure> {
    let index = search.index().map_err(SearchFailure::Unavailable)?;
    let acl = viewer_acl(db, viewer)?;
    let hits = index.suggest(prefix, &acl, 8)?;
    let ids: Vec<PostId> = hits
        .iter()
        .map(|h| PostId::from(h.post_id as i64))
        .collect();
    Ok(db
        .visible_search_hits(viewer, &ids)?
        .into_iter()
        .map(|p| (p.thread_id, p.title))
        .collect())
}

/// Analyses resembling a thread's opening post, rechecked: at most
/// `limit`, never the thread itself. Empty when the thread has no visible
/// opening post.
///
/// The index query is cached per (thread, access keys) in
/// [`RelatedCache`]; the database recheck, which applies the access rule,
/// runs every time.
pub fn related(
    db: &Db,
    search: &Search,
    viewer: &forum_core::Viewer,
    thread_id: ThreadId,
    limit: usize,
) -> Result<Vec<forum_core::features::index_feed::SearchHitView>, SearchFailure> {
    let acl = viewer_acl(db, viewer)?;
    let key = RelatedKey {
        thread_id,
        acl: acl.join(" "),
        limit,
    };
    let cache = search.related_cache();
    let ids = match cache.get(&key, search.indexed_seq()) {
        Lookup::Fresh(ids) => ids,
        Lookup::Stale(ids) => {
            // Answer with what the index said a moment ago; ask it again
            // beside the request.
            let (db, handle, refreshed) = (db.clone(), search.clone_handle(), key.clone());
            let refresh = move || {
                let key = refreshed;
                let search = handle;
                let Some(search) = search.upgrade() else {
                    return;
                };
                match related_candidates(&db, &search, thread_id, &acl, limit) {
                    Ok(ids) => search.related_cache().put(key, ids, search.indexed_seq()),
                    Err(_) => search.related_cache().unmark(&key),
                }
            };
            if std::thread::Builder::new()
                .name("comity-related".into())
                .spawn(refresh)
                .is_err()
            {
                cache.unmark(&key);
            }
            ids
        }
        Lookup::Missing => {
            let seq = search.indexed_seq();
            let ids = related_candidates(db, search, thread_id, &acl, limit)?;
            cache.put(key, ids.clone(), seq);
            ids
        }
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<PostId> = ids.into_iter().map(PostId::from).collect();
    Ok(db.visible_search_hits(viewer, &ids)?)
}

/// The index's answer for [`related`]: post ids, best first.
fn related_candidates(
    db: &Db,
    search: &Search,
    thread_id: ThreadId,
    acl: &[String],
    limit: usize,
) -> Result<Vec<i64>, SearchFailure> {
    let index = search.index().map_err(SearchFailure::Unavailable)?;
    // The caller has checked the thread is visible.
    let Some(first) = db.search_source_of_opening_post(thread_id)? else {
        return Ok(Vec::new());
    };
    let source = search_index::RelatedTo {
        thread_id: thread_id.get() as u64,
        title: first.title,
        body_text: first.body_text,
        language: first.language,
    };
    let filters = search_index::Filters {
        kind: Some(forum_core::domain::ThreadKind::Analysis.as_str().to_owned()),
        ..search_index::Filters::default()
    };
    let hits = index.related(&source, acl, &filters, limit)?;
    Ok(hits.iter().map(|h| h.post_id as i64).collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelatedKey {
    thread_id: ThreadId,
    acl: String,
    limit: usize,
}

struct RelatedEntry {
    ids: Vec<i64>,
    /// The index's `seq` when it was asked.
    indexed: i64,
    at: std::time::Instant,
    refreshing: bool,
}

enum Lookup {
    Fresh(Vec<i64>),
    /// Older than [`RelatedCache::FRESH_FOR`] and the index changed since:
    /// use it and refresh it (the caller is the one refreshing).
    Stale(Vec<i64>),
    Missing,
}

/// "Related analyses" candidates per thread and access keys: the index is
/// asked once per thread and then again only when it has changed and the
/// answer is more than a minute old, beside a request, never in its way.
/// Which of the candidates a reader sees is decided by the database
/// recheck at each request, so a stale entry can be less relevant, never
/// less private.
#[derive(Default)]
pub struct RelatedCache {
    entries: std::sync::Mutex<std::collections::HashMap<RelatedKey, RelatedEntry>>,
}

impl RelatedCache {
    const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);
    const CAPACITY: usize = 20_000;

    fn get(&self, key: &RelatedKey, indexed: i64) -> Lookup {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(entry) = entries.get_mut(key) else {
            return Lookup::Missing;
        };
        if entry.indexed == indexed || entry.refreshing || entry.at.elapsed() < Self::FRESH_FOR {
            return Lookup::Fresh(entry.ids.clone());
        }
        entry.refreshing = true;
        Lookup::Stale(entry.ids.clone())
    }

    fn put(&self, key: RelatedKey, ids: Vec<i64>, indexed: i64) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= Self::CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            RelatedEntry {
                ids,
                indexed,
                at: std::time::Instant::now(),
                refreshing: false,
            },
        );
    }

    fn unmark(&self, key: &RelatedKey) {
        if let Some(entry) = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_mut(key)
        {
            entry.refreshing = false;
        }
    }
}

/// How many distinct words a snippet highlights.
fn matched_words(snippet: &str) -> usize {
    let mut words: Vec<String> = snippet
        .split("<b>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</b>"))
        .map(|(word, _)| word.to_lowercase())
        .collect();
    words.sort();
    words.dedup();
    words.len()
}

/// Snippets of `texts`, half of them on another thread when there are
/// enough to be worth it: highlighting twenty posts is a good share of a
/// search's time on top of the index query.
fn snippets_in_parallel(
    index: &SearchIndex,
    query: &search_index::SearchQuery,
    texts: &[(&str, &str)],
) -> Result<Vec<String>, SearchFailure> {
    const WORTH_A_THREAD: usize = 8;
    if texts.len() < WORTH_A_THREAD {
        return Ok(index.snippets(query, texts)?);
    }
    let (first, second) = texts.split_at(texts.len() / 2);
    let (first, second) = std::thread::scope(|scope| {
        let other = scope.spawn(|| index.snippets(query, second));
        let first = index.snippets(query, first);
        (first, other.join())
    });
    let second = second.map_err(|_| {
        SearchFailure::Unavailable(Unavailable::Failed("snippet thread panicked".to_owned()))
    })?;
    let mut out = first?;
    out.extend(second?);
    Ok(out)
}

fn viewer_acl(db: &Db, viewer: &forum_core::Viewer) -> Result<Vec<String>, SearchFailure> {
    Ok(db
        .search_keys(viewer)?
        .into_iter()
        .map(key_string)
        .chain(db.search_mark_keys(viewer).into_iter().flat_map(|k| {
            [
                crate::workers::indexer::mark_key_string(k.clone()),
                crate::workers::indexer::post_mark_key_string(k),
            ]
        }))
        .collect())
}

fn index_filters(filter: &forum_core::features::index_feed::SearchFilter) -> search_index::Filters {
    search_index::Filters {
        jurisdiction: filter.jurisdiction.clone(),
        instrument: filter.instrument.clone(),
        crime_area: filter.crime_area.clone(),
        kind: filter.kind.clone(),
        language: filter.language.clone(),
        category_id: filter.category_id.map(|c| c.get() as u64),
        author_id: filter.author_id.map(|a| a.get() as u64),
        from: filter.from,
        until: filter.until,
        exclude_thread: None,
    }
}
