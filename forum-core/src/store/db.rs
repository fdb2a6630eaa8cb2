//! Database connections for both backends behind one type.
//!
//! [`DbConnection`] is a diesel `MultiConnection` over SQLite and
//! PostgreSQL, so every query in `forum-core` is written once. [`Db`] holds
//! two pools: with SQLite the write pool has exactly one connection (SQLite
//! has one writer; queueing on our side beats `SQLITE_BUSY`) and reads use a
//! pool of readers over WAL; with PostgreSQL both pools are the same.
//! Every connection is configured on checkout: SQLite gets WAL,
//! `synchronous=FULL` (an acknowledged write survives power loss), foreign
//! keys and a busy timeout.
//!
//! All calls here block: the server runs them on its blocking thread pool,
//! except under [`Db::without_waiting`], where any that would ask the
//! database is refused so the caller can answer from memory or move on.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool};
use std::cell::Cell;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::domain::settings::{PolicyCell, SecondFactorPolicy};
use crate::error::{CoreError, Result};
use crate::store::cache::{LogCache, LogObserver, Stale};
use crate::store::migrate::migrate;

thread_local! {
    /// Inside [`Db::without_waiting`] on this thread: `Some(true)` once a
    /// database access was refused. `None` outside.
    static NOT_WAITING: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Refuses a database access inside [`Db::without_waiting`], noting it.
pub(crate) fn refuse_if_not_waiting() -> Result<()> {
    NOT_WAITING.with(|state| match state.get() {
        None => Ok(()),
        Some(_) => {
            state.set(Some(true));
            Err(CoreError::Internal(
                "the database is not asked on this thread".to_owned(),
            ))
        }
    })
}

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

/// Which database a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Strips an optional `sqlite://` prefix from a SQLite URL, giving a path.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

pub(crate) const SQLITE_CONNECTION_PRAGMAS: &str = "PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 10000; \
     PRAGMA synchronous = FULL; \
     PRAGMA secure_delete = ON;";

/// Opens a PostgreSQL connection. Every PostgreSQL connection of the
/// project, the tests' and benchmarks' included, is made here.
///
/// The bundled libpq uses the system OpenSSL. Left to itself, OpenSSL
/// registers a clean-up that runs at process exit and frees its locks while
/// other threads may still be connecting (a pool refilling itself, a
/// listener reconnecting), which crashes the process on its way out (diesel
/// #3441). So OpenSSL is initialised here first, without that clean-up: the
/// operating system frees everything at exit anyway.
///
/// Connecting gives up after [`CONNECT_TIMEOUT_SECS`] unless the URL says
/// otherwise: libpq alone waits for the operating system (about two
/// minutes for a host that does not answer), and a request may be
/// waiting on the connection (the log's head, `events::HeadConnections`).
pub fn establish_postgres(url: &str) -> ConnectionResult<diesel::PgConnection> {
    openssl_sys::init();
    diesel::PgConnection::establish(&with_connect_timeout(url))
}

/// How long a PostgreSQL connection may take to open, unless the URL sets
/// `connect_timeout` (as long as the pool waits for a connection).
pub const CONNECT_TIMEOUT_SECS: u32 = 10;

/// `url` with libpq's `connect_timeout` set, unless it is: a URI gets a
/// query parameter, a `key=value` string one more pair.
fn with_connect_timeout(url: &str) -> std::borrow::Cow<'_, str> {
    if url.contains("connect_timeout=") {
        return url.into();
    }
    let setting = format!("connect_timeout={CONNECT_TIMEOUT_SECS}");
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let joint = if url.contains('?') { '&' } else { '?' };
        format!("{url}{joint}{setting}").into()
    } else {
        format!("{url} {setting}").into()
    }
}

