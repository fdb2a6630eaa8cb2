//! Schema migrations for both backends (embedded from `migrations/`) and
//! the copy of the shipped reference data — jurisdiction taxonomy and
//! instruments catalogue — into their tables.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use sha2::{Digest, Sha256};

use crate::domain::instruments as catalogue;
use crate::domain::jurisdictions as taxonomy;
use crate::error::{CoreError, Result};
use crate::store::db::{Backend, DbConnection, SQLITE_CONNECTION_PRAGMAS, sqlite_path};
use crate::store::schema::site_settings;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Applies pending migrations for the backend the URL selects, then copies
/// the shipped reference data (jurisdiction taxonomy, instruments) into its
/// tables if it changed; returns the versions applied.
pub fn migrate(url: &str) -> Result<Vec<String>> {
    migrate_showing(url, &mut |_, _| {})
}

/// [`migrate`], telling `step` how many of how many migrations are done:
/// `(0, n)` before the first, then after each.
pub fn migrate_showing(url: &str, step: &mut dyn FnMut(usize, usize)) -> Result<Vec<String>> {
    let applied = match Backend::of_url(url) {
        Backend::Sqlite => {
            let path = Path::new(sqlite_path(url));
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    CoreError::Internal(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
            let mut conn = diesel::SqliteConnection::establish(sqlite_path(url))
                .map_err(|e| CoreError::Internal(format!("cannot open sqlite database: {e}")))?;
            // The busy timeout first: switching to WAL needs a moment's
            // exclusive lock, and another process (a server shutting down
            // and checkpointing, a concurrent `create-admin`) may hold one.
            conn.batch_execute(SQLITE_CONNECTION_PRAGMAS)?;
            conn.batch_execute("PRAGMA journal_mode = WAL;")?;
            let applied = run(&mut conn, SQLITE_MIGRATIONS, step)?;
            sync_reference_data(&mut DbConnection::Sqlite(conn))?;
            applied
        }
        Backend::Postgres => {
            let mut conn = crate::store::db::establish_postgres(url)
                .map_err(|e| CoreError::Internal(format!("cannot connect to postgres: {e}")))?;
            // Several servers may start at once against one database.
            conn.batch_execute("SELECT pg_advisory_lock(721131)")?;
            let result = run(&mut conn, POSTGRES_MIGRATIONS, step);
            let mut conn = DbConnection::Pg(conn);
            let result = result.and_then(|applied| sync_reference_data(&mut conn).map(|_| applied));
            conn.batch_execute("SELECT pg_advisory_unlock(721131)")?;
            result?
        }
    };
    Ok(applied)
}

fn run<C>(
    conn: &mut C,
    migrations: EmbeddedMigrations,
    step: &mut dyn FnMut(usize, usize),
) -> Result<Vec<String>>
where
    C: MigrationHarness<C::Backend> + Connection,
{
    let pending = conn
        .pending_migrations(migrations)
        .map_err(|e| CoreError::Internal(format!("migration failed: {e}")))?;
    let total = pending.len();
    step(0, total);
    let mut versions = Vec::with_capacity(total);
    for (done, migration) in pending.iter().enumerate() {
        let version = conn
            .run_migration(migration.as_ref())
            .map_err(|e| CoreError::Internal(format!("migration failed: {e}")))?;
        versions.push(version.to_string());
        step(done + 1, total);
    }
    Ok(versions)
}

/// A fingerprint of the shipped reference data.
fn reference_fingerprint() -> String {
    let mut hash = Sha256::new();
    for j in taxonomy::all() {
        hash.update(format!(
            "{}|{}|{}|{}|{}|{}|{}\n",
            j.code,
            j.family,
            j.name_en,
            j.name_fr,
            j.name_es,
            j.name_ar,
            j.members.join(",")
        ));
    }
    for i in catalogue::all() {
        hash.update(serde_json::to_string(i).unwrap_or_default());
    }
    hex::encode(hash.finalize())
}

const REFERENCE_KEY: &str = "reference_data";

/// Copies the taxonomy and the instruments catalogue into their tables
/// when the shipped data changed since the last copy (one transaction).
pub(crate) fn sync_reference_data(conn: &mut DbConnection) -> Result<bool> {
    let fingerprint = reference_fingerprint();
    let stored: Option<String> = site_settings::table
        .find(REFERENCE_KEY)
        .select(site_settings::value)
        .first(conn)
        .optional()?;
    if stored.as_deref() == Some(fingerprint.as_str()) {
        return Ok(false);
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut sql = String::from(
        "DELETE FROM jurisdiction_members; DELETE FROM instrument_articles; \
         DELETE FROM jurisdictions; DELETE FROM instruments;\n",
    );
    let rows: Vec<String> = taxonomy::all()
        .map(|j| {
            format!(
                "({}, {}, {}, {}, {}, {}, {})",
                quote(&j.code),
                quote(j.kind().as_str()),
                quote(&j.family),
                quote(&j.name_en),
                quote(&j.name_fr),
                quote(&j.name_es),
                quote(&j.name_ar)
            )
        })
        .collect();
    sql.push_str(&format!(
        "INSERT INTO jurisdictions (code, kind, family, name_en, name_fr, name_es, name_ar) VALUES {};\n",
        rows.join(",\n")
    ));
    let members: Vec<String> = taxonomy::regions()
        .flat_map(|r| {
            r.members
                .iter()
                .map(move |m| format!("({}, {})", quote(&r.code), quote(m)))
        })
        .collect();
    sql.push_str(&format!(
        "INSERT INTO jurisdiction_members (region, country) VALUES {};\n",
        members.join(",\n")
    ));
    let instruments: Vec<String> = catalogue::all()
        .iter()
        .map(|i| {
            format!(
                "({}, {}, {}, {}, {})",
                quote(&i.id),
                quote(&i.short_name),
                quote(&i.title),
                i.year,
                i.amended
                    .map_or_else(|| "NULL".to_owned(), |d| quote(&d.to_string()))
            )
        })
        .collect();
    sql.push_str(&format!(
        "INSERT INTO instruments (id, short_name, title, year, amended) VALUES {};\n",
        instruments.join(",\n")
    ));
    let articles: Vec<String> = catalogue::all()
        .iter()
        .flat_map(|i| {
            i.articles.iter().map(move |a| {
                format!(
                    "({}, {}, {})",
                    quote(&i.id),
                    quote(&a.number),
                    quote(&a.title)
                )
            })
        })
        .collect();
    sql.push_str(&format!(
        "INSERT INTO instrument_articles (instrument_id, number, title) VALUES {};\n",
        articles.join(",\n")
    ));
    sql.push_str(&format!(
        "DELETE FROM site_settings WHERE key = {key};\n\
         INSERT INTO site_settings (key, value) VALUES ({key}, {});\n",
        quote(&fingerprint),
        key = quote(REFERENCE_KEY)
    ));
    // The rows are the shipped data, written by us and quoted above: no
    // input from outside reaches this SQL.
    conn.transaction(|conn| {
        match conn {
            DbConnection::Sqlite(c) => c.batch_execute(&sql)?,
            DbConnection::Pg(c) => c.batch_execute(&sql)?,
        }
        Ok(true)
    })
}

impl crate::store::db::Db {
    /// Whether the database lacks a migration this build ships (`/readyz`
    /// answers 503 until it is migrated).
    pub fn migrations_pending(&self) -> Result<bool> {
        self.read(|conn| {
            let pending = match conn {
                DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
                DbConnection::Pg(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
            };
            pending.map_err(|e| CoreError::Internal(format!("cannot read migrations: {e}")))
        })
    }
}
