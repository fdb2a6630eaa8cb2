//! The visibility SQL, written once: which categories restrict to which
//! groups, and the visible category, thread or post for a viewer. Every
//! feature that reads or writes a thing a viewer names goes through these;
//! the rules themselves are the functions of [`crate::access`].

use std::collections::HashMap;

use diesel::prelude::*;

use crate::access::MarkRecipients;
use crate::access::{self, Marking, Viewer};
use crate::domain::mark::Mark;
use crate::error::{CoreError, Result};
use crate::store::db::{Db, DbConnection, MarkedThread, NamedMarkings};
use crate::store::ids::*;
use crate::store::rows::{Category, Post, Thread};
use crate::store::schema::{
    categories, category_groups, mark_recipients, post_mark_recipients, posts, threads,
};

/// The groups each restricted category is limited to (open categories are
/// absent), the marks of the threads whose marks name their readers, and
/// those of the posts stricter than their threads, loaded once per request
/// or batch.
#[derive(Debug, Clone, Default)]
pub struct Restrictions(
    HashMap<CategoryId, Vec<GroupId>>,
    HashMap<ThreadId, Marking>,
    HashMap<PostId, Marking>,
);

impl Restrictions {
    pub fn load(conn: &mut DbConnection) -> Result<Restrictions> {
        let rows: Vec<(CategoryId, GroupId)> = category_groups::table
            .select((category_groups::category_id, category_groups::group_id))
            .load(conn)?;
        let mut map: HashMap<CategoryId, Vec<GroupId>> = HashMap::new();
        for (category, group) in rows {
            map.entry(category).or_default().push(group);
        }
        let marked = named_markings(conn, None)?
            .into_iter()
            .map(|(id, _, marking)| (id, marking))
            .collect();
        let posts = marked_posts(conn, None)?
            .iter()
            .filter_map(|p| Some((p.post_id?, marking_of_row(p))))
            .collect();
        Ok(Restrictions(map, marked, posts))
    }

