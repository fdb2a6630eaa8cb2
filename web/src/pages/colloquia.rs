//! Colloquia: the list (with the organisers' form) and one colloquium
//! (agenda, dates, participants, conclusions and their versions).

use forum_core::domain::ColloquiumState;
use forum_core::features::network::{Colloquium, ConclusionsVersion};

use super::*;

fn state_text(state: ColloquiumState, i18n: &I18n) -> String {
    i18n.t(&format!("colloquium-state-{}", state.as_str()))
}

/// A colloquium in the list.
pub struct ColloquiumRow {
    pub id: forum_core::ColloquiumId,
    pub title: String,
    /// `upcoming`, `open` or `closed`, and its words.
    pub state: String,
    pub state_text: String,
    pub opens: When,
    pub closes: When,
    pub participants: usize,
    pub published: bool,
}

impl ColloquiumRow {
    pub fn new(c: &Colloquium, i18n: &I18n) -> ColloquiumRow {
        ColloquiumRow {
            id: c.id,
            title: c.title.clone(),
            state: c.state.as_str().to_owned(),
            state_text: state_text(c.state, i18n),
            opens: When::of(c.opens_at, i18n),
            closes: When::of(c.closes_at, i18n),
            participants: c.participants.len(),
            published: c.conclusions_thread_id.is_some(),
        }
    }
}

/// What the organisers' form holds (kept when it is refused).
#[derive(Debug, Clone, Default)]
pub struct ColloquiumForm {
    pub title: String,
    pub agenda: String,
    /// `YYYY-MM-DDTHH:MM`, UTC.
    pub opens_at: String,
    pub closes_at: String,
    /// Usernames, comma-separated.
    pub participants: String,
    pub publish_category_id: Option<CategoryId>,
}

/// Every colloquium the reader sees; organisers set one up.
#[derive(Template)]
#[template(path = "colloquia.html")]
pub struct ColloquiaPage {
    pub chrome: Chrome,
    pub rows: Vec<ColloquiumRow>,
    pub can_organise: bool,
    /// Open categories the conclusions may be published in: id, name,
    /// selected.
    pub categories: Vec<(CategoryId, String, bool)>,
    pub form: ColloquiumForm,
    pub error: Option<String>,
}

/// A participant, as the colloquium page lists them.
pub struct ParticipantRow {
    pub display_name: String,
    pub username: String,
    pub guest: bool,
    pub endorses: Option<i64>,
}

/// One version of the conclusions.
pub struct VersionRow {
    pub version: i64,
    pub html: PostHtml,
    pub note: String,
    pub author: String,
    pub written: When,
    pub published: Option<When>,
    pub endorsements: i64,
}

impl VersionRow {
    fn new(v: &ConclusionsVersion, i18n: &I18n) -> VersionRow {
        VersionRow {
            version: v.version,
            html: PostHtml::new(v.body_html.clone()),
            note: v.note.clone(),
            author: v.author.display_name.clone(),
            written: When::of(v.created_at, i18n),
            published: v.published_at.map(|at| When::of(at, i18n)),
            endorsements: v.endorsements,
        }
    }
}

/// One colloquium.
#[derive(Template)]
#[template(path = "colloquium.html")]
pub struct ColloquiumPage {
    pub chrome: Chrome,
    pub id: forum_core::ColloquiumId,
    pub title: String,
    pub state: String,
    pub state_text: String,
    pub opens: When,
    pub closes: When,
    pub organiser: String,
    pub agenda_html: PostHtml,
    pub discussion: ThreadId,
    /// The reader may open the discussion (participants, admins).
    pub reads_discussion: bool,
    pub participants: Vec<ParticipantRow>,
    pub participating: bool,
    /// Newest first.
    pub versions: Vec<VersionRow>,
    /// The newest version is not published yet.
    pub unpublished: bool,
    /// The version the reader endorses.
    pub my_endorsement: Option<i64>,
    pub conclusions_thread: Option<ThreadId>,
    pub can_organise: bool,
    /// The next version's text (the latest, to edit).
    pub draft: String,
    /// An invitation link just issued to an outside expert.
    pub invitation_url: Option<String>,
    pub error: Option<String>,
}

impl ColloquiumPage {
    pub fn new(
        chrome: Chrome,
        c: &Colloquium,
        reads_discussion: bool,
        can_organise: bool,
        me: UserId,
    ) -> ColloquiumPage {
        let i18n = &chrome.i18n;
        ColloquiumPage {
            id: c.id,
            title: c.title.clone(),
            state: c.state.as_str().to_owned(),
            state_text: state_text(c.state, i18n),
            opens: When::of(c.opens_at, i18n),
            closes: When::of(c.closes_at, i18n),
            organiser: c.organiser.display_name.clone(),
            agenda_html: PostHtml::new(c.agenda_html.clone()),
            discussion: c.thread_id,
            reads_discussion,
            participants: c
                .participants
                .iter()
                .map(|p| ParticipantRow {
                    display_name: p.member.display_name.clone(),
                    username: p.member.username.clone(),
                    guest: p.guest,
                    endorses: p.endorses,
                })
                .collect(),
            participating: c.participating,
            versions: c
                .conclusions
                .iter()
                .map(|v| VersionRow::new(v, i18n))
                .collect(),
            unpublished: c
                .conclusions
                .first()
                .is_some_and(|v| v.published_at.is_none()),
            my_endorsement: c
                .participants
                .iter()
                .find(|p| p.member.id == me)
                .and_then(|p| p.endorses),
            conclusions_thread: c.conclusions_thread_id,
            can_organise,
            draft: c
                .conclusions
                .first()
                .map(|v| v.body.clone())
                .unwrap_or_default(),
            invitation_url: None,
            error: None,
            chrome,
        }
    }
}
