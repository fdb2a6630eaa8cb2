//! Access-filtered queries.
//!
//! A search is one tantivy [`BooleanQuery`]: the parsed (and
//! glossary-expanded) free text, plus required filter clauses for access,
//! jurisdiction, instrument, crime area, kind, language, category, author
//! and dates. The access clause is part of the query itself, so documents
//! the viewer may not see are never scored, counted or returned — nothing
//! is filtered afterwards, and facet counts agree with the hits (exactly
//! up to [`crate::tally::EXACT_UP_TO`] matches, estimated beyond).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::collector::{MultiCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery,
    MoreLikeThisQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, OwnedValue};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Score, Searcher, SegmentOrdinal, TantivyError, Term};

use crate::doc::{instrument_facet, leaf};
use crate::glossary::Glossary;
use crate::index::{NAMES_BOOST, TITLE_BOOST};
use crate::plan::{self, Expansion};
use crate::schema::{Analysis, FINGERPRINT, POST_ID, THREAD_ID, primary_subtag};
use crate::tally::TallyCollector;
use crate::{Result, SearchIndex};

mod text;

pub(crate) use text::PlanCache;
use text::*;

/// The most hits one search returns, whatever [`SearchQuery::limit`] asks.
pub const MAX_LIMIT: usize = 1_000;

/// Hits beyond this rank are never returned (offset + limit), bounding the
/// work deep pagination can cause.
pub const MAX_RANK: usize = 10_000;

/// Query text beyond this many characters is ignored, bounding the work a
/// single request can cause.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Snippets are at most about this many characters long.
const SNIPPET_CHARS: usize = 220;

/// What a viewer searches for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Free text in tantivy's query syntax (words, "quoted phrases", `-not`,
    /// `OR`). Malformed syntax is parsed leniently, never rejected. Blank
    /// text matches every post the filters let through. Glossary terms are
    /// expanded into their other languages.
    pub text: String,
    /// The viewer's access keys (see [`crate::MEMBERS_KEY`],
    /// [`crate::group_key`]). A post matches only if one of its own keys is
    /// among them; with no keys, nothing matches.
    pub acl: Vec<String>,
    pub filters: Filters,
    pub sort: Sort,
    /// How many of the best hits to skip (pagination).
    pub offset: usize,
    /// How many hits to return, best first (capped at [`MAX_LIMIT`]). Zero
    /// only counts.
    pub limit: usize,
    /// `match=all`: every word required, glossary phrases only (the
    /// behaviour before ranked retrieval). Default: ranked, translated
    /// ([`crate::plan`]).
    pub match_all: bool,
    /// Expansions not to search (terms as listed in
    /// [`SearchResults::expansions`], compared lowercased).
    pub exclude_terms: Vec<String>,
}

/// Narrowing filters; `None` (or blank) means no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Posts tagged with this jurisdiction or, for a region, with any of
    /// its members ("EU" matches posts tagged "FR").
    pub jurisdiction: Option<String>,
    /// "untoc" (any article) or "untoc:5".
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    pub kind: Option<String>,
    /// Primary language subtag ("fr").
    pub language: Option<String>,
    pub category_id: Option<u64>,
    pub author_id: Option<u64>,
    /// Written at or after this unix time.
    pub from: Option<i64>,
    /// Written before this unix time.
    pub until: Option<i64>,
    /// Leaves out the posts of this thread.
    pub exclude_thread: Option<u64>,
}

/// Order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (BM25, titles boosted).
    #[default]
    Relevance,
    /// Most recent first (by post id, which grows with time).
    Newest,
}

/// The outcome of a search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many posts visible to the viewer match, not just those returned.
    pub total: usize,
    /// The requested page of matches.
    pub hits: Vec<Hit>,
    /// Counts of the matching posts per facet value.
    pub facets: FacetTotals,
    /// Whether the facet counts are exact: beyond
    /// [`crate::tally::EXACT_UP_TO`] matches they are estimated from a
    /// systematic sample (see [`crate::tally`]).
    pub facets_exact: bool,
    /// Terms in other languages the search also looked for.
    pub expansions: Vec<Expansion>,
    /// A spelling the index knows, when a query word matched nothing.
    pub suggestion: Option<String>,
}

