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
