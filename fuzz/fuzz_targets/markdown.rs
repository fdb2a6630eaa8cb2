//! Fuzzes the Markdown pipeline (pulldown-cmark, then ammonia): whatever
//! the input, the rendered HTML re-parsed by html5ever holds nothing that
//! could run script. Seeded from the shared XSS corpora by `.ci/fuzz.sh`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../forum-core/tests/support/html_audit.rs"]
mod html_audit;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = forum_core::domain::markdown::render(text);
    let found = html_audit::violations(html.as_str());
    assert!(found.is_empty(), "{found:?} in {:?}", html.as_str());
});
