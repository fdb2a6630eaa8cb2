//! Thread lists and the thread page: posts, live updates, what a moderator may do there.

use super::*;

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
    /// The files on it.
    pub files: Vec<FileRow>,
    /// Its own handling mark, stricter than its thread's: label and CSS
    /// slug.
    pub own_mark: Option<(&'static str, &'static str)>,
}

impl PostItem {
    pub fn new(post: PostView, can_edit: bool, i18n: &I18n) -> PostItem {
        PostItem {
            files: post.attachments.iter().map(FileRow::new).collect(),
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
            own_mark: post.own_mark.map(|m| (m.as_str(), m.slug())),
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
}

#[derive(Template, Hash, PartialEq, Eq)]
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

#[derive(Template, Hash, PartialEq, Eq)]
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

#[derive(Template, Hash, PartialEq, Eq)]
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
    /// Suspected personal data in the refused reply.
    pub personal_data: Option<PersonalDataNotice>,
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
    /// The countries the mark names, for its form.
    pub mark_countries: String,
    /// The usernames the mark names, for its form.
    pub mark_members: String,
    /// The marks a reply may carry besides its thread's (the stricter
    /// ones).
    pub reply_marks: Vec<&'static str>,
    /// The mark chosen for the reply (empty: its thread's), and the
    /// readers it names.
    pub reply_mark: String,
    pub reply_mark_countries: String,
    pub reply_mark_members: String,
    pub picker_script: &'static str,
    /// Staff: the lock, pin and move tools, and where a thread may move.
    pub moderation: Option<ThreadModeration>,
    /// A question routed to experts: where it stands.
    pub question: Option<QuestionBox>,
}

/// Where a routed question stands, on its thread page.
#[derive(Hash, PartialEq, Eq)]
pub struct QuestionBox {
    /// `open`, `answered`, `accepted`, and its words.
    pub status: String,
    pub status_text: String,
    pub routed_to: Vec<String>,
    pub accepted: Option<PostId>,
    /// The asker may accept one of these replies (id, author).
    pub answers: Vec<(PostId, String)>,
}

/// What a moderator may do on a thread page.
#[derive(Hash, PartialEq, Eq)]
pub struct ThreadModeration {
    pub locked: bool,
    pub pinned: bool,
    /// `Some(featured?)` for analyses.
    pub featured: Option<bool>,
    pub slow_mode_seconds: i64,
    /// Categories the thread may move to: id, name.
    pub categories: Vec<(CategoryId, String)>,
}

/// What the thread page's script needs to follow the thread.
#[derive(Hash, PartialEq, Eq)]
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
