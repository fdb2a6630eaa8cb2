//! One list of error codes: every `ErrorCode` is documented in
//! `docs/api.md` (section "Error codes"), every documented code is one, and
//! each is used somewhere in the forum's source outside its definition.

use std::path::{Path, PathBuf};

use forum_core::error::ErrorCode;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The codes in the first column of the "Error codes" table.
fn documented() -> Vec<String> {
    let api = std::fs::read_to_string(workspace().join("docs/api.md")).unwrap();
    let section = api
        .split("## Error codes")
        .nth(1)
        .expect("docs/api.md has an \"Error codes\" section");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(code, _)| code.to_owned())
        .collect()
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let documented = documented();
    let known: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let undocumented: Vec<&&str> = known
        .iter()
        .filter(|code| !documented.iter().any(|d| d == *code))
        .collect();
    assert!(
        undocumented.is_empty(),
        "missing from docs/api.md: {undocumented:?}"
    );
    let unknown: Vec<&String> = documented
        .iter()
        .filter(|d| !known.contains(&d.as_str()))
        .collect();
    assert!(unknown.is_empty(), "not an ErrorCode: {unknown:?}");
    let mut unique = known.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), known.len(), "a code is listed twice");
}

#[test]
fn every_code_is_used() {
    let root = workspace();
    let mut files = Vec::new();
    for crate_dir in ["forum-core/src", "forum-server/src"] {
        sources(&root.join(crate_dir), &mut files);
    }
    let error_rs = root.join("forum-core/src/error.rs");
    let text: String = files
        .iter()
        .filter(|f| **f != error_rs)
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    // The definition maps a few kinds onto codes itself.
    let definition = std::fs::read_to_string(&error_rs).unwrap();
    let implied = definition
        .split("pub fn code(&self) -> ErrorCode {")
        .nth(1)
        .unwrap()
        .split("\n    }\n")
        .next()
        .unwrap()
        .to_owned()
        + definition
            .split("pub fn invalid(")
            .nth(1)
            .unwrap_or_default();
    let unused: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|code| format!("ErrorCode::{code:?}"))
        .filter(|path| !text.contains(path.as_str()) && !implied.contains(path.as_str()))
        .collect();
    assert!(unused.is_empty(), "never used: {unused:?}");
}
