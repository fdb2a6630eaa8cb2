//! `docs/ARCHITECTURE.md` lists every kind of event the log stores, and
//! nothing else, in its event table.

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
