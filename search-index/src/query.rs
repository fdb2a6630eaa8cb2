//! Access-filtered queries.
//!
//! A search is one tantivy [`BooleanQuery`]: the parsed free text, plus
//! required filter clauses for access, jurisdiction and kind. The access
//! clause is part of the query itself, so documents the viewer may not see
//! are never scored, counted or returned — nothing is filtered afterwards.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, SegmentOrdinal, TantivyError, Term};

use crate::doc::jurisdiction_facet;
use crate::schema::{POST_ID, THREAD_ID};
use crate::{Result, SearchIndex};

/// The most hits one search returns, whatever [`SearchQuery::limit`] asks.
pub const MAX_LIMIT: usize = 1_000;

/// Query text beyond this many characters is ignored, bounding the work a
/// single request can cause.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Parentheses nested deeper than this are dropped before parsing: the
/// parser recurses once per level and would overflow the stack on a few
/// hundred. Real queries nest two or three levels.
const MAX_NESTING: usize = 16;

/// What a viewer searches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Free text in tantivy's query syntax (words, "quoted phrases", `-not`,
    /// `OR`). Malformed syntax is parsed leniently, never rejected. Blank
    /// text matches every post the filters let through.
    pub text: String,
    /// The viewer's access keys (see [`crate::MEMBERS_KEY`],
    /// [`crate::group_key`]). A post matches only if one of its own keys is
    /// among them; with no keys, nothing matches.
    pub acl: Vec<String>,
    /// Only posts tagged with this jurisdiction code ("FR"). Blank means no
    /// filter.
    pub jurisdiction: Option<String>,
    /// Only posts of this kind. Blank means no filter.
    pub kind: Option<String>,
    /// How many hits to return, best first (capped at [`MAX_LIMIT`]). Zero
    /// only counts.
    pub limit: usize,
}

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many posts visible to the viewer match, not just those returned.
    pub total: usize,
    /// The best matches, highest score first.
    pub hits: Vec<Hit>,
}

/// One matching post. The server loads the post itself from the database.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub post_id: u64,
    pub thread_id: u64,
    /// BM25 relevance; only meaningful relative to other hits of the same
    /// search.
    pub score: f32,
}

impl SearchIndex {
    /// Runs `query` against the last committed state of the index.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let tantivy_query = self.build_query(query);

        let limit = query.limit.min(MAX_LIMIT);
        if limit == 0 {
            let total = searcher.search(&tantivy_query, &Count)?;
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
            });
        }
        let (total, top) = searcher.search(
            &tantivy_query,
            &(Count, TopDocs::with_limit(limit).order_by_score()),
        )?;

        // Ids are read from the fast-field columns, opened once per segment.
        let mut columns: HashMap<SegmentOrdinal, IdColumns> = HashMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let ids = match columns.entry(address.segment_ord) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                    entry.insert(IdColumns {
                        post_id: fast.u64(POST_ID)?,
                        thread_id: fast.u64(THREAD_ID)?,
                    })
                }
            };
            hits.push(ids.hit(address, score)?);
        }
        Ok(SearchResults { total, hits })
    }

    /// Translates a [`SearchQuery`] into one tantivy query. Infallible:
    /// whatever the viewer typed yields a query.
    fn build_query(&self, query: &SearchQuery) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, self.text_query(&query.text)),
            (Occur::Must, self.acl_filter(&query.acl)),
        ];
        if let Some(code) = non_blank(query.jurisdiction.as_deref()) {
            let term = Term::from_facet(self.fields.jurisdiction, &jurisdiction_facet(code));
            clauses.push((
                Occur::Must,
                filter(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(kind) = non_blank(query.kind.as_deref()) {
            let term = Term::from_field_text(self.fields.kind, kind);
            clauses.push((
                Occur::Must,
                filter(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The free-text part: every title and body field, titles boosted.
    ///
    /// The viewer may name fields in the syntax (`acl:members`), but that
    /// can only narrow the results: the access clause is a separate required
    /// clause that the text cannot remove.
    fn text_query(&self, text: &str) -> Box<dyn Query> {
        let text = flatten_deep_nesting(truncate_chars(text, MAX_QUERY_CHARS));
        if text.trim().is_empty() {
            return Box::new(AllQuery);
        }
        // Lenient parsing recovers from syntax errors by dropping what it
        // cannot understand; the errors are of no use to the viewer.
        let (parsed, _errors) = self.parser.parse_query_lenient(&text);
        parsed
    }

    /// Matches posts holding at least one of the viewer's keys; matches
    /// nothing when the viewer holds none.
    fn acl_filter(&self, keys: &[String]) -> Box<dyn Query> {
        if keys.is_empty() {
            return Box::new(EmptyQuery);
        }
        let terms = keys
            .iter()
            .map(|key| Term::from_field_text(self.fields.acl, key));
        filter(TermSetQuery::new(terms))
    }
}

/// Wraps a filter so it selects documents without adding to their score.
fn filter(query: impl Query) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(query), 0.0))
}

/// `Some(trimmed)` unless the value is absent or blank.
fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// The longest prefix of `text` with at most `max` characters.
fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// `text` with every parenthesis replaced by a space if they nest deeper
/// than [`MAX_NESTING`]; `text` itself otherwise. Parentheses inside quotes
/// are counted too, which errs on the side of flattening.
fn flatten_deep_nesting(text: &str) -> Cow<'_, str> {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Cow::Owned(text.replace(['(', ')'], " "));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Cow::Borrowed(text)
}

/// The id columns of one segment.
struct IdColumns {
    post_id: Column<u64>,
    thread_id: Column<u64>,
}

impl IdColumns {
    fn hit(&self, address: DocAddress, score: Score) -> Result<Hit> {
        // Both ids are set on every document we write.
        let missing = |field: &str| {
            TantivyError::InternalError(format!("indexed document without a {field}"))
        };
        Ok(Hit {
            post_id: self
                .post_id
                .first(address.doc_id)
                .ok_or_else(|| missing(POST_ID))?,
            thread_id: self
                .thread_id
                .first(address.doc_id)
                .ok_or_else(|| missing(THREAD_ID))?,
            score,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_character_boundaries() {
        assert_eq!(truncate_chars("médicament", 2), "mé");
        assert_eq!(truncate_chars("محكمة", 10), "محكمة");
        assert_eq!(truncate_chars("", 3), "");
    }

    #[test]
    fn only_deep_nesting_is_flattened() {
        let shallow = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(flatten_deep_nesting(&shallow), shallow.as_str());
        // Depth is what counts, not the number of groups.
        let many = "(a) ".repeat(MAX_NESTING * 2);
        assert_eq!(flatten_deep_nesting(&many), many.as_str());
        let deep = format!("{}x", "(".repeat(MAX_NESTING + 1));
        assert_eq!(flatten_deep_nesting(&deep).trim(), "x");
    }

    #[test]
    fn blank_filters_are_no_filters() {
        assert_eq!(non_blank(None), None);
        assert_eq!(non_blank(Some("  ")), None);
        assert_eq!(non_blank(Some(" FR ")), Some("FR"));
    }
}
