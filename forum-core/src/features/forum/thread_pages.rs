//! Threads: listed and filtered, started (with an analysis record when
//! of kind `analysis`), read with their posts and citations.

use std::sync::Arc;

use super::*;
use crate::store::cache::{LogCache, Stale};

/// Filters for a thread list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ThreadFilter {
    pub category_id: Option<CategoryId>,
    pub jurisdiction: Option<String>,
    pub kind: Option<ThreadKind>,
    /// Only analyses filed under this crime area.
    pub crime_area: Option<String>,
    /// Only analyses citing this instrument (`untoc`) or article (`untoc:5`).
    pub instrument: Option<String>,
    /// Only threads whose opening post is in this language (ISO 639-1).
    pub language: Option<String>,
    /// 1-based; ignored when `before` is given.
    pub page: i64,
    /// Continue after this cursor ([`ListCursor`]: the `next_before` of
    /// the previous page): the same cost at any depth.
    pub before: Option<String>,
    /// Instead of the above: the featured analyses, most recently
    /// featured first (at most 20, one page).
    pub featured: bool,
}

/// Where a page of a thread list ended: the sort key of its last thread.
/// Its text form (`pinned.microseconds.id`) is opaque to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    pinned: bool,
    last_post_at: NaiveDateTime,
    id: ThreadId,
}

impl ListCursor {
    fn of(thread: &Thread) -> ListCursor {
        ListCursor {
            pinned: thread.pinned,
            last_post_at: thread.last_post_at,
            id: thread.id,
        }
    }

    /// A cursor as [`ListCursor::encode`] wrote it; 422 `before` otherwise.
    pub fn parse(text: &str) -> Result<ListCursor> {
        let bad = || CoreError::invalid("before", "not a cursor this list gave");
        let mut parts = text.trim().split('.');
        let pinned = match parts.next() {
            Some("0") => false,
            Some("1") => true,
            _ => return Err(bad()),
        };
        let micros: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let id: ThreadId = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        if parts.next().is_some() || id.get() < 1 {
            return Err(bad());
        }
        let last_post_at = chrono::DateTime::from_timestamp_micros(micros)
            .ok_or_else(bad)?
            .naive_utc();
        Ok(ListCursor {
            pinned,
            last_post_at,
            id,
        })
    }

    pub fn encode(&self) -> String {
        format!(
            "{}.{}.{}",
            u8::from(self.pinned),
            self.last_post_at.and_utc().timestamp_micros(),
            self.id
        )
    }
}

/// A page of a thread list.
#[derive(Debug, Clone)]
pub struct ThreadListPage {
    /// Unique to this page as read (in this process): a list read again
    /// gets a new one, so what is rendered from a page can be kept under it.
    pub version: u64,
    pub threads: Vec<ThreadSummary>,
    /// The next page's number, when there is one.
    pub next_page: Option<i64>,
    /// The next page's cursor, when there is one.
    pub next_before: Option<String>,
}

/// Input for a new thread.
pub struct NewThreadInput<'a> {
    pub category_id: CategoryId,
    pub title: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub jurisdictions: &'a [String],
    /// Declared language of the body; detected when absent.
    pub language: Option<&'a str>,
    /// The structured record, for threads of kind `analysis`.
    pub analysis: Option<&'a AnalysisInput>,
    /// Uploads of the author's to attach to the opening post.
    pub attachments: &'a [AttachmentId],
    /// Its handling mark (`GREEN` when absent).
    pub mark: Option<&'a str>,
    /// Who an `AMBER+STRICT` or `RED` mark admits.
    pub mark_recipients: Option<&'a MarkRecipients>,
    /// The author's reason to post despite suspected personal data.
    pub acknowledge_personal_data: Option<&'a str>,
}

