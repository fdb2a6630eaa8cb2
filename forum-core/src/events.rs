//! The event log: one append-only table, written in the same transaction as
//! each change, read by `seq`. Live updates, the search index and
//! notifications all tail it.
//!
//! On PostgreSQL, concurrent transactions could commit sequence numbers out
//! of order, and a reader tailing "after seq N" would then skip a row for
//! good. Appends therefore take a transaction-scoped advisory lock, so
//! events commit in `seq` order on both backends (SQLite has one writer).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::{Db, DbConnection};
use crate::error::Result;
use crate::models::Event;
use crate::now;
use crate::schema::events;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    UserCreated,
    CategoryCreated,
    ThreadCreated,
    PostCreated,
    PostEdited,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::UserCreated => "user_created",
            EventKind::CategoryCreated => "category_created",
            EventKind::ThreadCreated => "thread_created",
            EventKind::PostCreated => "post_created",
            EventKind::PostEdited => "post_edited",
        }
    }
}

/// Appends an event; call it inside the transaction of the change.
pub fn append(
    conn: &mut DbConnection,
    kind: EventKind,
    thread_id: Option<i64>,
    category_id: Option<i64>,
    actor_id: Option<i64>,
    payload: &serde_json::Value,
) -> Result<i64> {
    if let DbConnection::Pg(pg) = conn {
        pg.batch_execute("SELECT pg_advisory_xact_lock(721132)")?;
    }
    let seq = diesel::insert_into(events::table)
        .values((
            events::kind.eq(kind.as_str()),
            events::thread_id.eq(thread_id),
            events::category_id.eq(category_id),
            events::actor_id.eq(actor_id),
            events::payload.eq(payload.to_string()),
            events::created_at.eq(now()),
        ))
        .returning(events::seq)
        .get_result(conn)?;
    Ok(seq)
}

impl Db {
    /// Events with `seq > after`, oldest first, at most `limit`.
    pub fn events_after(&self, after: i64, limit: i64) -> Result<Vec<Event>> {
        self.read(|conn| {
            Ok(events::table
                .filter(events::seq.gt(after))
                .order(events::seq.asc())
                .limit(limit)
                .select(Event::as_select())
                .load(conn)?)
        })
    }

    /// The highest `seq` written so far (0 for an empty log).
    pub fn last_event_seq(&self) -> Result<i64> {
        self.read(|conn| {
            Ok(events::table
                .select(diesel::dsl::max(events::seq))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0))
        })
    }
}
