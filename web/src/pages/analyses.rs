//! Jurisdiction, instrument and comparison pages.

use super::*;

/// A jurisdiction's page.
#[derive(Template)]
#[template(path = "jurisdiction.html")]
pub struct JurisdictionPage {
    pub chrome: Chrome,
    /// The viewer's watch level on this jurisdiction.
    pub watch: WatchRow,
    pub code: String,
    pub name: String,
    pub kind_key: String,
    pub parents: Vec<Chip>,
    pub members: Vec<Chip>,
    pub threads: Vec<ThreadRow>,
    pub kind_filter: String,
    pub area_filter: String,
    pub kinds: Vec<PickOption>,
    pub crime_areas: Vec<PickOption>,
    pub page: i64,
    pub next_page: Option<i64>,
}

/// Analyses citing one article (or the whole instrument).
pub struct ArticleGroup {
    pub anchor: String,
    pub label: String,
    pub title: String,
    pub threads: Vec<ThreadRow>,
}

/// An instrument's page.
#[derive(Template)]
#[template(path = "instrument.html")]
pub struct InstrumentPage {
    pub chrome: Chrome,
    /// The viewer's watch level on this instrument.
    pub watch: WatchRow,
    pub id: String,
    pub short_name: String,
    pub title: String,
    pub year: i32,
    pub groups: Vec<ArticleGroup>,
    /// Every article: anchor, label, title.
    pub articles: Vec<(String, String, String)>,
}

/// One column of the comparison.
pub struct CompareCol {
    pub code: String,
    pub name: String,
    pub analyses: Vec<ThreadRow>,
    /// Opens a question prefilled for this jurisdiction.
    pub ask_href: String,
}

/// The comparison matrix.
#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub chrome: Chrome,
    pub instruments: Vec<PickGroup>,
    pub crime_areas: Vec<PickOption>,
    pub jurisdictions: String,
    pub columns: Vec<CompareCol>,
    pub error: Option<String>,
}
