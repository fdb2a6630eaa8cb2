//! The document the server hands the index, and its tantivy form.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use crate::schema::{Analysis, Fields, primary_subtag};

/// The access key every signed-in member holds: a post carrying it in its
/// [`IndexDoc::acl`] is visible to all members.
pub const MEMBERS_KEY: &str = "members";

/// The access key held by members of group `group_id` ("group:3").
pub fn group_key(group_id: u64) -> String {
    format!("group:{group_id}")
}

/// One post, as the server sees it after rendering and access resolution.
///
/// The index stores only what search needs; results carry ids and the
/// server loads everything else from the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDoc {
    /// Unique key: indexing a post again replaces the previous version.
    pub post_id: u64,
    pub thread_id: u64,
    /// The thread title (every post of a thread carries it).
    pub title: String,
    /// The post's body as plain text (Markdown rendered and stripped).
    pub body_text: String,
    /// Language tag, optionally with a region ("fr-CA"). English, French,
    /// Spanish and Arabic get a stemmer; any other language is indexed
    /// language-neutrally only.
    pub language: String,
    /// ISO 3166-1 alpha-2 codes ("FR"), matched exactly by the filter.
    pub jurisdictions: Vec<String>,
    /// The post kind ("question", "answer", …), matched exactly by the filter.
    pub kind: String,
    pub category_id: u64,
    /// Access keys that may see the post: [`MEMBERS_KEY`] for an open
    /// category, [`group_key`]s for a restricted one. A post with no key is
    /// visible to nobody.
    pub acl: Vec<String>,
    /// Creation time, unix seconds.
    pub created_at: i64,
}

impl IndexDoc {
    /// Converts to a tantivy document of the schema described by `fields`.
    pub(crate) fn to_tantivy(&self, fields: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.post_id, self.post_id);
        doc.add_u64(fields.thread_id, self.thread_id);
        doc.add_u64(fields.category_id, self.category_id);
        doc.add_i64(fields.created_at, self.created_at);
        doc.add_text(fields.kind, &self.kind);
        doc.add_text(fields.language, primary_subtag(&self.language));
        for key in &self.acl {
            doc.add_text(fields.acl, key);
        }
        for code in self.jurisdictions.iter().filter(|code| !code.is_empty()) {
            doc.add_facet(fields.jurisdiction, jurisdiction_facet(code));
        }

        // Every post goes into the language-neutral fields; posts in a
        // language we can stem also go into that language's fields.
        let stemmed = Analysis::stemmed_for(&self.language);
        for analysis in std::iter::once(Analysis::Any).chain(stemmed) {
            let pair = fields.text(analysis);
            doc.add_text(pair.title, &self.title);
            doc.add_text(pair.text, &self.body_text);
        }
        doc
    }
}

/// The facet a jurisdiction code is indexed under: "FR" → "/FR". The code is
/// one path segment, so a stray "/" in it is escaped rather than nesting.
pub(crate) fn jurisdiction_facet(code: &str) -> Facet {
    Facet::from_path([code])
}
