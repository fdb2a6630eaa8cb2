//! Comity's presentation: askama templates, the view models they render and
//! the static assets embedded in the binary.
//!
//! This crate never runs SQL and never decides access: it renders what the
//! server hands it. The only HTML it emits unescaped is a
//! [`forum_core::domain::markdown::SanitizedHtml`], wrapped in [`PostHtml`];
//! templates use no `|safe` filter (a test checks).

pub mod assets;
pub mod i18n;
mod notices;

pub use i18n::{I18n, Lang};
pub use notices::describe_notification;

use chrono::NaiveDateTime;
use forum_core::domain::markdown::SanitizedHtml;
use forum_core::features::forum::DiffLine;
use forum_core::views::{CategoryView, PostView, ThreadSummary};

pub use askama::{Error as RenderError, Template};

/// Sanitised post HTML, printed unescaped (with [`SnippetHtml`], the only
/// such values).
pub struct PostHtml(SanitizedHtml);

impl PostHtml {
    pub fn new(html: SanitizedHtml) -> Self {
        PostHtml(html)
    }
}

impl std::fmt::Display for PostHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl askama::filters::HtmlSafe for PostHtml {}

/// A search snippet: escaped text with `<b>` around the matched words, as
/// the search index builds it. The constructor checks that nothing but
/// those two tags is left unescaped, and escapes the whole text otherwise,
/// so a template can print it as is.
pub struct SnippetHtml(String);

impl SnippetHtml {
    pub fn new(html: String) -> Self {
        let bare = html.replace("<b>", "").replace("</b>", "");
        if bare.contains(['<', '>', '"']) {
            let escaped = html
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            return SnippetHtml(escaped);
        }
        SnippetHtml(html)
    }
}

impl std::fmt::Display for SnippetHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for SnippetHtml {}

/// A UTC timestamp as shown and as machine-readable.
pub struct When {
    pub iso: String,
    pub text: String,
}

impl When {
    pub fn of(at: NaiveDateTime, i18n: &I18n) -> When {
        When {
            iso: at
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: i18n.datetime(at),
        }
    }
}

/// The signed-in member shown in the header.
pub struct NavUser {
    pub username: String,
    pub display_name: String,
    pub is_staff: bool,
    pub is_admin: bool,
    /// Unread notifications, shown beside the inbox link.
    pub unread: i64,
}

/// What every page's frame needs.
pub struct Chrome {
    pub title: String,
    pub user: Option<NavUser>,
    pub stylesheet: &'static str,
    pub flash: Option<String>,
    pub i18n: I18n,
    /// (code, native name) of every interface language, for switchers.
    pub languages: Vec<(&'static str, &'static str)>,
    /// The current path and query, where the language switcher returns.
    pub path: String,
    /// Keeps the header's unread count live (signed-in pages).
    pub inbox_script: &'static str,
}

impl Chrome {
    pub fn new(
        title: impl Into<String>,
        user: Option<NavUser>,
        i18n: I18n,
        path: impl Into<String>,
    ) -> Chrome {
        Chrome {
            title: title.into(),
            user,
            stylesheet: assets::stylesheet_path(),
            flash: None,
            i18n,
            languages: Lang::ALL
                .iter()
                .map(|l| (l.code(), l.native_name()))
                .collect(),
            path: path.into(),
            inbox_script: assets::inbox_script_path(),
        }
    }
}

/// A jurisdiction chip: the code, and its name in the reader's language.
pub struct Chip {
    pub code: String,
    pub name: String,
}

fn chips(codes: &[String], i18n: &I18n) -> Vec<Chip> {
    codes
        .iter()
        .map(|code| Chip {
            code: code.clone(),
            name: i18n.country(code),
        })
        .collect()
}

/// A thread row in lists.
pub struct ThreadRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    /// The catalogue key of the kind's label.
    pub kind_key: String,
    pub language: String,
    pub category_slug: String,
    pub category_name: String,
    pub author: String,
    pub author_username: String,
    pub jurisdictions: Vec<Chip>,
    pub replies: i64,
    pub last_post: When,
    pub locked: bool,
    pub pinned: bool,
    /// The analysis summary, for analyses.
    pub summary: Option<String>,
    /// Listed on a jurisdiction's page through a region tag only.
    pub regional: bool,
}