    /// The groups `category` is limited to (empty: open to members).
    pub fn groups_of(&self, category: CategoryId) -> &[GroupId] {
        self.0.get(&category).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `viewer` may see `category`.
    pub fn can_see(&self, viewer: &Viewer, category: CategoryId) -> bool {
        access::can_see_category(viewer, self.groups_of(category))
    }

    /// The marking of `thread` when its mark names its readers.
    pub fn marking(&self, thread: ThreadId) -> Option<&Marking> {
        self.1.get(&thread)
    }

    /// The marking of `post` when it has a mark of its own naming readers.
    pub fn post_marking(&self, post: PostId) -> Option<&Marking> {
        self.2.get(&post)
    }

    /// Whether `viewer` may read `thread`, of `category`: the category,
    /// then the thread's mark.
    pub fn can_read(&self, viewer: &Viewer, category: CategoryId, thread: ThreadId) -> bool {
        self.can_see(viewer, category)
            && self
                .marking(thread)
                .is_none_or(|m| access::can_see_marking(viewer, m))
    }

    /// Whether `viewer` may read `post` of `thread`, of `category`: the
    /// thread, then the post's own mark.
    pub fn can_read_post(
        &self,
        viewer: &Viewer,
        category: CategoryId,
        thread: ThreadId,
        post: PostId,
    ) -> bool {
        self.can_read(viewer, category, thread)
            && self
                .post_marking(post)
                .is_none_or(|m| access::can_see_marking(viewer, m))
    }

    /// The threads `viewer` may not read because of their marks, ascending.
    pub fn hidden_threads(&self, viewer: &Viewer) -> Vec<ThreadId> {
        let mut hidden: Vec<ThreadId> = self
            .1
            .iter()
            .filter(|(_, m)| !access::can_see_marking(viewer, m))
            .map(|(id, _)| *id)
            .collect();
        hidden.sort_unstable();
        hidden
    }

    /// The posts `viewer` may not read because of their own marks,
    /// ascending.
    pub fn hidden_posts(&self, viewer: &Viewer) -> Vec<PostId> {
        let mut hidden: Vec<PostId> = self
            .2
            .iter()
            .filter(|(_, m)| !access::can_see_marking(viewer, m))
            .map(|(id, _)| *id)
            .collect();
        hidden.sort_unstable();
        hidden
    }
}

impl std::ops::Deref for Restrictions {
    type Target = HashMap<CategoryId, Vec<GroupId>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// Ids of the categories `viewer` may see.
pub(crate) fn visible_category_ids(
    conn: &mut DbConnection,
    viewer: &Viewer,
) -> Result<Vec<CategoryId>> {
    // Every category with its groups, in one query (search rechecks run
    // this on every request).
    let rows: Vec<(CategoryId, Option<GroupId>)> = categories::table
        .left_join(category_groups::table)
        .select((categories::id, category_groups::group_id.nullable()))
        .order(categories::id)
        .load(conn)?;
    let mut visible = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while let Some((category, group)) = rows.next() {
        let mut groups: Vec<GroupId> = group.into_iter().collect();
        while let Some((_, group)) = rows.next_if(|(next, _)| *next == category) {
            groups.extend(group);
        }
        if access::can_see_category(viewer, &groups) {
            visible.push(category);
        }
    }
    Ok(visible)
}

/// What a viewer may read, in the terms every list query filters by: the
/// categories they may see, the threads among them their marks keep from
/// them, and the posts whose own marks do. A list keeps a thread only when
/// its category is in the first and the thread is not in the second; a
/// list of posts also leaves out the third.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Readable {
    pub categories: Vec<CategoryId>,
    /// Ascending.
    pub hidden_threads: Vec<ThreadId>,
    /// Ascending.
    pub hidden_posts: Vec<PostId>,
}

impl Readable {
    /// Whether a thread of `category` numbered `thread` is readable.
    pub fn admits(&self, category: CategoryId, thread: ThreadId) -> bool {
        self.categories.contains(&category) && self.hidden_threads.binary_search(&thread).is_err()
    }
}

/// What `viewer` may read ([`Readable`]).
pub(crate) fn readable(conn: &mut DbConnection, viewer: &Viewer) -> Result<Readable> {
    let marked = all_marked(conn)?;
    Ok(Readable {
        categories: visible_category_ids(conn, viewer)?,
        hidden_threads: hidden_among(&marked, viewer),
        hidden_posts: hidden_posts_among(&marked, viewer),
    })
}

/// A category if `viewer` may see it, else `NotFound`.
pub(crate) fn visible_category(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: CategoryId,
) -> Result<Category> {
    let category = categories::table
        .find(id)
        .select(Category::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)?;
    let groups: Vec<GroupId> = category_groups::table
        .filter(category_groups::category_id.eq(id))
        .select(category_groups::group_id)
        .load(conn)?;
    if !access::can_see_category(viewer, &groups) {
        return Err(CoreError::NotFound);
    }
    Ok(category)
}

/// The threads whose marks name their readers (`AMBER+STRICT`, `RED`),
/// as stored, oldest first; only those among `only` when given.
pub(crate) fn marked_threads(
    conn: &mut DbConnection,
    only: Option<&[ThreadId]>,
) -> Result<Vec<MarkedThread>> {
    // Two `=` rather than an `IN` list, which diesel never keeps prepared.
    let mut query = threads::table
        .filter(
            threads::mark
                .eq(Mark::AmberStrict.as_str())
                .or(threads::mark.eq(Mark::Red.as_str())),
        )
        .select((
            threads::id,
            threads::category_id,
            threads::author_id,
            threads::mark,
        ))
        .into_boxed();
    if let Some(ids) = only {
        query = crate::store::filter_in!(query, threads::id, ids);
    }
    let mut rows: Vec<(ThreadId, CategoryId, UserId, String)> = query.load(conn)?;
    rows.sort_unstable_by_key(|r| r.0);
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<ThreadId> = rows.iter().map(|r| r.0).collect();
    let mut readers: HashMap<ThreadId, Vec<(String, String)>> = HashMap::new();
    for (thread, kind, value) in mark_recipients::table
        .filter(mark_recipients::thread_id.eq_any(&ids))
        .select((
            mark_recipients::thread_id,
            mark_recipients::kind,
            mark_recipients::value,
        ))
        .load::<(ThreadId, String, String)>(conn)?
    {
        readers.entry(thread).or_default().push((kind, value));
    }
    rows.into_iter()
        .map(|(thread_id, category_id, author_id, mark)| {
            Ok(MarkedThread {
                post_id: None,
                thread_id,
                category_id,
                author_id,
                mark: Mark::try_from(mark)?,
                readers: readers.remove(&thread_id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The posts whose own marks name their readers (`AMBER+STRICT`, `RED`),
/// as stored, oldest first; only those in the threads `only` when given.
pub(crate) fn marked_posts(
    conn: &mut DbConnection,
    only: Option<&[ThreadId]>,
) -> Result<Vec<MarkedThread>> {
    let mut query = posts::table
        .inner_join(threads::table)
        .filter(posts::mark.is_not_null())
        .filter(
            posts::mark
                .eq(Mark::AmberStrict.as_str())
                .or(posts::mark.eq(Mark::Red.as_str())),
        )
        .select((
            posts::id,
            posts::thread_id,
            threads::category_id,
            posts::author_id,
            posts::mark.assume_not_null(),
        ))
        .into_boxed();
    if let Some(ids) = only {
        query = crate::store::filter_in!(query, posts::thread_id, ids);
    }
    let mut rows: Vec<(PostId, ThreadId, CategoryId, UserId, String)> = query.load(conn)?;
    rows.sort_unstable_by_key(|r| r.0);
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<PostId> = rows.iter().map(|r| r.0).collect();
    let mut readers = post_reader_rows(conn, &ids)?;
    rows.into_iter()
        .map(|(post_id, thread_id, category_id, author_id, mark)| {
            Ok(MarkedThread {
                post_id: Some(post_id),
                thread_id,
                category_id,
                author_id,
                mark: Mark::try_from(mark)?,
                readers: readers.remove(&post_id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Every marked thread, then every marked post ([`marked_threads`],
/// [`marked_posts`]).
fn all_marked(conn: &mut DbConnection) -> Result<Vec<MarkedThread>> {
    let mut marked = marked_threads(conn, None)?;
    marked.extend(marked_posts(conn, None)?);
    Ok(marked)
}

/// [`marked_threads`] with their [`Marking`]s.
pub(crate) fn named_markings(
    conn: &mut DbConnection,
    only: Option<&[ThreadId]>,
) -> Result<Vec<(ThreadId, CategoryId, Marking)>> {
    Ok(marked_threads(conn, only)?
        .iter()
        .map(|t| (t.thread_id, t.category_id, marking_of_row(t)))
        .collect())
}

/// The [`Marking`] of a stored marked thread.
fn marking_of_row(t: &MarkedThread) -> Marking {
    marking_from(t.author_id, t.mark, t.readers.clone())
}

/// The threads among `marked` that `viewer` may not read, ascending.
fn hidden_among(marked: &[MarkedThread], viewer: &Viewer) -> Vec<ThreadId> {
    marked
        .iter()
        .filter(|t| t.post_id.is_none() && !access::can_see_marking(viewer, &marking_of_row(t)))
        .map(|t| t.thread_id)
        .collect()
}

/// The posts among `marked` that `viewer` may not read for their own
/// marks, ascending.
fn hidden_posts_among(marked: &[MarkedThread], viewer: &Viewer) -> Vec<PostId> {
    let mut hidden: Vec<PostId> = marked
        .iter()
        .filter(|t| !access::can_see_marking(viewer, &marking_of_row(t)))
        .filter_map(|t| t.post_id)
        .collect();
    hidden.sort_unstable();
    hidden
}

/// A [`Marking`] from its stored recipient rows `(kind, value)`.
fn marking_from(author: UserId, mark: Mark, rows: Vec<(String, String)>) -> Marking {
    let mut marking = Marking {
        mark,
        author,
        recipients: MarkRecipients::default(),
        break_glass: Vec::new(),
    };
    let id = |v: &str| v.parse::<i64>().ok();
    for (kind, value) in rows {
        match kind.as_str() {
            "country" => marking.recipients.countries.push(value),
            "grp" => marking
                .recipients
                .groups
                .extend(id(&value).map(GroupId::from)),
            "member" => marking
                .recipients
                .users
                .extend(id(&value).map(UserId::from)),
            "break_glass" => marking.break_glass.extend(id(&value).map(UserId::from)),
            _ => {}
        }
    }
    marking.recipients = marking.recipients.normalised();
    marking
}

/// The whole [`Marking`] of `thread` (recipients read when its mark names
/// readers).
pub(crate) fn marking_of(conn: &mut DbConnection, thread: &Thread) -> Result<Marking> {
    if !thread.mark.names_readers() {
        return Ok(Marking {
            mark: thread.mark,
            author: thread.author_id,
            ..Marking::default()
        });
    }
    let rows: Vec<(String, String)> = mark_recipients::table
        .filter(mark_recipients::thread_id.eq(thread.id))
        .select((mark_recipients::kind, mark_recipients::value))
        .load(conn)?;
    Ok(marking_from(thread.author_id, thread.mark, rows))
}

/// The own [`Marking`] of `post` when it has a mark of its own (its
/// recipients read when that mark names readers).
pub(crate) fn post_marking_of(conn: &mut DbConnection, post: &Post) -> Result<Option<Marking>> {
    let Some(mark) = post.own_mark() else {
        return Ok(None);
    };
    let rows = if mark.names_readers() {
        post_reader_rows(conn, &[post.id])?
            .remove(&post.id)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(Some(marking_from(post.author_id, mark, rows)))
}

/// The stored `(kind, value)` rows of the own marks of `posts`.
fn post_reader_rows(
    conn: &mut DbConnection,
    posts: &[PostId],
) -> Result<HashMap<PostId, Vec<(String, String)>>> {
    let mut readers: HashMap<PostId, Vec<(String, String)>> = HashMap::new();
    for (post, kind, value) in post_mark_recipients::table
        .filter(post_mark_recipients::post_id.eq_any(posts))
        .select((
            post_mark_recipients::post_id,
            post_mark_recipients::kind,
            post_mark_recipients::value,
        ))
        .load::<(PostId, String, String)>(conn)?
    {
        readers.entry(post).or_default().push((kind, value));
    }
    Ok(readers)
}

/// The recipients the own marks of `posts` name (posts without such a
/// mark are absent).
pub(crate) fn post_recipients(
    conn: &mut DbConnection,
    posts: &[PostId],
) -> Result<HashMap<PostId, MarkRecipients>> {
    Ok(post_reader_rows(conn, posts)?
        .into_iter()
        .map(|(id, rows)| {
            (
                id,
                marking_from(UserId::from(0), Mark::Red, rows).recipients,
            )
        })
        .collect())
}

/// Stores `post_id`'s own mark (`None`: as its thread) and recipients;
/// the glass broken on it before is kept while it stays `RED`.
pub(crate) fn store_post_marking(
    conn: &mut DbConnection,
    post_id: PostId,
    mark: Option<Mark>,
    recipients: &MarkRecipients,
) -> Result<()> {
    diesel::update(posts::table.find(post_id))
        .set(posts::mark.eq(mark.map(Mark::as_str)))
        .execute(conn)?;
    let mut stale = diesel::delete(post_mark_recipients::table)
        .filter(post_mark_recipients::post_id.eq(post_id))
        .into_boxed();
    if mark == Some(Mark::Red) {
        stale = stale.filter(post_mark_recipients::kind.ne("break_glass"));
    }
    stale.execute(conn)?;
    for (kind, value) in recipient_rows(recipients) {
        diesel::insert_into(post_mark_recipients::table)
            .values((
                post_mark_recipients::post_id.eq(post_id),
                post_mark_recipients::kind.eq(kind),
                post_mark_recipients::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The stored `(kind, value)` rows of `recipients`.
fn recipient_rows(recipients: &MarkRecipients) -> Vec<(&'static str, String)> {
    recipients
        .countries
        .iter()
        .map(|c| ("country", c.clone()))
        .chain(
            recipients
                .groups
                .iter()
                .map(|g| ("grp", g.get().to_string())),
        )
        .chain(
            recipients
                .users
                .iter()
                .map(|u| ("member", u.get().to_string())),
        )
        .collect()
}

/// Stores `marking` as `thread_id`'s mark and recipients (the glass
/// broken on it before is kept while it stays `RED`).
pub(crate) fn store_marking(
    conn: &mut DbConnection,
    thread_id: ThreadId,
    mark: Mark,
    recipients: &MarkRecipients,
) -> Result<()> {
    diesel::update(threads::table.find(thread_id))
        .set(threads::mark.eq(mark.as_str()))
        .execute(conn)?;
    let mut stale = diesel::delete(mark_recipients::table)
        .filter(mark_recipients::thread_id.eq(thread_id))
        .into_boxed();
    if mark == Mark::Red {
        stale = stale.filter(mark_recipients::kind.ne("break_glass"));
    }
    stale.execute(conn)?;
    for (kind, value) in recipient_rows(recipients) {
        diesel::insert_into(mark_recipients::table)
            .values((
                mark_recipients::thread_id.eq(thread_id),
                mark_recipients::kind.eq(kind),
                mark_recipients::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The posts of `threads` that `viewer` may not read for their own marks,
/// ascending.
pub(crate) fn hidden_posts_in(
    conn: &mut DbConnection,
    viewer: &Viewer,
    threads: &[ThreadId],
) -> Result<Vec<PostId>> {
    Ok(hidden_posts_among(
        &marked_posts(conn, Some(threads))?,
        viewer,
    ))
}

/// A thread if `viewer` may see it — its category, then its mark — else
/// `NotFound`.
pub(crate) fn visible_thread(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: ThreadId,
) -> Result<(Thread, Category)> {
    let thread = threads::table
        .find(id)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)?;
    let category = visible_category(conn, viewer, thread.category_id)?;
    if thread.mark.names_readers() && !access::can_see_marking(viewer, &marking_of(conn, &thread)?)
    {
        return Err(CoreError::NotFound);
    }
    Ok((thread, category))
}

/// A post `viewer` may see — in a visible thread, and not hidden unless
/// [`access::can_see_hidden_posts`] — with its thread, else `NotFound`.
pub(crate) fn visible_post(
    conn: &mut DbConnection,
    viewer: &Viewer,
    post_id: PostId,
) -> Result<(Post, Thread)> {
    let post: Post = posts::table
        .find(post_id)
        .select(Post::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)?;
    let (thread, _) = visible_thread(conn, viewer, post.thread_id)?;
    if post.hidden && !access::can_see_hidden_posts(viewer) {
        return Err(CoreError::NotFound);
    }
    if post.own_mark().is_some_and(Mark::names_readers)
        && !post_marking_of(conn, &post)?.is_none_or(|m| access::can_see_marking(viewer, &m))
    {
        return Err(CoreError::NotFound);
    }
    Ok((post, thread))
}

impl Db {
    /// The threads and posts whose marks name their readers: from the
    /// cache when it is fresh, else read (and kept).
    pub fn marked_threads(&self) -> Result<NamedMarkings> {
        let cache = self.marking_cache();
        if let Some(kept) = cache.local_hit(self, &()) {
            return Ok(kept);
        }
        Ok(cache
            .get_or_load(self, &(), || {
                self.read(|conn| Ok(Some(std::sync::Arc::new(all_marked(conn)?))))
            })?
            .unwrap_or_default())
    }

    /// The threads `viewer` may not read because of their marks, ascending
    /// (see [`access::can_see_marking`]).
    pub fn hidden_threads(&self, viewer: &Viewer) -> Result<Vec<ThreadId>> {
        Ok(hidden_among(&self.marked_threads()?, viewer))
    }

    /// The posts `viewer` may not read because of their own marks,
    /// ascending.
    pub fn hidden_posts(&self, viewer: &Viewer) -> Result<Vec<PostId>> {
        Ok(hidden_posts_among(&self.marked_threads()?, viewer))
    }

    /// [`Db::hidden_threads`] and [`Db::hidden_posts`] when known without
    /// asking the database.
    pub fn hidden_kept(&self, viewer: &Viewer) -> Option<(Vec<ThreadId>, Vec<PostId>)> {
        let marked = self.marking_cache().local_hit(self, &())?;
        Some((
            hidden_among(&marked, viewer),
            hidden_posts_among(&marked, viewer),
        ))
    }

    /// The groups each restricted category is restricted to; open
    /// categories are absent. Live delivery keeps this to apply
    /// [`access::can_see_category`] to every event.
    pub fn category_restrictions(&self) -> Result<HashMap<CategoryId, Vec<GroupId>>> {
        self.read(|conn| Ok(Restrictions::load(conn)?.0))
    }

    /// The category of a thread `viewer` may see (`NotFound` otherwise):
    /// the check behind a live subscription to the thread.
    pub fn visible_thread_category(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
    ) -> Result<CategoryId> {
        self.read(|conn| Ok(visible_thread(conn, viewer, thread_id)?.1.id))
    }

    /// `NotFound` unless `viewer` may see the category.
    pub fn check_category_visible(&self, viewer: &Viewer, category_id: CategoryId) -> Result<()> {
        self.read(|conn| visible_category(conn, viewer, category_id).map(|_| ()))
    }
}
