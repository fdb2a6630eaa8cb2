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
use std::sync::{PoisonError, RwLock};

use crate::error::Result;
use crate::store::db::{Backend, Db};
use crate::store::event_payloads::Event;
use crate::store::rows::EventRow;

/// What an event makes stale in one cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    Nothing,
    /// Every entry belonging to this id (a member's, a thread's).
    Member(i64),
    /// Every entry belonging to any of these.
    Members(Vec<i64>),
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
pub struct LogCache<K, V> {
    entries: RwLock<HashMap<K, V>>,
    /// The id (member, thread) a value belongs to.
    member_of: fn(&K, &V) -> i64,
    /// What an event makes stale.
    rule: fn(&Event) -> Stale,
    capacity: usize,
    /// The log has been applied up to here.
    applied: AtomicI64,
    /// Bumped by every invalidation.
    generation: AtomicU64,
}

impl<K, V> std::fmt::Debug for LogCache<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogCache")
            .field("applied", &self.applied)
            .finish()
    }
}

impl<K: Eq + Hash + Clone + Send + Sync, V: Clone + Send + Sync> LogCache<K, V> {
    /// At most `capacity` entries (past it the cache starts again empty).
    pub fn new(capacity: usize, member_of: fn(&K, &V) -> i64, rule: fn(&Event) -> Stale) -> Self {
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

    fn forget(&self, stale: Stale) {
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
    /// database: SQLite (one server process), with this process's writes
    /// all applied. `None` means ask [`LogCache::get_or_load`].
    pub fn local_hit(&self, db: &Db, key: &K) -> Option<V> {
        if db.backend() != Backend::Sqlite || self.applied() < db.written_seq() {
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
            Backend::Postgres => db.last_event_seq()?,
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

impl<K: Eq + Hash + Clone + Send + Sync, V: Clone + Send + Sync> LogObserver for LogCache<K, V> {
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
