//! Values printed into pages: sanitised post HTML, search snippets,
//! fragments rendered ahead and timestamps.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::sync::{Arc, OnceLock};

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
/// language. Only [`Fragment::render`] and [`render_kept`] make one, from a
/// template's output.
#[derive(Clone)]
pub struct Fragment(Arc<Kept>);

struct Kept {
    text: Box<str>,
    /// What the server derived from the text once (its compressed form).
    derived: OnceLock<Box<dyn Any + Send + Sync>>,
}

impl Fragment {
    pub fn render(template: &impl askama::Template) -> askama::Result<Fragment> {
        Ok(Fragment(Arc::new(Kept {
            text: template.render()?.into_boxed_str(),
            derived: OnceLock::new(),
        })))
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// What `make` derives from the text, made by the first caller and
    /// kept as long as the fragment (`None` if a value of another type was
    /// kept first).
    pub fn derived<T: Any + Send + Sync>(&self, make: impl FnOnce(&str) -> T) -> Option<&T> {
        self.0
            .derived
            .get_or_init(|| Box::new(make(&self.0.text)))
            .downcast_ref()
    }
}

impl AsRef<[u8]> for Fragment {
    fn as_ref(&self) -> &[u8] {
        self.0.text.as_bytes()
    }
}

thread_local! {
    /// Spliced renders running on this thread.
    static SPLICING: Cell<u32> = const { Cell::new(0) };
    /// The fragment being printed, until a splicing writer takes it.
    static PENDING: RefCell<Option<Fragment>> = const { RefCell::new(None) };
}

impl std::fmt::Display for Fragment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if SPLICING.get() > 0 {
            // Offer the fragment to the writer: a splicing writer takes it
            // on this empty write; any other leaves it, and gets the text.
            PENDING.replace(Some(self.clone()));
            f.write_str("")?;
            if PENDING.take().is_none() {
                return Ok(());
            }
        }
        f.write_str(&self.0.text)
    }
}

impl askama::filters::HtmlSafe for Fragment {}

/// Two fragments are the same when they are one kept text: a page that
/// prints a fragment is known by which one it prints, without reading it.
/// (Whoever compares keeps both alive, so an address is never reused
/// for another text while they are compared.)
impl PartialEq for Fragment {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Fragment {}

impl std::hash::Hash for Fragment {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.0), state);
    }
}

/// One part of a page rendered by [`render_spliced`].
#[derive(Clone)]
pub enum Part {
    /// Written for this page.
    Fresh(String),
    /// A kept fragment, printed where it stands without being copied.
    Kept(Fragment),
}

/// Renders a page as the text written for it and the kept fragments it
/// prints, in order: the same bytes as [`askama::Template::render`], but
/// the fragments are shared, not copied (and what is derived from them,
/// such as their compressed form, is reused).
pub fn render_spliced<T: askama::Template>(template: &T) -> askama::Result<Vec<Part>> {
    struct Splicer {
        parts: Vec<Part>,
        fresh: String,
    }
    impl std::fmt::Write for Splicer {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if s.is_empty() {
                if let Some(kept) = PENDING.take() {
                    let fresh = std::mem::replace(&mut self.fresh, String::with_capacity(8 * 1024));
                    self.parts.push(Part::Fresh(fresh));
                    self.parts.push(Part::Kept(kept));
                }
                return Ok(());
            }
            self.fresh.push_str(s);
            Ok(())
        }
    }
    struct Splicing;
    impl Drop for Splicing {
        fn drop(&mut self) {
            SPLICING.set(SPLICING.get() - 1);
            PENDING.take();
        }
    }
    let mut out = Splicer {
        parts: Vec::with_capacity(5),
        fresh: String::with_capacity(T::SIZE_HINT.max(16 * 1024)),
    };
    SPLICING.set(SPLICING.get() + 1);
    let splicing = Splicing;
    let rendered = template.render_into(&mut out);
    drop(splicing);
    rendered?;
    let mut parts = out.parts;
    parts.push(Part::Fresh(out.fresh));
    parts.retain(|p| !matches!(p, Part::Fresh(text) if text.is_empty()));
    Ok(parts)
}

/// A page rendered as [`render_spliced`] does, with the text written for
/// it kept too: every part is a [`Fragment`], so a page kept whole is
/// sent again (and its compressed parts reused) without rendering it.
pub fn render_kept<T: askama::Template>(template: &T) -> askama::Result<Vec<Fragment>> {
    Ok(render_spliced(template)?
        .into_iter()
        .map(|part| match part {
            Part::Kept(kept) => kept,
            Part::Fresh(text) => Fragment(Arc::new(Kept {
                text: text.into_boxed_str(),
                derived: OnceLock::new(),
            })),
        })
        .collect())
}

/// A UTC timestamp as shown and as machine-readable.
#[derive(Hash, PartialEq, Eq)]
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

#[cfg(test)]
mod splicing_tests {
    use super::*;
    use askama::Template;

    #[derive(Template)]
    #[template(source = "<p>{{ name }}</p>", ext = "html")]
    struct Row<'a> {
        name: &'a str,
    }

    #[derive(Template)]
    #[template(
        source = "<h1>{{ title }}</h1>{{ first }}<hr>{{ nested }}{{ second }}{{ second }}",
        ext = "html"
    )]
    struct Page {
        title: String,
        first: Fragment,
        second: Fragment,
        /// A value printing a fragment through a string of its own.
        nested: Nested,
    }

    struct Nested(Fragment);

    impl std::fmt::Display for Nested {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let own = format!("[{}]", self.0);
            f.write_str(&own)
        }
    }

    impl askama::filters::HtmlSafe for Nested {}

    #[test]
    fn a_spliced_page_is_the_rendered_page_with_its_fragments_shared() {
        let first = Fragment::render(&Row { name: "a <b> & c" }).unwrap();
        let second = Fragment::render(&Row { name: "second" }).unwrap();
        let page = Page {
            title: "<script>".to_owned(),
            first: first.clone(),
            second: second.clone(),
            nested: Nested(first.clone()),
        };
        let parts = render_spliced(&page).unwrap();
        let joined: String = parts
            .iter()
            .map(|p| match p {
                Part::Fresh(text) => text.as_str(),
                Part::Kept(kept) => kept.as_str(),
            })
            .collect();
        assert_eq!(joined, page.render().unwrap());
        assert!(!joined.contains("<script>") && joined.contains("<hr>[<p>a "));
        let kept: Vec<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Kept(kept) => Some(kept.as_str()),
                Part::Fresh(_) => None,
            })
            .collect();
        // The fragment printed through a string of its own is copied there.
        assert_eq!(kept, [first.as_str(), second.as_str(), second.as_str()]);
        // Rendering normally afterwards copies every fragment.
        assert_eq!(page.to_string(), joined);
    }

    #[test]
    fn what_is_derived_from_a_fragment_is_made_once() {
        let kept = Fragment::render(&Row { name: "x" }).unwrap();
        let copy = kept.clone();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let make = |text: &str| {
            made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            text.len()
        };
        assert_eq!(kept.derived(make), Some(&8));
        assert_eq!(copy.derived(make), Some(&8));
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(copy.derived(|_| "another type"), None);
    }
}
