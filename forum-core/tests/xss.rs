//! Every attack string of the shared XSS corpora, rendered as a post body,
//! re-parsed with a real HTML parser (html5ever, through scraper): no
//! script-capable element, no event handler, no inline style or srcdoc, no
//! script-capable URL survives — also when the payload sits beside the
//! references the citation linker turns into links.

use std::path::PathBuf;

use forum_core::domain::markdown::render;
use scraper::Html;

fn corpus(name: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/xss")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the XSS corpus {} is required: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("one JSON object per line");
            v["payload"].as_str().expect("payload").to_owned()
        })
        .collect()
}

#[path = "support/html_audit.rs"]
mod html_audit;

fn violations(payload: &str) -> Vec<String> {
    html_audit::violations(render(payload).as_str())
}

fn check(name: &str) {
    let payloads = corpus(name);
    assert!(
        payloads.len() > 1000,
        "{name} looks truncated: {} payloads",
        payloads.len()
    );
    let mut failures = Vec::new();
    for payload in &payloads {
        // As a whole body, and inside Markdown constructs that emit HTML.
        for body in [
            payload.clone(),
            format!("[link]({payload})"),
            format!("> {payload}\n\n| a |\n|---|\n| {payload} |"),
            // Beside every kind of citation the linker turns into a link.
            format!(
                "#12 @marie {payload} UNTOC art. 5{payload}ECLI:FR:CCASS:2019:CR00321 @x{payload}"
            ),
        ] {
            let found = violations(&body);
            if !found.is_empty() {
                failures.push(format!("{body:?}: {found:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} payloads from {name} got through:\n{}",
        failures.len(),
        payloads.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn vectors_are_neutralised() {
    check("vectors.jsonl");
}

#[test]
fn more_vectors_are_neutralised() {
    check("more-vectors.jsonl");
}

#[test]
fn the_checker_catches_what_it_should() {
    // The checker itself must fail on raw dangerous HTML, or the tests
    // above prove nothing.
    let doc = Html::parse_fragment("<a href=\" java\tscript:alert(1)\" onclick=x>y</a><svg></svg>");
    let mut hits = 0;
    for node in doc.tree.nodes() {
        if let Some(e) = node.value().as_element() {
            if html_audit::FORBIDDEN_ELEMENTS.contains(&e.name()) {
                hits += 1;
            }
            for (a, v) in e.attrs() {
                if a.starts_with("on")
                    || (a == "href" && html_audit::normalised(v).starts_with("javascript:"))
                {
                    hits += 1;
                }
            }
        }
    }
    assert_eq!(hits, 3);
}