/// `InvalidInput` on `mark_recipients` unless every group and member named
/// exists.
pub(crate) fn check_recipients_exist(
    conn: &mut DbConnection,
    recipients: &MarkRecipients,
) -> Result<()> {
    if !recipients.groups.is_empty() {
        let found: i64 = groups::table
            .filter(groups::id.eq_any(&recipients.groups))
            .count()
            .get_result(conn)?;
        if found != recipients.groups.len() as i64 {
            return Err(CoreError::invalid("mark_recipients", "unknown group"));
        }
    }
    if !recipients.users.is_empty() {
        let found: i64 = users::table
            .filter(users::id.eq_any(&recipients.users))
            .count()
            .get_result(conn)?;
        if found != recipients.users.len() as i64 {
            return Err(CoreError::invalid("mark_recipients", "unknown member"));
        }
    }
    Ok(())
}

/// Threads `viewer` may see whose visible posts cite `thread_id`.
pub(super) fn cited_by(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread_id: ThreadId,
) -> Result<Vec<ThreadRef>> {
    let readable = readable(conn, viewer)?;
    let mut query = thread_citations::table
        .inner_join(posts::table.on(posts::id.eq(thread_citations::source_post)))
        .inner_join(threads::table.on(threads::id.eq(thread_citations::source_thread)))
        .filter(thread_citations::target_thread.eq(thread_id))
        .filter(threads::category_id.eq_any(readable.categories))
        .filter(threads::id.ne_all(readable.hidden_threads))
        .filter(posts::id.ne_all(readable.hidden_posts))
        .into_boxed();
    if !viewer.is_staff() {
        query = query.filter(posts::hidden.eq(false));
    }
    let mut rows: Vec<(ThreadId, String, String)> = query
        .select((threads::id, threads::title, threads::kind))
        .order(threads::id.asc())
        .load(conn)?;
    rows.dedup_by_key(|r| r.0);
    rows.into_iter()
        .map(|(id, title, kind)| {
            Ok(ThreadRef {
                id,
                title,
                kind: kind.try_into()?,
            })
        })
        .collect()
}

impl Db {
    /// A page of threads `viewer` may see, pinned first then most recent,
    /// and whether another page follows.
    pub fn threads(
        &self,
        viewer: &Viewer,
        filter: &ThreadFilter,
    ) -> Result<(Vec<ThreadSummary>, Option<i64>)> {
        let page = self.thread_list(viewer, filter)?;
        Ok((page.threads, page.next_page))
    }

    /// A page of threads `viewer` may see, by page number or after a
    /// cursor, with both ways to the next page. The order (pinned first in
    /// a category, then latest activity, then id) is an index's, so a
    /// cursor costs the same at any depth.
    pub fn thread_list(&self, viewer: &Viewer, filter: &ThreadFilter) -> Result<ThreadListPage> {
        let readable = self.read(|conn| readable(conn, viewer))?;
        self.thread_list_visible(&readable, filter)
    }

    /// [`Db::thread_list`] through `cache`: the categories `viewer` may
    /// see come from the category list (itself cached), and a page is
    /// kept per filter and set of visible categories until the log says a
    /// thread changed.
    pub fn thread_list_cached(
        &self,
        cache: &ThreadListCache,
        viewer: &Viewer,
        filter: &ThreadFilter,
    ) -> Result<Arc<ThreadListPage>> {
        let readable = Readable {
            categories: self.categories(viewer)?.iter().map(|c| c.id).collect(),
            hidden_threads: self.hidden_threads(viewer)?,
            hidden_posts: self.hidden_posts(viewer)?,
        };
        let key = (filter.clone(), readable);
        let found = cache.get_or_load(self, &key, || {
            self.thread_list_visible(&key.1, filter)
                .map(|p| Some(Arc::new(p)))
        })?;
        Ok(found.unwrap_or_else(|| {
            Arc::new(ThreadListPage {
                version: list_version(),
                threads: Vec::new(),
                next_page: None,
                next_before: None,
            })
        }))
    }

