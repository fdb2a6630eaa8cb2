//! Posts: replies, edits kept as revisions, and the citations between
//! threads they carry.

use super::*;
use crate::access::visibility::visible_post;

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

pub(super) fn insert_post(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread_id: ThreadId,
    content: &PostContent<'_>,
    reply_to: Option<PostId>,
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
    attachments: Option<&[AttachmentId]>,
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
    forget_citations(conn, post.id)?;
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
    if let Some(ids) = attachments {
        crate::features::attachments::attach_in(conn, viewer, post.id, revision, ids, true)?;
    }
    let author = authors(conn, [updated.author_id])?
        .remove(&updated.author_id)
        .ok_or(CoreError::NotFound)?;
    let view = with_attachments(conn, viewer, post_view(updated, author, thread.mark))?;
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

/// Drops what a post's earlier revision cited (before an edit records
/// the new one's).
fn forget_citations(conn: &mut DbConnection, post: PostId) -> Result<()> {
    diesel::delete(thread_citations::table.filter(thread_citations::source_post.eq(post)))
        .execute(conn)?;
    Ok(())
}

/// Records which threads a post cites (`#123`), for a post that records
/// none yet (new, or edited after [`forget_citations`]). Only existing
/// threads are recorded; who may see them is decided when the citation is
/// read.
pub(super) fn record_citations(conn: &mut DbConnection, post: &Post, body: &str) -> Result<()> {
    let mut targets: Vec<ThreadId> = markdown::thread_references(body)
        .into_iter()
        .map(ThreadId::from)
        .collect();
    targets.retain(|t| *t != post.thread_id);
    if targets.is_empty() {
        return Ok(());
    }
    let existing: Vec<ThreadId> = threads::table
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

/// Gives `post` the mark `to` (its current one when `None`) naming
/// `recipients`: any by its author, only a stricter one by staff; never
/// looser than its thread's. Audited (`post.mark`) when it changes.
fn change_post_mark(
    conn: &mut DbConnection,
    viewer: &Viewer,
    post: &mut Post,
    thread: &Thread,
    to: Option<Mark>,
    recipients: Option<&MarkRecipients>,
) -> Result<()> {
    let current = crate::access::visibility::post_marking_of(conn, post)?;
    let from = post.own_mark().unwrap_or(thread.mark);
    let from_readers = match &current {
        Some(m) => m.recipients.clone(),
        None => crate::access::visibility::marking_of(conn, thread)?.recipients,
    };
    let to = to.unwrap_or(from);
    let recipients = match recipients {
        Some(r) => r.clone(),
        None if to == from => from_readers.clone(),
        None => MarkRecipients::default(),
    }
    .for_mark(to)?;
    let tighter = to > from
        || (to == from && crate::features::analyses::names_fewer(&recipients, &from_readers));
    if viewer.id != post.author_id
        && !(access::can_change_mark(viewer, post.author_id, from, to) && tighter)
    {
        return Err(CoreError::forbidden(
            ErrorCode::Forbidden,
            "only the author may loosen a handling mark; moderators may only tighten it",
        ));
    }
    let own = own_marking(conn, thread, to, recipients)?;
    let unchanged = match (&own, &current) {
        (None, None) => true,
        (Some((mark, r)), Some(m)) => *mark == m.mark && *r == m.recipients,
        _ => false,
    };
    if unchanged {
        return Ok(());
    }
    let (mark, readers) = match own {
        Some((mark, readers)) => (Some(mark), readers),
        None => (None, MarkRecipients::default()),
    };
    crate::access::visibility::store_post_marking(conn, post.id, mark, &readers)?;
    post.mark = mark.map(|m| m.as_str().to_owned());
    crate::store::audit::append(
        conn,
        crate::store::audit::Entry {
            actor: Some(viewer.id),
            action: "post.mark",
            target: format!("post:{}", post.id),
            reason: "",
            details: serde_json::json!({
                "thread_id": thread.id,
                "from": from.as_str(),
                "to": mark.unwrap_or(thread.mark).as_str(),
                "named_readers": readers.countries.len() + readers.groups.len() + readers.users.len(),
            }),
        },
    )?;
    Ok(())
}

/// A reply as its author sends it.
#[derive(Debug, Default, Clone, Copy)]
pub struct NewPost<'a> {
    pub body: &'a str,
    pub reply_to: Option<PostId>,
    /// Declared language of the body; detected when absent.
    pub language: Option<&'a str>,
    /// Uploads of the author's to attach.
    pub attachments: &'a [AttachmentId],
    /// The author's reason to post despite suspected personal data.
    pub acknowledge_personal_data: Option<&'a str>,
    /// The reply's handling mark: its thread's (when absent) or stricter.
    pub mark: Option<&'a str>,
    /// Who an `AMBER+STRICT` or `RED` reply admits besides its author.
    pub mark_recipients: Option<&'a MarkRecipients>,
}

/// An edit as its author (or a moderator) sends it.
#[derive(Debug, Default, Clone, Copy)]
pub struct PostEdit<'a> {
    pub body: &'a str,
    pub reason: Option<&'a str>,
    /// Declared language of the body; detected when absent.
    pub language: Option<&'a str>,
    /// The new revision's files (`None`: unchanged).
    pub attachments: Option<&'a [AttachmentId]>,
    /// The reason to keep suspected personal data.
    pub acknowledge_personal_data: Option<&'a str>,
    /// A new handling mark for the post (`None`, with no recipients: as
    /// it is).
    pub mark: Option<&'a str>,
    /// Who a new `AMBER+STRICT` or `RED` mark admits.
    pub mark_recipients: Option<&'a MarkRecipients>,
}

