//! Files attached to posts: an upload is recorded once its blob is durable
//! (the server stores it), used on a post's revision, read back for those
//! who may see its post, its text stored page by page for search, hidden by
//! moderators. Blobs are shared by content (`sha256`); one no row names is
//! garbage the server collects.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::access::visibility::visible_post;
use crate::access::{self, Viewer};
use crate::domain::{ContentLanguage, DocumentType, Extraction, attachment_name, parse_line};
use crate::error::{CoreError, ErrorCode, Result};
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{AttachmentChange, Event};
use crate::store::events;
use crate::store::ids::*;
use crate::store::rows::Attachment;
use crate::store::schema::{attachment_pages, attachments, posts, threads};
use crate::views::AttachmentView;

/// A file the server has stored durably and checked (type, size, scan).
#[derive(Debug, Clone)]
pub struct NewUpload<'a> {
    /// The name the client gave; cleaned by [`attachment_name`].
    pub name: &'a str,
    pub size: i64,
    pub media_type: DocumentType,
    pub sha256: &'a str,
    /// Browsers may show it in the page (a PDF or picture without markup).
    pub inline: bool,
}

/// What a member has uploaded in the last 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadsToday {
    pub files: i64,
    pub bytes: i64,
}

/// An attachment whose text has not been read yet.
#[derive(Debug, Clone)]
pub struct PendingExtraction {
    pub id: AttachmentId,
    pub name: String,
    pub sha256: String,
    pub media_type: DocumentType,
}

/// What reading an attachment gave: its text page by page, and the author
/// its metadata names; or why it could not be read.
#[derive(Debug, Clone)]
pub enum ExtractionOutcome {
    Text {
        pages: Vec<String>,
        document_author: Option<String>,
    },
    /// A type that holds no text to read (a spreadsheet, an image without
    /// OCR).
    NoText,
    Failed(String),
}

/// One page of an attachment's text, for a search hit's snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentPage {
    pub post_id: PostId,
    pub attachment_id: AttachmentId,
    pub name: String,
    /// From 1.
    pub page: i64,
    pub language: String,
    pub text: String,
}

/// The text of one attachment, for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentText {
    pub language: String,
    pub text: String,
}

pub(crate) fn view(a: Attachment) -> AttachmentView {
    AttachmentView {
        id: a.id,
        name: a.name,
        size: a.size,
        media_type: a.media_type,
        sha256: a.sha256,
        pages: a.pages,
        language: a.language,
        extraction: a.extraction,
        extraction_error: a.extraction_error,
        hidden: a.hidden_reason.is_some(),
        hidden_reason: a.hidden_reason,
        inline: a.inline,
        document_author: a.document_author,
    }
}

/// The files on the current revision of each of `post_ids`, oldest first,
/// hidden ones included (readers filter them with
/// [`access::can_see_hidden_posts`]).
pub(crate) fn current_of(
    conn: &mut DbConnection,
    post_ids: &[PostId],
) -> Result<HashMap<PostId, Vec<AttachmentView>>> {
    let mut map: HashMap<PostId, Vec<AttachmentView>> = HashMap::new();
    if post_ids.is_empty() {
        return Ok(map);
    }
    let query = attachments::table
        .filter(attachments::removed_in_revision.is_null())
        .order(attachments::id.asc())
        .select(Attachment::as_select())
        .into_boxed();
    let rows: Vec<Attachment> =
        crate::store::filter_in!(query, attachments::post_id, post_ids).load(conn)?;
    for row in rows {
        if let Some(post) = row.post_id {
            map.entry(post).or_default().push(view(row));
        }
    }
    Ok(map)
}

/// The files edits removed from `post_id`, by the revision that removed
/// them (for the history staff read).
pub(crate) fn removed_from(
    conn: &mut DbConnection,
    post_id: PostId,
) -> Result<HashMap<i64, Vec<AttachmentView>>> {
    let rows: Vec<Attachment> = attachments::table
        .filter(attachments::post_id.eq(post_id))
        .filter(attachments::removed_in_revision.is_not_null())
        .order(attachments::id.asc())
        .select(Attachment::as_select())
        .load(conn)?;
    let mut map: HashMap<i64, Vec<AttachmentView>> = HashMap::new();
    for row in rows {
        if let Some(revision) = row.removed_in_revision {
            map.entry(revision).or_default().push(view(row));
        }
    }
    Ok(map)
}