/// An r2d2 manager that opens the backend the URL names (the derived
/// `establish` would try SQLite first for any string).
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> std::result::Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_CONNECTION_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres => {
                let conn = establish_postgres(&self.url).map_err(r2d2::Error::ConnectionError)?;
                Ok(DbConnection::Pg(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> std::result::Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection given back while still inside a transaction (or with
    /// its transaction state lost) is not used again.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::connection::TransactionManager;
        !matches!(
            <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
                .transaction_depth(),
            Ok(None)
        )
    }
}

/// Called after every committed write (the server wakes its event-log
/// tailers with it).
pub type CommitHook = Box<dyn Fn() + Send + Sync>;

/// Every category with its groups and thread count (the category list's
/// cached form; the viewer's filter is applied on each read).
pub type CategoryList = Arc<
    Vec<(
        crate::store::rows::Category,
        Vec<crate::store::ids::GroupId>,
        i64,
    )>,
>;

/// The category list changes with new categories and whatever changes how
/// many threads a category holds.
fn stale_categories(event: &crate::store::event_payloads::Event) -> Stale<()> {
    use crate::store::event_payloads::Event;
    match event {
        Event::CategoryCreated(_)
        | Event::ThreadCreated(_)
        | Event::ThreadMoved(_)
        | Event::ThreadMerged(_)
        | Event::ThreadSplit(_) => Stale::Everything,
        _ => Stale::Nothing,
    }
}

/// A thread — or a post, stricter than its thread — whose mark names its
/// readers, as stored: what the access layer makes its marking from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedThread {
    /// Set for a post's own mark (`thread_id` is then its thread's).
    pub post_id: Option<crate::store::ids::PostId>,
    pub thread_id: crate::store::ids::ThreadId,
    pub category_id: crate::store::ids::CategoryId,
    pub author_id: crate::store::ids::UserId,
    pub mark: crate::domain::mark::Mark,
    /// `(kind, value)` rows of `mark_recipients` (or
    /// `post_mark_recipients`).
    pub readers: Vec<(String, String)>,
}

/// Every thread and post whose mark names its readers (the cached form).
pub type NamedMarkings = Arc<Vec<MarkedThread>>;

/// A thread's marking changes when it is created, updated (its mark or
/// recipients, the glass broken), moved, merged or split; a post's when it
/// is created with a mark naming readers or edited.
fn stale_markings(event: &crate::store::event_payloads::Event) -> Stale<()> {
    use crate::store::event_payloads::Event;
    match event {
        Event::ThreadCreated(_)
        | Event::ThreadUpdated(_)
        | Event::ThreadMoved(_)
        | Event::ThreadMerged(_)
        | Event::ThreadSplit(_)
        | Event::PostEdited(_) => Stale::Everything,
        Event::PostCreated(e) if e.post.mark_recipients.is_some() => Stale::Everything,
        _ => Stale::Nothing,
    }
}

/// Pools of connections to the forum database.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
    url: Arc<str>,
    read: Pool<Manager>,
    write: Pool<Manager>,
    on_commit: Arc<OnceLock<CommitHook>>,
    /// The highest event `seq` committed by this process.
    written: Arc<std::sync::atomic::AtomicI64>,
    /// The category list, kept by the event log.
    categories: Arc<LogCache<(), CategoryList, ()>>,
    /// The threads whose marks name their readers, kept by the event log.
    markings: Arc<LogCache<(), NamedMarkings, ()>>,
    /// Reads of the log's head shared by concurrent callers.
    head: Arc<crate::store::cache::SharedHead>,
    /// Queries of the log's head made ([`Db::last_event_seq`]).
    pub(crate) head_reads: Arc<std::sync::atomic::AtomicU64>,
    /// PostgreSQL connections of their own for those queries.
    pub(crate) head_connections: Arc<crate::store::events::HeadConnections>,
    /// SQLite's writes, committed in groups.
    group: Arc<crate::store::group_commit::GroupCommit>,
    second_factor: Arc<PolicyCell>,
    /// Whether a mailer sends e-mail (the notifier marks nothing due
    /// otherwise).
    email_on: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

/// How full a connection pool is (for metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// Connections open.
    pub connections: u32,
    /// Of those, idle.
    pub idle: u32,
}

impl Db {
    /// The reading and writing pools' use (the same pool on PostgreSQL).
    pub fn pool_use(&self) -> (PoolUse, PoolUse) {
        let of = |pool: &Pool<Manager>| {
            let state = pool.state();
            PoolUse {
                connections: state.connections,
                idle: state.idle_connections,
            }
        };
        (of(&self.read), of(&self.write))
    }

    /// Opens (and for SQLite creates) the database and applies pending
    /// migrations.
    pub fn open(url: &str, pool_size: u32) -> Result<Db> {
        migrate(url)?;
        Db::open_as_is(url, pool_size)
    }

