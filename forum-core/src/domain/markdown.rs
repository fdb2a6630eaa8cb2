//! The one Markdown renderer: pulldown-cmark (tables, footnotes,
//! strikethrough, task lists) and then ammonia, always last.
//!
//! pulldown-cmark is not a sanitiser: it passes raw HTML through and emits
//! `javascript:` links. Everything it produces goes through ammonia with the
//! default allow-list (no svg, no math), http/https/mailto URLs only, and
//! `rel="nofollow noopener noreferrer"` on links. The only way to get a
//! [`SanitizedHtml`] is [`render`]; templates emit nothing else unescaped.
//!
//! Before sanitising, the citation linker turns references in text (never
//! in code or inside an existing link) into links: ECLI identifiers, `#123`
//! thread references, `@username` mentions and instrument articles written
//! the usual ways ("UNTOC art. 5", "Article 14 of the FCTC Protocol"). The
//! links it writes go through ammonia like everything else.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use regex::Regex;
use sha2::{Digest, Sha256};

/// HTML that went through the sanitiser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanitizedHtml(String);

impl SanitizedHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// Re-wraps HTML that was produced by [`render`] and stored beside its
    /// source. Only the storage layer calls this, for `posts.body_html`.
    pub(crate) fn from_stored(html: String) -> Self {
        SanitizedHtml(html)
    }
}

impl std::fmt::Display for SanitizedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Prefix ammonia puts on every `id`, so user content cannot clobber the
/// page's own elements.
const ID_PREFIX: &str = "user-content-";

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .id_prefix(Some(ID_PREFIX))
        .url_relative(ammonia::UrlRelative::Custom(Box::new(plain_relative_url)))
        .add_tag_attributes("div", &["id"])
        .add_tag_attributes("li", &["id"])
        .add_tag_attributes("a", &["id"])
        .add_tag_attributes("th", &["align"])
        .add_tag_attributes("td", &["align"])
        .add_allowed_classes("div", &["footnote-definition"])
        .add_allowed_classes("sup", &["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("span", &["task"])
        .add_allowed_classes(
            "a",
            &["cite-ecli", "cite-thread", "mention", "cite-article"],
        );
    builder
});

/// Keeps a relative URL only when it starts like an ordinary path, query or
/// fragment and holds no control or space characters; anything else (a
/// Unicode separator or control characters hiding `javascript:`, say) is
/// dropped rather than left to a browser's URL parser.
fn plain_relative_url(url: &str) -> Option<Cow<'_, str>> {
    let first = url.chars().next()?;
    let ordinary_start = first.is_ascii_alphanumeric() || matches!(first, '#' | '/' | '?' | '.');
    let hidden_characters = url.chars().any(|c| c.is_control() || c.is_whitespace());
    (ordinary_start && !hidden_characters).then_some(Cow::Borrowed(url))
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> SanitizedHtml {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    // Footnote anchors must be unique on a page that shows many posts; a
    // short hash of the body keeps them stable and distinct.
    let salt = hex::encode(&Sha256::digest(markdown.as_bytes())[..4]);
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut number_of = |name: &str| {
        let next = numbers.len() + 1;
        *numbers.entry(name.to_owned()).or_insert(next)
    };
    let mut link_depth = 0usize;
    let mut code_depth = 0usize;
    let parser = TextMergeStream::new(Parser::new_ext(markdown, options));
    let events = parser.map(|event| match event {
        Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            link_depth += 1;
            Event::Start(tag)
        }
        Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
            link_depth = link_depth.saturating_sub(1);
            Event::End(end)
        }
        Event::Start(tag @ Tag::CodeBlock(_)) => {
            code_depth += 1;
            Event::Start(tag)
        }
        Event::End(end @ TagEnd::CodeBlock) => {
            code_depth = code_depth.saturating_sub(1);
            Event::End(end)
        }
        Event::Text(text) if link_depth == 0 && code_depth == 0 => link_citations(text),
        Event::FootnoteReference(name) => {
            let n = number_of(&name);
            Event::Html(CowStr::from(format!(
                "<sup class=\"footnote-reference\"><a href=\"#{ID_PREFIX}fn-{salt}-{n}\">{n}</a></sup>"
            )))
        }
        Event::Start(Tag::FootnoteDefinition(name)) => {
            let n = number_of(&name);
            Event::Html(CowStr::from(format!(
                "<div class=\"footnote-definition\" id=\"fn-{salt}-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>"
            )))
        }
        Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</div>")),
        Event::TaskListMarker(done) => Event::Html(CowStr::from(if done {
            "<span class=\"task\">\u{2611}</span> "
        } else {
            "<span class=\"task\">\u{2610}</span> "
        })),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    SanitizedHtml(SANITIZER.clean(&raw).to_string())
}