/// Keeps what `viewer` may see of a post's files.
pub(crate) fn for_viewer(viewer: &Viewer, mut list: Vec<AttachmentView>) -> Vec<AttachmentView> {
    if !access::can_see_hidden_posts(viewer) {
        list.retain(|a| !a.hidden);
    }
    list
}

/// Makes `ids` the files of `post`'s revision `revision`: each is either
/// already on the post or an upload of `viewer`'s not used anywhere yet;
/// files the list drops are marked removed in this revision (kept for the
/// history staff read). With `replace` false the files are only added.
pub(crate) fn attach_in(
    conn: &mut DbConnection,
    viewer: &Viewer,
    post_id: PostId,
    revision: i64,
    ids: &[AttachmentId],
    replace: bool,
) -> Result<()> {
    if ids.is_empty() && !replace {
        // Nothing to attach, and nothing to drop.
        return Ok(());
    }
    let mut wanted: Vec<AttachmentId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !wanted.contains(id) {
            wanted.push(*id);
        }
    }
    let current: Vec<AttachmentId> = attachments::table
        .filter(attachments::post_id.eq(post_id))
        .filter(attachments::removed_in_revision.is_null())
        .select(attachments::id)
        .load(conn)?;
    let new: Vec<AttachmentId> = wanted
        .iter()
        .copied()
        .filter(|id| !current.contains(id))
        .collect();
    if !new.is_empty() {
        let usable: Vec<AttachmentId> = attachments::table
            .filter(attachments::id.eq_any(&new))
            .filter(attachments::uploader_id.eq(viewer.id))
            .filter(attachments::post_id.is_null())
            .select(attachments::id)
            .load(conn)?;
        if let Some(bad) = new.iter().find(|id| !usable.contains(id)) {
            return Err(CoreError::invalid(
                "attachments",
                format!("attachment {bad} is not an upload of yours waiting to be used"),
            ));
        }
        diesel::update(attachments::table.filter(attachments::id.eq_any(&new)))
            .set(attachments::post_id.eq(post_id))
            .execute(conn)?;
    }
    if replace {
        let dropped: Vec<AttachmentId> = current
            .iter()
            .copied()
            .filter(|id| !wanted.contains(id))
            .collect();
        if !dropped.is_empty() {
            diesel::update(attachments::table.filter(attachments::id.eq_any(&dropped)))
                .set(attachments::removed_in_revision.eq(revision))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The searchable text of each post's current, unhidden files: their
/// pages joined, one text per file (and per language within it).
pub(crate) fn texts_of(
    conn: &mut DbConnection,
    post_ids: &[PostId],
) -> Result<HashMap<PostId, Vec<AttachmentText>>> {
    let mut map: HashMap<PostId, Vec<AttachmentText>> = HashMap::new();
    let mut last: Option<AttachmentId> = None;
    for page in pages_of(conn, post_ids)? {
        let list = map.entry(page.post_id).or_default();
        match list.last_mut() {
            Some(text) if last == Some(page.attachment_id) && text.language == page.language => {
                text.text.push_str("\n\n");
                text.text.push_str(&page.text);
            }
            _ => list.push(AttachmentText {
                language: page.language,
                text: page.text,
            }),
        }
        last = Some(page.attachment_id);
    }
    Ok(map)
}

/// The pages of text of the current, unhidden files of `post_ids`, for
/// search snippets (the caller has checked the posts are visible).
pub(crate) fn pages_of(
    conn: &mut DbConnection,
    post_ids: &[PostId],
) -> Result<Vec<AttachmentPage>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let query = attachment_pages::table
        .inner_join(attachments::table.on(attachments::id.eq(attachment_pages::attachment_id)))
        .filter(attachments::removed_in_revision.is_null())
        .filter(attachments::hidden_reason.is_null())
        .order((attachment_pages::attachment_id, attachment_pages::page))
        .select((
            attachments::post_id,
            attachment_pages::attachment_id,
            attachments::name,
            attachment_pages::page,
            attachment_pages::language,
            attachment_pages::body,
        ))
        .into_boxed();
    let rows: Vec<(Option<PostId>, AttachmentId, String, i64, String, String)> =
        crate::store::filter_in!(query, attachments::post_id, post_ids).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(post, attachment_id, name, page, language, text)| {
            Some(AttachmentPage {
                post_id: post?,
                attachment_id,
                name,
                page,
                language,
                text,
            })
        })
        .collect())
}

