//! The checker shared by the XSS corpus test and the Markdown fuzz target:
//! re-parses sanitised HTML with html5ever and lists what could run script.

use scraper::Html;

pub const FORBIDDEN_ELEMENTS: &[&str] = &[
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
pub fn normalised(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// What in sanitised post HTML could run script or mislead: forbidden
/// elements, event handlers, `style`/`srcdoc`, script-capable URL schemes,
/// links without `rel=nofollow noopener noreferrer`.
pub fn violations(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
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