    /// Opens the database as it is, migrating nothing (a backup copies
    /// what is there, even a schema an older build left).
    pub fn open_as_is(url: &str, pool_size: u32) -> Result<Db> {
        let backend = Backend::of_url(url);
        let manager = Manager {
            url: url.to_owned(),
            backend,
        };
        let build = |size: u32| {
            Pool::builder()
                .max_size(size)
                .connection_timeout(Duration::from_secs(CONNECT_TIMEOUT_SECS.into()))
                // A PostgreSQL connection can die while pooled (a restart, a
                // network cut): check it before use. A SQLite connection
                // is a file handle in this process: the check would only
                // cost a statement per request.
                .test_on_check_out(backend == Backend::Postgres)
                .build(manager.clone())
                .map_err(|e| CoreError::Internal(format!("cannot open database: {e}")))
        };
        let (read, write) = match backend {
            Backend::Sqlite => (build(pool_size.max(1))?, build(1)?),
            Backend::Postgres => {
                let pool = build(pool_size.max(2))?;
                (pool.clone(), pool)
            }
        };
        Ok(Db {
            backend,
            url: url.into(),
            read,
            write,
            on_commit: Arc::default(),
            written: Arc::default(),
            categories: Arc::new(LogCache::new(1, |_, _| (), stale_categories)),
            markings: Arc::new(LogCache::new(1, |_, _| (), stale_markings)),
            head: Arc::default(),
            group: Arc::default(),
            second_factor: Arc::new(PolicyCell::new(SecondFactorPolicy::Staff)),
            email_on: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            head_reads: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            head_connections: Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Who must use a second factor.
    pub fn second_factor_policy(&self) -> &PolicyCell {
        &self.second_factor
    }

    /// Tells the notifier whether e-mail is sent (a mailer runs): only then
    /// are notifications marked due for e-mail.
    pub fn set_email_on(&self, on: bool) {
        self.email_on
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn email_on(&self) -> bool {
        self.email_on.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The URL this database was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sets the hook called after each committed write; only the first
    /// call has an effect.
    pub fn set_commit_hook(&self, hook: CommitHook) {
        let _ = self.on_commit.set(hook);
    }

    /// The category list's cache: the server's tailer feeds it (see
    /// [`Db::log_observers`]).
    pub fn category_cache(&self) -> &LogCache<(), CategoryList, ()> {
        &self.categories
    }

    /// The cache of the threads whose marks name their readers (fed by the
    /// event log like the category list).
    pub(crate) fn marking_cache(&self) -> &LogCache<(), NamedMarkings, ()> {
        &self.markings
    }

    /// The caches inside `Db` that the event-log tailer must feed.
    pub fn log_observers(&self) -> Vec<Arc<dyn LogObserver>> {
        vec![self.categories.clone(), self.markings.clone()]
    }

    /// The highest event `seq` this process has committed (0 before its
    /// first). A cache fed by the log is fresh for this process's own
    /// writes once it has applied the log up to here.
    pub fn written_seq(&self) -> i64 {
        self.written.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn head(&self) -> &crate::store::cache::SharedHead {
        &self.head
    }

    /// How many times this process asked the database for the log's head
    /// ([`Db::last_event_seq`]): on PostgreSQL, what serving from the
    /// caches still costs in round trips (`comity_log_head_reads_total`).
    pub fn head_reads(&self) -> u64 {
        self.head_reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `f` on a reader connection.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T>) -> Result<T> {
        refuse_if_not_waiting()?;
        let mut conn = self.read.get()?;
        f(&mut conn)
    }

    /// Runs `call` on this thread, one that must not wait for the
    /// database (an async worker), so that it answers from what the
    /// caches hold: every database access in it is refused, and then the
    /// answer is `None`, whatever `call` made of the refusal, and the
    /// caller runs it again where waiting is allowed. An answer given is
    /// the one the same call would give on a blocking thread: both read
    /// the same caches. On PostgreSQL a cached answer first needs the
    /// log's head: without one already read ([`Db::at_head`]) this is
    /// `None` at once.
    pub fn without_waiting<T>(&self, call: impl FnOnce(&Db) -> T) -> Option<T> {
        if self.backend != Backend::Sqlite && self.known_head().is_none() {
            return None;
        }
        /// Puts back the state of an enclosing call, even on a panic.
        struct Restore(Option<bool>);
        impl Drop for Restore {
            fn drop(&mut self) {
                NOT_WAITING.with(|state| state.set(self.0));
            }
        }
        let _restore = Restore(NOT_WAITING.with(|state| state.replace(Some(false))));
        let answer = call(self);
        let refused = NOT_WAITING.with(|state| state.get()) == Some(true);
        (!refused).then_some(answer)
    }

    /// Runs `f` in a transaction on the writer connection. The change and
    /// its event-log rows commit together or not at all, and `Ok` means
    /// committed. On SQLite, writes that arrive together share one
    /// transaction and one commit, each in its own savepoint (see
    /// [`group_commit`](crate::store::group_commit)); PostgreSQL runs
    /// concurrent transactions and groups their commits itself.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T>) -> Result<T> {
        refuse_if_not_waiting()?;
        let (result, appended) = match self.backend {
            Backend::Sqlite => {
                let written = self
                    .group
                    .run(|| self.write.get().map_err(CoreError::from), f);
                (written.result, written.appended)
            }
            Backend::Postgres => {
                let mut pooled = self.write.get()?;
                let conn: &mut DbConnection = &mut pooled;
                crate::store::events::APPENDED.with(|last| last.set(0));
                let result = conn.transaction(f);
                drop(pooled);
                let appended = crate::store::events::APPENDED.with(|last| last.replace(0));
                (result, appended)
            }
        };
        if result.is_ok() && appended > 0 {
            self.written
                .fetch_max(appended, std::sync::atomic::Ordering::AcqRel);
        }
        if result.is_ok()
            && let Some(hook) = self.on_commit.get()
        {
            hook();
        }
        result
    }

    /// How many transactions the writer has opened (tests of group
    /// commit).
    #[cfg(any(test, feature = "test-support"))]
    pub fn write_batches(&self) -> u64 {
        self.group.batches()
    }
}

#[cfg(test)]
mod sqlite_build_tests {
    use diesel::connection::Connection;
    use diesel::sql_types::Text;
    use diesel::{QueryableByName, RunQueryDsl};

    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = Text)]
        compile_options: String,
    }

    /// Built without the query planner stability guarantee (the
    /// workspace's `.cargo/config.toml` sets it), SQLite prepares every
    /// statement with a bound `LIMIT` again each time it runs.
    #[test]
    fn sqlite_is_built_with_a_stable_query_planner() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        let options: Vec<String> = diesel::sql_query("PRAGMA compile_options")
            .load::<CompileOption>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|o| o.compile_options)
            .collect();
        assert!(
            options.iter().any(|o| o == "ENABLE_QPSG"),
            "SQLite was built without ENABLE_QPSG: {options:?}"
        );
    }
}