/// What a span of text cites.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Citation {
    Ecli(String),
    Thread(i64),
    Mention(String),
    Article { instrument: String, article: String },
}

impl Citation {
    fn href(&self) -> String {
        match self {
            Citation::Ecli(id) => format!("https://e-justice.europa.eu/ecli/{id}"),
            Citation::Thread(id) => format!("/t/{id}"),
            Citation::Mention(name) => format!("/u/{name}"),
            Citation::Article {
                instrument,
                article,
            } => format!("/i/{instrument}#art-{article}"),
        }
    }

    fn class(&self) -> &'static str {
        match self {
            Citation::Ecli(_) => "cite-ecli",
            Citation::Thread(_) => "cite-thread",
            Citation::Mention(_) => "mention",
            Citation::Article { .. } => "cite-article",
        }
    }
}

/// Names instruments go by in running text, longest first, with their ids.
/// They match case-sensitively ("CITES art. 3", never "the court cites
/// art. 3"); the word "article" in any case.
static INSTRUMENT_ALIASES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let extra: &[(&str, &str)] = &[
        ("Palermo Convention", "untoc"),
        (
            "Protocol to Eliminate Illicit Trade in Tobacco Products",
            "fctc-protocol",
        ),
        ("FCTC Protocol", "fctc-protocol"),
        ("Convention on Cybercrime", "budapest"),
        ("Single Convention", "single-convention-1961"),
        ("Vienna Convention 1988", "drugs-1988"),
        ("Kyoto Convention", "kyoto-revised"),
        ("TRIPS Agreement", "trips"),
        ("FCTC", "fctc"),
        ("Medicrime", "medicrime"),
    ];
    let mut aliases: Vec<(String, String)> = crate::domain::instruments::all()
        .iter()
        .map(|i| (i.short_name.clone(), i.id.clone()))
        .chain(
            extra
                .iter()
                .map(|(a, id)| ((*a).to_owned(), (*id).to_owned())),
        )
        .collect();
    aliases.sort_by_key(|(alias, _)| std::cmp::Reverse(alias.len()));
    aliases
});

