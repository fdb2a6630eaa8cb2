//! Values printed into pages: sanitised post HTML, search snippets,
//! fragments rendered ahead and timestamps.

use chrono::NaiveDateTime;
use forum_core::domain::markdown::SanitizedHtml;

use crate::*;

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

/// Part of a page rendered by one of these templates (so escaped like
/// any other), kept by the server and printed into pages as is: the
/// posts of a thread for one kind of reader, a thread list in one
/// language. Only [`Fragment::render`] makes one.
#[derive(Clone)]
pub struct Fragment(std::sync::Arc<str>);

impl Fragment {
    pub fn render(template: &impl askama::Template) -> askama::Result<Fragment> {
        Ok(Fragment(template.render()?.into()))
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for Fragment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Fragment {}

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
