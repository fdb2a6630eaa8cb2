//! The visibility SQL, written once: which categories restrict to which
//! groups, and the visible category, thread or post for a viewer. Every
//! feature that reads or writes a thing a viewer names goes through these;
//! the rules themselves are the functions of [`crate::access`].

use std::collections::HashMap;

use diesel::prelude::*;

use crate::access::{self, Viewer};
use crate::error::{CoreError, Result};
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::rows::{Category, Post, Thread};
use crate::store::schema::{categories, category_groups, posts, threads};

/// The groups each restricted category is limited to (open categories are
/// absent), loaded once per request or batch.
#[derive(Debug, Clone, Default)]
pub struct Restrictions(HashMap<CategoryId, Vec<GroupId>>);

impl Restrictions {
    pub fn load(conn: &mut DbConnection) -> Result<Restrictions> {
        let rows: Vec<(CategoryId, GroupId)> = category_groups::table
            .select((category_groups::category_id, category_groups::group_id))
            .load(conn)?;
        let mut map: HashMap<CategoryId, Vec<GroupId>> = HashMap::new();
        for (category, group) in rows {
            map.entry(category).or_default().push(group);
        }
        Ok(Restrictions(map))
    }

    /// The groups `category` is limited to (empty: open to members).
    pub fn groups_of(&self, category: CategoryId) -> &[GroupId] {
        self.0.get(&category).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `viewer` may see `category`.
    pub fn can_see(&self, viewer: &Viewer, category: CategoryId) -> bool {
        access::can_see_category(viewer, self.groups_of(category))
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

/// A thread if `viewer` may see it, else `NotFound`.
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
    Ok((post, thread))
}

impl Db {
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