static CITATION_PATTERNS: LazyLock<[Regex; 5]> = LazyLock::new(|| {
    let names = INSTRUMENT_ALIASES
        .iter()
        .map(|(alias, _)| regex::escape(alias).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|");
    let article = r"(?i:art(?:icle)?s?\.?|article)\s*(\d{1,3}[a-z]?)\b";
    [
        Regex::new(r"\bECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:[0-9]{4}:[A-Za-z0-9.]*[A-Za-z0-9]")
            .expect("valid"),
        Regex::new(r"(?:^|[\s(\[,;])#([0-9]{1,12})\b").expect("valid"),
        Regex::new(r"(?:^|[\s(\[,;])@([a-z0-9_][a-z0-9_.\-]{1,30}[a-z0-9_])").expect("valid"),
        Regex::new(&format!(r"\b({names}),?\s+{article}")).expect("valid"),
        Regex::new(&format!(
            r"\b{article}\s+(?i:of\s+)?(?i:the\s+)?({names})\b"
        ))
        .expect("valid"),
    ]
});

/// The citations in a piece of text, as non-overlapping byte ranges in
/// order.
fn find_citations(text: &str) -> Vec<(std::ops::Range<usize>, Citation)> {
    let [ecli, thread, mention, name_first, article_first] = &*CITATION_PATTERNS;
    let mut found: Vec<(std::ops::Range<usize>, Citation)> = Vec::new();
    for m in ecli.find_iter(text) {
        found.push((m.range(), Citation::Ecli(m.as_str().to_owned())));
    }
    for c in thread.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let number = c.get(1).expect("group");
        if let Ok(id) = number.as_str().parse::<i64>() {
            let start = whole.end() - number.len() - 1;
            found.push((start..whole.end(), Citation::Thread(id)));
        }
    }
    for c in mention.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let name = c.get(1).expect("group");
        found.push((
            name.start() - 1..whole.end(),
            Citation::Mention(name.as_str().to_owned()),
        ));
    }
    let mut article = |range: std::ops::Range<usize>, alias: &str, number: &str| {
        let resolved = INSTRUMENT_ALIASES
            .iter()
            .find(|(a, _)| {
                a.split_whitespace()
                    .map(str::to_lowercase)
                    .eq(alias.split_whitespace().map(str::to_lowercase))
            })
            .map(|(_, id)| id.clone());
        if let Some(id) = resolved
            && crate::domain::instruments::get(&id).is_some_and(|i| i.article(number).is_some())
        {
            found.push((
                range,
                Citation::Article {
                    instrument: id,
                    article: number.to_owned(),
                },
            ));
        }
    };
    for c in name_first.captures_iter(text) {
        article(c.get(0).expect("match").range(), &c[1], &c[2]);
    }
    for c in article_first.captures_iter(text) {
        article(c.get(0).expect("match").range(), &c[2], &c[1]);
    }
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<(std::ops::Range<usize>, Citation)> = Vec::new();
    for (range, citation) in found {
        if kept.last().is_none_or(|(last, _)| range.start >= last.end) {
            kept.push((range, citation));
        }
    }
    kept
}

/// A text event with its citations turned into links (escaped text and
/// our own anchors; ammonia still runs over the result).
fn link_citations(text: CowStr<'_>) -> Event<'_> {
    let citations = find_citations(&text);
    if citations.is_empty() {
        return Event::Text(text);
    }
    let mut html = String::with_capacity(text.len() + 64 * citations.len());
    let mut at = 0;
    for (range, citation) in citations {
        html.push_str(&escape_html(&text[at..range.start]));
        html.push_str(&format!(
            "<a href=\"{}\" class=\"{}\">{}</a>",
            escape_html(&citation.href()),
            citation.class(),
            escape_html(&text[range.clone()])
        ));
        at = range.end;
    }
    html.push_str(&escape_html(&text[at..]));
    Event::Html(CowStr::from(html))
}

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

/// Thread ids a Markdown body cites with `#123` (outside code and links).
pub fn thread_references(markdown: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for citation in citations_in_text(markdown) {
        if let Citation::Thread(id) = citation
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// Usernames a Markdown body mentions with `@name` (outside code and
/// links), lower-case, each once.
pub fn mentions(markdown: &str) -> Vec<String> {
    let mut names = Vec::new();
    for citation in citations_in_text(markdown) {
        if let Citation::Mention(name) = citation
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

/// Posts quoted in a body: links to `…#post-N` inside a block quote (the
/// reply form writes `> [@name](/t/12#post-34):` above the quoted text).
pub fn quoted_posts(markdown: &str) -> Vec<i64> {
    static POST_LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:https?://[^/]+)?/t/\d+#post-(\d+)$").unwrap());
    let mut quoted = Vec::new();
    let mut depth = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) if depth > 0 => {
                if let Some(id) = POST_LINK
                    .captures(&dest_url)
                    .and_then(|c| c[1].parse::<i64>().ok())
                    && !quoted.contains(&id)
                {
                    quoted.push(id);
                }
            }
            _ => {}
        }
    }
    quoted
}

/// Every citation in the text of a Markdown body, skipping code and link
/// text.
fn citations_in_text(markdown: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let mut skip = 0usize;
    for event in TextMergeStream::new(Parser::new(markdown)) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                skip = skip.saturating_sub(1)
            }
            Event::Text(text) if skip == 0 => {
                found.extend(find_citations(&text).into_iter().map(|(_, c)| c));
            }
            _ => {}
        }
    }
    found
}

