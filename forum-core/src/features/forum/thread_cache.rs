//! A thread as everyone would see it, kept in memory: the thread, every
//! post (hidden ones marked), the analysis record with who endorsed it,
//! the threads citing it and the groups of every category. Each request
//! then applies the access rule to this copy — the category's groups
//! ([`access::can_see_category`]), its mark ([`access::can_see_marking`]),
//! hidden posts
//! ([`access::can_see_hidden_posts`]), the citing threads' categories —
//! exactly as [`Db::thread`] does in SQL, and the reader's own
//! endorsement is picked out.
//!
//! Entries are dropped by the event log ([`LogCache`]): every event logged
//! with the thread, a post citing it (`#123` in a new post's body), and
//! everything on events that change where things are or who sees them
//! (moves, merges, splits, hidden or restored posts, edits — an edit may
//! drop a citation — and new categories).

use std::sync::Arc;

use super::*;
use crate::access::visibility::Restrictions;
use crate::store::cache::{LogCache, Stale};

const CAPACITY: usize = 10_000;

/// One thread, before any reader's access is applied.
#[derive(Debug)]
pub struct CachedThread {
    /// Unique to this copy (this process, this read): a changed thread is
    /// read again and gets a new one.
    version: String,
    thread: ThreadSummary,
    posts: Vec<PostView>,
    /// Without the reader's own endorsement.
    analysis: Option<AnalysisView>,
    /// Who endorsed it, for the reader's own.
    endorsers: HashMap<UserId, String>,
    /// Citing thread, its title, kind and category, whether the citing
    /// post is hidden, and that post.
    citations: Vec<(ThreadId, String, ThreadKind, CategoryId, bool, PostId)>,
    restrictions: Restrictions,
    /// Its handling mark.
    marking: access::Marking,
    /// The marks of the citing threads that name their readers.
    citing_markings: HashMap<ThreadId, access::Marking>,
}

/// Threads by id.
pub type ThreadCache = LogCache<ThreadId, Arc<CachedThread>, ThreadId>;

/// A cache for [`Db::thread_cached`].
pub fn thread_cache() -> ThreadCache {
    LogCache::new(CAPACITY, |id, _| *id, stale_threads)
}

fn stale_threads(event: &Event) -> Stale<ThreadId> {
    let citing = |thread_id: ThreadId, body: &str| {
        let mut ids: Vec<ThreadId> = markdown::thread_references(body)
            .into_iter()
            .map(ThreadId::from)
            .collect();
        ids.push(thread_id);
        Stale::Members(ids)
    };
    match event {
        Event::ThreadCreated(e) => citing(e.post.thread_id, &e.post.body),
        Event::PostCreated(e) => citing(e.post.thread_id, &e.post.body),
        Event::EndorsementAdded(e) => Stale::Member(e.thread_id),
        Event::EndorsementWithdrawn(e) => Stale::Member(e.thread_id),
        Event::ThreadLocked(e) => Stale::Member(e.thread_id),
        Event::ThreadPinned(e) => Stale::Member(e.thread_id),
        Event::ThreadSlowMode(e) => Stale::Member(e.thread_id),
        Event::ThreadFeatured(e) => Stale::Member(e.thread_id),
        // A thread's title and mark show in the threads it cites too.
        Event::ThreadUpdated(_)
        | Event::PostEdited(_)
        | Event::PostHidden(_)
        | Event::PostRestored(_)
        | Event::ThreadMoved(_)
        | Event::ThreadMerged(_)
        | Event::ThreadSplit(_)
        | Event::CategoryCreated(_) => Stale::Everything,
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
        | Event::MemberStateChanged(_) => Stale::Nothing,
        Event::AttachmentExtracted(e) | Event::AttachmentHidden(e) => Stale::Member(e.thread_id),
    }
}

/// Reads everything about a thread that does not depend on the reader, in
/// one snapshot.
fn load(conn: &mut DbConnection, thread_id: ThreadId) -> Result<Option<CachedThread>> {
    conn.transaction(|conn| load_in(conn, thread_id))
}

/// A new copy's version: this process's random prefix and a counter.
fn next_version() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PROCESS: OnceLock<u64> = OnceLock::new();
    static COPIES: AtomicU64 = AtomicU64::new(0);
    let process = PROCESS.get_or_init(rand::random::<u64>);
    format!("{process:016x}.{}", COPIES.fetch_add(1, Ordering::Relaxed))
}

