//! The layers inside forum-core point one way, as the crates do:
//!
//! ```text
//! domain  ←  store  ←  access  ←  views  ←  features
//! ```
//!
//! A module may name its own layer and those to its left, never one to its
//! right; `domain` never names diesel. (`error` and the crate root sit
//! beside every layer.) Checked on the source text, so a new file or a
//! stray `crate::features::…` path in a doc link fails the suite.

use std::path::{Path, PathBuf};

/// The layers, lowest first, with the module paths each one is.
const LAYERS: [(&str, &[&str]); 5] = [
    ("domain", &["domain"]),
    ("store", &["store"]),
    ("access", &["access"]),
    ("views", &["views"]),
    ("features", &["features"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The layer a source file belongs to, by its path under `src/`.
fn layer_of(relative: &Path) -> Option<usize> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

#[test]
fn no_layer_names_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(layer) = layer_of(relative) else {
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for (name, modules) in LAYERS.iter().skip(layer + 1) {
                for module in *modules {
                    if line.contains(&format!("crate::{module}")) {
                        violations.push(format!(
                            "{}:{}: {} names {name}: {}",
                            relative.display(),
                            number + 1,
                            LAYERS[layer].0,
                            line.trim()
                        ));
                    }
                }
            }
            if LAYERS[layer].0 == "domain" && line.contains("diesel") {
                violations.push(format!(
                    "{}:{}: domain names diesel: {}",
                    relative.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(checked >= 10, "only {checked} files found under {src:?}");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn every_module_is_in_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let loose: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&src).unwrap().to_path_buf())
        .filter(|relative| layer_of(relative).is_none())
        .map(|relative| relative.display().to_string())
        .filter(|name| name != "lib.rs" && name != "error.rs")
        .collect();
    assert!(
        loose.is_empty(),
        "modules outside domain/store/access/views/features: {loose:?}"
    );
}