    /// [`Db::thread_list_cached`] when the page and the category list are
    /// kept and fresh without asking the database (SQLite, this process's
    /// writes applied): no trip to a blocking thread. `None`: call
    /// [`Db::thread_list_cached`]. Who may see each category is decided
    /// here, each time, by the same rule.
    pub fn thread_list_kept(
        &self,
        cache: &ThreadListCache,
        viewer: &Viewer,
        filter: &ThreadFilter,
    ) -> Option<Arc<ThreadListPage>> {
        let all = self.category_cache().local_hit(self, &())?;
        let (hidden_threads, hidden_posts) = self.hidden_kept(viewer)?;
        let readable = Readable {
            categories: all
                .iter()
                .filter(|(_, groups, _)| access::can_see_category(viewer, groups))
                .map(|(c, _, _)| c.id)
                .collect(),
            hidden_threads,
            hidden_posts,
        };
        cache.local_hit(self, &(filter.clone(), readable))
    }

    /// [`Db::thread_list`] over what the viewer may read.
    fn thread_list_visible(
        &self,
        readable: &Readable,
        filter: &ThreadFilter,
    ) -> Result<ThreadListPage> {
        if filter.featured {
            return self.read(|conn| {
                Ok(ThreadListPage {
                    version: list_version(),
                    threads: crate::features::moderation::featured_in(conn, readable)?,
                    next_page: None,
                    next_before: None,
                })
            });
        }
        let page = filter.page.max(1);
        let before = filter
            .before
            .as_deref()
            .filter(|b| !b.trim().is_empty())
            .map(ListCursor::parse)
            .transpose()?;
        let page = if before.is_some() { 1 } else { page };
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
            thread_list_in(
                conn,
                readable.clone(),
                filter,
                &ParsedFilter {
                    page,
                    before,
                    jurisdiction,
                    crime_area,
                    instrument,
                    language,
                },
            )
        })
    }
}

/// A new [`ThreadListPage::version`].
fn list_version() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static PAGES: AtomicU64 = AtomicU64::new(0);
    PAGES.fetch_add(1, Ordering::Relaxed)
}

/// A thread filter once checked.
struct ParsedFilter {
    page: i64,
    before: Option<ListCursor>,
    jurisdiction: Option<JurisdictionCode>,
    crime_area: Option<crate::domain::CrimeArea>,
    instrument: Option<crate::domain::instruments::InstrumentRef>,
    language: Option<ContentLanguage>,
}

/// Pages of thread lists by filter and visible categories.
pub type ThreadListCache = LogCache<(ThreadFilter, Readable), Arc<ThreadListPage>, ()>;

/// A cache for [`Db::thread_list_cached`]: any change to a thread or its
/// posts (order, counts, titles, tags, places) empties it.
pub fn thread_list_cache() -> ThreadListCache {
    LogCache::new(2_000, |_, _| (), stale_lists)
}

fn stale_lists(event: &Event) -> Stale<()> {
    match event {
        // A member's name shows on their posts (an erasure renames).
        Event::AccountUpdated(e) if e.user_id.is_some() => Stale::Everything,
        Event::AccountUpdated(_) => Stale::Nothing,
        Event::UserCreated(_)
        | Event::SessionsRevoked(_)
        | Event::GroupCreated(_)
        | Event::MembershipChanged(_)
        | Event::FlagResolved(_)
        | Event::UserSuspended(_)
        | Event::UserReinstated(_)
        | Event::RoleChanged(_)
        | Event::Notification(_)
        | Event::NotificationsRead(_)
        | Event::MemberStateChanged(_)
        | Event::AttachmentExtracted(_)
        | Event::AttachmentHidden(_) => Stale::Nothing,
        _ => Stale::Everything,
    }
}

/// The readable threads of the categories `readable` names (one, or none):
/// one category is an equality, so PostgreSQL walks the ordering index
/// (with `= ANY(array)` it sorted the whole category).
fn threads_of(readable: &Readable) -> threads::BoxedQuery<'static, DbBackend> {
    let query = match readable.categories.as_slice() {
        [only] => threads::table
            .filter(threads::category_id.eq(*only))
            .into_boxed(),
        visible => threads::table
            .filter(threads::category_id.eq_any(visible.to_vec()))
            .into_boxed(),
    };
    query.filter(threads::id.ne_all(readable.hidden_threads.clone()))
}

