//! Drafts: the reply a member is writing in a thread, saved as they type
//! (one per member and thread), so a reload, a lock or another device
//! never loses it. Posting the reply removes it in the same transaction.
//! A draft is only ever its author's; saving one needs the thread to be
//! visible, not open: a locked thread keeps the reply that was being
//! written.

use super::reader_state::member_state_changed;
use super::*;

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub thread_id: ThreadId,
    pub body: String,
    pub reply_to: Option<PostId>,
    pub updated_at: NaiveDateTime,
}

/// Removes `user`'s draft in `thread` (after their reply is posted), and
/// logs it when there was one.
pub(super) fn discard_in(conn: &mut DbConnection, user: UserId, thread: ThreadId) -> Result<()> {
    if remove(conn, user, thread)? > 0 {
        member_state_changed(conn, user)?;
    }
    Ok(())
}

fn remove(conn: &mut DbConnection, user: UserId, thread: ThreadId) -> Result<usize> {
    Ok(diesel::delete(
        drafts::table
            .filter(drafts::user_id.eq(user))
            .filter(drafts::thread_id.eq(thread)),
    )
    .execute(conn)?)
}

impl Db {
    /// `viewer`'s draft in a thread they may see, if any.
    pub fn draft(&self, viewer: &Viewer, thread_id: ThreadId) -> Result<Option<Draft>> {
        self.read(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            draft_in(conn, viewer, thread.id)
        })
    }

    /// Saves `viewer`'s draft in a thread they may see (locked or not).
    /// An empty body removes it (`None`).
    pub fn save_draft(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        body: &str,
        reply_to: Option<PostId>,
    ) -> Result<Option<Draft>> {
        if body.trim().is_empty() {
            self.discard_draft(viewer, thread_id)?;
            return Ok(None);
        }
        let body = Markdown::parse(body)?;
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            let reply_to = match reply_to {
                Some(parent) => {
                    let same: i64 = posts::table
                        .filter(posts::id.eq(parent))
                        .filter(posts::thread_id.eq(thread.id))
                        .count()
                        .get_result(conn)?;
                    if same == 0 {
                        return Err(CoreError::invalid(
                            "reply_to",
                            "no such post in this thread",
                        ));
                    }
                    Some(parent)
                }
                None => None,
            };
            let at = now();
            remove(conn, viewer.id, thread.id)?;
            member_state_changed(conn, viewer.id)?;
            diesel::insert_into(drafts::table)
                .values((
                    drafts::user_id.eq(viewer.id),
                    drafts::thread_id.eq(thread.id),
                    drafts::body.eq(body.as_str()),
                    drafts::reply_to.eq(reply_to),
                    drafts::updated_at.eq(at),
                ))
                .execute(conn)?;
            Ok(Some(Draft {
                thread_id: thread.id,
                body: body.as_str().to_owned(),
                reply_to,
                updated_at: at,
            }))
        })
    }

    /// Removes `viewer`'s draft in a thread they may see.
    pub fn discard_draft(&self, viewer: &Viewer, thread_id: ThreadId) -> Result<()> {
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            discard_in(conn, viewer.id, thread.id)
        })
    }
}

fn draft_in(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread_id: ThreadId,
) -> Result<Option<Draft>> {
    let row: Option<(String, Option<PostId>, NaiveDateTime)> = drafts::table
        .filter(drafts::user_id.eq(viewer.id))
        .filter(drafts::thread_id.eq(thread_id))
        .select((drafts::body, drafts::reply_to, drafts::updated_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(body, reply_to, updated_at)| Draft {
        thread_id,
        body,
        reply_to,
        updated_at,
    }))
}