fn load_in(conn: &mut DbConnection, thread_id: ThreadId) -> Result<Option<CachedThread>> {
    let version = next_version();
    let Some(thread) = threads::table
        .find(thread_id)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let restrictions = Restrictions::load(conn)?;
    let marking = crate::access::visibility::marking_of(conn, &thread)?;
    let rows: Vec<Post> = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .order(posts::id.asc())
        .select(Post::as_select())
        .load(conn)?;
    let posts = post_views(conn, rows)?;
    // Nobody has id 0: the record without "my endorsement".
    let nobody = Viewer {
        id: UserId::from(0),
        username: "".into(),
        display_name: "".into(),
        role: crate::domain::Role::Member,
        session_id: SessionId::from(0),
        groups: Arc::from([]),
        country: "".into(),
        profession: "".into(),
        language: None,
        second_factor_missing: false,
        guest_until: None,
        feed_generation: 0,
    };
    let analysis = analyses::analysis_view(conn, &nobody, &thread)?;
    let endorsers = if analysis.is_some() {
        endorsements::table
            .filter(endorsements::thread_id.eq(thread.id))
            .select((endorsements::user_id, endorsements::jurisdiction))
            .load::<(UserId, String)>(conn)?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let mut citations: Vec<(ThreadId, String, String, CategoryId, bool, PostId)> =
        thread_citations::table
            .inner_join(posts::table.on(posts::id.eq(thread_citations::source_post)))
            .inner_join(threads::table.on(threads::id.eq(thread_citations::source_thread)))
            .filter(thread_citations::target_thread.eq(thread.id))
            .select((
                threads::id,
                threads::title,
                threads::kind,
                threads::category_id,
                posts::hidden,
                posts::id,
            ))
            .order(threads::id.asc())
            .load(conn)?;
    citations.sort_by_key(|c| (c.0, c.4, c.5));
    let citations = citations
        .into_iter()
        .map(|(id, title, kind, category, hidden, post)| {
            Ok((
                id,
                title,
                ThreadKind::try_from(kind)?,
                category,
                hidden,
                post,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let citing: Vec<ThreadId> = citations.iter().map(|c| c.0).collect();
    let citing_markings = crate::access::visibility::named_markings(conn, Some(&citing))?
        .into_iter()
        .map(|(id, _, marking)| (id, marking))
        .collect();
    let thread = summaries(conn, vec![thread])?.remove(0);
    Ok(Some(CachedThread {
        version,
        thread,
        posts,
        analysis,
        endorsers,
        citations,
        restrictions,
        marking,
        citing_markings,
    }))
}

impl CachedThread {
    /// May `viewer` read the thread: its category, then its mark.
    fn readable_by(&self, viewer: &Viewer) -> bool {
        self.restrictions.can_see(viewer, self.thread.category_id)
            && access::can_see_marking(viewer, &self.marking)
    }

    /// May `viewer` see that post `post` of the thread `id` of `category`
    /// cites this one?
    fn citing_readable_by(
        &self,
        viewer: &Viewer,
        id: ThreadId,
        category: CategoryId,
        post: PostId,
    ) -> bool {
        self.restrictions.can_see(viewer, category)
            && self
                .citing_markings
                .get(&id)
                .is_none_or(|m| access::can_see_marking(viewer, m))
            && self
                .restrictions
                .post_marking(post)
                .is_none_or(|m| access::can_see_marking(viewer, m))
    }

    /// May `viewer` see the post `p` of this thread (which they may
    /// read): not hidden unless staff, and its own mark admits them.
    fn sees_post(&self, viewer: &Viewer, p: &PostView) -> bool {
        (!p.hidden || access::can_see_hidden_posts(viewer))
            && self
                .restrictions
                .post_marking(p.id)
                .is_none_or(|m| access::can_see_marking(viewer, m))
    }

    /// What `viewer` may see of it, as [`Db::thread`] gives it; `NotFound`
    /// when they may not see the thread.
    /// Without the posts when `with_posts` is false.
    fn view_for(&self, viewer: &Viewer, with_posts: bool) -> Result<ThreadView> {
        if !self.readable_by(viewer) {
            return Err(CoreError::NotFound);
        }
        let hidden_too = access::can_see_hidden_posts(viewer);
        let posts = if with_posts {
            self.posts
                .iter()
                .filter(|p| self.sees_post(viewer, p))
                .map(|p| {
                    let mut p = p.clone();
                    if !hidden_too && p.attachments.iter().any(|a| a.hidden) {
                        p.attachments.retain(|a| !a.hidden);
                    }
                    p
                })
                .collect()
        } else {
            Vec::new()
        };
        let analysis = self.analysis.clone().map(|mut a| {
            a.my_endorsement = self.endorsers.get(&viewer.id).cloned();
            a
        });
        let mut cited_by: Vec<ThreadRef> = Vec::new();
        for (id, title, kind, category, hidden, post) in &self.citations {
            if (hidden_too || !hidden)
                && self.citing_readable_by(viewer, *id, *category, *post)
                && cited_by.last().is_none_or(|last| last.id != *id)
            {
                cited_by.push(ThreadRef {
                    id: *id,
                    title: title.clone(),
                    kind: *kind,
                });
            }
        }
        Ok(ThreadView {
            thread: self.thread.clone(),
            posts,
            analysis,
            cited_by,
        })
    }
}

/// A thread for one reader: the shared copy and the tag of what this
/// reader sees of it.
#[derive(Debug, Clone)]
pub struct ThreadForReader {
    pub thread: Arc<CachedThread>,
    /// The reader whose access was checked.
    reader: UserId,
    /// Equal tags, equal views: the copy's version and everything the
    /// reader's access changes in it (hidden posts, their own endorsement,
    /// the citing threads they may see). Usable as an `ETag` and as a key
    /// for the view's serialised forms.
    pub tag: String,
}

impl ThreadForReader {
    /// The thread's id.
    pub fn id(&self) -> ThreadId {
        self.thread.thread.id
    }

    /// Whether this is `viewer`'s: proof that they may see the thread.
    pub(crate) fn checked_for(&self, viewer: &Viewer) -> bool {
        self.reader == viewer.id
    }

    /// The view itself (clones the posts the reader may see).
    pub fn view(&self, viewer: &Viewer) -> Result<ThreadView> {
        self.thread.view_for(viewer, true)
    }

    /// The view without its posts (`posts` empty), for a reader whose
    /// posts are already rendered.
    pub fn view_without_posts(&self, viewer: &Viewer) -> Result<ThreadView> {
        self.thread.view_for(viewer, false)
    }

    /// Which of the posts `viewer` sees they may edit under
    /// [`access::can_edit_post`], as a short key (`all`, `none`, or their
    /// ids): with the tag, the language and the reader's other tools, it
    /// tells one reader's rendering of the posts from another's.
    pub fn editable_key(&self, viewer: &Viewer) -> String {
        use std::fmt::Write as _;
        let (mut seen, mut editable, mut ids) = (0usize, 0usize, String::new());
        for post in &self.thread.posts {
            if !self.thread.sees_post(viewer, post) {
                continue;
            }
            seen += 1;
            if access::can_edit_post(viewer, post.author.id) {
                editable += 1;
                let dash = if ids.is_empty() { "" } else { "-" };
                let _ = write!(ids, "{dash}{}", post.id);
            }
        }
        if editable == 0 {
            "none".to_owned()
        } else if editable == seen {
            "all".to_owned()
        } else {
            ids
        }
    }

    /// Whether `user_id` wrote any of the thread's posts.
    pub fn has_post_by(&self, user_id: UserId) -> bool {
        self.thread.posts.iter().any(|p| p.author.id == user_id)
    }
}

impl CachedThread {
    /// What tells `viewer`'s view from others' (see
    /// [`ThreadForReader::tag`]); `NotFound` when they may not see it.
    fn for_reader(self: &Arc<Self>, viewer: &Viewer) -> Result<ThreadForReader> {
        if !self.readable_by(viewer) {
            return Err(CoreError::NotFound);
        }
        let hidden_too = access::can_see_hidden_posts(viewer);
        let mut tag = format!("{}.h{}", self.version, u8::from(hidden_too));
        if self.analysis.is_some()
            && let Some(mine) = self.endorsers.get(&viewer.id)
        {
            tag.push_str(".e");
            tag.push_str(mine);
        }
        tag.push_str(".c");
        for (id, _, _, category, hidden, post) in &self.citations {
            if (hidden_too || !hidden) && self.citing_readable_by(viewer, *id, *category, *post) {
                tag.push('-');
                tag.push_str(&id.to_string());
            }
        }
        // The posts whose own marks keep them from this reader.
        tag.push_str(".m");
        for p in &self.posts {
            let marked_away = self
                .restrictions
                .post_marking(p.id)
                .is_some_and(|m| !access::can_see_marking(viewer, m));
            if marked_away {
                tag.push('-');
                tag.push_str(&p.id.to_string());
            }
        }
        Ok(ThreadForReader {
            thread: self.clone(),
            reader: viewer.id,
            tag,
        })
    }
}

/// The thread from `cache` if it is fresh without asking the database
/// (SQLite, this process's writes applied); `None`: ask
/// [`Db::thread_cached`].
pub fn cached_thread(
    cache: &ThreadCache,
    db: &Db,
    viewer: &Viewer,
    thread_id: ThreadId,
) -> Option<Result<ThreadForReader>> {
    cache
        .local_hit(db, &thread_id)
        .map(|entry| entry.for_reader(viewer))
}

impl Db {
    /// [`Db::thread`] through `cache`.
    pub fn thread_cached(
        &self,
        cache: &ThreadCache,
        viewer: &Viewer,
        thread_id: ThreadId,
    ) -> Result<ThreadForReader> {
        let entry = cache.get_or_load(self, &thread_id, || {
            Ok(self.read(|conn| load(conn, thread_id))?.map(Arc::new))
        })?;
        entry.ok_or(CoreError::NotFound)?.for_reader(viewer)
    }
}
