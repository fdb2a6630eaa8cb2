//! Redaction that leaves no trace: a moderator removes a piece of text (or
//! a whole file) from a post, and it is replaced by `█ redacted` in every
//! copy the database holds — the post and every revision, the rendered
//! HTML, the thread's title and analysis record when it is the opening
//! post, the text read from its files, the stored event-log payloads
//! (rewritten in place, same `seq`), drafts in the thread, and the notes of
//! flags on the post. A file whose text holds it goes whole. The audit
//! keeps who, when, why and the SHA-256 of what was removed, never the
//! text. The server then purges the search index, the blobs and the
//! database's free pages (see `Db::purge_freed_pages`).

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::access::visibility::visible_post;
use crate::access::{self, Viewer};
use crate::domain::markdown;
use crate::error::{CoreError, ErrorCode, Result};
use crate::store::audit::{self, Entry};
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events;
use crate::store::ids::*;
use crate::store::rows::Post;
use crate::store::schema::{
    analyses, attachment_pages, attachments, drafts, flag_notes, flags, post_revisions, posts,
    threads,
};
use crate::views::PostView;

/// What replaces redacted text.
pub const REDACTED: &str = "█ redacted";

/// The reason the `post_edited` event of a redaction carries.
pub const REDACTION_REASON: &str = "redaction";

/// What to redact from a post.
#[derive(Debug, Clone, Copy, Default)]
pub struct RedactionInput<'a> {
    /// Text to remove wherever the post holds it.
    pub text: Option<&'a str>,
    /// A file of the post to remove whole.
    pub attachment: Option<AttachmentId>,
    pub reason: &'a str,
}

/// What a redaction did.
#[derive(Debug, Clone)]
pub struct Redaction {
    pub post: PostView,
    /// How many places held the text.
    pub occurrences: usize,
    /// Files removed whole.
    pub attachments_removed: Vec<AttachmentId>,
    /// Blobs no attachment names any more: the server deletes them now.
    pub blobs_to_delete: Vec<String>,
}

/// `text` with every `needle` (and its HTML-escaped form) replaced, and how
/// many were.
fn scrub(text: &str, needle: &str, escaped: &str) -> (String, usize) {
    let mut count = text.matches(needle).count();
    let mut out = text.replace(needle, REDACTED);
    if escaped != needle {
        count += out.matches(escaped).count();
        out = out.replace(escaped, REDACTED);
    }
    (out, count)
}

