//! The expert network's pages: the directory, routed questions, the
//! coverage map.

use forum_core::features::network::{ExpertProfile, QuestionStats, RoutedQuestion};

use super::*;

/// A member in the directory.
pub struct ExpertCard {
    pub username: String,
    pub display_name: String,
    pub country: Chip,
    pub profession: String,
    pub organisation: String,
    pub languages: Vec<String>,
    pub crime_areas: Vec<String>,
    pub instruments: Vec<String>,
    pub expertise: Vec<Chip>,
    pub bio: String,
    /// A routed question to this member about their country.
    pub ask_href: String,
}

impl ExpertCard {
    pub fn new(p: &ExpertProfile, i18n: &I18n) -> ExpertCard {
        let chip = |code: &str| Chip {
            code: code.to_owned(),
            name: i18n.country(code),
        };
        let profession = i18n
            .try_t(&format!("profession-{}", p.profession))
            .unwrap_or_else(|| p.profession.clone());
        ExpertCard {
            username: p.username.clone(),
            display_name: p.display_name.clone(),
            country: chip(&p.country),
            profession,
            organisation: p.organisation.clone(),
            languages: p.languages.clone(),
            crime_areas: p
                .crime_areas
                .iter()
                .map(|a| i18n.t(&format!("crime-{a}")))
                .collect(),
            instruments: p
                .instruments
                .iter()
                .map(|i| {
                    forum_core::domain::instruments::get(i)
                        .map_or_else(|| i.clone(), |x| x.short_name.clone())
                })
                .collect(),
            expertise: p.expertise_jurisdictions.iter().map(|c| chip(c)).collect(),
            bio: p.bio.clone(),
            ask_href: format!(
                "/questions/new?jurisdictions={}&experts={}",
                p.country, p.id
            ),
        }
    }
}

/// The expert directory with its filters.
#[derive(Template)]
#[template(path = "experts.html")]
pub struct ExpertsPage {
    pub chrome: Chrome,
    pub jurisdictions: Vec<PickGroup>,
    pub languages: Vec<PickOption>,
    pub crime_areas: Vec<PickOption>,
    pub instruments: Vec<PickOption>,
    pub professions: Vec<PickOption>,
    pub experts: Vec<ExpertCard>,
    pub error: Option<String>,
}

/// An expert offered for a question: checked when proposed or chosen.
pub struct ExpertChoice {
    pub id: UserId,
    pub card: ExpertCard,
    pub checked: bool,
}

/// Asking experts: the question, and the experts proposed for it.
#[derive(Template)]
#[template(path = "ask.html")]
pub struct AskPage {
    pub chrome: Chrome,
    pub categories: Vec<(CategoryId, String, bool)>,
    pub title: String,
    pub body: String,
    pub jurisdictions: Vec<PickGroup>,
    pub crime_areas: Vec<PickOption>,
    pub experts: Vec<ExpertChoice>,
    pub weekly_cap: i64,
    pub error: Option<String>,
}

/// A routed question in a list.
pub struct QuestionRow {
    pub thread_id: ThreadId,
    pub title: String,
    pub asker: String,
    pub jurisdictions: Vec<Chip>,
    /// `open`, `answered`, `accepted`, and its words.
    pub status: String,
    pub status_text: String,
    pub routed_to: Vec<String>,
    pub asked: When,
}

impl QuestionRow {
    pub fn new(q: &RoutedQuestion, i18n: &I18n) -> QuestionRow {
        QuestionRow {
            thread_id: q.thread_id,
            title: q.title.clone(),
            asker: q.asker.display_name.clone(),
            jurisdictions: q
                .jurisdictions
                .iter()
                .map(|c| Chip {
                    code: c.clone(),
                    name: i18n.country(c),
                })
                .collect(),
            status: q.status.as_str().to_owned(),
            status_text: i18n.t(&format!("question-status-{}", q.status.as_str())),
            routed_to: q.routed_to.iter().map(|a| a.display_name.clone()).collect(),
            asked: When::of(q.created_at, i18n),
        }
    }
}

/// One country's routing figures, for staff.
pub struct StatsRow {
    pub jurisdiction: Chip,
    pub open: i64,
    pub answered: i64,
    /// Hours, one decimal; empty when nothing was answered.
    pub median: String,
}

impl StatsRow {
    pub fn new(s: &QuestionStats, i18n: &I18n) -> StatsRow {
        StatsRow {
            jurisdiction: Chip {
                code: s.jurisdiction.clone(),
                name: i18n.country(&s.jurisdiction),
            },
            open: s.open,
            answered: s.answered,
            median: s
                .median_hours_to_answer
                .map(|h| format!("{h:.1}"))
                .unwrap_or_default(),
        }
    }
}

/// Routed questions: the reader's, and for staff every one with the
/// figures per country.
#[derive(Template)]
#[template(path = "questions.html")]
pub struct QuestionsPage {
    pub chrome: Chrome,
    pub questions: Vec<QuestionRow>,
    pub stats: Vec<StatsRow>,
    pub is_staff: bool,
}

/// A country on the coverage map.
pub struct MapShape {
    pub code: String,
    pub name: String,
    pub path: &'static str,
    pub count: i64,
    /// 0 (none) to 4 (most): the fill class; the count is in the title
    /// and the table, never the colour alone.
    pub level: u8,
}

/// A row of the coverage heatmap: a jurisdiction and its cells.
pub struct CoverageRow {
    pub jurisdiction: Chip,
    pub total: i64,
    /// Per column: the count and, for an empty cell, where to ask.
    pub cells: Vec<(i64, String)>,
}

/// Where analyses exist: the map, the heatmap, the table.
#[derive(Template)]
#[template(path = "coverage.html")]
pub struct CoveragePage {
    pub chrome: Chrome,
    pub instruments: Vec<PickOption>,
    pub crime_areas: Vec<PickOption>,
    pub recent: bool,
    pub by_crime_area: bool,
    /// What the columns are, in words.
    pub by_label: String,
    pub shapes: Vec<MapShape>,
    pub columns: Vec<String>,
    pub rows: Vec<CoverageRow>,
    pub error: Option<String>,
}

/// Country outlines for the coverage map: ISO 3166-1 alpha-2 code and SVG
/// path, in a 1000 × 500 equirectangular view box (`web/data/README.md`).
pub fn world_map() -> &'static [(&'static str, &'static str)] {
    static MAP: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
        std::sync::LazyLock::new(|| {
            include_str!("../../data/world-110m.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .collect()
        });
    &MAP
}