impl ThreadRow {
    pub fn new(t: &ThreadSummary, i18n: &I18n) -> Self {
        ThreadRow {
            id: t.id,
            title: t.title.clone(),
            kind: t.kind.clone(),
            kind_key: format!("kind-{}", t.kind),
            language: t.language.clone(),
            category_slug: t.category_slug.clone(),
            category_name: t.category_name.clone(),
            author: t.author.display_name.clone(),
            author_username: t.author.username.clone(),
            jurisdictions: chips(&t.jurisdictions, i18n),
            replies: (t.post_count - 1).max(0),
            last_post: When::of(t.last_post_at, i18n),
            locked: t.locked,
            pinned: t.pinned,
            summary: t.summary.clone(),
            regional: false,
        }
    }
}

/// The kind, crime area and jurisdiction filters of a thread list.
pub struct ListFilters {
    pub kinds: Vec<PickOption>,
    pub crime_areas: Vec<PickOption>,
    pub jurisdiction: String,
    /// The query string that keeps these filters across pages.
    pub query: String,
}

impl ListFilters {
    pub fn new(
        kind: Option<&str>,
        crime_area: Option<&str>,
        jurisdiction: Option<&str>,
        language: Option<&str>,
        i18n: &I18n,
    ) -> Self {
        let kinds = forum_core::domain::ThreadKind::ALL
            .iter()
            .map(|k| PickOption {
                value: k.as_str().to_owned(),
                label: i18n.t(&format!("kind-{k}")),
                selected: Some(k.as_str()) == kind,
                search: String::new(),
            })
            .collect();
        let area: Vec<String> = crime_area.map(str::to_owned).into_iter().collect();
        let query = [
            ("language", language),
            ("kind", kind),
            ("crime_area", crime_area),
            ("jurisdiction", jurisdiction),
        ]
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
        .fold(String::new(), |mut q, (k, v)| {
            q.push('&');
            q.push_str(k);
            q.push('=');
            q.extend(url_encode(v));
            q
        });
        ListFilters {
            kinds,
            crime_areas: crime_area_options(&area, i18n),
            jurisdiction: jurisdiction.unwrap_or_default().to_owned(),
            query,
        }
    }
}

fn url_encode(value: &str) -> impl Iterator<Item = char> + '_ {
    value.bytes().flat_map(|b| {
        let keep = b.is_ascii_alphanumeric() || b"-_.".contains(&b);
        let text = if keep {
            (b as char).to_string()
        } else {
            format!("%{b:02X}")
        };
        text.chars().collect::<Vec<_>>()
    })
}

/// An option of a picker: value, label, selected.
pub struct PickOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// More words the typeahead matches (a country's names in every
    /// language).
    pub search: String,
}

/// A labelled group of picker options.
pub struct PickGroup {
    pub label: String,
    pub options: Vec<PickOption>,
}

/// The jurisdiction picker: countries by name in the reader's language,
/// then regional groupings.
pub fn jurisdiction_picker(selected: &[String], i18n: &I18n) -> Vec<PickGroup> {
    let pick = |j: &forum_core::domain::jurisdictions::Jurisdiction| PickOption {
        value: j.code.clone(),
        label: format!("{} ({})", j.name(i18n.code()), j.code),
        selected: selected.contains(&j.code),
        search: [&j.name_en, &j.name_fr, &j.name_es, &j.name_ar]
            .map(String::as_str)
            .join(" "),
    };
    let mut countries: Vec<PickOption> = forum_core::domain::jurisdictions::countries()
        .map(pick)
        .collect();
    countries.sort_by_key(|o| o.label.to_lowercase());
    let regions: Vec<PickOption> = forum_core::domain::jurisdictions::regions()
        .map(pick)
        .collect();
    vec![
        PickGroup {
            label: i18n.t("jurisdictions-countries"),
            options: countries,
        },
        PickGroup {
            label: i18n.t("jurisdictions-regions"),
            options: regions,
        },
    ]
}

