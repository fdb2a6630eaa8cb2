//! The two migration folders describe the same tables and columns.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::*;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_agree() {
    let sqlite = Storage::new(Backend::Sqlite);
    let postgres = Storage::new(Backend::Postgres);
    forum_core::store::migrate::migrate(&sqlite.database_url()).unwrap();
    forum_core::store::migrate::migrate(&postgres.database_url()).unwrap();

    let mut lite = diesel::SqliteConnection::establish(&sqlite.database_url()).unwrap();
    let lite_columns: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
         AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'",
    )
    .load(&mut lite)
    .unwrap();
    let mut pg = forum_core::store::db::establish_postgres(&postgres.database_url()).unwrap();
    let pg_columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name NOT LIKE '__diesel%'",
    )
    .load(&mut pg)
    .unwrap();
    let group = |cols: Vec<Column>| {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in cols {
            map.entry(c.table_name).or_default().push(c.column_name);
        }
        for v in map.values_mut() {
            v.sort();
        }
        map
    };
    let (lite, pg) = (group(lite_columns), group(pg_columns));
    assert!(lite.contains_key("events") && lite.contains_key("posts"));
    assert_eq!(lite, pg);
}
