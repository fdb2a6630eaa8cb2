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

pub use askama::{Error as RenderError, Template};

mod chrome;
mod html;
mod pages;
mod widgets;

pub use chrome::*;
pub use html::*;
pub use pages::*;
pub use widgets::*;

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

    /// Whitespace around template tags is cut (`askama.toml`), except
    /// where it is the text: a revision's unchanged lines keep the two
    /// spaces that align them with `+ ` and `- ` lines.
    #[test]
    fn pages_drop_template_indentation_but_keep_a_diffs_columns() {
        use askama::Template;
        use forum_core::features::forum::DiffLine;
        let i18n = crate::I18n::new(crate::Lang::En);
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let line = |change, text: &str| DiffLine {
            change,
            text: text.to_owned(),
        };
        let page = crate::RevisionsPage {
            chrome: crate::Chrome::new("Revisions", None, i18n.clone(), "/posts/1/revisions"),
            post_id: forum_core::PostId::from(1),
            thread_id: forum_core::ThreadId::from(1),
            revisions: vec![crate::RevisionItem {
                revision: 2,
                editor: "Ana".to_owned(),
                at: crate::When::of(at, &i18n),
                reason: None,
                diff: vec![
                    line("equal", "kept"),
                    line("delete", "old"),
                    line("insert", "new"),
                ],
                removed_files: Vec::new(),
            }],
        };
        let html = page.render().unwrap();
        assert!(html.contains("<span>  kept</span>"), "{html}");
        assert!(html.contains("<del>- old</del>"), "{html}");
        assert!(html.contains("<ins>+ new</ins>"), "{html}");
        assert!(
            !html.contains("\n    \n"),
            "indentation left around tags: {html}"
        );
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
