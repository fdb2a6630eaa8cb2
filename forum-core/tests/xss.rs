//! Every attack string of the shared XSS corpora, rendered as a post body,
//! re-parsed with a real HTML parser (html5ever, through scraper): no
//! script-capable element, no event handler, no inline style or srcdoc, no
//! script-capable URL survives.

use std::path::PathBuf;

use forum_core::markdown::render;
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

const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "portal",
    "video",
    "audio",
    "source",
    "track",
    "marquee",
];

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "cite",
    "data",
    "codebase",
    "srcset",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "usemap",
    "ping",
];

/// What a browser would see as the URL scheme: whitespace and control
/// characters are ignored, case does not matter.
fn normalised(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn violations(payload: &str) -> Vec<String> {
    let html = render(payload);
    let doc = Html::parse_fragment(html.as_str());
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        if FORBIDDEN_ELEMENTS.contains(&name) {
            found.push(format!("element <{name}>"));
        }
        for (attr, value) in element.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("event handler {attr} on <{name}>"));
            }
            if attr == "style" || attr == "srcdoc" {
                found.push(format!("attribute {attr} on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let url = normalised(value);
                for scheme in ["javascript:", "vbscript:", "data:", "livescript:"] {
                    let in_srcset = attr == "srcset" && url.contains(&format!(",{scheme}"));
                    if url.starts_with(scheme) || in_srcset {
                        found.push(format!("{scheme} URL in {attr} on <{name}>"));
                    }
                }
            }
        }
        if name == "a" && element.attr("href").is_some() {
            let rel = element.attr("rel").unwrap_or("");
            if !(rel.contains("nofollow") && rel.contains("noopener") && rel.contains("noreferrer"))
            {
                found.push(format!(
                    "link without rel=nofollow noopener noreferrer: {rel:?}"
                ));
            }
        }
    }
    found
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
            if FORBIDDEN_ELEMENTS.contains(&e.name()) {
                hits += 1;
            }
            for (a, v) in e.attrs() {
                if a.starts_with("on") || (a == "href" && normalised(v).starts_with("javascript:"))
                {
                    hits += 1;
                }
            }
        }
    }
    assert_eq!(hits, 3);
}
