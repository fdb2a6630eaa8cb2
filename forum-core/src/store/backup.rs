//! What backing up and restoring needs from the database: a consistent copy
//! of a SQLite database while it serves (`VACUUM INTO`), the facts a backup
//! records (counts, the audit chain's head, the latest migration), whether a
//! database already holds a forum, and the PostgreSQL advisory lock by which
//! running servers tell a restore to keep away. `pg_dump`/`pg_restore` are
//! run by the binary; nothing here spawns programs.

use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use super::db::{Db, DbConnection, establish_postgres, sqlite_path};
use super::schema::{attachments, audit_log, posts, users};
use crate::{Backend, CoreError, Result};

/// The last entry of the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditHead {
    pub entry_id: i64,
    pub hash: String,
}

/// What a backup states about the forum it copied, read just before the
/// copy: the copy holds at least this much (the audit log and posts only
/// grow, and a post removed later is still counted here).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BackupFacts {
    pub users: i64,
    pub posts: i64,
    pub attachments: i64,
    pub audit_head: Option<AuditHead>,
    /// The newest migration applied, e.g. `20261205000021`.
    pub migration: Option<String>,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

/// The key of the advisory lock every serving process holds shared on
/// PostgreSQL ("Comity" in ASCII).
const SERVER_LOCK_KEY: i64 = 0x436f_6d69_7479;

impl Db {
    /// Counts, the audit head and the schema version, for a backup's
    /// manifest.
    pub fn backup_facts(&self) -> Result<BackupFacts> {
        self.read(|conn| {
            let users = users::table.count().get_result::<i64>(conn)?;
            let posts = posts::table.count().get_result::<i64>(conn)?;
            let attachments = attachments::table.count().get_result::<i64>(conn)?;
            let audit_head = audit_head(conn)?;
            let migration = diesel::sql_query(
                "SELECT version FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1",
            )
            .load::<Version>(conn)?
            .pop()
            .map(|v| v.version);
            Ok(BackupFacts {
                users,
                posts,
                attachments,
                audit_head,
                migration,
            })
        })
    }

    /// The audit chain's last entry.
    pub fn audit_head(&self) -> Result<Option<AuditHead>> {
        self.read(audit_head)
    }

    /// The hash recorded for audit entry `entry_id`, if it exists.
    pub fn audit_entry_hash(&self, entry_id: i64) -> Result<Option<String>> {
        self.read(|conn| {
            Ok(audit_log::table
                .find(entry_id)
                .select(audit_log::hash)
                .first::<String>(conn)
                .optional()?)
        })
    }

    /// Writes a consistent copy of this SQLite database to `to` (which must
    /// not exist) while the forum keeps serving: one read transaction, so
    /// writers go on (WAL) and the copy is one moment of the database.
    pub fn snapshot_sqlite(&self, to: &Path) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Err(CoreError::Internal(
                "VACUUM INTO is for SQLite; PostgreSQL is copied with pg_dump".into(),
            ));
        }
        let to = to
            .to_str()
            .ok_or_else(|| CoreError::Internal("the backup path is not UTF-8".into()))?
            .to_owned();
        self.read(|conn| {
            diesel::sql_query("VACUUM INTO ?")
                .bind::<Text, _>(to)
                .execute(conn)?;
            Ok(())
        })
    }
}

fn audit_head(conn: &mut DbConnection) -> Result<Option<AuditHead>> {
    Ok(audit_log::table
        .order(audit_log::id.desc())
        .select((audit_log::id, audit_log::hash))
        .first::<(i64, String)>(conn)
        .optional()?
        .map(|(entry_id, hash)| AuditHead { entry_id, hash }))
}

/// Whether the database at `url` already holds a forum (a user exists).
/// Never creates or migrates anything: a missing SQLite file holds none.
pub fn holds_forum(url: &str) -> Result<bool> {
    let query = "SELECT EXISTS (SELECT 1 FROM users) AS flag";
    match Backend::of_url(url) {
        Backend::Sqlite => {
            let path = sqlite_path(url);
            if std::fs::metadata(path)
                .map(|m| m.len() == 0)
                .unwrap_or(true)
            {
                return Ok(false);
            }
            let mut conn = diesel::SqliteConnection::establish(path)
                .map_err(|e| CoreError::Internal(format!("cannot open {path}: {e}")))?;
            let tables = diesel::sql_query(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users') AS flag",
            )
            .get_result::<Flag>(&mut conn)?;
            if !tables.flag {
                return Ok(false);
            }
            Ok(diesel::sql_query(query).get_result::<Flag>(&mut conn)?.flag)
        }
        Backend::Postgres => {
            let mut conn = establish_postgres(url)
                .map_err(|e| CoreError::Internal(format!("cannot reach PostgreSQL: {e}")))?;
            let tables =
                diesel::sql_query("SELECT to_regclass('public.users') IS NOT NULL AS flag")
                    .get_result::<Flag>(&mut conn)?;
            if !tables.flag {
                return Ok(false);
            }
            Ok(diesel::sql_query(query).get_result::<Flag>(&mut conn)?.flag)
        }
    }
}

/// Held by a serving process for its lifetime on PostgreSQL: a shared
/// advisory lock on a connection of its own (released when the process
/// dies, however it dies).
pub struct ServerLock {
    _conn: diesel::PgConnection,
}

impl std::fmt::Debug for ServerLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerLock")
    }
}

/// Takes the shared server lock on the PostgreSQL database at `url`.
pub fn hold_server_lock(url: &str) -> Result<ServerLock> {
    let mut conn = establish_postgres(url)
        .map_err(|e| CoreError::Internal(format!("cannot reach PostgreSQL: {e}")))?;
    diesel::sql_query("SELECT pg_advisory_lock_shared($1)")
        .bind::<BigInt, _>(SERVER_LOCK_KEY)
        .execute(&mut conn)?;
    Ok(ServerLock { _conn: conn })
}

/// Whether any process serves the PostgreSQL database at `url` (holds the
/// server lock); `false` only when none does. The connection that asked
/// ends here, so nothing stays locked.
pub fn server_running(url: &str) -> Result<bool> {
    let mut conn = establish_postgres(url)
        .map_err(|e| CoreError::Internal(format!("cannot reach PostgreSQL: {e}")))?;
    let free = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS flag")
        .bind::<BigInt, _>(SERVER_LOCK_KEY)
        .get_result::<Flag>(&mut conn)?;
    Ok(!free.flag)
}
