//! Comity's full-text search over forum posts.
//!
//! This crate owns:
//!
//! * the tantivy schema and the text analyzers (stemmed English, French,
//!   Spanish and Arabic fields, plus a language-neutral fallback);
//! * a batched writer ([`IndexWriter`]) that upserts and deletes posts and,
//!   on each commit, records the sequence number of the last event log entry
//!   it reflects, so indexing can resume after a restart
//!   ([`SearchIndex::last_indexed_seq`]);
//! * access-filtered queries ([`SearchIndex::search`]): the viewer's access
//!   keys are a required clause of the tantivy query itself, so invisible
//!   posts are never scored, counted or returned, and facet counts
//!   (jurisdiction — regions included —, instrument, crime area, kind,
//!   language, category, year) agree with the hits;
//! * ranked, cross-lingual retrieval: queries planned into concepts scored
//!   with a growing minimum-should-match, each expanded with the
//!   multilingual glossary (`data/glossary.json`, [`Glossary`]), the names
//!   of instruments and crime areas (`data/names.json`) and word-by-word
//!   translations learned from aligned text ([`lexicon`]);
//! * highlighted snippets, more-like-this ("related analyses") and
//!   title suggestions for search-as-you-type.
//!
//! It indexes plain [`IndexDoc`]s handed to it by the server and answers
//! with post and thread ids. It must never run SQL, speak HTTP or depend on
//! `forum-core`: deciding *who* holds which access key, and turning hits
//! back into posts, is the server's job.
//!
//! ```
//! use search_index::{IndexDoc, JurisdictionTag, MEMBERS_KEY, SearchIndex, SearchQuery};
//!
//! # fn main() -> search_index::Result<()> {
//! let index = SearchIndex::open_in_ram()?;
//! let mut writer = index.writer()?;
//! writer.add(&IndexDoc {
//!     post_id: 1,
//!     thread_id: 1,
//!     title: "Counterfeit goods at the border".into(),
//!     opening: true,
//!     body_text: "Can customs seize them in transit?".into(),
//!     language: "en".into(),
//!     jurisdictions: vec![JurisdictionTag { code: "FR".into(), within: vec!["EU".into()] }],
//!     kind: "question".into(),
//!     category_id: 2,
//!     acl: vec![MEMBERS_KEY.into()],
//!     created_at: 1_700_000_000,
//!     ..IndexDoc::default()
//! })?;
//! writer.commit(42)?;
//!
//! let results = index.search(&SearchQuery {
//!     text: "counterfeiting".into(),
//!     acl: vec![MEMBERS_KEY.into()],
//!     limit: 10,
//!     ..SearchQuery::default()
//! })?;
//! assert_eq!(results.total, 1);
//! assert_eq!(results.facets.jurisdiction["EU"], 1);
//! assert_eq!(results.hits[0].post_id, 1);
//! assert_eq!(index.last_indexed_seq()?, Some(42));
//! # Ok(())
//! # }
//! ```

mod doc;
mod error;
mod glossary;
mod index;
pub mod lexicon;
mod plan;
mod query;
mod schema;
pub mod tally;
mod writer;

pub use doc::{
    AttachedText, IndexDoc, JurisdictionTag, MARK_ANY, MARK_KEY_PREFIX, MARK_LAYERS, MEMBERS_KEY,
    POST_MARK_ANY, POST_MARK_KEY_PREFIX, group_key, is_mark_key, mark_layer,
};
pub use error::{Result, SearchError};
pub use glossary::{Concept, Glossary, crime_area_names, instrument_names};
pub use index::{NAMES_BOOST, SearchIndex, TITLE_BOOST};
pub use plan::{Expansion, MATCH_SHARE};
pub use query::{
    FacetTotals, Filters, Hit, MAX_LIMIT, MAX_QUERY_CHARS, MAX_RANK, RelatedTo, SearchQuery,
    SearchResults, Sort,
};
pub use writer::IndexWriter;
