//! The document the server hands the index, and its tantivy form.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use crate::schema::{Analysis, Fields, primary_subtag};

/// The access key every signed-in member holds: a post carrying it in its
/// [`IndexDoc::acl`] is visible to all members.
pub const MEMBERS_KEY: &str = "members";

/// The prefix of the second kind of access key, for handling marks: a post
/// is found only by a viewer who shares one of its space keys
/// ([`MEMBERS_KEY`], [`group_key`]) **and** one of its mark keys. A post
/// given no mark key carries [`MARK_ANY`], which every query holds.
pub const MARK_KEY_PREFIX: &str = "mark:";

/// The mark key of posts whose mark admits every reader of their space.
pub const MARK_ANY: &str = "mark:any";

/// The prefix of the third kind of access key, for a post's own handling
/// mark (stricter than its thread's): a post is found only by a viewer who
/// also shares one of these. A post given none carries [`POST_MARK_ANY`].
pub const POST_MARK_KEY_PREFIX: &str = "postmark:";

/// The post-mark key of posts without a mark of their own.
pub const POST_MARK_ANY: &str = "postmark:any";

/// The layers of mark keys, each a clause a post must pass: its prefix and
/// the key every viewer holds in it.
pub const MARK_LAYERS: [(&str, &str); 2] = [
    (MARK_KEY_PREFIX, MARK_ANY),
    (POST_MARK_KEY_PREFIX, POST_MARK_ANY),
];

/// Whether `key` is a thread mark key (see [`MARK_KEY_PREFIX`]).
pub fn is_mark_key(key: &str) -> bool {
    key.starts_with(MARK_KEY_PREFIX)
}

/// The mark layer `key` belongs to (an index into [`MARK_LAYERS`]), if it
/// is a mark key at all.
pub fn mark_layer(key: &str) -> Option<usize> {
    MARK_LAYERS
        .iter()
        .position(|(prefix, _)| key.starts_with(prefix))
}

/// The access key held by members of group `group_id` ("group:3").
pub fn group_key(group_id: u64) -> String {
    format!("group:{group_id}")
}

/// A jurisdiction a thread is tagged with, and the regions that contain it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct JurisdictionTag {
    /// The tag itself: an ISO 3166-1 alpha-2 code ("FR") or a region code
    /// ("EU", "M49-155").
    pub code: String,
    /// Every region that contains `code`, directly or through another
    /// region ("EU", "COE", "M49-155", "M49-150"…). A filter or facet on
    /// any of them counts the post.
    pub within: Vec<String>,
}

/// One post, as the server sees it after rendering and access resolution.
///
/// The index stores only what search needs; results carry ids and the
/// server loads everything else from the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexDoc {
    /// Unique key: indexing a post again replaces the previous version.
    pub post_id: u64,
    pub thread_id: u64,
    pub author_id: u64,
    pub category_id: u64,
    /// The thread title. Only the opening post is searchable by it (as in
    /// Discourse), so a title word does not return every reply of the
    /// thread.
    pub title: String,
    /// Whether this is the thread's opening post.
    pub opening: bool,
    /// The post's body as plain text (Markdown rendered and stripped).
    pub body_text: String,
    /// Language tag, optionally with a region ("fr-CA"). English, French,
    /// Spanish and Arabic get a stemmer; any other language is indexed
    /// language-neutrally only.
    pub language: String,
    /// The thread's jurisdiction tags.
    pub jurisdictions: Vec<JurisdictionTag>,
    /// Instruments the thread's analysis cites: "untoc" for the instrument
    /// as a whole, "untoc:5" for an article (indexed under the instrument
    /// too).
    pub instruments: Vec<String>,
    /// Crime areas of the thread's analysis ("counterfeiting").
    pub crime_areas: Vec<String>,
    /// The thread kind ("question", "analysis", …).
    pub kind: String,
    /// Access keys that may see the post: [`MEMBERS_KEY`] for an open
    /// category, [`group_key`]s for a restricted one, and mark keys
    /// ([`MARK_KEY_PREFIX`]; [`MARK_ANY`] when none is given). A post with
    /// no space key is visible to nobody.
    pub acl: Vec<String>,
    /// Creation time, unix seconds.
    pub created_at: i64,
    /// The text inside the post's files, each in its own language: found
    /// as the post is, in that language's stemmed field and the
    /// language-neutral one.
    #[serde(default)]
    pub attachments: Vec<AttachedText>,
}

/// The text of one file attached to a post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AttachedText {
    pub language: String,
    pub text: String,
}

