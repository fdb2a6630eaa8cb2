//! Every filter combination of the thread lists is answered from an index:
//! the queries `Db::thread_list` really runs are captured (diesel's
//! instrumentation) and SQLite's `EXPLAIN QUERY PLAN` of each must neither
//! scan a table whole nor sort a range of threads (a whole category, a
//! language, the whole forum) in a temporary B-tree: such a list costs as
//! much on page 1 as the range is long. Sorting only the threads a filter's
//! own index found (a jurisdiction's, a crime area's, an instrument's) is
//! allowed.

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::sql_types::Text;
use forum_core::domain::{Role, ThreadKind};
use forum_core::features::forum::ThreadFilter;
use forum_core::{Db, Viewer};
use std::sync::Mutex;

static QUERIES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            QUERIES.lock().unwrap().push(query.to_string());
        }
    }))
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// What the thread lists filter on, each with and without.
fn filters(category: forum_core::store::ids::CategoryId) -> Vec<ThreadFilter> {
    let mut all = vec![ThreadFilter {
        featured: true,
        page: 1,
        ..Default::default()
    }];
    for mask in 0u32..(1 << 7) {
        let on = |bit: u32| mask & (1 << bit) != 0;
        all.push(ThreadFilter {
            category_id: on(0).then_some(category),
            jurisdiction: on(1).then(|| "MA".to_owned()),
            crime_area: on(2).then(|| "counterfeiting".to_owned()),
            instrument: on(3).then(|| if on(6) { "untoc:5" } else { "untoc" }.to_owned()),
            kind: on(4).then_some(ThreadKind::Analysis),
            language: on(5).then(|| "fr".to_owned()),
            // Page 2 by number, or a cursor.
            page: if on(6) { 2 } else { 1 },
            before: (!on(6) && on(1)).then(|| "0.1764979200000000.10".to_owned()),
            featured: false,
        });
    }
    all
}

#[test]
fn every_thread_list_filter_reads_an_index_in_order() {
    diesel::connection::set_default_instrumentation(record).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forum.db");
    let db = Db::open(path.to_str().unwrap(), 2).unwrap();
    let admin = db
        .create_admin(
            "planner",
            "planner@example.org",
            "correct horse battery staple",
        )
        .unwrap();
    let viewer = Viewer {
        id: admin.id,
        username: admin.username.as_str().into(),
        display_name: admin.display_name.as_str().into(),
        role: Role::Admin,
        session_id: 0.into(),
        groups: Vec::new().into(),
        country: admin.country.as_str().into(),
        profession: "".into(),
        language: None,
        second_factor_missing: false,
        guest_until: None,
        feed_generation: 0,
    };
    let category = db
        .create_category(&viewer, "case-law", "Case law", "Judgments", &[])
        .unwrap();
    db.create_category(&viewer, "tobacco", "Tobacco", "The Protocol", &[])
        .unwrap();

    let mut explain = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    explain.batch_execute("PRAGMA query_only = ON").unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for filter in filters(category.id) {
        QUERIES.lock().unwrap().clear();
        db.thread_list(&viewer, &filter)
            .unwrap_or_else(|e| panic!("{filter:?}: {e}"));
        let lists: Vec<String> = QUERIES
            .lock()
            .unwrap()
            .iter()
            .filter(|q| q.contains("FROM `threads`") && q.contains("ORDER BY"))
            .map(|q| q.split(" -- binds:").next().unwrap_or(q).to_owned())
            .collect();
        assert!(!lists.is_empty(), "no list query captured for {filter:?}");
        for sql in lists {
            let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load::<PlanLine>(&mut explain)
                .unwrap_or_else(|e| panic!("EXPLAIN {sql}: {e}"))
                .into_iter()
                .map(|l| l.detail)
                .collect();
            checked += 1;
            let bad: Vec<&String> = plan
                .iter()
                .filter(|line| line.starts_with("SCAN ") && !line.contains(" USING "))
                .collect();
            // Sorting is allowed only for threads found one by one through a
            // filter's own index (as many as the filter matches), never for
            // a range of threads read from an index on `threads` (a whole
            // category, language or the whole forum).
            let sorts_a_range = plan.iter().any(|l| l.contains("TEMP B-TREE"))
                && plan.iter().any(|l| {
                    l.starts_with("SCAN threads")
                        || (l.starts_with("SEARCH threads USING")
                            && !l.contains("INTEGER PRIMARY KEY"))
                });
            let bad: Vec<&String> = if sorts_a_range {
                plan.iter().collect()
            } else {
                bad
            };
            if !bad.is_empty() {
                failures.push(format!("{filter:?}\n  {sql}\n  plan: {plan:#?}"));
            }
        }
    }
    assert!(checked > 128, "only {checked} list queries checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} list queries sort or scan a whole table:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
