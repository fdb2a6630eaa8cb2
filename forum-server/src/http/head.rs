//! The event log's head for each request on PostgreSQL, read once for all
//! the requests that arrive together.
//!
//! A cached answer on PostgreSQL is fresh when the caches have applied the
//! log up to a head read *after the request began*: another process's
//! change, committed before the request, is then seen at once. Reading it
//! per request from a blocking thread cost each request a trip to the
//! blocking pool and a query. [`FreshHead::read`] waits on the async
//! worker instead: reads run on the blocking pool, at most
//! [`FreshHead::IN_FLIGHT`] at a time, and every request that asked before
//! a read started is answered by it. A request arriving while a read runs
//! starts the next one at once rather than waiting for it to end, so it
//! waits for one round trip, not up to two. The middleware
//! ([`super::identity::resolve_caller`]) reads it first and keeps it for
//! the rest of the request ([`REQUEST_HEAD`]), so that the viewer and the
//! page come from the caches without another trip ([`forum_core::Db::at_head`]).
//!
//! SQLite has one server process, whose own writes the caches already
//! count: nothing is read there.

use std::sync::Arc;

use forum_core::Db;
use forum_core::store::db::Backend;
use tokio::sync::watch;

use crate::error::ApiError;

tokio::task_local! {
    /// The head read for the request being handled (PostgreSQL only).
    pub static REQUEST_HEAD: i64;
}

/// The head read for the request this task is handling, if any.
pub fn request_head() -> Option<i64> {
    REQUEST_HEAD.try_with(|head| *head).ok()
}

/// Runs `f` on the blocking pool at the head this request read, if any:
/// the caches `f` consults answer without reading the head again (a
/// PostgreSQL round trip, [`forum_core::Db::log_head`]). Every blocking call a
/// request makes goes through here; clippy refuses `web::block` elsewhere
/// (`clippy.toml`).
pub async fn blocking<T, F>(f: F) -> Result<T, actix_web::error::BlockingError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let head = request_head();
    #[allow(clippy::disallowed_methods)]
    actix_web::web::block(move || forum_core::store::events::with_head(head, f)).await
}

/// Reads of the log's head shared by the requests that wait together.
pub struct FreshHead {
    db: Db,
    reads: Arc<watch::Sender<Reads>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Reads {
    /// Reads started so far (the number of the latest).
    started: u64,
    /// The highest-numbered read that answered, and the highest head any
    /// read answered: reads may end out of order, and a later head only
    /// counts more.
    answered: u64,
    head: i64,
    /// The highest-numbered read that failed.
    failed: u64,
    /// Reads started and not yet ended.
    running: u8,
}

impl FreshHead {
    /// How many head reads may run at once.
    pub const IN_FLIGHT: u8 = 2;

    pub fn new(db: Db) -> FreshHead {
        FreshHead {
            db,
            reads: Arc::new(watch::Sender::new(Reads::default())),
        }
    }

    /// Whether requests need a head (PostgreSQL).
    pub fn wanted(&self) -> bool {
        self.db.backend() == Backend::Postgres
    }

    /// The log's head as read by a query that started after this call:
    /// every event committed before the call is counted. A caller starts
    /// a read unless one started after its call already (then it shares
    /// that one) or [`Self::IN_FLIGHT`] are running (then it waits for one
    /// to end). Cancelling a caller leaves the read it started to finish
    /// for the others.
    pub async fn read(&self) -> Result<i64, ApiError> {
        let mut seen = self.reads.subscribe();
        // Any read numbered from here on starts after this call.
        let wanted = seen.borrow_and_update().started + 1;
        loop {
            let mut lead = None;
            self.reads.send_if_modified(|reads| {
                if reads.started >= wanted
                    || reads.running >= Self::IN_FLIGHT
                    || reads.answered >= wanted
                    || reads.failed >= wanted
                {
                    return false;
                }
                reads.running += 1;
                reads.started += 1;
                lead = Some(reads.started);
                true
            });
            if let Some(number) = lead {
                self.start(number);
            }
            {
                let reads = seen.borrow_and_update();
                if reads.answered >= wanted {
                    return Ok(reads.head);
                }
                if reads.failed >= wanted {
                    return Err(ApiError::internal("the event log's head could not be read"));
                }
            }
            if seen.changed().await.is_err() {
                return Err(ApiError::internal("the event log's head could not be read"));
            }
        }
    }

    /// Runs read `number` on the blocking pool, on its own task: it ends
    /// and is published even if the caller that started it goes.
    fn start(&self, number: u64) {
        let db = self.db.clone();
        let reads = self.reads.clone();
        actix_web::rt::spawn(async move {
            // The read itself: no head to carry.
            #[allow(clippy::disallowed_methods)]
            let result = actix_web::web::block(move || db.last_event_seq()).await;
            reads.send_modify(|reads| {
                reads.running -= 1;
                match result {
                    Ok(Ok(head)) => {
                        reads.answered = reads.answered.max(number);
                        reads.head = reads.head.max(head);
                    }
                    _ => reads.failed = reads.failed.max(number),
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real database whose log the test appends to directly.
    fn database() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("head.db").to_string_lossy().into_owned();
        let db = Db::open(&url, 4).unwrap();
        (dir, db)
    }

    #[actix_web::test]
    async fn every_answer_counts_what_was_written_before_it_was_asked() {
        let (_dir, db) = database();
        let head = Arc::new(FreshHead::new(db.clone()));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (head, db) = (head.clone(), db.clone());
            tasks.push(actix_web::rt::spawn(async move {
                for _ in 0..25 {
                    let db2 = db.clone();
                    blocking(move || {
                        db2.write(|conn| {
                            use diesel::RunQueryDsl;
                            diesel::sql_query(
                                "INSERT INTO events (kind, payload, created_at) \
                                 VALUES ('test', '{}', CURRENT_TIMESTAMP)",
                            )
                            .execute(conn)?;
                            Ok(())
                        })
                    })
                    .await
                    .unwrap()
                    .unwrap();
                    let before = db.last_event_seq().unwrap();
                    let read = head.read().await.unwrap();
                    assert!(read >= before, "read {read}, but {before} was committed");
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let reads = *head.reads.borrow();
        assert_eq!(reads.answered, reads.started);
        assert_eq!(reads.running, 0);
    }
}