/// The mark of its own a post asks for in `thread` — `mark` with its
/// `recipients` already fitted to it — or `None` when that is just the
/// thread's. A mark looser than the thread's is refused: a reply may be
/// stricter than its thread, never looser.
fn own_marking(
    conn: &mut DbConnection,
    thread: &Thread,
    mark: Mark,
    recipients: MarkRecipients,
) -> Result<Option<(Mark, MarkRecipients)>> {
    if mark < thread.mark {
        return Err(CoreError::invalid(
            "mark",
            format!(
                "a post may be stricter than its thread ({}), never looser",
                thread.mark
            ),
        ));
    }
    check_recipients_exist(conn, &recipients)?;
    if mark == thread.mark
        && (!mark.names_readers()
            || crate::access::visibility::marking_of(conn, thread)?.recipients == recipients)
    {
        return Ok(None);
    }
    Ok(Some((mark, recipients)))
}

impl Db {
    /// Replies in a thread.
    pub fn create_post(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        input: &NewPost<'_>,
    ) -> Result<PostView> {
        let NewPost {
            body,
            reply_to,
            language,
            attachments,
            acknowledge_personal_data,
            mark,
            mark_recipients,
        } = *input;
        let mark = mark.map(|m| Mark::parse("mark", m)).transpose()?;
        let recipients = match mark {
            Some(mark) => Some(
                mark_recipients
                    .cloned()
                    .unwrap_or_default()
                    .for_mark(mark)?,
            ),
            None if mark_recipients.is_some_and(|r| !r.is_empty()) => {
                return Err(CoreError::invalid(
                    "mark_recipients",
                    "name readers together with the mark that admits them",
                ));
            }
            None => None,
        };
        access::check_second_factor(viewer)?;
        let body = Markdown::parse(body)?;
        let language = ContentLanguage::declared_or_detected(language, body.as_str())?;
        let personal_data = crate::domain::personal_data::screen(
            &[("body", body.as_str())],
            acknowledge_personal_data,
        )?;
        let html = markdown::render(body.as_str());
        self.write(|conn| {
            let (thread, _category) = visible_thread(conn, viewer, thread_id)?;
            let own = match (mark, recipients.clone()) {
                (Some(mark), Some(recipients)) => own_marking(conn, &thread, mark, recipients)?,
                _ => None,
            };
            if !access::can_reply(viewer, thread.locked) {
                return Err(CoreError::Locked {
                    message: "this thread is locked".to_owned(),
                });
            }
            crate::features::network::check_writable(conn, viewer, thread.category_id)?;
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
            let mut post = insert_post(conn, viewer, thread.id, &content, reply_to, at)?;
            if let Some((mark, recipients)) = &own {
                crate::access::visibility::store_post_marking(
                    conn,
                    post.id,
                    Some(*mark),
                    recipients,
                )?;
                post.mark = Some(mark.as_str().to_owned());
            }
            crate::features::attachments::attach_in(conn, viewer, post.id, 1, attachments, false)?;
            record_citations(conn, &post, body.as_str())?;
            crate::features::moderation::open_personal_data_case(
                conn,
                post.id,
                viewer.id,
                acknowledge_personal_data.unwrap_or_default(),
                &personal_data,
            )?;
            super::reply_drafts::discard_in(conn, viewer.id, thread.id)?;
            crate::features::network::on_reply(conn, thread.id, viewer.id, at)?;
            diesel::update(threads::table.find(thread.id))
                .set((
                    threads::post_count.eq(threads::post_count + 1i64),
                    threads::last_post_at.eq(at),
                ))
                .execute(conn)?;
            let post = with_new_attachments(
                conn,
                viewer,
                post_view(post, viewer_author(viewer), thread.mark),
                attachments,
            )?;
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
    pub fn post(&self, viewer: &Viewer, post_id: PostId) -> Result<PostView> {
        self.read(|conn| {
            let (post, thread) = visible_post(conn, viewer, post_id)?;
            let author = authors(conn, [post.author_id])?
                .remove(&post.author_id)
                .ok_or(CoreError::NotFound)?;
            with_attachments(conn, viewer, post_view(post, author, thread.mark))
        })
    }

    /// A single visible post and whether its thread is locked (what a
    /// page needs to offer the reply actions on it).
    pub fn post_and_lock(&self, viewer: &Viewer, post_id: PostId) -> Result<(PostView, bool)> {
        self.read(|conn| {
            let (post, thread) = visible_post(conn, viewer, post_id)?;
            let author = authors(conn, [post.author_id])?
                .remove(&post.author_id)
                .ok_or(CoreError::NotFound)?;
            Ok((
                with_attachments(conn, viewer, post_view(post, author, thread.mark))?,
                thread.locked,
            ))
        })
    }

    /// Edits a post, keeping the new text as a revision.
    pub fn edit_post(
        &self,
        viewer: &Viewer,
        post_id: PostId,
        edit: &PostEdit<'_>,
    ) -> Result<PostView> {
        let PostEdit {
            body,
            reason,
            language,
            attachments,
            acknowledge_personal_data,
            mark,
            mark_recipients,
        } = *edit;
        let mark = mark.map(|m| Mark::parse("mark", m)).transpose()?;
        access::check_second_factor(viewer)?;
        let body = Markdown::parse(body)?;
        let language = ContentLanguage::declared_or_detected(language, body.as_str())?;
        let personal_data = crate::domain::personal_data::screen(
            &[("body", body.as_str())],
            acknowledge_personal_data,
        )?;
        let reason = reason
            .map(|r| parse_line("edit_reason", r, 0, 300))
            .transpose()?
            .filter(|r| !r.is_empty());
        let html = markdown::render(body.as_str());
        self.write(|conn| {
            let (post, thread) = visible_post(conn, viewer, post_id)?;
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
            crate::features::network::check_writable(conn, viewer, thread.category_id)?;
            let mut post = post;
            if mark.is_some() || mark_recipients.is_some() {
                change_post_mark(conn, viewer, &mut post, &thread, mark, mark_recipients)?;
            }
            let view = apply_edit(
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
                attachments,
            )?;
            crate::features::moderation::open_personal_data_case(
                conn,
                post.id,
                viewer.id,
                acknowledge_personal_data.unwrap_or_default(),
                &personal_data,
            )?;
            Ok(view)
        })
    }

    /// Every revision of a visible post, oldest first.
    pub fn revisions(&self, viewer: &Viewer, post_id: PostId) -> Result<Vec<RevisionView>> {
        self.post(viewer, post_id)?;
        self.read(|conn| {
            let rows: Vec<PostRevision> = post_revisions::table
                .filter(post_revisions::post_id.eq(post_id))
                .order(post_revisions::revision.asc())
                .select(PostRevision::as_select())
                .load(conn)?;
            let people = authors(conn, rows.iter().map(|r| r.edited_by))?;
            let mut removed = if access::can_see_hidden_posts(viewer) {
                crate::features::attachments::removed_from(conn, post_id)?
            } else {
                HashMap::new()
            };
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
                    removed_attachments: removed.remove(&r.revision).unwrap_or_default(),
                })
                .collect())
        })
    }
}
