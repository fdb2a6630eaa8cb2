//! Read models: what a viewer is shown of categories, threads, posts,
//! revisions and analysis records, joined and already filtered by
//! [`crate::access`]. Built by the features, rendered by the server and
//! `web`; never stored.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::analysis::{CaseCitation, LegalProvision};
use crate::domain::instruments::{self as catalogue, InstrumentRef};
use crate::domain::{DocumentType, Extraction, ThreadKind};
use crate::store::ids::{AttachmentId, CategoryId, GroupId, PostId, ThreadId, UserId};

/// A category as a viewer sees it.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct CategoryView {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub restricted_to_groups: Vec<GroupId>,
    pub thread_count: i64,
}

/// The short public face of a user, shown beside posts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthorView {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
}

/// A thread in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadSummary {
    pub id: ThreadId,
    pub title: String,
    pub kind: ThreadKind,
    pub category_id: CategoryId,
    pub category_slug: String,
    pub category_name: String,
    pub author: AuthorView,
    pub jurisdictions: Vec<String>,
    pub locked: bool,
    pub pinned: bool,
    pub post_count: i64,
    pub created_at: NaiveDateTime,
    pub last_post_at: NaiveDateTime,
    pub language: String,
    /// The analysis summary, for threads of kind `analysis`.
    pub summary: Option<String>,
    /// Seconds members wait between replies (0: no slow mode).
    pub slow_mode_seconds: i64,
    /// In the "Featured analyses" list.
    pub featured: bool,
    /// Its handling mark (TLP 2.0).
    pub mark: crate::domain::mark::Mark,
    /// Who an `AMBER+STRICT` or `RED` mark admits besides its author
    /// (absent for the other marks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark_recipients: Option<crate::access::MarkRecipients>,
    /// Those recipients as people read them: country codes, group names,
    /// members' display names.
    #[serde(skip)]
    pub mark_readers: Vec<String>,
    /// The usernames of the members a `RED` mark names.
    #[serde(skip)]
    pub mark_members: Vec<String>,
}

/// A post as shown in a thread.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub author: AuthorView,
    pub body: String,
    #[serde(skip)]
    pub body_html: crate::domain::markdown::SanitizedHtml,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub reply_to: Option<PostId>,
    pub revision: i64,
    pub language: String,
    /// Hidden by a moderator (only staff see hidden posts).
    pub hidden: bool,
    /// The files on its current revision (hidden ones only for staff).
    pub attachments: Vec<AttachmentView>,
    /// Its handling mark: its own when stricter than its thread's, else
    /// its thread's.
    pub mark: crate::domain::mark::Mark,
    /// Its own mark, when it has one (stricter than its thread's).
    pub own_mark: Option<crate::domain::mark::Mark>,
    /// The readers its own mark names (`AMBER+STRICT`, `RED`).
    pub mark_recipients: Option<crate::access::MarkRecipients>,
}

/// A file attached to a post, as readers see it listed under the post.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AttachmentView {
    pub id: AttachmentId,
    pub name: String,
    pub size: i64,
    pub media_type: DocumentType,
    pub sha256: String,
    /// Pages of text read from it, once read.
    pub pages: Option<i64>,
    /// The language its text is in, once read.
    pub language: Option<String>,
    pub extraction: Extraction,
    /// Why its text could not be read (`extraction` is `failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction_error: Option<String>,
    /// Hidden by a moderator (only staff see it, with the reason).
    pub hidden: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    /// Shown in the page (sandboxed) rather than downloaded.
    #[serde(skip)]
    pub inline: bool,
    /// The author a PDF's metadata names (the page offers its uploader and
    /// staff to remove it).
    #[serde(skip)]
    pub document_author: Option<String>,
}

impl AttachmentView {
    /// Where it is fetched: `/files/{id}/{name}`, the name percent-encoded
    /// as one path segment.
    pub fn url(&self) -> String {
        file_url(self.id, &self.name)
    }
}

/// `/files/{id}/{name}`, the name percent-encoded as one path segment.
pub fn file_url(id: AttachmentId, name: &str) -> String {
    let mut out = format!("/files/{id}/");
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A thread with its posts.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadView {
    pub thread: ThreadSummary,
    pub posts: Vec<PostView>,
    /// The structured record of an analysis.
    pub analysis: Option<AnalysisView>,
    /// Threads the viewer may see that cite this one (`#123`).
    pub cited_by: Vec<ThreadRef>,
}

/// A link to a thread.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadRef {
    pub id: ThreadId,
    pub title: String,
    pub kind: ThreadKind,
}

/// One stored revision of a post.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    pub revision: i64,
    pub body: String,
    pub edited_by: AuthorView,
    pub edited_at: NaiveDateTime,
    pub reason: Option<String>,
    /// Files this revision removed from the post (staff only: kept for the
    /// history, gone for members).
    pub removed_attachments: Vec<AttachmentView>,
}

/// An instrument or article an analysis cites, with its names.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentCitation {
    /// `untoc:5` or `untoc`.
    pub key: String,
    pub instrument: String,
    pub article: Option<String>,
    pub short_name: String,
    /// "UNTOC art. 5".
    pub label: String,
    pub article_title: Option<String>,
}

/// Endorsements of an analysis for one jurisdiction.
#[derive(Debug, Clone, Serialize)]
pub struct EndorsementTally {
    pub jurisdiction: String,
    pub count: i64,
    /// How many endorsers of each profession.
    pub professions: BTreeMap<String, i64>,
}

/// An analysis record as shown.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisView {
    pub summary: String,
    pub language: String,
    pub instruments: Vec<InstrumentCitation>,
    pub crime_areas: Vec<String>,
    pub legal_provisions: Vec<LegalProvision>,
    pub case_citations: Vec<CaseCitation>,
    pub valid_as_of: Option<NaiveDate>,
    pub review_by: Option<NaiveDate>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub updated_at: NaiveDateTime,
    /// Why it needs review (`review_by_passed`, `instrument_amended:<id>`);
    /// empty when it is current.
    pub review_reasons: Vec<String>,
    pub endorsements: Vec<EndorsementTally>,
    /// The jurisdiction the viewer endorsed it for, if they did.
    pub my_endorsement: Option<String>,
}

/// One column of the comparison matrix: a jurisdiction and the analyses
/// that hold for it (empty: a gap).
#[derive(Debug, Clone, Serialize)]
pub struct CompareColumn {
    pub jurisdiction: String,
    pub analyses: Vec<ThreadSummary>,
}

impl InstrumentCitation {
    pub(crate) fn of(r: &InstrumentRef) -> Self {
        let inst = catalogue::get(&r.instrument);
        InstrumentCitation {
            key: r.key(),
            instrument: r.instrument.clone(),
            article: (!r.article.is_empty()).then(|| r.article.clone()),
            short_name: inst.map_or_else(|| r.instrument.clone(), |i| i.short_name.clone()),
            label: r.label(),
            article_title: inst
                .and_then(|i| i.article(&r.article))
                .map(|a| a.title.clone())
                .filter(|t| !t.is_empty()),
        }
    }
}
