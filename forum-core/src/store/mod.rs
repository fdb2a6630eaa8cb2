//! Storage: the connection pools, the diesel schema and rows, migrations
//! and reference data, the event log and the audit chain. Imports only
//! [`crate::domain`] (and [`crate::error`]); never a feature.

pub mod audit;
pub mod backup;
pub mod cache;
pub mod db;
pub mod event_payloads;
pub mod events;
pub(crate) mod group_commit;
pub mod ids;
pub mod limits;
pub mod migrate;
pub mod rows;
pub mod schema;

/// `$query` (boxed) kept to the rows whose `$column` is one of `$ids` (a
/// slice). One id is asked with `=`: diesel never keeps a statement with
/// an `IN` list prepared on SQLite (the list's length varies), so an `IN`
/// of one is parsed and planned again on every call, and most calls on
/// the write and tailing paths name one post or one thread.
macro_rules! filter_in {
    ($query:expr, $column:expr, $ids:expr) => {{
        let ids = $ids;
        match ids {
            [one] => $query.filter($column.eq(*one)),
            _ => $query.filter($column.eq_any(ids)),
        }
    }};
}
pub(crate) use filter_in;