/// Every string inside a JSON value scrubbed.
fn scrub_json(value: &mut serde_json::Value, needle: &str, escaped: &str) -> usize {
    match value {
        serde_json::Value::String(s) => {
            let (out, n) = scrub(s, needle, escaped);
            if n > 0 {
                *s = out;
            }
            n
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .map(|v| scrub_json(v, needle, escaped))
            .sum(),
        serde_json::Value::Object(map) => map
            .values_mut()
            .map(|v| scrub_json(v, needle, escaped))
            .sum(),
        _ => 0,
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Removes the attachment `id` of `post` whole: its row, its pages; the
/// blob is returned when no other row names it.
fn remove_attachment(
    conn: &mut DbConnection,
    post: PostId,
    id: AttachmentId,
) -> Result<Option<String>> {
    let sha: Option<String> = attachments::table
        .find(id)
        .filter(attachments::post_id.eq(post))
        .select(attachments::sha256)
        .first(conn)
        .optional()?;
    let Some(sha) = sha else {
        return Err(CoreError::invalid(
            "attachment_id",
            "no such file on this post",
        ));
    };
    diesel::delete(attachment_pages::table.filter(attachment_pages::attachment_id.eq(id)))
        .execute(conn)?;
    diesel::delete(attachments::table.find(id)).execute(conn)?;
    let others: i64 = attachments::table
        .filter(attachments::sha256.eq(&sha))
        .count()
        .get_result(conn)?;
    Ok((others == 0).then_some(sha))
}

impl Db {
    /// Redacts text (or a whole file) from a post a moderator may see.
    pub fn redact_post(
        &self,
        viewer: &Viewer,
        post_id: PostId,
        input: &RedactionInput<'_>,
    ) -> Result<Redaction> {
        access::check_second_factor(viewer)?;
        if !access::can_moderate(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "only moderators may redact",
            ));
        }
        let reason = crate::domain::parse_line("reason", input.reason, 3, 300)?;
        let text = match input.text {
            Some(t) if t.trim().chars().count() >= 3 && t.chars().count() <= 2_000 => Some(t),
            Some(_) => {
                return Err(CoreError::invalid(
                    "text",
                    "name the text to redact: 3 to 2,000 characters",
                ));
            }
            None => None,
        };
        if text.is_none() && input.attachment.is_none() {
            return Err(CoreError::invalid(
                "text",
                "name the text (or the file) to redact",
            ));
        }
        self.write(|conn| {
            let (post, thread) = visible_post(conn, viewer, post_id)?;
            let mut occurrences = 0;
            let mut removed = Vec::new();
            let mut blobs = Vec::new();
            if let Some(id) = input.attachment {
                blobs.extend(remove_attachment(conn, post.id, id)?);
                removed.push(id);
                occurrences += 1;
            }
            let mut body = post.body.clone();
            if let Some(needle) = text {
                let escaped = html_escape(needle);
                let json_escaped = serde_json::to_string(needle)
                    .map(|s| s.trim_matches('"').to_owned())
                    .unwrap_or_else(|_| needle.to_owned());
                // The post and every revision.
                let (scrubbed, n) = scrub(&post.body, needle, &escaped);
                occurrences += n;
                body = scrubbed;
                let revisions: Vec<(i64, String, Option<String>)> = post_revisions::table
                    .filter(post_revisions::post_id.eq(post.id))
                    .select((
                        post_revisions::id,
                        post_revisions::body,
                        post_revisions::reason,
                    ))
                    .load(conn)?;
                for (id, old, why) in revisions {
                    let (new, n) = scrub(&old, needle, &escaped);
                    let (why, m) = match why {
                        Some(w) => {
                            let (w, m) = scrub(&w, needle, &escaped);
                            (Some(w), m)
                        }
                        None => (None, 0),
                    };
                    if n + m > 0 {
                        occurrences += n + m;
                        diesel::update(post_revisions::table.filter(post_revisions::id.eq(id)))
                            .set((post_revisions::body.eq(new), post_revisions::reason.eq(why)))
                            .execute(conn)?;
                    }
                }
                // The thread's title and record, from its opening post.
                let first: Option<PostId> = posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .select(diesel::dsl::min(posts::id))
                    .first(conn)?;
                if first == Some(post.id) {
                    let (title, n) = scrub(&thread.title, needle, &escaped);
                    if n > 0 {
                        occurrences += n;
                        diesel::update(threads::table.find(thread.id))
                            .set(threads::title.eq(title))
                            .execute(conn)?;
                    }
                    let record: Option<(String, String, String)> = analyses::table
                        .find(thread.id)
                        .select((
                            analyses::summary,
                            analyses::legal_provisions,
                            analyses::case_citations,
                        ))
                        .first(conn)
                        .optional()?;
                    if let Some((summary, provisions, cases)) = record {
                        let (summary, a) = scrub(&summary, needle, &escaped);
                        let (provisions, b) = scrub(&provisions, &json_escaped, &json_escaped);
                        let (cases, c) = scrub(&cases, &json_escaped, &json_escaped);
                        if a + b + c > 0 {
                            occurrences += a + b + c;
                            diesel::update(analyses::table.find(thread.id))
                                .set((
                                    analyses::summary.eq(summary),
                                    analyses::legal_provisions.eq(provisions),
                                    analyses::case_citations.eq(cases),
                                ))
                                .execute(conn)?;
                        }
                    }
                }
                // A file whose text holds it goes whole: the text read from
                // it is in the blob too.
                let on_post: Vec<AttachmentId> = attachments::table
                    .filter(attachments::post_id.eq(post.id))
                    .select(attachments::id)
                    .load(conn)?;
                let mut files: Vec<AttachmentId> = attachment_pages::table
                    .filter(attachment_pages::attachment_id.eq_any(&on_post))
                    .filter(
                        attachment_pages::body
                            .like(like_pattern(needle))
                            .escape('\\'),
                    )
                    .select(attachment_pages::attachment_id)
                    .load(conn)?;
                files.dedup();
                for id in files {
                    if removed.contains(&id) {
                        continue;
                    }
                    let pages: Vec<String> = attachment_pages::table
                        .filter(attachment_pages::attachment_id.eq(id))
                        .select(attachment_pages::body)
                        .load(conn)?;
                    if pages.iter().any(|p| p.contains(needle)) {
                        blobs.extend(remove_attachment(conn, post.id, id)?);
                        removed.push(id);
                        occurrences += 1;
                    }
                }
                // Drafts in the thread, and the notes of flags on the post.
                let drafts: Vec<(UserId, String)> = drafts::table
                    .filter(drafts::thread_id.eq(thread.id))
                    .select((drafts::user_id, drafts::body))
                    .load(conn)?;
                for (user, old) in drafts {
                    let (new, n) = scrub(&old, needle, &escaped);
                    if n > 0 {
                        occurrences += n;
                        diesel::update(
                            drafts::table
                                .filter(drafts::user_id.eq(user))
                                .filter(drafts::thread_id.eq(thread.id)),
                        )
                        .set(drafts::body.eq(new))
                        .execute(conn)?;
                    }
                }
                let flag_rows: Vec<(FlagId, String)> = flags::table
                    .filter(flags::post_id.eq(post.id))
                    .select((flags::id, flags::note))
                    .load(conn)?;
                for (flag, note) in flag_rows {
                    let (new, n) = scrub(&note, needle, &escaped);
                    if n > 0 {
                        occurrences += n;
                        diesel::update(flags::table.find(flag))
                            .set(flags::note.eq(new))
                            .execute(conn)?;
                    }
                    let notes: Vec<(i64, String)> = flag_notes::table
                        .filter(flag_notes::flag_id.eq(flag))
                        .select((flag_notes::id, flag_notes::body))
                        .load(conn)?;
                    for (id, old) in notes {
                        let (new, n) = scrub(&old, needle, &escaped);
                        if n > 0 {
                            occurrences += n;
                            diesel::update(flag_notes::table.filter(flag_notes::id.eq(id)))
                                .set(flag_notes::body.eq(new))
                                .execute(conn)?;
                        }
                    }
                }
                // The event log, rewritten in place: same `seq`, the text
                // gone from every payload that held it (any kind).
                let rows: Vec<(i64, String)> = crate::store::schema::events::table
                    .filter(
                        crate::store::schema::events::payload
                            .like(like_pattern(&json_escaped))
                            .escape('\\'),
                    )
                    .select((
                        crate::store::schema::events::seq,
                        crate::store::schema::events::payload,
                    ))
                    .load(conn)?;
                for (seq, payload) in rows {
                    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&payload) else {
                        continue;
                    };
                    if scrub_json(&mut value, needle, &escaped) > 0 {
                        diesel::update(
                            crate::store::schema::events::table
                                .filter(crate::store::schema::events::seq.eq(seq)),
                        )
                        .set(crate::store::schema::events::payload.eq(value.to_string()))
                        .execute(conn)?;
                    }
                }
                if occurrences == 0 {
                    return Err(CoreError::invalid(
                        "text",
                        "this post does not hold that text",
                    ));
                }
            }
            let html = markdown::render(&body);
            let updated: Post = diesel::update(posts::table.find(post.id))
                .set((posts::body.eq(&body), posts::body_html.eq(html.as_str())))
                .returning(posts::all_columns)
                .get_result(conn)?;
            let hash = text.map(|t| hex::encode(Sha256::digest(t.as_bytes())));
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "post.redact",
                    target: format!("post:{}", post.id),
                    reason: &reason,
                    details: serde_json::json!({
                        "sha256": hash,
                        "occurrences": occurrences,
                        "attachments_removed": removed,
                    }),
                },
            )?;
            let author = crate::features::forum::authors(conn, [updated.author_id])?
                .remove(&updated.author_id)
                .ok_or(CoreError::NotFound)?;
            let view = crate::features::forum::with_attachments(
                conn,
                viewer,
                crate::features::forum::post_view(updated, author, thread.mark),
            )?;
            events::append(
                conn,
                &Event::PostEdited(event_payloads::PostEdited {
                    post: crate::features::forum::post_payload(&view),
                    reason: Some(REDACTION_REASON.to_owned()),
                }),
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            Ok(Redaction {
                post: view,
                occurrences,
                attachments_removed: removed,
                blobs_to_delete: blobs,
            })
        })
    }

    /// Makes what redactions removed physically gone from the database's
    /// files: on SQLite (whose connections run with `secure_delete`, so
    /// freed space is zeroed) the write-ahead log is checkpointed into the
    /// database and truncated; PostgreSQL vacuums the tables redactions
    /// touch.
    pub fn purge_freed_pages(&self) -> Result<()> {
        use diesel::connection::SimpleConnection;
        // A connection outside any transaction (a checkpoint and a vacuum
        // cannot run inside one).
        #[derive(QueryableByName)]
        struct Checkpoint {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            busy: i32,
        }
        self.read(|conn| {
            match conn {
                DbConnection::Sqlite(c) => {
                    // A reader in the middle of a transaction holds the log:
                    // try again for a while (the busy timeout waits too).
                    for _ in 0..20 {
                        let done: Vec<Checkpoint> =
                            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(c)?;
                        if done.first().is_none_or(|d| d.busy == 0) {
                            return Ok(());
                        }
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                    tracing::warn!("the write-ahead log could not be truncated after a redaction; it will be at the next checkpoint");
                }
                DbConnection::Pg(c) => c.batch_execute(
                    "VACUUM posts, post_revisions, events, threads, analyses, attachments, \
                     attachment_pages, drafts, flags, flag_notes",
                )?,
            }
            Ok(())
        })
    }
}

