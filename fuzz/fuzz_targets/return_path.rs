//! Fuzzes `ReturnPath` (every `next=` and "go back to" parameter) against
//! the WHATWG URL parser a browser uses: whatever the input, the result is
//! a valid header value, a path starting with one slash, and resolved
//! against any page of any site it stays on that site.
#![no_main]

use forum_core::domain::ReturnPath;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = ReturnPath::parse(Some(text)).into_string();
    assert!(
        path.bytes().all(|b| b.is_ascii_graphic()),
        "{text:?} gave a header-unsafe {path:?}"
    );
    assert!(
        path.starts_with('/') && !path.starts_with("//"),
        "{text:?} gave {path:?}"
    );
    for page in [
        "https://forum.example/",
        "https://forum.example/t/12?x=1#y",
        "http://127.0.0.1:8080/c/a/b",
    ] {
        let page = url::Url::parse(page).expect("a page URL");
        let resolved = page.join(&path).expect("a path resolves");
        assert_eq!(
            resolved.origin(),
            page.origin(),
            "{text:?} gave {path:?}, which leaves {page}"
        );
    }
});
