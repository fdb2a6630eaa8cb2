//! Static assets, embedded in the binary and addressed by a content hash so
//! they can be cached forever.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

pub const STYLESHEET: &str = include_str!("../assets/style.css");

static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = hex::encode(&Sha256::digest(STYLESHEET.as_bytes())[..6]);
    format!("/assets/style.{hash}.css")
});

/// The URL of the stylesheet, e.g. `/assets/style.1a2b3c4d5e6f.css`.
pub fn stylesheet_path() -> &'static str {
    STYLESHEET_PATH.as_str()
}

/// The asset at `path` and its content type.
pub fn lookup(path: &str) -> Option<(&'static str, &'static str)> {
    (path == stylesheet_path()).then_some((STYLESHEET, "text/css; charset=utf-8"))
}
