//! The one Markdown renderer: pulldown-cmark (tables, footnotes,
//! strikethrough, task lists) and then ammonia, always last.
//!
//! pulldown-cmark is not a sanitiser: it passes raw HTML through and emits
//! `javascript:` links. Everything it produces goes through ammonia with the
//! default allow-list (no svg, no math), http/https/mailto URLs only, and
//! `rel="nofollow noopener noreferrer"` on links. The only way to get a
//! [`SanitizedHtml`] is [`render`]; templates emit nothing else unescaped.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
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
        .add_allowed_classes("span", &["task"]);
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
    let events = Parser::new_ext(markdown, options).map(|event| match event {
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
    fn plain_text_strips_markup() {
        assert_eq!(plain_text("# Title\n\n*a* `b`"), "Title a b");
    }
}