/// The instrument picker: one group per instrument, the whole instrument
/// first, then each article. `aliases` gives an instrument's other names
/// (in every language: "Palermo Convention", "CTO"…), which the typeahead
/// matches as well.
pub fn instrument_picker(
    selected: &[String],
    i18n: &I18n,
    aliases: impl Fn(&str) -> Vec<String>,
) -> Vec<PickGroup> {
    forum_core::domain::instruments::all()
        .iter()
        .map(|inst| {
            let whole = PickOption {
                value: inst.id.clone(),
                label: format!("{} — {}", inst.short_name, i18n.t("instrument-whole")),
                selected: selected.contains(&inst.id),
                search: std::iter::once(inst.title.clone())
                    .chain(aliases(&inst.id))
                    .collect::<Vec<_>>()
                    .join(" · "),
            };
            let articles = inst.articles.iter().map(|a| {
                let value = format!("{}:{}", inst.id, a.number);
                PickOption {
                    selected: selected.contains(&value),
                    search: String::new(),
                    label: if a.title.is_empty() {
                        format!("{} art. {}", inst.short_name, a.number)
                    } else {
                        format!("{} art. {} — {}", inst.short_name, a.number, a.title)
                    },
                    value,
                }
            });
            PickGroup {
                label: format!("{} ({})", inst.short_name, inst.year),
                options: std::iter::once(whole).chain(articles).collect(),
            }
        })
        .collect()
}

/// Crime areas as (value, label, selected).
pub fn crime_area_options(selected: &[String], i18n: &I18n) -> Vec<PickOption> {
    forum_core::domain::CrimeArea::ALL
        .iter()
        .map(|a| PickOption {
            value: a.as_str().to_owned(),
            label: i18n.t(&format!("crime-{a}")),
            selected: selected.iter().any(|s| s == a.as_str()),
            search: String::new(),
        })
        .collect()
}

/// An instrument or article an analysis cites, linked to its page.
pub struct CitedInstrument {
    pub label: String,
    pub href: String,
    pub title: String,
}

/// A court decision, as shown.
pub struct CaseItem {
    pub court: String,
    pub date: String,
    pub reference: String,
    pub ecli: Option<String>,
}

/// Why an analysis needs review, in words (`review_by_passed`,
/// `instrument_amended:<id>`).
pub fn review_reason(reason: &str, i18n: &I18n) -> String {
    match reason.split_once(':') {
        Some((key, instrument)) => i18n.t1(
            &format!("review-{key}"),
            "instrument",
            forum_core::domain::instruments::get(instrument)
                .map_or(instrument, |i| i.short_name.as_str()),
        ),
        None => i18n.t(&format!("review-{reason}")),
    }
}

/// The structured header of an analysis.
pub struct AnalysisBlock {
    pub summary: String,
    pub language: String,
    pub instruments: Vec<CitedInstrument>,
    pub crime_areas: Vec<String>,
    pub provisions: Vec<(Chip, String)>,
    pub cases: Vec<CaseItem>,
    pub valid_as_of: String,
    pub review_by: String,
    /// Why it needs review, in words; empty when current.
    pub review_reasons: Vec<String>,
    /// "Accurate for ES: prosecutor ×2, judge ×1".
    pub endorsements: Vec<String>,
    /// The country the viewer endorsed it for.
    pub my_endorsement: Option<String>,
    /// The viewer's country, when they may endorse it for it.
    pub can_endorse_for: Option<Chip>,
}

