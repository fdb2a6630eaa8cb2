//! Categories, threads, posts and revisions.
//!
//! Every read takes a [`Viewer`] and filters through [`crate::access`];
//! every write appends to the event log in its own transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::access::MarkRecipients;
use crate::access::visibility::{
    Readable, Restrictions, readable, visible_category, visible_thread,
};
use crate::access::{self, Viewer};
use crate::domain::analysis::AnalysisInput;
use crate::domain::mark::Mark;
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
use crate::store::ids::*;
use crate::store::rows::*;
use crate::store::schema::*;
use crate::views::*;

mod category_list;
mod post_writing;
pub mod reader_state;
mod reply_drafts;
pub mod thread_cache;
mod thread_pages;

pub(crate) use category_list::insert_category;
pub use post_writing::*;
pub use reply_drafts::Draft;
pub use thread_pages::*;

/// Threads per page in lists.
pub const PAGE_SIZE: i64 = 30;

pub(crate) fn authors(
    conn: &mut DbConnection,
    ids: impl IntoIterator<Item = UserId>,
) -> Result<HashMap<UserId, AuthorView>> {
    let ids: Vec<UserId> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let rows: Vec<(UserId, String, String)> = users::table
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
    thread_ids: &[ThreadId],
) -> Result<HashMap<ThreadId, Vec<String>>> {
    let query = thread_jurisdictions::table
        .order((thread_jurisdictions::thread_id, thread_jurisdictions::code))
        .select((thread_jurisdictions::thread_id, thread_jurisdictions::code))
        .into_boxed();
    let rows: Vec<(ThreadId, String)> =
        crate::store::filter_in!(query, thread_jurisdictions::thread_id, thread_ids).load(conn)?;
    let mut map: HashMap<ThreadId, Vec<String>> = HashMap::new();
    for (thread, code) in rows {
        map.entry(thread).or_default().push(code);
    }
    Ok(map)
}

pub(crate) fn summaries(
    conn: &mut DbConnection,
    threads: Vec<Thread>,
) -> Result<Vec<ThreadSummary>> {
    let ids: Vec<ThreadId> = threads.iter().map(|t| t.id).collect();
    let people = authors(conn, threads.iter().map(|t| t.author_id))?;
    let mut codes = jurisdictions_of(conn, &ids)?;
    let category_ids: Vec<CategoryId> = threads.iter().map(|t| t.category_id).collect();
    let cats: HashMap<CategoryId, (String, String)> = categories::table
        .filter(categories::id.eq_any(&category_ids))
        .select((categories::id, categories::slug, categories::name))
        .load::<(CategoryId, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, name)| (id, (slug, name)))
        .collect();
    let analysis_ids: Vec<ThreadId> = threads
        .iter()
        .filter(|t| t.kind == ThreadKind::Analysis)
        .map(|t| t.id)
        .collect();
    let mut analysis_summaries: HashMap<ThreadId, String> = if analysis_ids.is_empty() {
        HashMap::new()
    } else {
        use crate::store::schema::analyses as a;
        a::table
            .filter(a::thread_id.eq_any(&analysis_ids))
            .select((a::thread_id, a::summary))
            .load::<(ThreadId, String)>(conn)?
            .into_iter()
            .collect()
    };
    let named: Vec<ThreadId> = threads
        .iter()
        .filter(|t| t.mark.names_readers())
        .map(|t| t.id)
        .collect();
    let mut readers: HashMap<ThreadId, MarkRecipients> = if named.is_empty() {
        HashMap::new()
    } else {
        crate::access::visibility::named_markings(conn, Some(&named))?
            .into_iter()
            .map(|(id, _, marking)| (id, marking.recipients))
            .collect()
    };
    // The named readers as people read them: countries by code, groups
    // and members by name.
    let reader_users = authors(conn, readers.values().flat_map(|r| r.users.iter().copied()))?;
    let reader_group_ids: Vec<GroupId> = readers
        .values()
        .flat_map(|r| r.groups.iter().copied())
        .collect();
    let group_names: HashMap<GroupId, String> = if reader_group_ids.is_empty() {
        HashMap::new()
    } else {
        groups::table
            .filter(groups::id.eq_any(&reader_group_ids))
            .select((groups::id, groups::name))
            .load::<(GroupId, String)>(conn)?
            .into_iter()
            .collect()
    };
    let reader_names = |r: &MarkRecipients| -> Vec<String> {
        r.countries
            .iter()
            .cloned()
            .chain(r.groups.iter().filter_map(|g| group_names.get(g).cloned()))
            .chain(
                r.users
                    .iter()
                    .filter_map(|u| reader_users.get(u).map(|a| a.display_name.clone())),
            )
            .collect()
    };
    Ok(threads
        .into_iter()
        .map(|t| {
            let (category_slug, category_name) =
                cats.get(&t.category_id).cloned().unwrap_or_default();
            let mark_recipients = readers.remove(&t.id);
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
                mark: t.mark,
                mark_readers: mark_recipients
                    .as_ref()
                    .map(reader_names)
                    .unwrap_or_default(),
                mark_members: mark_recipients
                    .as_ref()
                    .map(|r| {
                        r.users
                            .iter()
                            .filter_map(|u| reader_users.get(u).map(|a| a.username.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                mark_recipients,
            }
        })
        .collect())
}

/// Posts with their authors (one query for the authors) and marks.
pub(crate) fn post_views(conn: &mut DbConnection, rows: Vec<Post>) -> Result<Vec<PostView>> {
    let people = authors(conn, rows.iter().map(|p| p.author_id))?;
    let ids: Vec<PostId> = rows.iter().map(|p| p.id).collect();
    let mut files = crate::features::attachments::current_of(conn, &ids)?;
    let mut thread_ids: Vec<ThreadId> = rows.iter().map(|p| p.thread_id).collect();
    thread_ids.sort_unstable();
    thread_ids.dedup();
    let thread_marks: HashMap<ThreadId, Mark> = threads::table
        .filter(threads::id.eq_any(&thread_ids))
        .select((threads::id, threads::mark))
        .load::<(ThreadId, String)>(conn)?
        .into_iter()
        .map(|(id, mark)| Ok((id, Mark::try_from(mark)?)))
        .collect::<Result<_>>()?;
    let named: Vec<PostId> = rows
        .iter()
        .filter(|p| p.own_mark().is_some_and(Mark::names_readers))
        .map(|p| p.id)
        .collect();
    let mut readers = if named.is_empty() {
        HashMap::new()
    } else {
        crate::access::visibility::post_recipients(conn, &named)?
    };
    Ok(rows
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
            let thread_mark = thread_marks.get(&p.thread_id).copied().unwrap_or_default();
            let mut view = post_view(p, author, thread_mark);
            view.attachments = files.remove(&view.id).unwrap_or_default();
            if view.own_mark.is_some_and(Mark::names_readers) {
                view.mark_recipients = Some(readers.remove(&view.id).unwrap_or_default());
            }
            view
        })
        .collect())
}

