//! `docs/ARCHITECTURE.md` lists every kind of event the log stores, and
//! nothing else, in its event table; and every PostgreSQL connection of
//! the workspace is opened by `store::db::establish_postgres`.

use std::path::Path;

use forum_core::store::events::EventKind;

#[test]
fn the_event_table_lists_every_kind() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ARCHITECTURE.md"),
    )
    .unwrap();
    let table = doc
        .split("## The event log")
        .nth(1)
        .expect("an event log section")
        .split("\n## ")
        .next()
        .unwrap();
    let listed: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(kind, _)| kind))
        .collect();
    let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        listed, kinds,
        "docs/ARCHITECTURE.md's event table, in order"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() && name != "target" && !name.starts_with('.') {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// OpenSSL must be initialised (without its exit clean-up) before libpq
/// first uses it, or a process crashes at exit while a pool reconnects:
/// so only `establish_postgres` may open a PostgreSQL connection.
#[test]
fn postgresql_connections_are_opened_in_one_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let needle = ["PgConnection::", "establish("].concat();
    let offenders: Vec<String> = files
        .iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .unwrap()
                .lines()
                .any(|line| line.contains(&needle) && !line.trim_start().starts_with("//"))
        })
        .map(|path| path.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    assert_eq!(offenders, ["forum-core/src/store/db.rs"]);
}

/// A row id that leaves its module has its own type (`store/ids.rs`): no
/// field or parameter named after one is a bare `i64`, so a thread id
/// cannot be passed where a post id is wanted.
#[test]
fn row_ids_cross_modules_typed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for crate_dir in ["forum-core/src", "forum-server/src", "web/src"] {
        rust_files(&root.join(crate_dir), &mut files);
    }
    let names = [
        "user",
        "author",
        "actor",
        "thread",
        "post",
        "category",
        "flag",
        "notification",
        "group",
        "session",
        "invitation",
    ];
    let bare = ["i64", "Option<i64>", "Vec<i64>", "&[i64]"];
    let mut offenders = Vec::new();
    for path in &files {
        if path.ends_with("store/schema.rs") || path.ends_with("store/ids.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for name in names {
                for suffix in ["_id", "_ids"] {
                    for ty in bare {
                        let declared = format!("{name}{suffix}: {ty}");
                        let at = line.find(&declared);
                        let whole_word = at.is_some_and(|i| {
                            i == 0 || !line.as_bytes()[i - 1].is_ascii_alphanumeric()
                        }) && at.is_some_and(|i| {
                            let end = i + declared.len();
                            line[end..].starts_with([',', ')', ' ', '>', ';', '='])
                                || end == line.len()
                        });
                        if whole_word {
                            let shown = path.strip_prefix(&root).unwrap().display();
                            offenders.push(format!("{shown}:{}: {}", n + 1, line.trim()));
                        }
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "bare i64 ids:\n{}",
        offenders.join("\n")
    );
}