/// Plain text of a Markdown body (for excerpts and diffs of rendered text).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_links_to_posts_inside_block_quotes() {
        let body = "> [@alice](/t/12#post-34):\n> The court accepted it.\n\n\
                    See also [this](/t/12#post-35) and\n\n\
                    > > [@bob](https://forum.example/t/9#post-7): nested\n\n\
                    > [elsewhere](https://other.example/x#post-8)";
        assert_eq!(quoted_posts(body), [34, 7]);
        assert!(quoted_posts("`> [@a](/t/1#post-2)`").is_empty());
    }

    #[test]
    fn renders_legal_text_features() {
        let html = render(
            "Art. 5 UNTOC[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\n[^1]: Palermo, 2000.",
        );
        let html = html.as_str();
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
        assert!(html.contains("id=\"user-content-fn-"), "{html}");
        assert!(html.contains("href=\"#user-content-fn-"), "{html}");
        assert!(html.contains('\u{2611}'), "{html}");
    }

    #[test]
    fn links_are_safe() {
        let html =
            render("[x](https://example.org) [y](javascript:alert(1)) <script>alert(1)</script>");
        let html = html.as_str();
        assert!(
            html.contains("rel=\"nofollow noopener noreferrer\""),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn raw_html_ids_are_prefixed() {
        let html = render("<div id=\"login\">x</div>");
        assert!(
            html.as_str().contains("id=\"user-content-login\""),
            "{}",
            html.as_str()
        );
    }

    #[test]
    fn odd_relative_urls_are_dropped() {
        let kept = render("[a](/t/1) [b](#x) [c](page?x=1)");
        assert_eq!(
            kept.as_str().matches("href=").count(),
            3,
            "{}",
            kept.as_str()
        );
        let dropped = render(
            "<a href=\"\u{2028}javascript:alert(1)\">x</a> <a href=\"java\u{1}script:x\">y</a>",
        );
        assert!(!dropped.as_str().contains("href"), "{}", dropped.as_str());
    }

    #[test]
    fn citations_become_links() {
        let html = render(
            "See #12, @marie.dupont and ECLI:FR:CCASS:2019:CR00321. Under UNTOC art. 5 and \
             Article 15 of the FCTC Protocol; not `#13` nor [#14](https://example.org).",
        );
        let html = html.as_str();
        assert!(html.contains("href=\"/t/12\""), "{html}");
        assert!(html.contains("href=\"/u/marie.dupont\""), "{html}");
        assert!(
            html.contains("href=\"https://e-justice.europa.eu/ecli/ECLI:FR:CCASS:2019:CR00321\""),
            "{html}"
        );
        assert!(html.contains("href=\"/i/untoc#art-5\""), "{html}");
        assert!(html.contains("href=\"/i/fctc-protocol#art-15\""), "{html}");
        assert!(!html.contains("/t/13") && !html.contains("/t/14"), "{html}");
        assert!(
            !render("UNTOC art. 99").as_str().contains("href"),
            "no such article"
        );
        assert_eq!(thread_references("#3 and #4, `#5`, again #3"), vec![3, 4]);
    }

    #[test]
    fn citations_do_not_smuggle_markup() {
        let html = render("@a<b>x</b> #1<script>alert(1)</script> UNTOC art. 5\"onmouseover=x");
        let html = html.as_str();
        assert!(
            !html.contains("<script") && !html.contains("onmouseover=x\""),
            "{html}"
        );
    }

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(plain_text("# Title\n\n*a* `b`"), "Title a b");
    }
}
