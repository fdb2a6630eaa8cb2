//! One view model per page template.

use forum_core::features::forum::DiffLine;
use forum_core::views::{CategoryView, PostView};
use forum_core::{CategoryId, FlagId, PostId, ThreadId, UserId};

use crate::*;

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
    pub id: PostId,
    pub author: String,
    pub author_username: String,
    pub html: PostHtml,
    pub created: When,
    pub edited: Option<When>,
    pub reply_to: Option<PostId>,
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

/// The posts of a thread page as one kind of reader sees them (language,
/// staff or not, may reply, which posts they may edit): the same for
/// every such reader, so the server renders it once and keeps it.
#[derive(Template)]
#[template(path = "post_list.html")]
pub struct PostList<'a> {
    pub chrome: &'a Chrome,
    pub thread_id: ThreadId,
    pub posts: Vec<PostItem>,
    pub can_reply: bool,
    pub is_moderator: bool,
    pub flag_reasons: Vec<(String, String)>,
}

/// A list of threads in one language ([`HomePage`], [`CategoryPage`]):
/// the same for everyone who may see those threads, so rendered once.
#[derive(Template)]
#[template(path = "thread_rows.html")]
pub struct ThreadRows<'a> {
    pub chrome: &'a Chrome,
    pub threads: Vec<ThreadRow>,
}

/// One post, as live updates insert it: the thread page's own
/// `_post.html` for this reader.
#[derive(Template)]
#[template(path = "post_fragment.html")]
pub struct PostFragment {
    pub chrome: Chrome,
    pub thread_id: ThreadId,
    pub p: PostItem,
    pub can_reply: bool,
    pub is_moderator: bool,
    pub flag_reasons: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub categories: Vec<CategoryView>,
    /// [`ThreadRows`].
    pub threads: Fragment,
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
    /// [`ThreadRows`].
    pub threads: Fragment,
    /// The page number (1 on a page reached by cursor).
    pub page: i64,
    /// Reached by cursor: "newer" leads back to the first page.
    pub by_cursor: bool,
    /// The cursor of the next (older) page, when there is one.
    pub older: Option<String>,
    pub language_filter: String,
    pub filters: ListFilters,
}

#[derive(Template)]
#[template(path = "thread.html")]
pub struct ThreadPage {
    pub chrome: Chrome,
    pub thread_id: ThreadId,
    /// Staff: the hide/restore form on each post.
    pub is_moderator: bool,
    /// The member has a saved draft here (shown in the composer).
    pub has_draft: bool,
    pub composer_script: &'static str,
    /// The viewer's watch level on this thread.
    pub watch: WatchRow,
    pub thread: ThreadRow,
    /// A [`PostList`].
    pub posts: Fragment,
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
    pub cited_by: Vec<(ThreadId, String)>,
    /// Analyses resembling this thread (more-like-this on the search
    /// index): id, title, jurisdiction codes. Empty while search is down.
    pub related: Vec<(ThreadId, String, Vec<String>)>,
    /// The author or a moderator may change the jurisdiction tags.
    pub can_edit_tags: bool,
    pub tags: String,
    pub picker_script: &'static str,
    /// Staff: the lock, pin and move tools, and where a thread may move.
    pub moderation: Option<ThreadModeration>,
}

/// What a moderator may do on a thread page.
pub struct ThreadModeration {
    pub locked: bool,
    pub pinned: bool,
    /// `Some(featured?)` for analyses.
    pub featured: Option<bool>,
    pub slow_mode_seconds: i64,
    /// Categories the thread may move to: id, name.
    pub categories: Vec<(CategoryId, String)>,
}

/// A flag in the queue.
pub struct FlagRow {
    pub id: FlagId,
    pub post_id: PostId,
    pub thread_id: ThreadId,
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
    /// The flags shown: `open`, `resolved` or `all`.
    pub status: &'static str,
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
    pub post_html: PostHtml,
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
    /// The actions the log holds, by family: value, label, actions.
    pub actions: Vec<(String, String, Vec<String>)>,
    pub target: String,
    /// id, when, actor, action, target, reason, details.
    pub entries: Vec<(i64, When, String, String, String, String, String)>,
    pub older: Option<i64>,
}

/// What the thread page's script needs to follow the thread.
pub struct LiveContext {
    pub script: &'static str,
    pub seq: i64,
    pub viewer_id: UserId,
    pub viewer_is_staff: bool,
}

impl LiveContext {
    pub fn new(seq: i64, viewer_id: UserId, viewer_is_staff: bool) -> Self {
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

/// The form input a field named by a domain error is typed into (the
/// analysis record's fields are `analysis.…` in the domain).
pub fn input_of_field(field: &str) -> &str {
    match field.strip_prefix("analysis.").unwrap_or(field) {
        "category_id" => "category",
        "legal_provisions" => "provisions",
        "case_citations" => "cases",
        other => other,
    }
}

/// A form's error message when the field it names is typed into `input`.
fn field_error<'a>(
    error: &'a Option<String>,
    field: &Option<String>,
    input: &str,
) -> Option<&'a str> {
    match (error, field) {
        (Some(message), Some(field)) if input_of_field(field) == input => Some(message.as_str()),
        _ => None,
    }
}