impl AnalysisBlock {
    pub fn new(
        a: &forum_core::views::AnalysisView,
        can_endorse_for: Option<&str>,
        i18n: &I18n,
    ) -> Self {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        AnalysisBlock {
            summary: a.summary.clone(),
            language: a.language.clone(),
            instruments: a
                .instruments
                .iter()
                .map(|c| CitedInstrument {
                    label: c.label.clone(),
                    href: match &c.article {
                        Some(n) => format!("/i/{}#art-{n}", c.instrument),
                        None => format!("/i/{}", c.instrument),
                    },
                    title: c.article_title.clone().unwrap_or_default(),
                })
                .collect(),
            crime_areas: a
                .crime_areas
                .iter()
                .map(|c| i18n.t(&format!("crime-{c}")))
                .collect(),
            provisions: a
                .legal_provisions
                .iter()
                .map(|p| {
                    (
                        Chip {
                            code: p.jurisdiction.clone(),
                            name: i18n.country(&p.jurisdiction),
                        },
                        p.text.clone(),
                    )
                })
                .collect(),
            cases: a
                .case_citations
                .iter()
                .map(|c| CaseItem {
                    court: c.court.clone(),
                    date: date(c.date),
                    reference: c.reference.clone(),
                    ecli: c.ecli.clone(),
                })
                .collect(),
            valid_as_of: date(a.valid_as_of),
            review_by: date(a.review_by),
            review_reasons: a
                .review_reasons
                .iter()
                .map(|r| review_reason(r, i18n))
                .collect(),
            endorsements: a
                .endorsements
                .iter()
                .map(|e| {
                    let people = e
                        .professions
                        .iter()
                        .map(|(p, n)| format!("{} ×{n}", i18n.t(&format!("profession-{p}"))))
                        .collect::<Vec<_>>()
                        .join(", ");
                    i18n.t_with(
                        "endorsement-line",
                        &[
                            ("jurisdiction", &i18n.country(&e.jurisdiction)),
                            ("people", &people),
                        ],
                    )
                })
                .collect(),
            my_endorsement: a.my_endorsement.as_ref().map(|c| i18n.country(c)),
            can_endorse_for: can_endorse_for.map(|c| Chip {
                code: c.to_owned(),
                name: i18n.country(c),
            }),
        }
    }
}

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
}

impl SearchPage {
    /// The script adding suggestions as one types.
    pub fn script(&self) -> &'static str {
        assets::picker_script_path()
    }
}

/// One notification in the inbox.
pub struct InboxItem {
    pub href: String,
    pub text: String,
    pub when: When,
    pub unread: bool,
}

/// One of the member's watches, with the level choices (value, label,
/// selected).
pub struct WatchRow {
    pub target: String,
    /// The select's element id.
    pub id: String,
    pub label: String,
    pub levels: Vec<(String, String, bool)>,
}

/// The inbox page.
#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    pub chrome: Chrome,
    pub items: Vec<InboxItem>,
    pub unread: i64,
    pub watches: Vec<WatchRow>,
}

/// Analyses needing review, for moderators.
#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub chrome: Chrome,
    pub items: Vec<(ThreadRow, Vec<String>)>,
}

/// A post in a thread page.
pub struct PostItem {
    pub id: i64,
    pub author: String,
    pub author_username: String,
    pub html: PostHtml,
    pub created: When,
    pub edited: Option<When>,
    pub reply_to: Option<i64>,
    pub can_edit: bool,
    pub language: String,
    pub hidden: bool,
}

