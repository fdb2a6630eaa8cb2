//! The inbox: a member's notifications as they may see them now, unread
//! counts, and marking read.

use super::*;
use crate::domain::mark::Mark;

/// How many unread notifications `viewer` may see now: one count, leaving
/// out those about threads in the restricted categories they may not see
/// or whose marks keep them out.
pub(super) fn unread_total(
    conn: &mut DbConnection,
    viewer: &Viewer,
    restrictions: &Restrictions,
) -> Result<i64> {
    let hidden: Vec<CategoryId> = restrictions
        .keys()
        .filter(|c| !category_visible(viewer, **c, restrictions))
        .copied()
        .collect();
    // Threads gone (merged away) do not count either, as in the list.
    let visible_threads = threads::table
        .filter(threads::category_id.ne_all(hidden))
        .filter(threads::id.ne_all(restrictions.hidden_threads(viewer)))
        .select(threads::id);
    let query = notifications::table
        .filter(notifications::user_id.eq(viewer.id))
        .filter(notifications::read_at.is_null())
        .filter(
            notifications::thread_id
                .is_null()
                .or(notifications::thread_id
                    .assume_not_null()
                    .eq_any(visible_threads)),
        )
        .filter(
            notifications::post_id.is_null().or(notifications::post_id
                .assume_not_null()
                .ne_all(restrictions.hidden_posts(viewer))),
        );
    Ok(query.count().get_result(conn)?)
}

/// Notification rows as the inbox (and e-mail) shows them.
pub(crate) fn to_views(
    conn: &mut DbConnection,
    rows: Vec<NotificationRow>,
    restrictions: &Restrictions,
) -> Result<Vec<NotificationView>> {
    let people = authors(conn, rows.iter().filter_map(|r| r.4))?;
    let thread_ids: Vec<ThreadId> = rows.iter().filter_map(|r| r.2).collect();
    let post_ids: Vec<PostId> = rows.iter().filter_map(|r| r.3).collect();
    // Posts with a mark of their own (stricter than their thread's).
    let post_marks: HashMap<PostId, Mark> = posts::table
        .filter(posts::id.eq_any(&post_ids))
        .filter(posts::mark.is_not_null())
        .select((posts::id, posts::mark.assume_not_null()))
        .load::<(PostId, String)>(conn)?
        .into_iter()
        .map(|(id, mark)| Ok((id, Mark::try_from(mark)?)))
        .collect::<Result<_>>()?;
    let titles: HashMap<ThreadId, (String, CategoryId, Mark)> = threads::table
        .filter(threads::id.eq_any(&thread_ids))
        .select((
            threads::id,
            threads::title,
            threads::category_id,
            threads::mark,
        ))
        .load::<(ThreadId, String, CategoryId, String)>(conn)?
        .into_iter()
        .map(|(id, title, category, mark)| Ok((id, (title, category, Mark::try_from(mark)?))))
        .collect::<Result<_>>()?;
    rows.into_iter()
        .map(
            |(id, kind, thread_id, post_id, actor, count, created_at, updated_at, read, detail)| {
                Ok(NotificationView {
                    id,
                    kind: kind.try_into()?,
                    detail,
                    thread_title: thread_id.and_then(|t| titles.get(&t).map(|t| t.0.clone())),
                    restricted: thread_id
                        .and_then(|t| titles.get(&t))
                        .is_some_and(|(_, category, _)| restrictions.contains_key(category)),
                    marked: thread_id
                        .and_then(|t| titles.get(&t))
                        .is_some_and(|(_, _, mark)| mark.stays_inside())
                        || post_id
                            .and_then(|p| post_marks.get(&p))
                            .is_some_and(|mark| mark.stays_inside()),
                    thread_id,
                    post_id,
                    actor: actor.and_then(|a| people.get(&a).cloned()),
                    count,
                    created_at,
                    updated_at,
                    read: read.is_some(),
                })
            },
        )
        .collect()
}