impl IndexDoc {
    /// A hash of every field: two indexes hold the same version of a post
    /// exactly when its fingerprints are equal (see
    /// [`crate::SearchIndex::fingerprints`]).
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }

    /// Converts to a tantivy document of the schema described by `fields`.
    pub(crate) fn to_tantivy(&self, fields: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.post_id, self.post_id);
        doc.add_u64(fields.thread_id, self.thread_id);
        doc.add_u64(fields.author_id, self.author_id);
        doc.add_u64(fields.fingerprint, self.fingerprint());
        doc.add_i64(fields.created_at, self.created_at);
        doc.add_facet(fields.category, leaf(&self.category_id.to_string()));
        doc.add_facet(fields.year, leaf(&year_of(self.created_at).to_string()));
        doc.add_facet(fields.kind, leaf(&self.kind));
        doc.add_facet(fields.language, leaf(&primary_subtag(&self.language)));
        for key in &self.acl {
            doc.add_text(fields.acl, key);
        }
        for (layer, (_, any)) in MARK_LAYERS.iter().enumerate() {
            if !self.acl.iter().any(|k| mark_layer(k) == Some(layer)) {
                doc.add_text(fields.acl, any);
            }
        }
        for facet in jurisdiction_facets(&self.jurisdictions) {
            doc.add_facet(fields.jurisdiction, facet);
        }
        for instrument in &self.instruments {
            doc.add_facet(fields.instrument, instrument_facet(instrument));
        }
        for area in &self.crime_areas {
            doc.add_facet(fields.crime_area, leaf(area));
        }

        // The opening post of an analysis carries the names of its
        // instruments and crime areas in every language, each into that
        // language's names field and the language-neutral one: "Convention
        // de Palerme" finds an analysis citing UNTOC in any language.
        if self.opening {
            let mut seen = std::collections::HashSet::new();
            let names = self
                .instruments
                .iter()
                .flat_map(|i| crate::glossary::instrument_names(i))
                .chain(
                    self.crime_areas
                        .iter()
                        .flat_map(|a| crate::glossary::crime_area_names(a)),
                );
            for (language, name) in names {
                if !seen.insert((language, name.clone())) {
                    continue;
                }
                for analysis in Analysis::stemmed_for(language)
                    .into_iter()
                    .chain(std::iter::once(Analysis::Any))
                {
                    doc.add_text(fields.text(analysis).names, &name);
                }
            }
        }

        // Every post goes into the language-neutral fields; posts in a
        // language we can stem also go into that language's fields.
        let stemmed = Analysis::stemmed_for(&self.language);
        for analysis in std::iter::once(Analysis::Any).chain(stemmed) {
            let pair = fields.text(analysis);
            if self.opening {
                doc.add_text(pair.title, &self.title);
            }
            doc.add_text(pair.text, &self.body_text);
        }
        for attached in &self.attachments {
            let stemmed = Analysis::stemmed_for(&attached.language);
            for analysis in std::iter::once(Analysis::Any).chain(stemmed) {
                doc.add_text(fields.text(analysis).text, &attached.text);
            }
        }
        doc
    }
}

/// A one-segment facet: "FR" → "/FR". A stray "/" in the value is escaped
/// rather than nesting.
pub(crate) fn leaf(value: &str) -> Facet {
    Facet::from_path([value])
}

/// The jurisdiction facets of a post: "/FR" for the tag itself and
/// "/EU/FR", "/COE/FR"… for every region containing it. Tantivy indexes
/// each path with its ancestors, so the term "/EU" matches every post
/// tagged EU or a member of it, and the children of "/EU" say which
/// members contributed.
pub(crate) fn jurisdiction_facets(tags: &[JurisdictionTag]) -> Vec<Facet> {
    let mut facets = Vec::new();
    for tag in tags.iter().filter(|tag| !tag.code.is_empty()) {
        facets.push(leaf(&tag.code));
        for region in tag
            .within
            .iter()
            .filter(|r| !r.is_empty() && **r != tag.code)
        {
            facets.push(Facet::from_path([region.as_str(), tag.code.as_str()]));
        }
    }
    facets
}

/// "untoc" → "/untoc", "untoc:5" → "/untoc/5".
pub(crate) fn instrument_facet(reference: &str) -> Facet {
    match reference.split_once(':') {
        Some((instrument, article)) => Facet::from_path([instrument, article]),
        None => leaf(reference),
    }
}

/// The UTC calendar year of a unix time.
pub(crate) fn year_of(unix_seconds: i64) -> i32 {
    tantivy::DateTime::from_timestamp_secs(unix_seconds)
        .into_utc()
        .year()
}