/// Pages of text stored per attachment at most (a longer document's
/// remaining text goes into the last page).
pub const MAX_PAGES: usize = 2_000;

impl Db {
    /// What `viewer` uploaded in the last 24 hours.
    pub fn uploads_today(&self, viewer: &Viewer) -> Result<UploadsToday> {
        self.read(|conn| uploads_since(conn, viewer.id, now() - Duration::hours(24)))
    }

    /// Records an upload whose blob the server has stored durably. The
    /// daily quota (`daily_bytes`) is checked again here, in the
    /// transaction, so two parallel uploads cannot both pass it.
    pub fn record_upload(
        &self,
        viewer: &Viewer,
        upload: &NewUpload<'_>,
        daily_bytes: i64,
    ) -> Result<AttachmentView> {
        access::check_second_factor(viewer)?;
        let name = attachment_name(upload.name, upload.media_type);
        self.write(|conn| {
            let today = uploads_since(conn, viewer.id, now() - Duration::hours(24))?;
            if today.bytes + upload.size > daily_bytes {
                return Err(CoreError::TooLarge {
                    message: format!(
                        "this upload would pass your daily quota of {daily_bytes} bytes"
                    ),
                });
            }
            let extraction = if matches!(upload.media_type, DocumentType::Xlsx | DocumentType::Ods)
            {
                Extraction::NoText
            } else {
                Extraction::Pending
            };
            let row: Attachment = diesel::insert_into(attachments::table)
                .values((
                    attachments::uploader_id.eq(viewer.id),
                    attachments::name.eq(&name),
                    attachments::size.eq(upload.size),
                    attachments::media_type.eq(upload.media_type.as_str()),
                    attachments::sha256.eq(upload.sha256),
                    attachments::created_at.eq(now()),
                    attachments::inline.eq(upload.inline),
                    attachments::extraction.eq(extraction.as_str()),
                ))
                .returning(attachments::all_columns)
                .get_result::<Attachment>(conn)?;
            Ok(view(row))
        })
    }