/// Facet counts over every match of a search (not only the returned page).
/// A post tagged with several values counts once under each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetTotals {
    /// Per jurisdiction code, regions included: "EU" counts posts tagged EU
    /// or any member state — exactly what the filter `jurisdiction=EU`
    /// would return.
    pub jurisdiction: BTreeMap<String, u64>,
    /// Per instrument id.
    pub instrument: BTreeMap<String, u64>,
    pub crime_area: BTreeMap<String, u64>,
    pub kind: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
    /// Per category id.
    pub category: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
}

/// One matching post. The server loads the post itself from the database.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub post_id: u64,
    pub thread_id: u64,
    /// BM25 relevance with [`Sort::Relevance`] (only meaningful relative to
    /// other hits of the same search); 0 with [`Sort::Newest`].
    pub score: f32,
}

/// The thread a "related analyses" search starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedTo {
    pub thread_id: u64,
    pub title: String,
    pub body_text: String,
    pub language: String,
}

impl SearchIndex {
    /// Runs `query` against the last committed state of the index.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let (text_query, expansions) = self.text_query(query);
        let tantivy_query = self.with_filters(text_query, query);

        // One pass: the total, the facets (exact up to
        // tally::EXACT_UP_TO matches, sampled beyond) and the page of hits.
        let facet_fields = [
            self.fields.jurisdiction,
            self.fields.instrument,
            self.fields.crime_area,
            self.fields.kind,
            self.fields.language,
            self.fields.category,
            self.fields.year,
        ]
        .map(|field| searcher.schema().get_field_name(field).to_owned());
        let mut collectors = MultiCollector::new();
        let tally = collectors.add_collector(TallyCollector::new(facet_fields.to_vec()));
        let offset = query.offset.min(MAX_RANK);
        let limit = query.limit.min(MAX_LIMIT).min(MAX_RANK - offset);
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let (by_score, by_date) = match query.sort {
            Sort::Relevance => (Some(collectors.add_collector(top.order_by_score())), None),
            Sort::Newest => (
                None,
                Some(collectors.add_collector(
                    // Post ids grow with time and never tie.
                    top.order_by_fast_field::<u64>(POST_ID, Order::Desc),
                )),
            ),
        };
        let mut fruits = searcher.search(&tantivy_query, &collectors)?;
        let tally = tally.extract(&mut fruits);
        let total = tally.total as usize;
        let facet = |index: usize| tally.facets.get(index).cloned().unwrap_or_default();
        let facets = FacetTotals {
            jurisdiction: facet(0),
            instrument: facet(1),
            crime_area: facet(2),
            kind: facet(3),
            language: facet(4),
            category: facet(5),
            year: facet(6),
        };
        let ranked: Vec<(Score, DocAddress)> = match (by_score, by_date) {
            (Some(handle), _) => handle.extract(&mut fruits),
            (_, Some(handle)) => handle
                .extract(&mut fruits)
                .into_iter()
                .map(|(_, address)| (0.0, address))
                .collect(),
            (None, None) => unreachable!("one ordering is always added"),
        };
        let hits = if limit == 0 {
            Vec::new()
        } else {
            self.hits(&searcher, ranked)?
        };
        let suggestion = if total == 0 {
            self.suggestion(&searcher, &query.text)
        } else {
            None
        };
        Ok(SearchResults {
            total,
            facets_exact: tally.exact,
            hits,
            facets,
            expansions,
            suggestion,
        })
    }

    /// Highlighted snippets of `texts` (each a `(language, body text)`
    /// pair, as indexed) for the words `query` looks for: HTML with the
    /// text escaped and matches wrapped in `<b>`. A text without a match
    /// yields its escaped beginning.
    pub fn snippets(&self, query: &SearchQuery, texts: &[(&str, &str)]) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let (text_query, _) = self.text_query(query);
        let mut generators: HashMap<Field, SnippetGenerator> = HashMap::new();
        let mut out = Vec::with_capacity(texts.len());
        for (language, text) in texts {
            let field = self.fields.text_for(language).text;
            let generator = match generators.entry(field) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let mut generator = SnippetGenerator::create(&searcher, &*text_query, field)?;
                    generator.set_max_num_chars(SNIPPET_CHARS);
                    entry.insert(generator)
                }
            };
            let snippet = generator.snippet(text);
            out.push(if snippet.is_empty() {
                escape_html(&leading(text, SNIPPET_CHARS))
            } else {
                snippet.to_html()
            });
        }
        Ok(out)
    }

    /// Threads whose words resemble `source`'s (more-like-this), best
    /// first, one hit per thread, never `source` itself, narrowed by
    /// `filters` and the viewer's `acl`.
    pub fn related(
        &self,
        source: &RelatedTo,
        acl: &[String],
        filters: &Filters,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let pair = self.fields.text_for(&source.language);
        let any = self.fields.text(Analysis::Any);
        let text = |value: &str| vec![OwnedValue::Str(value.to_owned())];
        let mut fields = vec![
            (pair.title, text(&source.title)),
            (pair.text, text(&source.body_text)),
        ];
        if pair.title != any.title {
            fields.push((any.title, text(&source.title)));
            fields.push((any.text, text(&source.body_text)));
        }
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(searcher.num_docs().max(2) / 2)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(40)
            .with_document_fields(fields);
        let mut filters = filters.clone();
        filters.exclude_thread = Some(source.thread_id);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(like))];
        clauses.extend(self.filter_clauses(acl, &filters));
        self.best_per_thread(&searcher, clauses, limit)
    }

    /// Titles starting with the words of `prefix` (the last one possibly
    /// incomplete), for search-as-you-type: one hit per thread, most
    /// relevant first, among what `acl` may see.
    pub fn suggest(&self, prefix: &str, acl: &[String], limit: usize) -> Result<Vec<Hit>> {
        let field = self.fields.text(Analysis::Any).title;
        let terms: Vec<Term> = Analysis::Any
            .tokens(truncate_chars(prefix, 100))
            .into_iter()
            .map(|token| Term::from_field_text(field, &token))
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(PhrasePrefixQuery::new(terms)))];
        clauses.extend(self.filter_clauses(acl, &Filters::default()));
        self.best_per_thread(&searcher, clauses, limit)
    }

    /// The best match of each thread for `clauses`, best first, at most
    /// `limit` threads.
    fn best_per_thread(
        &self,
        searcher: &Searcher,
        clauses: Vec<(Occur, Box<dyn Query>)>,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.min(MAX_LIMIT) * 5).order_by_score(),
        )?;
        let mut seen = HashSet::new();
        let mut hits = self.hits(searcher, top)?;
        hits.retain(|hit| seen.insert(hit.thread_id));
        hits.truncate(limit);
        Ok(hits)
    }

    /// The fingerprint of every post in the index, by post id: two indexes
    /// hold the same posts in the same versions exactly when these are equal.
    pub fn fingerprints(&self) -> Result<BTreeMap<u64, u64>> {
        let searcher = self.reader.searcher();
        let mut out = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let post_id: Column<u64> = fast.u64(POST_ID)?;
            let fingerprint: Column<u64> = fast.u64(FINGERPRINT)?;
            for doc in segment.doc_ids_alive() {
                if let (Some(id), Some(print)) = (post_id.first(doc), fingerprint.first(doc)) {
                    out.insert(id, print);
                }
            }
        }
        Ok(out)
    }

    /// Reads the ids of ranked documents from the fast-field columns,
    /// opened once per segment.
    fn hits(&self, searcher: &Searcher, ranked: Vec<(Score, DocAddress)>) -> Result<Vec<Hit>> {
        let mut columns: HashMap<SegmentOrdinal, (Column<u64>, Column<u64>)> = HashMap::new();
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, address) in ranked {
            let (post_id, thread_id) = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                    entry.insert((fast.u64(POST_ID)?, fast.u64(THREAD_ID)?))
                }
            };
            // Both ids are set on every document we write.
            let missing = || TantivyError::InternalError("indexed document without ids".into());
            hits.push(Hit {
                post_id: post_id.first(address.doc_id).ok_or_else(missing)?,
                thread_id: thread_id.first(address.doc_id).ok_or_else(missing)?,
                score,
            });
        }
        Ok(hits)
    }

    /// Adds the access and filter clauses to the text part of a search.
    /// Infallible: whatever the viewer typed yields a query.
    fn with_filters(&self, text: Box<dyn Query>, query: &SearchQuery) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        clauses.extend(self.filter_clauses(&query.acl, &query.filters));
        Box::new(BooleanQuery::new(clauses))
    }

    /// The access clause and one required clause per filter; none of them
    /// adds to the score.
    fn filter_clauses(&self, acl: &[String], filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = &self.fields;
        let mut clauses = vec![(Occur::Must, self.acl_filter(acl))];
        let facet = |field, facet: Facet| {
            (
                Occur::Must,
                filter(TermQuery::new(
                    Term::from_facet(field, &facet),
                    IndexRecordOption::Basic,
                )),
            )
        };
        if let Some(code) = non_blank(filters.jurisdiction.as_deref()) {
            clauses.push(facet(fields.jurisdiction, leaf(code)));
        }
        if let Some(reference) = non_blank(filters.instrument.as_deref()) {
            clauses.push(facet(fields.instrument, instrument_facet(reference)));
        }
        if let Some(area) = non_blank(filters.crime_area.as_deref()) {
            clauses.push(facet(fields.crime_area, leaf(area)));
        }
        if let Some(kind) = non_blank(filters.kind.as_deref()) {
            clauses.push(facet(fields.kind, leaf(kind)));
        }
        if let Some(language) = non_blank(filters.language.as_deref()) {
            clauses.push(facet(fields.language, leaf(&primary_subtag(language))));
        }
        if let Some(category) = filters.category_id {
            clauses.push(facet(fields.category, leaf(&category.to_string())));
        }
        if let Some(author) = filters.author_id {
            let term = Term::from_field_u64(fields.author_id, author);
            clauses.push((
                Occur::Must,
                filter(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if filters.from.is_some() || filters.until.is_some() {
            let bound = |value: Option<i64>, make: fn(Term) -> Bound<Term>| match value {
                Some(v) => make(Term::from_field_i64(fields.created_at, v)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                filter(RangeQuery::new(
                    bound(filters.from, Bound::Included),
                    bound(filters.until, Bound::Excluded),
                )),
            ));
        }
        if let Some(thread) = filters.exclude_thread {
            let term = Term::from_field_u64(fields.thread_id, thread);
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        clauses
    }

    /// Matches posts sharing at least one space key and, in each mark
    /// layer ([`crate::MARK_LAYERS`]: the thread's mark, the post's own),
    /// one mark key with the viewer (every viewer holds each layer's "any"
    /// key); matches nothing when the viewer holds no space key.
    fn acl_filter(&self, keys: &[String]) -> Box<dyn Query> {
        let spaces: Vec<&str> = keys
            .iter()
            .filter(|k| crate::mark_layer(k).is_none())
            .map(String::as_str)
            .collect();
        if spaces.is_empty() {
            return Box::new(EmptyQuery);
        }
        let terms = |keys: Vec<&str>| {
            filter(TermSetQuery::new(
                keys.into_iter()
                    .map(|key| Term::from_field_text(self.fields.acl, key)),
            ))
        };
        let mut clauses = vec![(Occur::Must, terms(spaces))];
        for (layer, (_, any)) in crate::MARK_LAYERS.iter().enumerate() {
            let held: Vec<&str> = keys
                .iter()
                .filter(|k| crate::mark_layer(k) == Some(layer))
                .map(String::as_str)
                .chain([*any])
                .collect();
            clauses.push((Occur::Must, terms(held)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
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

/// The first `max` characters of `text`, cut at a word boundary, with an
/// ellipsis when something was cut.
fn leading(text: &str, max: usize) -> Cow<'_, str> {
    let cut = truncate_chars(text, max);
    if cut.len() == text.len() {
        return Cow::Borrowed(text);
    }
    let cut = cut
        .rfind(char::is_whitespace)
        .map_or(cut, |end| &cut[..end]);
    Cow::Owned(format!("{}…", cut.trim_end()))
}

/// Escapes text for HTML element content and attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    fn field_names_are_words() {
        assert_eq!(without_field_names("acl:* x"), "acl * x");
        assert_eq!(without_field_names("untoc:5"), "untoc 5");
        assert_eq!(
            without_field_names("\"ECLI:FR:X\" a:b"),
            "\"ECLI:FR:X\" a b"
        );
        assert_eq!(without_field_names("plain"), "plain");
    }

    #[test]
    fn blank_filters_are_no_filters() {
        assert_eq!(non_blank(None), None);
        assert_eq!(non_blank(Some("  ")), None);
        assert_eq!(non_blank(Some(" FR ")), Some("FR"));
    }
}
