//! Dialogues: the list (with the staff's compile form) and one
//! publication — title page, contents, chapters with their citations.

use forum_core::features::network::{Dialogue, DialogueSummary};

use super::*;

/// A dialogue in the list.
pub struct DialogueRow {
    pub id: forum_core::DialogueId,
    pub title: String,
    pub jurisdictions: Vec<Chip>,
    pub chapters: usize,
    pub updated: When,
}

impl DialogueRow {
    pub fn new(d: &DialogueSummary, i18n: &I18n) -> DialogueRow {
        DialogueRow {
            id: d.id,
            title: d.title.clone(),
            jurisdictions: chips(&d.jurisdictions, i18n),
            chapters: d.chapters,
            updated: When::of(d.updated_at, i18n),
        }
    }
}

fn chips(codes: &[String], i18n: &I18n) -> Vec<Chip> {
    codes
        .iter()
        .map(|c| Chip {
            code: c.clone(),
            name: i18n.country(c),
        })
        .collect()
}

/// An analysis or conclusions the staff may put in a dialogue.
pub struct CandidateRow {
    pub thread_id: ThreadId,
    pub title: String,
    pub jurisdictions: String,
    pub checked: bool,
}

/// The dialogues, and for staff the form to compile one.
#[derive(Template)]
#[template(path = "dialogues.html")]
pub struct DialoguesPage {
    pub chrome: Chrome,
    pub rows: Vec<DialogueRow>,
    pub can_compile: bool,
    pub title: String,
    pub intro: String,
    pub jurisdictions: Vec<PickGroup>,
    pub candidates: Vec<CandidateRow>,
    pub error: Option<String>,
}

impl DialoguesPage {
    /// `candidates` as checkboxes, those in `chosen` checked.
    pub fn candidates(
        list: &[(ThreadId, String, Vec<String>)],
        chosen: &[ThreadId],
    ) -> Vec<CandidateRow> {
        list.iter()
            .map(|(id, title, codes)| CandidateRow {
                thread_id: *id,
                title: title.clone(),
                jurisdictions: codes.join(", "),
                checked: chosen.contains(id),
            })
            .collect()
    }
}

/// A chapter as the page prints it.
pub struct ChapterView {
    pub number: usize,
    pub thread_id: ThreadId,
    pub title: String,
    pub mark: String,
    pub author: String,
    pub jurisdictions: Vec<Chip>,
    pub summary: Option<String>,
    pub provisions: Vec<String>,
    pub cases: Vec<String>,
    pub html: PostHtml,
    pub colloquium: Option<forum_core::ColloquiumId>,
    /// "Cite as" line.
    pub citation: String,
}

/// One dialogue.
#[derive(Template)]
#[template(path = "dialogue.html")]
pub struct DialoguePage {
    pub chrome: Chrome,
    pub id: forum_core::DialogueId,
    pub title: String,
    pub mark: String,
    pub intro_html: PostHtml,
    pub jurisdictions: Vec<Chip>,
    pub compiled_by: String,
    pub updated: When,
    pub chapters: Vec<ChapterView>,
    pub omitted: usize,
}

impl DialoguePage {
    pub fn new(chrome: Chrome, d: &Dialogue, base_url: &str) -> DialoguePage {
        let i18n = &chrome.i18n;
        let date = i18n.date(d.updated_at.date());
        DialoguePage {
            id: d.id,
            title: d.title.clone(),
            mark: d.mark().as_str().to_owned(),
            intro_html: PostHtml::new(d.intro_html.clone()),
            jurisdictions: chips(&d.jurisdictions, i18n),
            compiled_by: d.compiled_by.display_name.clone(),
            updated: When::of(d.updated_at, i18n),
            chapters: d
                .chapters
                .iter()
                .enumerate()
                .map(|(n, c)| ChapterView {
                    number: n + 1,
                    thread_id: c.thread_id,
                    title: c.title.clone(),
                    mark: c.mark.as_str().to_owned(),
                    author: c.author.display_name.clone(),
                    jurisdictions: chips(&c.jurisdictions, i18n),
                    summary: c.analysis.as_ref().map(|a| a.summary.clone()),
                    provisions: c
                        .analysis
                        .as_ref()
                        .map(|a| {
                            a.legal_provisions
                                .iter()
                                .map(|p| format!("{}: {}", p.jurisdiction, p.text))
                                .collect()
                        })
                        .unwrap_or_default(),
                    cases: c
                        .analysis
                        .as_ref()
                        .map(|a| a.case_citations.iter().map(|k| k.cite()).collect())
                        .unwrap_or_default(),
                    html: PostHtml::new(c.body_html.clone()),
                    colloquium: c.colloquium,
                    citation: format!(
                        "{}, “{}”, in {}, Comity, {date}, {}/t/{}",
                        c.author.display_name,
                        c.title,
                        d.title,
                        base_url.trim_end_matches('/'),
                        c.thread_id
                    ),
                })
                .collect(),
            omitted: d.omitted,
            chrome,
        }
    }
}