impl ThreadForm {
    /// The error message when it is about the input `input`.
    pub fn error_for(&self, input: &str) -> Option<&str> {
        field_error(&self.error, &self.error_field, input)
    }

    /// The error is about no one input (shown at the top only).
    pub fn error_elsewhere(&self) -> bool {
        self.error.is_some() && !FORM_INPUTS.iter().any(|i| self.error_for(i).is_some())
    }
}

/// The inputs of the new-thread form that show their own error.
const FORM_INPUTS: [&str; 13] = [
    "category",
    "title",
    "kind",
    "jurisdictions",
    "language",
    "summary",
    "instruments",
    "crime_areas",
    "provisions",
    "cases",
    "valid_as_of",
    "review_by",
    "body",
];

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
    pub composer_script: &'static str,
}

#[derive(Template)]
#[template(path = "edit_post.html")]
pub struct EditPostPage {
    pub chrome: Chrome,
    pub composer_script: &'static str,
    pub post_id: PostId,
    pub thread_id: ThreadId,
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
    pub post_id: PostId,
    pub thread_id: ThreadId,
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

impl RegisterForm {
    /// The error message when it is about the input `input`.
    pub fn error_for(&self, input: &str) -> Option<&str> {
        field_error(&self.error, &self.error_field, input)
    }

    /// The error is about no one input (shown at the top only).
    pub fn error_elsewhere(&self) -> bool {
        self.error.is_some()
            && ![
                "username",
                "display_name",
                "country",
                "profession",
                "password",
            ]
            .iter()
            .any(|i| self.error_for(i).is_some())
    }
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
    /// The form `error` is about (`invite`, `category`, `group`,
    /// `group-member`, `security`), empty when none.
    pub error_at: &'static str,
    /// Admins choose an invitation's role; moderators invite members.
    pub can_choose_role: bool,
    /// Invitations not yet used: every one for admins, their own for
    /// moderators.
    pub pending: Vec<PendingRow>,
    /// What was typed into a refused form.
    pub input: AdminInput,
}

/// What was typed into the admin page's forms, kept when one is refused.
#[derive(Debug, Clone, Default)]
pub struct AdminInput {
    pub invite_email: String,
    pub invite_role: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub restricted_to: Vec<i64>,
    pub group_name: String,
    /// The group and the username typed into its member form.
    pub group_member: (i64, String),
}

/// A pending invitation on the admin page.
pub struct PendingRow {
    pub id: i64,
    pub email: String,
    pub role_label: String,
    pub created_by: String,
    pub expires: When,
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

/// One member on the staff members page, with what the reader may do.
pub struct MemberRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// The country's name in the reader's language.
    pub country: String,
    pub role: String,
    pub role_label: String,
    /// Every group: id, name, whether the member is in it.
    pub groups: Vec<(i64, String, bool)>,
    pub suspended_until: Option<When>,
    pub joined: When,
    pub can_change_role: bool,
    pub can_suspend: bool,
    /// End sessions, send a reset link.
    pub can_manage_account: bool,
}

impl MemberRow {
    /// The names of the groups the member is in, comma-separated.
    pub fn group_names(&self) -> String {
        self.groups
            .iter()
            .filter(|g| g.2)
            .map(|g| g.1.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Template)]
#[template(path = "members.html")]
pub struct MembersPage {
    pub chrome: Chrome,
    pub rows: Vec<MemberRow>,
    pub query: String,
    pub country: String,
    pub role: String,
    /// (code, name) sorted by name in the reader's language.
    pub countries: Vec<(String, String)>,
    pub roles: Vec<(&'static str, String)>,
    /// The filters as a query string (forms come back to the same list).
    pub back: String,
    /// After an action on a member: (member, (is an error, message)).
    pub message: Option<(UserId, (bool, String))>,
    /// A reset link just issued for a member (shown once).
    pub reset_link: Option<(UserId, String)>,
    /// The most members one list shows.
    pub limit: i64,
}

impl MembersPage {
    /// The notice for member `id`, if the last action was on them.
    pub fn message_for(&self, id: &UserId) -> Option<&(bool, String)> {
        self.message
            .as_ref()
            .filter(|(m, _)| m == id)
            .map(|(_, msg)| msg)
    }

    /// The reset link just issued for member `id`.
    pub fn reset_link_for(&self, id: &UserId) -> Option<&str> {
        self.reset_link
            .as_ref()
            .filter(|(m, _)| m == id)
            .map(|(_, link)| link.as_str())
    }
}

/// Every country as (code, name in the reader's language), in the
/// reader's alphabetical order.
pub fn country_options(i18n: &I18n) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = forum_core::domain::jurisdictions::countries()
        .map(|c| (c.code.clone(), i18n.country(&c.code)))
        .collect();
    i18n.sort_by_name(&mut list, |c| c.1.as_str());
    list
}

/// The roles as (value, label).
pub fn role_options(i18n: &I18n) -> Vec<(&'static str, String)> {
    forum_core::domain::Role::ALL
        .iter()
        .map(|r| (r.as_str(), i18n.t(&format!("role-{}", r.as_str()))))
        .collect()
}
