//! Static assets, embedded in the binary and addressed by a content hash so
//! they can be cached forever (the favicon also at its fixed address,
//! where browsers look for it).

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

/// One embedded asset.
struct Asset {
    stem: &'static str,
    ext: &'static str,
    body: &'static str,
    content_type: &'static str,
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every asset, vanilla CSS and JavaScript with no build step. Each script
/// is an enhancement: the page works without it.
const ASSETS: [Asset; 7] = [
    Asset {
        stem: "style",
        ext: "css",
        body: include_str!("../assets/style.css"),
        content_type: "text/css; charset=utf-8",
    },
    // Live updates of the thread page.
    Asset {
        stem: "live",
        ext: "js",
        body: include_str!("../assets/live.js"),
        content_type: JS,
    },
    // Typeahead for the jurisdiction and instrument pickers.
    Asset {
        stem: "pickers",
        ext: "js",
        body: include_str!("../assets/pickers.js"),
        content_type: JS,
    },
    // Keeps the unread count in the page header live.
    Asset {
        stem: "inbox",
        ext: "js",
        body: include_str!("../assets/inbox.js"),
        content_type: JS,
    },
    // The reply composer: drafts saved as you type, preview, lock.
    Asset {
        stem: "composer",
        ext: "js",
        body: include_str!("../assets/composer.js"),
        content_type: JS,
    },
    // The header's menu button on narrow screens.
    Asset {
        stem: "nav",
        ext: "js",
        body: include_str!("../assets/nav.js"),
        content_type: JS,
    },
    Asset {
        stem: "favicon",
        ext: "svg",
        body: include_str!("../assets/favicon.svg"),
        content_type: "image/svg+xml",
    },
];

static PATHS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let hash = hex::encode(&Sha256::digest(a.body.as_bytes())[..6]);
            format!("/assets/{}.{hash}.{}", a.stem, a.ext)
        })
        .collect()
});

fn path_of(stem: &str) -> &'static str {
    let index = ASSETS
        .iter()
        .position(|a| a.stem == stem)
        .expect("a listed asset");
    PATHS[index].as_str()
}

/// The URL of the stylesheet, e.g. `/assets/style.1a2b3c4d5e6f.css`.
pub fn stylesheet_path() -> &'static str {
    path_of("style")
}

/// The URL of the live-updates script.
pub fn live_script_path() -> &'static str {
    path_of("live")
}

/// The URL of the picker script.
pub fn picker_script_path() -> &'static str {
    path_of("pickers")
}

/// The URL of the inbox script.
pub fn inbox_script_path() -> &'static str {
    path_of("inbox")
}

/// The URL of the composer script.
pub fn composer_script_path() -> &'static str {
    path_of("composer")
}

/// The URL of the header menu script.
pub fn nav_script_path() -> &'static str {
    path_of("nav")
}

/// The URL of the icon.
pub fn favicon_path() -> &'static str {
    path_of("favicon")
}

/// The asset at `path` and its content type. `/favicon.ico`, which
/// browsers and tools ask for whatever a page says, is the icon too.
pub fn lookup(path: &str) -> Option<(&'static str, &'static str)> {
    let path = if path == "/favicon.ico" {
        favicon_path()
    } else {
        path
    };
    PATHS
        .iter()
        .position(|p| p == path)
        .map(|i| (ASSETS[i].body, ASSETS[i].content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_found_at_its_hashed_path() {
        for (asset, path) in ASSETS.iter().zip(PATHS.iter()) {
            assert!(path.ends_with(&format!(".{}", asset.ext)), "{path}");
            assert_eq!(lookup(path).map(|(body, _)| body), Some(asset.body));
        }
        assert_eq!(
            lookup("/favicon.ico").map(|(_, t)| t),
            Some("image/svg+xml")
        );
        assert_eq!(lookup("/assets/style.000000000000.css"), None);
    }
}
