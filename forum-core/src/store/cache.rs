//! In-memory caches kept fresh by the event log.
//!
//! A [`LogCache`] holds values read from the database, keyed by whatever
//! the feature chooses, each belonging to one member. The server's
//! event-log tailer feeds every cache ([`LogObserver::observe`]) before it
//! publishes the events; the feature's rule says which members' entries an
//! event makes stale.
//!
//! A cached value is used only when the cache has applied every event that
//! could make it stale:
//! * this process's own writes: the log is applied up to
//!   [`Db::written_seq`] (a logout answered a moment ago is already seen);
//! * on PostgreSQL, other processes' writes too: the log's head is read
//!   (one indexed query) and the cache must have reached it.
//!
//! Otherwise the value is read from the database. A value is stored only
//! if no invalidation ran while it was being read (the read may predate a
//! change whose event was applied before the store).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, RwLock};

use crate::error::Result;
use crate::store::db::{Backend, Db};
use crate::store::event_payloads::Event;
use crate::store::ids::UserId;
use crate::store::rows::EventRow;

/// What an event makes stale in one cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale<P = UserId> {
    Nothing,
    /// Every entry belonging to this id (a member's, a thread's).
    Member(P),
    /// Every entry belonging to any of these.
    Members(Vec<P>),
    Everything,
}

/// Something the event-log tailer feeds, in order, before publishing.
pub trait LogObserver: Send + Sync {
    /// The tailer starts after `seq`.
    fn start_at(&self, seq: i64);
    /// A batch of the log, oldest first.
    fn observe(&self, events: &[EventRow]);
}

/// Values by key, dropped when the log says they changed.
pub struct LogCache<K, V, P = UserId> {
    entries: RwLock<HashMap<K, V>>,
    /// The id (member, thread) a value belongs to.
    member_of: fn(&K, &V) -> P,
    /// What an event makes stale.
    rule: fn(&Event) -> Stale<P>,
    capacity: usize,
    /// The log has been applied up to here.
    applied: AtomicI64,
    /// Bumped by every invalidation.
    generation: AtomicU64,
}

impl<K, V, P> std::fmt::Debug for LogCache<K, V, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogCache")
            .field("applied", &self.applied)
            .finish()
    }
}