/// What a post removed with its author's account says instead.
pub const REMOVED_WITH_ACCOUNT: &str = "[removed at the author's request]";

/// Every object in `value` that is post `post_id` (an `id` beside a
/// `body`) gets the removal notice as body and HTML; returns how many.
fn replace_post_json(value: &mut serde_json::Value, post_id: PostId, html: &str) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let mut n = 0;
            if map.get("id").and_then(|v| v.as_i64()) == Some(post_id.get())
                && map.contains_key("body")
            {
                map.insert("body".into(), REMOVED_WITH_ACCOUNT.into());
                if map.contains_key("body_html") {
                    map.insert("body_html".into(), html.into());
                }
                n += 1;
            }
            n + map
                .values_mut()
                .map(|v| replace_post_json(v, post_id, html))
                .sum::<usize>()
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .map(|v| replace_post_json(v, post_id, html))
            .sum(),
        _ => 0,
    }
}

/// Removes the text and files of post `post_id` whatever its mark (an
/// erasure reaches every post of the member, not what one reader sees):
/// the post and its revisions say [`REMOVED_WITH_ACCOUNT`], and so do an
/// opening post's thread title and analysis record; the thread's logged
/// events carrying the post get the notice, and every text the post ever
/// held is scrubbed from the thread's other events and drafts; its files
/// go whole. Returns the updated row and the blobs no row names any more.
/// The caller appends the `post_edited` event and the audit entry.
pub(crate) fn purge_post(conn: &mut DbConnection, post_id: PostId) -> Result<(Post, Vec<String>)> {
    use crate::store::schema::events;
    let post: Post = posts::table.find(post_id).first(conn)?;
    let thread: crate::store::rows::Thread = threads::table.find(post.thread_id).first(conn)?;
    let opening = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .select(diesel::dsl::min(posts::id))
        .first::<Option<PostId>>(conn)?
        == Some(post.id);
    let mut texts: Vec<String> = vec![post.body.clone()];
    texts.extend(
        post_revisions::table
            .filter(post_revisions::post_id.eq(post.id))
            .select(post_revisions::body)
            .load::<String>(conn)?,
    );
    if opening {
        texts.push(thread.title.clone());
        if let Some(summary) = analyses::table
            .find(thread.id)
            .select(analyses::summary)
            .first::<String>(conn)
            .optional()?
        {
            texts.push(summary);
        }
    }
    texts.retain(|t| t.trim().chars().count() >= 3);
    texts.sort();
    texts.dedup();
    let html = markdown::render(REMOVED_WITH_ACCOUNT);

    // The post, its revisions, and the thread's record when it opens it.
    let updated: Post = diesel::update(posts::table.find(post.id))
        .set((
            posts::body.eq(REMOVED_WITH_ACCOUNT),
            posts::body_html.eq(html.as_str()),
        ))
        .returning(posts::all_columns)
        .get_result(conn)?;
    diesel::update(post_revisions::table.filter(post_revisions::post_id.eq(post.id)))
        .set((
            post_revisions::body.eq(REMOVED_WITH_ACCOUNT),
            post_revisions::reason.eq(None::<String>),
        ))
        .execute(conn)?;
    if opening {
        diesel::update(threads::table.find(thread.id))
            .set(threads::title.eq(REMOVED_WITH_ACCOUNT))
            .execute(conn)?;
        diesel::update(analyses::table.find(thread.id))
            .set((
                analyses::summary.eq(REMOVED_WITH_ACCOUNT),
                analyses::legal_provisions.eq("[]"),
                analyses::case_citations.eq("[]"),
            ))
            .execute(conn)?;
    }
    // Its files, whole.
    let files: Vec<AttachmentId> = attachments::table
        .filter(attachments::post_id.eq(post.id))
        .select(attachments::id)
        .load(conn)?;
    let mut blobs = Vec::new();
    for id in files {
        blobs.extend(remove_attachment(conn, post.id, id)?);
    }
    // The thread's logged events and drafts.
    let rows: Vec<(i64, String)> = events::table
        .filter(events::thread_id.eq(thread.id))
        .select((events::seq, events::payload))
        .load(conn)?;
    for (seq, payload) in rows {
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&payload) else {
            continue;
        };
        let mut n = replace_post_json(&mut value, post.id, html.as_str());
        for text in &texts {
            n += scrub_json(&mut value, text, &html_escape(text));
        }
        if n > 0 {
            diesel::update(events::table.filter(events::seq.eq(seq)))
                .set(events::payload.eq(value.to_string()))
                .execute(conn)?;
        }
    }
    let drafts: Vec<(UserId, String)> = drafts::table
        .filter(drafts::thread_id.eq(thread.id))
        .select((drafts::user_id, drafts::body))
        .load(conn)?;
    for (user, old) in drafts {
        let mut body = old.clone();
        for text in &texts {
            body = scrub(&body, text, &html_escape(text)).0;
        }
        if body != old {
            diesel::update(
                drafts::table
                    .filter(drafts::user_id.eq(user))
                    .filter(drafts::thread_id.eq(thread.id)),
            )
            .set(drafts::body.eq(body))
            .execute(conn)?;
        }
    }
    Ok((updated, blobs))
}

#[cfg(test)]
mod purge_tests {
    use super::*;

    #[test]
    fn the_post_in_an_event_payload_gets_the_notice_and_others_stay() {
        let mut v = serde_json::json!({
            "post": {"id": 7, "body": "secret", "body_html": "<p>secret</p>", "author": {"id": 3}},
            "other": {"id": 8, "body": "kept"}
        });
        assert_eq!(replace_post_json(&mut v, PostId::from(7), "<p>gone</p>"), 1);
        assert_eq!(v["post"]["body"], REMOVED_WITH_ACCOUNT);
        assert_eq!(v["post"]["body_html"], "<p>gone</p>");
        assert_eq!(v["other"]["body"], "kept");
    }
}