    /// Audits a file the malware scanner refused (nothing else is kept).
    pub fn audit_refused_upload(
        &self,
        viewer: &Viewer,
        name: &str,
        sha256: &str,
        finding: &str,
    ) -> Result<()> {
        self.write(|conn| {
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "attachment.malware",
                    target: format!("user:{}", viewer.id),
                    reason: finding,
                    details: serde_json::json!({ "name": name, "sha256": sha256 }),
                },
            )?;
            Ok(())
        })
    }

    /// An attachment `viewer` may download: their own upload not used
    /// yet, or a file on a post they may see; a hidden or removed file
    /// only for staff. `NotFound` otherwise.
    pub fn attachment_for_download(
        &self,
        viewer: &Viewer,
        id: AttachmentId,
    ) -> Result<AttachmentView> {
        self.read(|conn| {
            let row: Attachment = attachments::table
                .find(id)
                .select(Attachment::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            let post_visible = match row.post_id {
                Some(post) => {
                    visible_post(conn, viewer, post)?;
                    true
                }
                None => false,
            };
            let facts = access::AttachmentFacts {
                uploader: row.uploader_id,
                on_visible_post: post_visible,
                hidden: row.hidden_reason.is_some(),
                removed: row.removed_in_revision.is_some(),
            };
            if !access::can_see_attachment(viewer, &facts) {
                return Err(CoreError::NotFound);
            }
            Ok(view(row))
        })
    }

    /// Whether any row still names the blob `sha256` (the file store
    /// collects blobs no row names).
    pub fn blob_in_use(&self, sha256: &str) -> Result<bool> {
        self.read(|conn| {
            let n: i64 = attachments::table
                .filter(attachments::sha256.eq(sha256))
                .count()
                .get_result(conn)?;
            Ok(n > 0)
        })
    }

    /// Attachments on posts whose text has not been read yet, oldest
    /// first.
    pub fn pending_extractions(&self, limit: i64) -> Result<Vec<PendingExtraction>> {
        self.read(|conn| {
            let rows: Vec<(AttachmentId, String, String, String)> = attachments::table
                .filter(attachments::extraction.eq(Extraction::Pending.as_str()))
                .filter(attachments::post_id.is_not_null())
                .order(attachments::id.asc())
                .limit(limit)
                .select((
                    attachments::id,
                    attachments::name,
                    attachments::sha256,
                    attachments::media_type,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|(id, name, sha256, media_type)| {
                    Ok(PendingExtraction {
                        id,
                        name,
                        sha256,
                        media_type: media_type.try_into()?,
                    })
                })
                .collect()
        })
    }

    /// Stores what reading an attachment gave, with an
    /// `attachment_extracted` event (the indexer reindexes its post).
    pub fn record_extraction(&self, id: AttachmentId, outcome: ExtractionOutcome) -> Result<()> {
        let (state, pages, author, error) = match outcome {
            ExtractionOutcome::Text {
                mut pages,
                document_author,
            } => {
                if pages.len() > MAX_PAGES {
                    let rest = pages.split_off(MAX_PAGES - 1).join("\n\n");
                    pages.push(rest);
                }
                (Extraction::Done, pages, document_author, None)
            }
            ExtractionOutcome::NoText => (Extraction::NoText, Vec::new(), None, None),
            ExtractionOutcome::Failed(why) => (Extraction::Failed, Vec::new(), None, Some(why)),
        };
        let languages: Vec<String> = pages
            .iter()
            .map(|p| ContentLanguage::detect_plain(p).as_str().to_owned())
            .collect();
        let language = main_language(&languages);
        // A file's text is read after it was posted: personal data found in
        // it opens a case for the moderators (who may redact the file).
        let mut personal_data: Vec<crate::domain::personal_data::PiiKind> = pages
            .iter()
            .flat_map(|p| crate::domain::personal_data::detect(p))
            .map(|s| s.kind)
            .collect();
        personal_data.sort();
        personal_data.dedup();
        self.write(|conn| {
            let Some((post_id, thread_id, category_id)) = attachments::table
                .inner_join(posts::table.on(attachments::post_id.eq(posts::id.nullable())))
                .inner_join(threads::table.on(threads::id.eq(posts::thread_id)))
                .filter(attachments::id.eq(id))
                .select((posts::id, threads::id, threads::category_id))
                .first::<(PostId, ThreadId, CategoryId)>(conn)
                .optional()?
            else {
                return Ok(());
            };
            diesel::delete(attachment_pages::table.filter(attachment_pages::attachment_id.eq(id)))
                .execute(conn)?;
            for (n, (text, page_language)) in pages.iter().zip(&languages).enumerate() {
                let page_language = if page_language == ContentLanguage::UNDETERMINED {
                    language.as_deref().unwrap_or(ContentLanguage::UNDETERMINED)
                } else {
                    page_language.as_str()
                };
                diesel::insert_into(attachment_pages::table)
                    .values((
                        attachment_pages::attachment_id.eq(id),
                        attachment_pages::page.eq(n as i64 + 1),
                        attachment_pages::language.eq(page_language),
                        attachment_pages::body.eq(text),
                    ))
                    .execute(conn)?;
            }
            diesel::update(attachments::table.find(id))
                .set((
                    attachments::extraction.eq(state.as_str()),
                    attachments::extraction_error.eq(error.as_deref()),
                    attachments::pages
                        .eq((state == Extraction::Done).then_some(pages.len() as i64)),
                    attachments::language.eq(language.as_deref()),
                    attachments::document_author.eq(author.as_deref()),
                ))
                .execute(conn)?;
            if !personal_data.is_empty() {
                let (uploader, name): (UserId, String) = attachments::table
                    .find(id)
                    .select((attachments::uploader_id, attachments::name))
                    .first(conn)?;
                crate::features::moderation::open_personal_data_case(
                    conn,
                    post_id,
                    uploader,
                    &format!("found in the text of the file {name} once it was read"),
                    &personal_data,
                )?;
            }
            content_changed(conn, id, post_id, (thread_id, category_id), None)?;
            Ok(())
        })
    }

    /// The file `viewer` may change (its uploader, or staff, who may see
    /// it): what the server rewrites to remove its metadata.
    pub fn attachment_to_change(
        &self,
        viewer: &Viewer,
        id: AttachmentId,
    ) -> Result<AttachmentView> {
        let view = self.attachment_for_download(viewer, id)?;
        let uploader: UserId = self.read(|conn| {
            Ok(attachments::table
                .find(id)
                .select(attachments::uploader_id)
                .first(conn)?)
        })?;
        if !access::can_change_attachment(viewer, uploader) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only the uploader or staff may change this file",
            ));
        }
        Ok(view)
    }

    /// Points attachment `id` at its rewritten blob, without the author
    /// its metadata named, with an `attachment_extracted` event (what was
    /// read from the file changed).
    pub fn replace_attachment_blob(
        &self,
        viewer: &Viewer,
        id: AttachmentId,
        sha256: &str,
        size: i64,
    ) -> Result<AttachmentView> {
        self.attachment_to_change(viewer, id)?;
        self.write(|conn| {
            let row: Attachment = diesel::update(attachments::table.find(id))
                .set((
                    attachments::sha256.eq(sha256),
                    attachments::size.eq(size),
                    attachments::document_author.eq(None::<String>),
                ))
                .returning(attachments::all_columns)
                .get_result::<Attachment>(conn)?;
            if let Some(post_id) = row.post_id {
                let place: (ThreadId, CategoryId) = posts::table
                    .inner_join(threads::table)
                    .filter(posts::id.eq(post_id))
                    .select((threads::id, threads::category_id))
                    .first(conn)?;
                content_changed(conn, id, post_id, place, Some(viewer.id))?;
            }
            Ok(view(row))
        })
    }

    /// A moderator hides an attachment (with a reason) or shows it again:
    /// audited, with an `attachment_hidden` event.
    pub fn hide_attachment(
        &self,
        viewer: &Viewer,
        id: AttachmentId,
        hidden: bool,
        reason: &str,
    ) -> Result<AttachmentView> {
        if !viewer.is_staff() {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "only moderators may hide attachments",
            ));
        }
        let reason = parse_line("reason", reason, 0, 500)?;
        if hidden && reason.is_empty() {
            return Err(CoreError::invalid("reason", "say why the file is hidden"));
        }
        self.write(|conn| {
            let row: Attachment = attachments::table
                .find(id)
                .select(Attachment::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            let post_id = row.post_id.ok_or(CoreError::NotFound)?;
            let (_post, thread) = visible_post(conn, viewer, post_id)?;
            let row: Attachment = diesel::update(attachments::table.find(id))
                .set(attachments::hidden_reason.eq(hidden.then_some(reason.as_str())))
                .returning(attachments::all_columns)
                .get_result::<Attachment>(conn)?;
            events::append(
                conn,
                &Event::AttachmentHidden(AttachmentChange {
                    attachment_id: id,
                    post_id,
                    thread_id: thread.id,
                    hidden: Some(hidden),
                }),
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: if hidden {
                        "attachment.hide"
                    } else {
                        "attachment.restore"
                    },
                    target: format!("attachment:{id}"),
                    reason: &reason,
                    details: serde_json::json!({ "post_id": post_id, "name": row.name }),
                },
            )?;
            Ok(view(row))
        })
    }
}

