//! Group commit for SQLite's one writer connection.
//!
//! SQLite has one writer, and with `synchronous=FULL` every `COMMIT` waits
//! for the disk. When several writes arrive together they share one
//! transaction and one commit: the first to get the connection opens the
//! transaction, each write runs in its own savepoint on its own thread (a
//! write that fails is rolled back to its savepoint and leaves the others
//! alone), and the last write of the queue commits for all of them. No
//! write returns success before the commit that holds it is durable, and
//! a failed commit fails every write of its batch.
//!
//! Writes are not moved between threads: the open transaction is what is
//! passed from one writer to the next, so the closures need not be `Send`
//! or `'static`.

use diesel::connection::{Connection, TransactionManager};
use diesel::r2d2::PooledConnection;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use super::db::{DbConnection, Manager};
use crate::error::{CoreError, Result};

/// The most writes one transaction carries, so a steady stream of writers
/// still commits often.
const MAX_BATCH: usize = 64;

type Manage = <DbConnection as Connection>::TransactionManager;

/// What a write learns about its batch once it is over.
type Outcome = std::result::Result<(), String>;

#[derive(Default)]
pub(crate) struct GroupCommit {
    /// Writers that have arrived and not yet run their write.
    queued: AtomicUsize,
    writer: Mutex<Writer>,
    outcomes: Mutex<Outcomes>,
    finished: Condvar,
}

#[derive(Default)]
struct Writer {
    conn: Option<PooledConnection<Manager>>,
    /// The batch whose transaction is open, and how many writes it holds.
    open: Option<(u64, usize)>,
    /// The number of the last batch opened.
    opened: u64,
}

#[derive(Default)]
struct Outcomes {
    /// Every batch up to this number is over.
    finished: u64,
    /// Batches that did not commit, with the reason (kept for a while).
    failed: BTreeMap<u64, String>,
}

/// How a write ended, and what it appended to the event log.
pub(crate) struct Written<T> {
    pub result: Result<T>,
    /// The highest event `seq` the write appended (0 if none, or if it was
    /// not committed).
    pub appended: i64,
}

impl GroupCommit {
    /// Runs `f` in a savepoint of the shared transaction and returns once
    /// that transaction has committed (or failed). `connect` gives the
    /// writer connection when none is held.
    pub(crate) fn run<T>(
        &self,
        connect: impl FnOnce() -> Result<PooledConnection<Manager>>,
        f: impl FnOnce(&mut DbConnection) -> Result<T>,
    ) -> Written<T> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let batch = match self.join(&mut writer, connect) {
            Ok(batch) => batch,
            Err(e) => {
                self.queued.fetch_sub(1, Ordering::SeqCst);
                return Written {
                    result: Err(e),
                    appended: 0,
                };
            }
        };
        let conn: &mut DbConnection = writer.conn.as_mut().expect("joined with a connection");
        crate::store::events::APPENDED.with(|last| last.set(0));
        let ran = catch_unwind(AssertUnwindSafe(|| conn.transaction(f)));
        let appended = crate::store::events::APPENDED.with(|last| last.replace(0));
        let remaining = self.queued.fetch_sub(1, Ordering::SeqCst) - 1;
        let result = match ran {
            Ok(result) => result,
            Err(panic) => {
                // The connection's state is unknown: give it up, and the
                // batch with it.
                self.abandon(&mut writer, batch, "a write of the same batch panicked");
                drop(writer);
                resume_unwind(panic);
            }
        };
        // A failed write is rolled back to its savepoint; if even that
        // failed, the transaction cannot go on.
        if !matches!(
            Manage::transaction_manager_status_mut(conn).transaction_depth(),
            Ok(Some(depth)) if depth.get() == 1
        ) {
            self.abandon(
                &mut writer,
                batch,
                "a write of the same batch broke the transaction",
            );
            return Written {
                result: result.and(Err(CoreError::Internal(
                    "the write was not committed: the transaction broke".to_owned(),
                ))),
                appended: 0,
            };
        }
        let members = writer.open.map_or(0, |(_, n)| n) + 1;
        writer.open = Some((batch, members));
        if remaining == 0 || members >= MAX_BATCH {
            let conn: &mut DbConnection = writer.conn.as_mut().expect("connection held");
            let outcome = Manage::commit_transaction(conn).map_err(|e| e.to_string());
            if outcome.is_err() {
                // diesel rolls back a failed commit; a connection left in a
                // transaction anyway is given up.
                let conn: &mut DbConnection = writer.conn.as_mut().expect("connection held");
                if !matches!(
                    Manage::transaction_manager_status_mut(conn).transaction_depth(),
                    Ok(None)
                ) {
                    writer.conn = None;
                }
            }
            writer.open = None;
            self.finish(batch, outcome.clone());
            drop(writer);
            return committed(result, appended, outcome);
        }
        drop(writer);
        let outcome = self.wait(batch);
        committed(result, appended, outcome)
    }

    /// Joins the open batch, or opens one.
    fn join(
        &self,
        writer: &mut Writer,
        connect: impl FnOnce() -> Result<PooledConnection<Manager>>,
    ) -> Result<u64> {
        if let Some((batch, _)) = writer.open {
            return Ok(batch);
        }
        if writer.conn.is_none() {
            writer.conn = Some(connect()?);
        }
        let conn: &mut DbConnection = writer.conn.as_mut().expect("connection held");
        if let Err(e) = Manage::begin_transaction(conn) {
            writer.conn = None;
            return Err(e.into());
        }
        writer.opened += 1;
        writer.open = Some((writer.opened, 0));
        Ok(writer.opened)
    }

    /// Rolls the open batch back, drops the connection if it cannot be
    /// trusted, and tells the batch's writers.
    fn abandon(&self, writer: &mut Writer, batch: u64, why: &str) {
        if let Some(conn) = writer.conn.as_mut() {
            let conn: &mut DbConnection = conn;
            // Out of every savepoint, then out of the transaction.
            let mut clean = false;
            for _ in 0..8 {
                match Manage::transaction_manager_status_mut(conn).transaction_depth() {
                    Ok(None) => {
                        clean = true;
                        break;
                    }
                    Ok(Some(_)) if Manage::rollback_transaction(conn).is_ok() => {}
                    _ => break,
                }
            }
            if !clean {
                // Not given back to the pool (see `Manager::has_broken`).
                writer.conn = None;
            }
        }
        writer.open = None;
        self.finish(batch, Err(why.to_owned()));
    }

    fn finish(&self, batch: u64, outcome: Outcome) {
        let mut outcomes = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
        outcomes.finished = outcomes.finished.max(batch);
        if let Err(why) = outcome {
            outcomes.failed.insert(batch, why);
        }
        // Writers of a batch read its outcome as soon as it is over; keep
        // failures long enough for the slowest of them.
        while let Some((&oldest, _)) = outcomes.failed.first_key_value() {
            if oldest + 1024 >= batch {
                break;
            }
            outcomes.failed.remove(&oldest);
        }
        self.finished.notify_all();
    }

    fn wait(&self, batch: u64) -> Outcome {
        let mut outcomes = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
        while outcomes.finished < batch {
            outcomes = self
                .finished
                .wait(outcomes)
                .unwrap_or_else(PoisonError::into_inner);
        }
        match outcomes.failed.get(&batch) {
            Some(why) => Err(why.clone()),
            None => Ok(()),
        }
    }

    /// The number of batches opened so far (tests: fewer than the writes
    /// when writes arrive together).
    #[cfg(any(test, feature = "test-support"))]
    pub(crate) fn batches(&self) -> u64 {
        self.writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .opened
    }
}

