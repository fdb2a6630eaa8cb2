//! Every interface language has every message, and every message is used.

use std::collections::BTreeSet;
use std::path::Path;

use forum_core::domain::{CrimeArea, Profession, Role, ThreadKind};
use web::i18n::catalogue_sources;

fn message_ids(source: &str) -> BTreeSet<String> {
    web::i18n::message_ids(source)
}

fn sources_under(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_language_has_every_message() {
    let catalogues = catalogue_sources();
    let english = message_ids(catalogues[0].1);
    assert!(english.len() > 100, "{} messages", english.len());
    for (lang, source) in &catalogues[1..] {
        let ids = message_ids(source);
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang:?} has messages English lacks: {extra:?}"
        );
    }
}

#[test]
fn every_message_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    sources_under(&root.join("templates"), &mut code);
    sources_under(&root.join("src"), &mut code);
    sources_under(&root.join("../forum-server/src"), &mut code);
    // Keys built at run time from a closed set of values.
    let mut dynamic: BTreeSet<String> = (1..=12).map(|m| format!("month-{m}")).collect();
    dynamic.extend(ThreadKind::ALL.iter().map(|k| format!("kind-{k}")));
    dynamic.extend(Role::ALL.iter().map(|r| format!("role-{r}")));
    dynamic.extend(["open", "answered", "accepted"].map(|s| format!("question-status-{s}")));
    dynamic.extend(["members", "staff", "hidden"].map(|v| format!("profile-visibility-{v}")));
    dynamic.extend(CrimeArea::ALL.iter().map(|a| format!("crime-{a}")));
    dynamic.extend(["review_by_passed", "instrument_amended"].map(|r| format!("review-{r}")));
    dynamic.extend(["country", "region"].map(|k| format!("jurisdiction-kind-{k}")));
    // Advice request statuses and steps (pages/advice.rs).
    dynamic.extend(
        ["received", "assigned", "advice_given", "closed"].map(|s| format!("advice-status-{s}")),
    );
    dynamic.extend(
        [
            "received",
            "assigned",
            "note",
            "advice_given",
            "consent",
            "closed",
            "published",
        ]
        .map(|s| format!("advice-step-{s}")),
    );
    // Webhook states (pages/webhooks.rs).
    dynamic.extend(["active", "retrying", "disabled"].map(|s| format!("webhooks-status-{s}")));
    // Colloquium states (pages/colloquia.rs).
    dynamic.extend(["upcoming", "open", "closed"].map(|s| format!("colloquium-state-{s}")));
    // Watch levels and targets, notification texts (pages/inbox.rs).
    dynamic.extend(["watching", "tracking", "normal", "muted"].map(|l| format!("watch-level-{l}")));
    dynamic.extend(
        ["thread", "category", "jurisdiction", "instrument"].map(|t| format!("watch-target-{t}")),
    );
    for kind in [
        "reply",
        "mention",
        "quote",
        "new_thread",
        "endorsement",
        "flag_outcome",
        "moderation",
        "review_due",
        "routed_question",
        "answer_accepted",
        "colloquium_opened",
        "advice_requested",
        "advice_given",
    ] {
        dynamic.insert(format!("notification-{kind}"));
        dynamic.insert(format!("notification-{kind}-many"));
    }
    // The search page's facet headings (forum-server/src/routes/pages/search.rs).
    dynamic.extend(
        [
            "jurisdiction",
            "instrument",
            "crime-area",
            "kind",
            "language",
        ]
        .map(|f| format!("search-facet-{f}")),
    );
    dynamic.extend(
        forum_core::features::moderation::FLAG_REASONS
            .iter()
            .map(|r| format!("flag-reason-{r}")),
    );
    dynamic.extend(
        forum_core::features::moderation::FLAG_RESOLUTIONS
            .iter()
            .map(|r| format!("resolution-{r}")),
    );
    // The settings page's confirmations (`?done=…`).
    dynamic.extend(
        [
            "password", "others", "one", "totp-off", "flagged", "email", "profile", "feeds",
        ]
        .map(|d| format!("done-{d}")),
    );
    // E-mail choices (pages/settings.rs).
    dynamic.extend(
        forum_core::features::notifications::email::ImmediateMail::ALL
            .iter()
            .map(|v| format!("email-immediate-{}", v.as_str())),
    );
    dynamic.extend(
        forum_core::features::notifications::email::DigestFrequency::ALL
            .iter()
            .map(|v| format!("email-digest-{}", v.as_str())),
    );
    dynamic.extend(
        Profession::ALL
            .iter()
            .map(|p| format!("profession-{}", p.as_str())),
    );
    let catalogues = catalogue_sources();
    let unused: Vec<String> = message_ids(catalogues[0].1)
        .into_iter()
        .filter(|id| !dynamic.contains(id))
        // error-<code> messages are looked up by the error's code.
        .filter(|id| !id.starts_with("error-"))
        .filter(|id| !code.contains(&format!("\"{id}\"")))
        .collect();
    assert!(
        unused.is_empty(),
        "messages no template or code uses: {unused:?}"
    );
}

#[test]
fn every_message_renders_in_every_language() {
    use web::{I18n, Lang};
    let english = message_ids(catalogue_sources()[0].1);
    for lang in Lang::ALL {
        let i18n = I18n::new(lang);
        for id in &english {
            let args = [
                ("name", "N"),
                ("count", "3"),
                ("email", "e@x"),
                ("date", "D"),
                ("reason", "R"),
                ("field", "F"),
            ];
            let text = i18n.t_with(id, &args);
            assert!(!text.trim().is_empty(), "{lang:?} {id} is empty");
        }
    }
}
