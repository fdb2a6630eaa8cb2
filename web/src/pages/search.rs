//! The search page and its facets.

use super::*;

/// A facet value: its label, how many results carry it, and the link that
/// adds it to the filters.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
}

/// One facet of the search sidebar.
pub struct FacetGroup {
    pub title: String,
    pub links: Vec<FacetLink>,
}

/// An active filter, removable.
pub struct FilterChip {
    pub label: String,
    /// Accessible name of the remove link ("Remove filter: France").
    pub remove_label: String,
    pub remove_href: String,
}

/// One search result.
pub struct SearchResult {
    pub href: String,
    pub title: String,
    /// The thread's handling mark (`AMBER+STRICT`) and its CSS word.
    pub mark: (&'static str, &'static str),
    /// Escaped post text with `<b>` around the matches.
    pub snippet_html: SnippetHtml,
    pub author: String,
    pub created: When,
    pub kind: String,
    /// (code, name).
    pub jurisdictions: Vec<(String, String)>,
    /// The post's language tag (`lang` of the snippet).
    pub language: String,
    /// The post's language, named in the reader's interface.
    pub language_name: String,
    /// When the match is inside a file: its link and "in judgment.pdf,
    /// p. 3".
    pub in_file: Option<(String, String)>,
}

/// The search page.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub q: String,
    pub newest: bool,
    /// "Exact words only" (`match=all`).
    pub match_all: bool,
    /// Terms in other languages also searched, each removable.
    pub expansions: Vec<FilterChip>,
    /// "Did you mean": (the corrected query, its link).
    pub suggestion: Option<(String, String)>,
    /// Active filters, carried as hidden fields when the query changes.
    pub kept: Vec<(String, String)>,
    pub chips: Vec<FilterChip>,
    pub facets: Vec<FacetGroup>,
    /// The facet counts are estimates (more than 10,000 matches).
    pub facets_estimated: bool,
    pub results: Vec<SearchResult>,
    /// "12 results", empty before a search.
    pub summary: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub error: Option<String>,
    /// This search as an Atom feed (the reader's secret feed link).
    pub feed: Option<String>,
}

impl SearchPage {
    /// The script adding suggestions as one types.
    pub fn script(&self) -> &'static str {
        assets::picker_script_path()
    }
}