/// Appends `attachment_extracted`: what was read from file `id` (on
/// `post_id`, in that thread and category) changed.
fn content_changed(
    conn: &mut DbConnection,
    id: AttachmentId,
    post_id: PostId,
    (thread_id, category_id): (ThreadId, CategoryId),
    actor: Option<UserId>,
) -> Result<()> {
    events::append(
        conn,
        &Event::AttachmentExtracted(AttachmentChange {
            attachment_id: id,
            post_id,
            thread_id,
            hidden: None,
        }),
        Some(thread_id),
        Some(category_id),
        actor,
    )?;
    Ok(())
}

fn uploads_since(
    conn: &mut DbConnection,
    user: UserId,
    since: NaiveDateTime,
) -> Result<UploadsToday> {
    let sizes: Vec<i64> = attachments::table
        .filter(attachments::uploader_id.eq(user))
        .filter(attachments::created_at.ge(since))
        .select(attachments::size)
        .load(conn)?;
    Ok(UploadsToday {
        files: sizes.len() as i64,
        bytes: sizes.iter().sum(),
    })
}

/// The language most pages are in (undetermined pages aside).
fn main_language(languages: &[String]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for language in languages {
        if language != ContentLanguage::UNDETERMINED {
            *counts.entry(language).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(language, _)| language.to_owned())
}

#[cfg(feature = "test-support")]
impl Db {
    /// Every attachment row's id and blob (the durability test checks
    /// that no row names a missing blob).
    pub fn attachment_blobs(&self) -> Result<Vec<(AttachmentId, String)>> {
        self.read(|conn| {
            Ok(attachments::table
                .select((attachments::id, attachments::sha256))
                .load(conn)?)
        })
    }
}