/// The threads of every category `readable` names, said as "not in a category
/// the viewer may not see" (usually none), in the same statement so that a
/// category made meanwhile stays out. Both databases then read the rows in
/// the order of an index over all threads (`threads_order`,
/// `threads_featured`) instead of sorting every visible thread.
/// Threads whose marks keep them from the viewer are left out the same way.
pub(crate) fn threads_across(readable: &Readable) -> threads::BoxedQuery<'static, DbBackend> {
    threads::table
        .filter(
            threads::category_id.ne_all(
                categories::table
                    .filter(categories::id.ne_all(readable.categories.clone()))
                    .select(categories::id),
            ),
        )
        .filter(threads::id.ne_all(readable.hidden_threads.clone()))
        .into_boxed()
}

/// The backend type of [`DbConnection`], for boxed queries.
type DbBackend = <DbConnection as diesel::Connection>::Backend;

/// One page of the threads `readable` admits.
fn thread_list_in(
    conn: &mut DbConnection,
    mut readable: Readable,
    filter: &ThreadFilter,
    parsed: &ParsedFilter,
) -> Result<ThreadListPage> {
    let ParsedFilter {
        page,
        before,
        jurisdiction,
        crime_area,
        instrument,
        language,
    } = parsed;
    let (page, before) = (*page, *before);
    if let Some(category) = filter.category_id {
        readable.categories.retain(|id| *id == category);
    }
    let mut query = match filter.category_id {
        Some(_) => threads_of(&readable),
        None => threads_across(&readable),
    };
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
    use diesel::sql_types::{BigInt, Bool, Timestamp};
    let pinned_first = filter.category_id.is_some();
    if pinned_first {
        query = query.order((
            threads::pinned.desc(),
            threads::last_post_at.desc(),
            threads::id.desc(),
        ));
    } else {
        query = query.order((threads::last_post_at.desc(), threads::id.desc()));
    }
    // Row-value comparisons, so both databases seek the index.
    if let Some(c) = before {
        query = if pinned_first {
            query.filter(
                diesel::dsl::sql::<Bool>("(threads.pinned, threads.last_post_at, threads.id) < (")
                    .bind::<Bool, _>(c.pinned)
                    .sql(", ")
                    .bind::<Timestamp, _>(c.last_post_at)
                    .sql(", ")
                    .bind::<BigInt, _>(c.id)
                    .sql(")"),
            )
        } else {
            query.filter(
                diesel::dsl::sql::<Bool>("(threads.last_post_at, threads.id) < (")
                    .bind::<Timestamp, _>(c.last_post_at)
                    .sql(", ")
                    .bind::<BigInt, _>(c.id)
                    .sql(")"),
            )
        };
    }
    let mut rows: Vec<Thread> = query
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .select(Thread::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next_before = more
        .then(|| rows.last().map(|t| ListCursor::of(t).encode()))
        .flatten();
    let next_page = (more && before.is_none()).then_some(page + 1);
    Ok(ThreadListPage {
        version: list_version(),
        threads: summaries(conn, rows)?,
        next_page,
        next_before,
    })
}

impl Db {
    /// Opens a thread with its first post.
    pub fn create_thread(
        &self,
        viewer: &Viewer,
        input: &NewThreadInput<'_>,
    ) -> Result<(ThreadSummary, PostView)> {
        self.create_thread_with(viewer, input, |_, _| Ok(()))
            .map(|(summary, post, ())| (summary, post))
    }

    /// [`Db::create_thread`], running `then` in the same transaction once
    /// the thread is stored (before its event): what `then` refuses is
    /// never stored either.
    pub(crate) fn create_thread_with<T>(
        &self,
        viewer: &Viewer,
        input: &NewThreadInput<'_>,
        then: impl FnOnce(&mut DbConnection, &ThreadSummary) -> Result<T>,
    ) -> Result<(ThreadSummary, PostView, T)> {
        access::check_second_factor(viewer)?;
        let title = ThreadTitle::parse(input.title)?;
        let kind = ThreadKind::parse(input.kind)?;
        let body = Markdown::parse(input.body)?;
        let codes = crate::domain::analysis::parse_jurisdictions(input.jurisdictions)?;
        let record = analyses::record_for_kind(kind, input.analysis, &codes)?;
        let language = ContentLanguage::declared_or_detected(input.language, body.as_str())?;
        let html = markdown::render(body.as_str());
        let mark = input
            .mark
            .map(|m| Mark::parse("mark", m))
            .transpose()?
            .unwrap_or_default();
        let recipients = input
            .mark_recipients
            .cloned()
            .unwrap_or_default()
            .for_mark(mark)?;
        let summary = input
            .analysis
            .map(|a| a.summary.as_str())
            .unwrap_or_default();
        let personal_data = crate::domain::personal_data::screen(
            &[
                ("title", title.as_str()),
                ("body", body.as_str()),
                ("analysis.summary", summary),
            ],
            input.acknowledge_personal_data,
        )?;
        self.write(|conn| {
            let category =
                visible_category(conn, viewer, input.category_id).map_err(|e| match e {
                    CoreError::NotFound => CoreError::invalid("category_id", "unknown category"),
                    other => other,
                })?;
            check_recipients_exist(conn, &recipients)?;
            crate::features::network::check_writable(conn, viewer, category.id)?;
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
                    threads::mark.eq(mark.as_str()),
                ))
                .returning(threads::all_columns)
                .get_result::<Thread>(conn)?;
            if mark.names_readers() {
                crate::access::visibility::store_marking(conn, thread.id, mark, &recipients)?;
            }
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
            crate::features::attachments::attach_in(
                conn,
                viewer,
                post.id,
                1,
                input.attachments,
                false,
            )?;
            record_citations(conn, &post, body.as_str())?;
            crate::features::moderation::open_personal_data_case(
                conn,
                post.id,
                viewer.id,
                input.acknowledge_personal_data.unwrap_or_default(),
                &personal_data,
            )?;
            let post = with_new_attachments(
                conn,
                viewer,
                post_view(post, viewer_author(viewer), mark),
                input.attachments,
            )?;
            let summary = summaries(conn, vec![thread])?.remove(0);
            let then = then(conn, &summary)?;
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
            Ok((summary, post, then))
        })
    }

    /// A thread and its posts, if visible.
    pub fn thread(&self, viewer: &Viewer, thread_id: ThreadId) -> Result<ThreadView> {
        self.read(|conn| {
            let (thread, _category) = visible_thread(conn, viewer, thread_id)?;
            let marked_away =
                crate::access::visibility::hidden_posts_in(conn, viewer, &[thread.id])?;
            let mut query = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .filter(posts::id.ne_all(marked_away))
                .order(posts::id.asc())
                .into_boxed();
            if !viewer.is_staff() {
                query = query.filter(posts::hidden.eq(false));
            }
            let rows: Vec<Post> = query.select(Post::as_select()).load(conn)?;
            let posts = post_views(conn, rows)?;
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

    /// Recent threads a user started that `viewer` may see (profiles).
    pub fn threads_by_author(
        &self,
        viewer: &Viewer,
        author_id: UserId,
    ) -> Result<Vec<ThreadSummary>> {
        self.read(|conn| {
            let readable = readable(conn, viewer)?;
            let rows: Vec<Thread> = threads::table
                .filter(threads::author_id.eq(author_id))
                .filter(threads::category_id.eq_any(readable.categories))
                .filter(threads::id.ne_all(readable.hidden_threads))
                .order(threads::created_at.desc())
                .limit(PAGE_SIZE)
                .select(Thread::as_select())
                .load(conn)?;
            summaries(conn, rows)
        })
    }
}