impl PostItem {
    pub fn new(post: PostView, can_edit: bool, i18n: &I18n) -> PostItem {
        PostItem {
            id: post.id,
            author: post.author.display_name,
            author_username: post.author.username,
            created: When::of(post.created_at, i18n),
            edited: post.edited_at.map(|at| When::of(at, i18n)),
            language: post.language,
            reply_to: post.reply_to,
            html: PostHtml::new(post.body_html),
            can_edit,
            hidden: post.hidden,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub categories: Vec<CategoryView>,
    pub threads: Vec<ThreadRow>,
    /// The content-language filter in effect (empty: all).
    pub language_filter: String,
    pub filters: ListFilters,
    /// The curated "Featured analyses" list.
    pub featured: Vec<ThreadRow>,
}

#[derive(Template)]
#[template(path = "category.html")]
pub struct CategoryPage {
    pub chrome: Chrome,
    /// The viewer's watch level on this category.
    pub watch: WatchRow,
    pub category: CategoryView,
    pub threads: Vec<ThreadRow>,
    pub page: i64,
    pub next_page: Option<i64>,
    pub language_filter: String,
    pub filters: ListFilters,
}

#[derive(Template)]
#[template(path = "thread.html")]
pub struct ThreadPage {
    pub chrome: Chrome,
    /// The viewer's watch level on this thread.
    pub watch: WatchRow,
    pub thread: ThreadRow,
    pub posts: Vec<PostItem>,
    pub can_reply: bool,
    pub reply_error: Option<String>,
    pub reply_body: String,
    /// The post being answered, or empty.
    pub reply_to: String,
    /// Live updates: the event-log position the page reflects, and who
    /// reads it (to offer the edit link on inserted posts).
    pub live: LiveContext,
    pub analysis: Option<AnalysisBlock>,
    /// Threads citing this one: id, title.
    pub cited_by: Vec<(i64, String)>,
    /// Analyses resembling this thread (more-like-this on the search
    /// index): id, title, jurisdiction codes. Empty while search is down.
    pub related: Vec<(i64, String, Vec<String>)>,
    /// The author or a moderator may change the jurisdiction tags.
    pub can_edit_tags: bool,
    pub tags: String,
    pub picker_script: &'static str,
    /// Staff: the lock, pin and move tools, and where a thread may move.
    pub moderation: Option<ThreadModeration>,
    /// The flag reasons offered on each post: value, label.
    pub flag_reasons: Vec<(String, String)>,
}

/// What a moderator may do on a thread page.
pub struct ThreadModeration {
    pub locked: bool,
    pub pinned: bool,
    /// `Some(featured?)` for analyses.
    pub featured: Option<bool>,
    pub slow_mode_seconds: i64,
    /// Categories the thread may move to: id, name.
    pub categories: Vec<(i64, String)>,
}

/// A flag in the queue.
pub struct FlagRow {
    pub id: i64,
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub flagger: String,
    pub reason: String,
    pub note: String,
    pub assignee: String,
    pub created: When,
}

/// The moderation queue with statistics per reason.
#[derive(Template)]
#[template(path = "moderation.html")]
pub struct ModerationPage {
    pub chrome: Chrome,
    pub flags: Vec<FlagRow>,
    /// reason label, total, open, resolved, mean hours (formatted).
    pub stats: Vec<(String, i64, i64, i64, String)>,
}

/// One flag, worked as a case.
#[derive(Template)]
#[template(path = "flag_case.html")]
pub struct FlagCasePage {
    pub chrome: Chrome,
    pub flag: FlagRow,
    pub open: bool,
    pub resolution: String,
    pub resolution_note: String,
    pub post_body: String,
    pub post_author: String,
    /// author, body, when.
    pub notes: Vec<(String, String, When)>,
    pub resolutions: Vec<(String, String)>,
}

/// The audit log with its filters.
#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// id, when, actor, action, target, reason, details.
    pub entries: Vec<(i64, When, String, String, String, String, String)>,
    pub older: Option<i64>,
}

/// What the thread page's script needs to follow the thread.
pub struct LiveContext {
    pub script: &'static str,
    pub seq: i64,
    pub viewer_id: i64,
    pub viewer_is_staff: bool,
}

impl LiveContext {
    pub fn new(seq: i64, viewer_id: i64, viewer_is_staff: bool) -> Self {
        LiveContext {
            script: assets::live_script_path(),
            seq,
            viewer_id,
            viewer_is_staff,
        }
    }
}

/// Values and errors of the new-thread form.
#[derive(Default)]
pub struct ThreadForm {
    pub category_id: i64,
    pub title: String,
    pub kind: String,
    pub jurisdictions: Vec<String>,
    pub body: String,
    pub summary: String,
    pub instruments: Vec<String>,
    pub crime_areas: Vec<String>,
    /// One a line: `code | provision`.
    pub provisions: String,
    /// One a line: `court | date | reference | ECLI`.
    pub cases: String,
    pub valid_as_of: String,
    pub review_by: String,
    /// Declared content language (empty: detect).
    pub language: String,
    pub error: Option<String>,
    pub error_field: Option<String>,
}

#[derive(Template)]
#[template(path = "new_thread.html")]
pub struct NewThreadPage {
    pub chrome: Chrome,
    pub categories: Vec<CategoryView>,
    pub form: ThreadForm,
    pub jurisdiction_options: Vec<PickGroup>,
    pub instrument_options: Vec<PickGroup>,
    pub crime_area_options: Vec<PickOption>,
    pub picker_script: &'static str,
}

#[derive(Template)]
#[template(path = "edit_post.html")]
pub struct EditPostPage {
    pub chrome: Chrome,
    pub post_id: i64,
    pub thread_id: i64,
    pub body: String,
    pub reason: String,
    pub error: Option<String>,
}

/// One revision with its diff against the one before.
pub struct RevisionItem {
    pub revision: i64,
    pub editor: String,
    pub at: When,
    pub reason: Option<String>,
    pub diff: Vec<DiffLine>,
}

#[derive(Template)]
#[template(path = "revisions.html")]
pub struct RevisionsPage {
    pub chrome: Chrome,
    pub post_id: i64,
    pub thread_id: i64,
    pub revisions: Vec<RevisionItem>,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub next: String,
    pub username: String,
    pub error: Option<String>,
}

/// Values and errors of the registration form.
#[derive(Default)]
pub struct RegisterForm {
    pub token: String,
    pub email: String,
    pub username: String,
    pub display_name: String,
    pub country: String,
    pub profession: String,
    pub error: Option<String>,
    pub error_field: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub chrome: Chrome,
    pub form: RegisterForm,
    /// (value, label) pairs in the reader's language.
    pub professions: Vec<(&'static str, String)>,
    /// (code, name) of every country, in the reader's language, by name.
    pub countries: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    pub chrome: Chrome,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub country: String,
    pub profession: String,
    pub joined: When,
    pub threads: Vec<ThreadRow>,
    /// Shown to admins only.
    pub admin_tools: Option<AdminTools>,
}

/// An admin's actions on a member's profile.
#[derive(Default)]
pub struct AdminTools {
    /// A reset link just issued (shown once).
    pub reset_url: Option<String>,
    pub notice: Option<String>,
}

/// Choosing a new password through a reset link.
#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub chrome: Chrome,
    pub token: String,
    pub username: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub chrome: Chrome,
    pub categories: Vec<CategoryView>,
    pub invitation_url: Option<String>,
    pub error: Option<String>,
    pub can_manage_categories: bool,
    /// Shown to admins: whether every member must use a second factor.
    pub second_factor_everyone: Option<bool>,
    /// Shown to admins: groups with their members' usernames.
    pub groups: Option<Vec<(i64, String, Vec<String>)>>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub message: String,
}

/// A live session in the settings page.
pub struct SessionItem {
    pub id: i64,
    pub user_agent: String,
    /// Where it was last used from (client address), if known.
    pub last_ip: String,
    pub started: When,
    pub last_seen: When,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub sessions: Vec<SessionItem>,
    pub password_error: Option<String>,
    pub totp_enabled: bool,
    pub totp_error: Option<String>,
    pub email: EmailForm,
}

/// The e-mail section of the settings page.
pub struct EmailForm {
    pub address: String,
    /// Whether the server sends e-mail at all.
    pub enabled: bool,
    /// (value, label, selected) for immediate e-mail.
    pub immediate: Vec<(String, String, bool)>,
    /// (value, label, selected) for the digest.
    pub digest: Vec<(String, String, bool)>,
}

/// The unsubscribe link's page: a confirmation button, then the outcome.
#[derive(Template)]
#[template(path = "unsubscribe.html")]
pub struct UnsubscribePage {
    pub chrome: Chrome,
    pub token: String,
    pub done: bool,
}

/// A QR code as inline SVG, drawn here from the text it encodes (no
/// external image, nothing from the user printed raw).
pub struct QrSvg(String);

impl QrSvg {
    pub fn of(text: &str) -> Option<QrSvg> {
        let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
        let svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .build();
        let start = svg.find("<svg")?;
        Some(QrSvg(svg[start..].to_owned()))
    }
}

impl std::fmt::Display for QrSvg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for QrSvg {}

/// Second-factor enrolment: the secret as a QR code and as text, and the
/// form for the first code.
#[derive(Template)]
#[template(path = "totp_setup.html")]
pub struct TotpSetupPage {
    pub chrome: Chrome,
    pub secret: String,
    pub qr: Option<QrSvg>,
    pub error: Option<String>,
}

/// The recovery codes, shown once after enrolment.
#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub chrome: Chrome,
    pub codes: Vec<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_print_only_their_highlight_tags() {
        let good = "a &lt;script&gt; <b>counterfeit</b> &amp; more";
        assert_eq!(crate::SnippetHtml::new(good.to_owned()).to_string(), good);
        let bad =
            crate::SnippetHtml::new("<b>x</b><img src=x onerror=alert(1)>".to_owned()).to_string();
        assert!(!bad.contains('<'), "{bad}");
    }

    #[test]
    fn templates_never_mark_strings_safe() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("|safe") && !text.contains("| safe"),
                "{} uses |safe; wrap sanitised HTML in PostHtml instead",
                path.display()
            );
        }
    }
}