/// `viewer`'s notifications, newest first, about threads they may see now
/// (notifications without a thread are always theirs to see).
pub(crate) fn visible_notifications(
    conn: &mut DbConnection,
    viewer: &Viewer,
    unread_only: bool,
    restrictions: &Restrictions,
) -> Result<Vec<NotificationRow>> {
    let mut query = notifications::table
        .filter(notifications::user_id.eq(viewer.id))
        .into_boxed();
    if unread_only {
        query = query.filter(notifications::read_at.is_null());
    }
    let rows: Vec<NotificationRow> = query
        .order(notifications::updated_at.desc())
        .then_order_by(notifications::id.desc())
        .limit(500)
        .select(row_columns!())
        .load(conn)?;
    let thread_ids: Vec<ThreadId> = rows.iter().filter_map(|r| r.2).collect();
    if thread_ids.is_empty() {
        return Ok(rows);
    }
    let categories: HashMap<ThreadId, CategoryId> = threads::table
        .filter(threads::id.eq_any(&thread_ids))
        .select((threads::id, threads::category_id))
        .load::<(ThreadId, CategoryId)>(conn)?
        .into_iter()
        .collect();
    let marked_away = restrictions.hidden_posts(viewer);
    Ok(rows
        .into_iter()
        .filter(|r| match r.2 {
            None => true,
            Some(thread) => categories
                .get(&thread)
                .is_some_and(|c| restrictions.can_read(viewer, *c, thread)),
        })
        .filter(|r| r.3.is_none_or(|p| marked_away.binary_search(&p).is_err()))
        .collect())
}

/// One of `viewer`'s notifications, if it is about something they may see
/// now.
pub(crate) fn visible_notification(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: NotificationId,
    restrictions: &Restrictions,
) -> Result<Option<NotificationRow>> {
    let row: Option<NotificationRow> = notifications::table
        .find(id)
        .filter(notifications::user_id.eq(viewer.id))
        .select(row_columns!())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => match row.2 {
            Some(thread) if !thread_visible(conn, viewer, thread, restrictions)? => None,
            _ if row.3.is_some_and(|p| {
                restrictions
                    .post_marking(p)
                    .is_some_and(|m| !access::can_see_marking(viewer, m))
            }) =>
            {
                None
            }
            _ => Some(row),
        },
        None => None,
    })
}

impl Db {
    /// Marks one of `viewer`'s notifications read and returns where it
    /// points (thread, post), if `viewer` may still see it.
    pub fn open_notification(
        &self,
        viewer: &Viewer,
        id: NotificationId,
    ) -> Result<(Option<ThreadId>, Option<PostId>)> {
        self.write(|conn| {
            let restrictions = Restrictions::load(conn)?;
            let row = visible_notification(conn, viewer, id, &restrictions)?
                .ok_or(CoreError::NotFound)?;
            let read = diesel::update(notifications::table.find(id))
                .filter(notifications::read_at.is_null())
                .set(notifications::read_at.eq(now()))
                .execute(conn)?;
            if read > 0 {
                notifications_read(conn, viewer.id)?;
            }
            Ok((row.2, row.3))
        })
    }

    /// `viewer`'s most recent notifications (at most 100), newest first,
    /// and how many are unread — only about what they may see now.
    pub fn notifications(
        &self,
        viewer: &Viewer,
        unread_only: bool,
    ) -> Result<(Vec<NotificationView>, i64)> {
        self.read(|conn| {
            let restrictions = Restrictions::load(conn)?;
            let visible = visible_notifications(conn, viewer, false, &restrictions)?;
            let unread = unread_total(conn, viewer, &restrictions)?;
            let rows: Vec<NotificationRow> = visible
                .into_iter()
                .filter(|n| !unread_only || n.8.is_none())
                .take(100)
                .collect();
            Ok((to_views(conn, rows, &restrictions)?, unread))
        })
    }

    /// How many unread notifications `viewer` may see (every page header
    /// asks: two small queries, the count done by the database).
    pub fn unread_notifications(&self, viewer: &Viewer) -> Result<i64> {
        self.read(|conn| {
            let restrictions = Restrictions::load(conn)?;
            unread_total(conn, viewer, &restrictions)
        })
    }

    /// Marks `viewer`'s notifications read: those listed, or all.
    pub fn mark_notifications_read(
        &self,
        viewer: &Viewer,
        ids: Option<&[NotificationId]>,
    ) -> Result<()> {
        self.write(|conn| {
            let mine = notifications::table
                .filter(notifications::user_id.eq(viewer.id))
                .filter(notifications::read_at.is_null());
            let read = match ids {
                Some(ids) => diesel::update(mine.filter(notifications::id.eq_any(ids)))
                    .set(notifications::read_at.eq(now()))
                    .execute(conn)?,
                None => diesel::update(mine)
                    .set(notifications::read_at.eq(now()))
                    .execute(conn)?,
            };
            if read > 0 {
                notifications_read(conn, viewer.id)?;
            }
            Ok(())
        })
    }
}

/// Logs that `user_id` read notifications (their unread count changed).
fn notifications_read(conn: &mut DbConnection, user_id: UserId) -> Result<()> {
    crate::store::events::append(
        conn,
        &crate::store::event_payloads::Event::NotificationsRead(
            crate::store::event_payloads::UserRef { user_id },
        ),
        None,
        None,
        Some(user_id),
    )?;
    Ok(())
}
