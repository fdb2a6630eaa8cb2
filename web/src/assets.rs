//! Static assets, embedded in the binary and addressed by a content hash so
//! they can be cached forever.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

pub const STYLESHEET: &str = include_str!("../assets/style.css");
/// Live updates of the thread page (vanilla JavaScript, no build step).
pub const LIVE_SCRIPT: &str = include_str!("../assets/live.js");
/// Typeahead for the jurisdiction and instrument pickers (the pickers work
/// without it).
pub const PICKER_SCRIPT: &str = include_str!("../assets/pickers.js");
/// Keeps the unread count in the page header live.
pub const INBOX_SCRIPT: &str = include_str!("../assets/inbox.js");

fn hashed(stem: &str, ext: &str, body: &str) -> String {
    let hash = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
    format!("/assets/{stem}.{hash}.{ext}")
}

static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| hashed("style", "css", STYLESHEET));
static LIVE_SCRIPT_PATH: LazyLock<String> = LazyLock::new(|| hashed("live", "js", LIVE_SCRIPT));
static PICKER_SCRIPT_PATH: LazyLock<String> =
    LazyLock::new(|| hashed("pickers", "js", PICKER_SCRIPT));
static INBOX_SCRIPT_PATH: LazyLock<String> = LazyLock::new(|| hashed("inbox", "js", INBOX_SCRIPT));

/// The URL of the inbox script.
pub fn inbox_script_path() -> &'static str {
    INBOX_SCRIPT_PATH.as_str()
}

/// The URL of the picker script.
pub fn picker_script_path() -> &'static str {
    PICKER_SCRIPT_PATH.as_str()
}

/// The URL of the stylesheet, e.g. `/assets/style.1a2b3c4d5e6f.css`.
pub fn stylesheet_path() -> &'static str {
    STYLESHEET_PATH.as_str()
}

/// The URL of the live-updates script.
pub fn live_script_path() -> &'static str {
    LIVE_SCRIPT_PATH.as_str()
}

/// The asset at `path` and its content type.
pub fn lookup(path: &str) -> Option<(&'static str, &'static str)> {
    if path == stylesheet_path() {
        Some((STYLESHEET, "text/css; charset=utf-8"))
    } else if path == live_script_path() {
        Some((LIVE_SCRIPT, "text/javascript; charset=utf-8"))
    } else if path == picker_script_path() {
        Some((PICKER_SCRIPT, "text/javascript; charset=utf-8"))
    } else if path == inbox_script_path() {
        Some((INBOX_SCRIPT, "text/javascript; charset=utf-8"))
    } else {
        None
    }
}