#[cfg(test)]
mod multi_connection_tests {
    use super::{DbConnection, MultiBackend};
    use diesel::connection::Connection;
    use diesel::prelude::*;
    use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
    use std::cell::Cell;

    thread_local! {
        static WALKS: Cell<usize> = const { Cell::new(0) };
    }

    /// A query that counts how often diesel walks it.
    #[derive(QueryId)]
    struct Counted<Q>(Q);

    impl<Q: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for Counted<Q> {
        fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
            WALKS.with(|w| w.set(w.get() + 1));
            self.0.walk_ast(pass)
        }
    }

    impl<Q: Query> Query for Counted<Q> {
        type SqlType = Q::SqlType;
    }

    impl<Q> RunQueryDsl<DbConnection> for Counted<Q> {}

    diesel::table! {
        scratch (id) {
            id -> BigInt,
            v -> Text,
        }
    }

    /// The vendored `#[derive(MultiConnection)]` (vendor/README.md) builds
    /// a query's SQL only when the SQL is wanted. Upstream's builds it in
    /// every pass over the query, five walks for a statement the cache
    /// already holds; this fails if the patch is lost.
    #[test]
    fn a_kept_statement_is_bound_without_building_its_sql_again() {
        let mut conn = DbConnection::establish(":memory:").unwrap();
        diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            "CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
             INSERT INTO scratch (id, v) VALUES (1, 'one'), (2, 'two');",
        )
        .unwrap();
        let ask = |conn: &mut DbConnection, id: i64| {
            WALKS.with(|w| w.set(0));
            let found: Vec<String> =
                Counted(scratch::table.filter(scratch::id.eq(id)).select(scratch::v))
                    .load(conn)
                    .unwrap();
            (found, WALKS.with(Cell::get))
        };
        let (first, _) = ask(&mut conn, 1);
        assert_eq!(first, ["one"]);
        // Kept prepared: the values are bound and the right row comes back.
        let (second, walks) = ask(&mut conn, 2);
        assert_eq!(second, ["two"]);
        assert!(
            walks <= 2,
            "a kept statement was walked {walks} times (upstream's derive: 5)"
        );
    }
}

#[cfg(test)]
mod connect_timeout_tests {
    use super::with_connect_timeout;

    #[test]
    fn every_url_form_gets_a_connect_timeout_unless_it_has_one() {
        assert_eq!(
            with_connect_timeout("postgres://comity@db.internal/comity"),
            "postgres://comity@db.internal/comity?connect_timeout=10"
        );
        assert_eq!(
            with_connect_timeout("postgresql://db/comity?sslmode=verify-full"),
            "postgresql://db/comity?sslmode=verify-full&connect_timeout=10"
        );
        assert_eq!(
            with_connect_timeout("host=/var/run/postgresql dbname=comity"),
            "host=/var/run/postgresql dbname=comity connect_timeout=10"
        );
        assert_eq!(
            with_connect_timeout("postgres://db/comity?connect_timeout=3"),
            "postgres://db/comity?connect_timeout=3"
        );
    }
}