impl<K, V, P> LogCache<K, V, P>
where
    K: Eq + Hash + Clone + Send + Sync,
    V: Clone + Send + Sync,
    P: Eq + Copy + Send + Sync,
{
    /// At most `capacity` entries (past it the cache starts again empty).
    pub fn new(capacity: usize, member_of: fn(&K, &V) -> P, rule: fn(&Event) -> Stale<P>) -> Self {
        LogCache {
            entries: RwLock::default(),
            member_of,
            rule,
            capacity,
            applied: AtomicI64::new(0),
            generation: AtomicU64::new(0),
        }
    }

    /// The seq up to which the log has been applied.
    pub fn applied(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    fn forget(&self, stale: Stale<P>) {
        let member_of = self.member_of;
        self.generation.fetch_add(1, Ordering::AcqRel);
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        match stale {
            Stale::Nothing => {}
            Stale::Member(id) => entries.retain(|k, v| member_of(k, v) != id),
            Stale::Members(ids) => entries.retain(|k, v| !ids.contains(&member_of(k, v))),
            Stale::Everything => entries.clear(),
        }
    }

    /// The value at `key` when cached and known fresh without asking the
    /// database: this process's writes all applied, and on PostgreSQL the
    /// log applied up to a head already read for this request
    /// ([`Db::at_head`]). `None` means ask [`LogCache::get_or_load`].
    pub fn local_hit(&self, db: &Db, key: &K) -> Option<V> {
        let applied = self.applied();
        let fresh = applied >= db.written_seq()
            && match db.backend() {
                Backend::Sqlite => true,
                Backend::Postgres => db.known_head().is_some_and(|head| applied >= head),
            };
        if !fresh {
            return None;
        }
        self.entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    /// The value at `key`: cached when fresh (on PostgreSQL the log's head
    /// is read first), else `load`ed and kept. Blocks.
    pub fn get_or_load(
        &self,
        db: &Db,
        key: &K,
        load: impl FnOnce() -> Result<Option<V>>,
    ) -> Result<Option<V>> {
        let ticket = self.generation.load(Ordering::Acquire);
        let head = match db.backend() {
            Backend::Sqlite => 0,
            Backend::Postgres => db.log_head()?,
        };
        let applied = self.applied();
        if applied >= db.written_seq() && applied >= head {
            let cached = self
                .entries
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(key)
                .cloned();
            if cached.is_some() {
                return Ok(cached);
            }
        }
        let value = load()?;
        if let Some(value) = &value {
            let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
            if self.generation.load(Ordering::Acquire) == ticket {
                if entries.len() >= self.capacity {
                    entries.clear();
                }
                entries.insert(key.clone(), value.clone());
            }
        }
        Ok(value)
    }

    /// How many entries are cached.
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, V, P> LogObserver for LogCache<K, V, P>
where
    K: Eq + Hash + Clone + Send + Sync,
    V: Clone + Send + Sync,
    P: Eq + Copy + Send + Sync,
{
    fn start_at(&self, seq: i64) {
        self.applied.fetch_max(seq, Ordering::AcqRel);
    }

    fn observe(&self, events: &[EventRow]) {
        for row in events {
            // A kind this version does not know: play safe.
            let stale = row.event().map_or(Stale::Everything, |e| (self.rule)(&e));
            if stale != Stale::Nothing {
                self.forget(stale);
            }
        }
        if let Some(last) = events.last() {
            self.applied.fetch_max(last.seq, Ordering::AcqRel);
        }
    }
}

/// One read of the log's head shared by everyone who asked while it ran
/// ([`Db::log_head`]). A caller is answered by a read that *started* after
/// it asked — never one already under way — so it counts every event
/// committed before it asked, as its own query would; the callers that
/// arrive during one read are all answered by the next.
#[derive(Default)]
pub struct SharedHead {
    state: Mutex<HeadReads>,
    finished: Condvar,
}

#[derive(Default)]
struct HeadReads {
    /// Reads started so far (the number of the latest).
    started: u64,
    /// The number of the latest read that succeeded, and its answer.
    answered: u64,
    head: i64,
    running: bool,
}

impl SharedHead {
    pub fn read(&self, query: impl FnOnce() -> Result<i64>) -> Result<i64> {
        let mut query = Some(query);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // Any read numbered from here on starts after this call.
        let wanted = state.started + 1;
        loop {
            if state.answered >= wanted {
                return Ok(state.head);
            }
            if !state.running
                && let Some(query) = query.take()
            {
                state.running = true;
                state.started += 1;
                let number = state.started;
                drop(state);
                let result = query();
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                state.running = false;
                if let Ok(head) = result {
                    state.answered = number;
                    state.head = head;
                }
                self.finished.notify_all();
                return result;
            }
            state = self
                .finished
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod shared_head_tests {
    use super::*;
    use std::sync::atomic::AtomicI64;
    use std::sync::{Arc, Barrier};

    /// Every caller sees a value read after it asked, and concurrent
    /// callers share reads.
    #[test]
    fn each_caller_gets_a_read_that_started_after_it_asked() {
        let shared = Arc::new(SharedHead::default());
        let log = Arc::new(AtomicI64::new(0));
        let queries = Arc::new(AtomicI64::new(0));
        let threads = 8;
        let rounds = 200;
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (shared, log, queries, barrier) = (
                    shared.clone(),
                    log.clone(),
                    queries.clone(),
                    barrier.clone(),
                );
                std::thread::spawn(move || {
                    barrier.wait();
                    for _ in 0..rounds {
                        // A write commits, then this caller asks.
                        let written = log.fetch_add(1, Ordering::SeqCst) + 1;
                        let head = shared
                            .read(|| {
                                queries.fetch_add(1, Ordering::SeqCst);
                                // The query sees the log as it starts and
                                // answers a moment later.
                                let head = log.load(Ordering::SeqCst);
                                std::thread::sleep(std::time::Duration::from_micros(50));
                                Ok(head)
                            })
                            .unwrap();
                        assert!(head >= written, "read {head}, but {written} was committed");
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let asked = (threads * rounds) as i64;
        let ran = queries.load(Ordering::SeqCst);
        assert!(
            ran < asked,
            "{ran} queries for {asked} callers: none shared"
        );
    }

    #[test]
    fn a_failed_read_is_not_an_answer() {
        let shared = SharedHead::default();
        assert!(
            shared
                .read(|| Err(crate::error::CoreError::NotFound))
                .is_err()
        );
        assert_eq!(shared.read(|| Ok(7)).unwrap(), 7);
    }
}