/// `view` with the files of its current revision that `viewer` may see,
/// and the readers its own mark names.
pub(crate) fn with_attachments(
    conn: &mut DbConnection,
    viewer: &Viewer,
    mut view: PostView,
) -> Result<PostView> {
    let files = crate::features::attachments::current_of(conn, &[view.id])?
        .remove(&view.id)
        .unwrap_or_default();
    view.attachments = crate::features::attachments::for_viewer(viewer, files);
    if view.own_mark.is_some_and(Mark::names_readers) {
        view.mark_recipients = Some(
            crate::access::visibility::post_recipients(conn, &[view.id])?
                .remove(&view.id)
                .unwrap_or_default(),
        );
    }
    Ok(view)
}

/// [`with_attachments`] for a post written in this transaction with the
/// uploads `given`: a post given none has none, and asks for its files
/// only when it names readers of its own.
pub(crate) fn with_new_attachments(
    conn: &mut DbConnection,
    viewer: &Viewer,
    view: PostView,
    given: &[AttachmentId],
) -> Result<PostView> {
    if given.is_empty() && !view.own_mark.is_some_and(Mark::names_readers) {
        return Ok(view);
    }
    with_attachments(conn, viewer, view)
}

/// A post as readers see it, in a thread marked `thread_mark`.
pub(crate) fn post_view(post: Post, author: AuthorView, thread_mark: Mark) -> PostView {
    let own_mark = post.own_mark();
    PostView {
        mark: own_mark.map_or(thread_mark, |m| m.max(thread_mark)),
        own_mark,
        mark_recipients: None,
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
        attachments: Vec::new(),
    }
}

/// The event payload for a post: what live clients render.
pub(crate) fn post_payload(view: &PostView) -> event_payloads::PostPayload {
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
        mark: view.mark,
        mark_recipients: view
            .mark_recipients
            .clone()
            .map(|r| event_payloads::MarkReaders {
                countries: r.countries,
                groups: r.groups,
                users: r.users,
            }),
        attachments: view
            .attachments
            .iter()
            .filter(|a| !a.hidden)
            .map(|a| event_payloads::AttachmentPayload {
                id: a.id,
                name: a.name.clone(),
                size: a.size,
                media_type: a.media_type.as_str().to_owned(),
                sha256: a.sha256.clone(),
                url: a.url(),
                pages: a.pages,
                language: a.language.clone(),
                extraction: a.extraction.as_str().to_owned(),
                extraction_error: a.extraction_error.clone(),
                hidden: a.hidden,
            })
            .collect(),
    }
}

/// A post body as stored: source, rendering and language.
pub(crate) struct PostContent<'a> {
    pub(crate) body: &'a Markdown,
    pub(crate) html: &'a SanitizedHtml,
    pub(crate) language: &'a ContentLanguage,
}

fn viewer_author(viewer: &Viewer) -> AuthorView {
    AuthorView {
        id: viewer.id,
        username: viewer.username.to_string(),
        display_name: viewer.display_name.to_string(),
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