fn committed<T>(result: Result<T>, appended: i64, outcome: Outcome) -> Written<T> {
    match (result, outcome) {
        (Ok(value), Ok(())) => Written {
            result: Ok(value),
            appended,
        },
        (Ok(_), Err(why)) => Written {
            result: Err(CoreError::Internal(format!(
                "the write was not committed: {why}"
            ))),
            appended: 0,
        },
        (Err(e), _) => Written {
            result: Err(e),
            appended: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::error::CoreError;
    use crate::store::db::Db;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    use std::sync::{Arc, Barrier};

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn scratch() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path().join("forum.db").to_str().unwrap(), 4).unwrap();
        db.write(|conn| {
            conn.batch_execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, v BIGINT NOT NULL)")?;
            Ok(())
        })
        .unwrap();
        (dir, db)
    }

    fn count(db: &Db, filter: &str) -> i64 {
        db.read(|conn| {
            Ok(
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM scratch WHERE {filter}"))
                    .get_result::<Count>(conn)?
                    .n,
            )
        })
        .unwrap()
    }

    #[test]
    fn writes_arriving_together_share_commits_and_a_failed_one_leaves_no_trace() {
        let (_dir, db) = scratch();
        let before = db.write_batches();
        let (threads, each) = (8, 40);
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (db, barrier) = (db.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut kept = Vec::new();
                    for i in 0..each {
                        let v = (t * 1000 + i) as i64;
                        let fails = i % 4 == 3;
                        let result = db.write(|conn| {
                            diesel::sql_query(format!("INSERT INTO scratch (v) VALUES ({v})"))
                                .execute(conn)?;
                            // Hold the transaction a moment, so others queue.
                            std::thread::sleep(std::time::Duration::from_micros(300));
                            if fails {
                                return Err(CoreError::Internal("refused".to_owned()));
                            }
                            Ok(v)
                        });
                        assert_eq!(result.is_ok(), !fails, "write {v}: {result:?}");
                        if let Ok(v) = result {
                            kept.push(v);
                        }
                    }
                    kept
                })
            })
            .collect();
        let kept: Vec<i64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let writes = (threads * each) as u64;
        assert_eq!(kept.len(), threads * each * 3 / 4);
        // Every acknowledged write is there, and no refused one.
        assert_eq!(count(&db, "1 = 1"), kept.len() as i64);
        assert_eq!(count(&db, "v % 1000 % 4 = 3"), 0);
        let batches = db.write_batches() - before;
        assert!(
            batches < writes / 2,
            "{writes} concurrent writes took {batches} transactions"
        );
    }

    #[test]
    fn a_write_that_panics_fails_its_batch_and_the_writer_goes_on() {
        let (_dir, db) = scratch();
        let panicking = {
            let db = db.clone();
            std::thread::spawn(move || {
                let _ = db.write(|conn| -> crate::error::Result<()> {
                    diesel::sql_query("INSERT INTO scratch (v) VALUES (1)").execute(conn)?;
                    panic!("a bug in a write");
                });
            })
        };
        assert!(panicking.join().is_err());
        db.write(|conn| {
            diesel::sql_query("INSERT INTO scratch (v) VALUES (2)").execute(conn)?;
            Ok(())
        })
        .unwrap();
        assert_eq!(count(&db, "v = 1"), 0);
        assert_eq!(count(&db, "v = 2"), 1);
    }
}
