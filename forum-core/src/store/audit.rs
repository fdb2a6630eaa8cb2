//! The audit log: append-only and tamper-evident.
//!
//! Every moderation and admin action and every security event is written
//! here, in the transaction of the change it records, with its actor,
//! target, reason and time. Each entry stores the hash of the one before
//! it and its own hash over both, so changing or deleting a row breaks the
//! chain at that row: [`Db::verify_audit`] (`forum-server audit verify`)
//! recomputes the chain and names the first broken entry. On PostgreSQL,
//! appends take a transaction-scoped advisory lock so the chain has one
//! order; SQLite has one writer.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::UserId;
use crate::store::schema::audit_log;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry records, before it is chained.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub actor: Option<UserId>,
    /// `post.hide`, `thread.lock`, `login.failure` …
    pub action: &'a str,
    /// `post:12`, `thread:3`, `user:5`, `group:2`, `flag:9`.
    pub target: String,
    pub reason: &'a str,
    pub details: serde_json::Value,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    id: i64,
    at: NaiveDateTime,
    actor: Option<UserId>,
    action: &str,
    target: &str,
    reason: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &id.to_string(),
        &crate::rfc3339(at),
        &actor.map(|a| a.to_string()).unwrap_or_default(),
        action,
        target,
        reason,
        details,
    ] {
        // Length-prefixed, so no two different entries hash the same text.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends an entry; call it inside the transaction of the change.
pub fn append(conn: &mut DbConnection, entry: Entry<'_>) -> Result<i64> {
    if let DbConnection::Pg(pg) = conn {
        pg.batch_execute("SELECT pg_advisory_xact_lock(721133)")?;
    }
    let prev: Option<String> = audit_log::table
        .order(audit_log::id.desc())
        .select(audit_log::hash)
        .first(conn)
        .optional()?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_owned());
    let at = now();
    let details = entry.details.to_string();
    let reason: String = entry.reason.chars().take(1000).collect();
    let target: String = entry.target.chars().take(200).collect();
    // The id is part of the hash: insert, then seal the row with its hash.
    let id: i64 = diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::actor_id.eq(entry.actor),
            audit_log::action.eq(entry.action),
            audit_log::target.eq(&target),
            audit_log::reason.eq(&reason),
            audit_log::details.eq(&details),
            audit_log::prev_hash.eq(&prev),
            audit_log::hash.eq(""),
        ))
        .returning(audit_log::id)
        .get_result(conn)?;
    let hash = entry_hash(
        &prev,
        id,
        at,
        entry.actor,
        entry.action,
        &target,
        &reason,
        &details,
    );
    diesel::update(audit_log::table.find(id))
        .set(audit_log::hash.eq(hash))
        .execute(conn)?;
    Ok(id)
}

#[derive(Debug, Clone, Queryable)]
struct Row {
    id: i64,
    at: NaiveDateTime,
    actor_id: Option<UserId>,
    action: String,
    target: String,
    reason: String,
    details: String,
    prev_hash: String,
    hash: String,
}

/// An audit entry as moderators read it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditView {
    pub id: i64,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub at: NaiveDateTime,
    pub actor: Option<AuditActor>,
    pub action: String,
    pub target: String,
    pub reason: String,
    pub details: serde_json::Value,
    /// The entry is about a space the reader may not see: its target,
    /// reason and details are withheld (empty).
    pub restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditActor {
    pub id: i64,
    pub username: String,
}

/// Filters for reading the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// An action (`thread.lock`) or a prefix ending in a dot (`thread.`).
    pub action: Option<String>,
    pub target: Option<String>,
    /// Entries before this id (for paging back).
    pub before: Option<i64>,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    pub entries: i64,
    /// The first entry whose hash or link does not hold.
    pub first_broken: Option<i64>,
}

/// id, at, actor id, actor username, action, target, reason, details.
pub(crate) type ViewRow = (
    i64,
    NaiveDateTime,
    Option<i64>,
    Option<String>,
    String,
    String,
    String,
    String,
);

/// Entries per page.
pub const AUDIT_PAGE: i64 = 100;

impl Db {
    /// Records a security event that changes nothing else (a failed
    /// sign-in, a refused second factor).
    pub fn record_security_event(&self, entry: Entry<'_>) -> Result<()> {
        self.write(|conn| append(conn, entry).map(|_| ()))
    }

    /// Recomputes the chain from the first entry and names the first entry
    /// that was changed, or whose predecessor was changed or deleted.
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        self.read(|conn| {
            let mut prev = GENESIS.to_owned();
            let mut entries = 0;
            let mut after = 0i64;
            loop {
                let rows: Vec<Row> = audit_log::table
                    .filter(audit_log::id.gt(after))
                    .order(audit_log::id.asc())
                    .limit(1000)
                    .select((
                        audit_log::id,
                        audit_log::at,
                        audit_log::actor_id,
                        audit_log::action,
                        audit_log::target,
                        audit_log::reason,
                        audit_log::details,
                        audit_log::prev_hash,
                        audit_log::hash,
                    ))
                    .load(conn)?;
                let Some(last) = rows.last() else {
                    return Ok(AuditCheck {
                        entries,
                        first_broken: None,
                    });
                };
                after = last.id;
                for row in rows {
                    entries += 1;
                    let expected = entry_hash(
                        &prev,
                        row.id,
                        row.at,
                        row.actor_id,
                        &row.action,
                        &row.target,
                        &row.reason,
                        &row.details,
                    );
                    if row.prev_hash != prev || row.hash != expected {
                        return Ok(AuditCheck {
                            entries,
                            first_broken: Some(row.id),
                        });
                    }
                    prev = row.hash;
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field_and_the_link() {
        let at = now();
        let base = entry_hash(
            GENESIS,
            1,
            at,
            Some(UserId::from(2)),
            "post.hide",
            "post:3",
            "spam",
            "{}",
        );
        assert_eq!(base.len(), 64);
        for other in [
            entry_hash(
                "1",
                1,
                at,
                Some(UserId::from(2)),
                "post.hide",
                "post:3",
                "spam",
                "{}",
            ),
            entry_hash(
                GENESIS,
                2,
                at,
                Some(UserId::from(2)),
                "post.hide",
                "post:3",
                "spam",
                "{}",
            ),
            entry_hash(GENESIS, 1, at, None, "post.hide", "post:3", "spam", "{}"),
            entry_hash(
                GENESIS,
                1,
                at,
                Some(UserId::from(2)),
                "post.show",
                "post:3",
                "spam",
                "{}",
            ),
            entry_hash(
                GENESIS,
                1,
                at,
                Some(UserId::from(2)),
                "post.hide",
                "post:4",
                "spam",
                "{}",
            ),
            entry_hash(
                GENESIS,
                1,
                at,
                Some(UserId::from(2)),
                "post.hide",
                "post:3",
                "spa",
                "m{}",
            ),
        ] {
            assert_ne!(base, other);
        }
    }
}
