//! Live events: the hub that tails the event log and the websocket
//! connections it feeds.
//!
//! One tailer task per process reads the event log by `seq`, after commit,
//! and publishes each event once on a bounded broadcast channel. It never
//! waits for a client: every connection has its own cursor into that
//! channel and its own bounded outgoing queue, and a connection that falls
//! behind either is closed with 1013 and resumes with `since`. The tailer
//! wakes when this process commits (the [`Db`] commit hook), when
//! PostgreSQL notifies an append by another process, and otherwise polls;
//! the log is the truth, wake-ups only say "read it".
//!
//! Presence and typing are ephemeral: they never enter the log. On
//! PostgreSQL they cross processes through `NOTIFY comity_presence`: each
//! process says which members view a thread on it (when that changes, and
//! every [`PRESENCE_HEARTBEAT`] so a dead process's viewers fade after
//! [`REMOTE_PRESENCE_TTL`]) and who is typing; a thread's viewer count is
//! the members viewing it on any process.
//!
//! When the process is told to stop, [`Hub::go_away`] closes every
//! connection with 1001 ("going away"): clients resume elsewhere with
//! `since`.

mod connection;

use forum_core::{CategoryId, ThreadId, UserId};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use bytestring::ByteString;
use forum_core::access::EventScope;
use forum_core::store::cache::LogObserver;
use forum_core::store::event_payloads::Event;
use forum_core::store::rows::EventRow;
use forum_core::{Backend, Db};
use serde_json::{Value, json};
use tokio::sync::{Notify, broadcast};

pub use connection::{Connection, Topic};

/// Events published but not yet read by a connection's loop. A connection
/// that lets this many pile up is closed with 1013.
const BROADCAST_CAPACITY: usize = 1024;
/// Events read from the log per query.
const BATCH: i64 = 500;

/// Whether members receive `event` on `thread:` and `category:` topics.
/// The others (sessions, groups, categories, users) drive revalidation
/// only.
fn is_delivered(event: &Event) -> bool {
    matches!(
        event,
        Event::ThreadCreated(_)
            | Event::PostCreated(_)
            | Event::PostEdited(_)
            | Event::ThreadUpdated(_)
            | Event::PostHidden(_)
            | Event::PostRestored(_)
            | Event::AttachmentHidden(_)
            | Event::AttachmentExtracted(_)
            | Event::ThreadLocked(_)
            | Event::ThreadMoved(_)
    )
}

/// The member whose connections revalidate after `event`.
fn revalidated_member(event: &Event) -> Option<UserId> {
    match event {
        Event::SessionsRevoked(e) => Some(e.user_id),
        Event::MembershipChanged(e) => Some(e.user_id),
        Event::RoleChanged(e) => Some(e.user_id),
        _ => None,
    }
}

/// One entry of the event log as connections need it.
#[derive(Debug)]
pub struct LiveEvent {
    pub seq: i64,
    pub kind: String,
    /// The thread it is about now (not necessarily the one it was logged
    /// with: a merge or split moves posts).
    pub thread_id: Option<ThreadId>,
    /// The category it is about now.
    pub category_id: Option<CategoryId>,
    /// Where its subject is now, for the access rule.
    pub scope: EventScope,
    /// The member a revalidating event is about.
    pub subject_user: Option<UserId>,
    /// The member a `notification` event is for (delivered on `inbox`).
    pub recipient: Option<UserId>,
    payload: Value,
    delivered: bool,
    for_thread: OnceLock<ByteString>,
    for_category: OnceLock<ByteString>,
}

impl LiveEvent {
    fn new(event: EventRow, scope: EventScope) -> LiveEvent {
        // Clients get the payload as stored; decisions use the typed event.
        let payload: Value = serde_json::from_str(&event.payload).unwrap_or(Value::Null);
        let typed = event.event();
        // A move names the category it came from, which a reader of the
        // thread's new place may not be allowed to know of: they are told
        // only that the thread moved.
        let payload = match &typed {
            Some(Event::ThreadMoved(moved)) => json!({ "thread_id": moved.thread_id }),
            _ => payload,
        };
        let subject_user = typed.as_ref().and_then(revalidated_member);
        let recipient = match &typed {
            Some(Event::Notification(n)) => Some(n.user_id),
            _ => None,
        };
        let delivered = typed.as_ref().is_some_and(is_delivered);
        // A notification's row names no thread; its message stays as it was.
        let (thread_id, category_id) = match recipient {
            Some(_) => (event.thread_id, event.category_id),
            None => (scope.thread_id, scope.category_id),
        };
        LiveEvent {
            recipient,
            seq: event.seq,
            kind: event.kind,
            thread_id,
            category_id,
            scope,
            subject_user,
            payload,
            delivered,
            for_thread: OnceLock::new(),
            for_category: OnceLock::new(),
        }
    }

    /// Whether members receive this kind at all.
    pub fn is_delivered(&self) -> bool {
        self.delivered
    }

    /// Whether `user_id`'s connections must revalidate before going on.
    pub fn revalidates(&self, user_id: UserId) -> bool {
        self.subject_user == Some(user_id)
    }

    /// The message for a subscriber of `topic`, rendered once per topic
    /// kind and shared by every connection.
    pub fn message(&self, topic: Topic) -> ByteString {
        let cell = match topic {
            Topic::Category(_) => &self.for_category,
            _ => &self.for_thread,
        };
        cell.get_or_init(|| {
            let mut message = json!({
                "type": "event",
                "seq": self.seq,
                "topic": topic.to_string(),
                "kind": self.kind,
                "thread_id": self.thread_id,
                "category_id": self.category_id,
            });
            if let (Value::Object(out), Value::Object(payload)) = (&mut message, &self.payload) {
                for (key, value) in payload {
                    out.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
            ByteString::from(message.to_string())
        })
        .clone()
    }
}

/// Reads up to [`BATCH`] events after `after`, each with where its subject
/// is now (the access rule judges that, not where it was). Blocking.
fn read_batch(db: &Db, after: i64) -> forum_core::Result<Vec<LiveEvent>> {
    read_batch_observed(db, after, &[])
}

/// [`read_batch`], first feeding the events to the caches (the tailer
/// does this before it publishes anything, so a connection revalidating
/// on an event never meets a stale identity).
fn read_batch_observed(
    db: &Db,
    after: i64,
    observers: &[Arc<dyn LogObserver>],
) -> forum_core::Result<Vec<LiveEvent>> {
    let events = db.events_after(after, BATCH)?;
    for observer in observers {
        observer.observe(&events);
    }
    let scopes = db.event_scopes(&events)?;
    Ok(events
        .into_iter()
        .zip(scopes)
        .map(|(event, scope)| LiveEvent::new(event, scope))
        .collect())
}

/// A presence or typing notice for the subscribers of one thread.
#[derive(Debug)]
pub struct Ephemeral {
    pub thread_id: ThreadId,
    /// The connection it came from, which does not get it back.
    pub from: Option<u64>,
    pub text: ByteString,
}

/// Another process's viewers of a thread, as it last said.
struct Remote {
    members: HashSet<UserId>,
    at: std::time::Instant,
}

#[derive(Default)]
struct Registry {
    connections: usize,
    per_user: HashMap<UserId, usize>,
    /// thread → member → open subscriptions.
    presence: HashMap<ThreadId, HashMap<UserId, usize>>,
    /// Threads whose viewer count changed since the last presence notice.
    dirty: HashSet<ThreadId>,
    /// thread → other process → its viewers there (PostgreSQL).
    remote: HashMap<ThreadId, HashMap<u64, Remote>>,
    /// Threads whose viewers on this process changed since the other
    /// processes were told.
    untold: HashSet<ThreadId>,
}

impl Registry {
    /// Members viewing `thread_id` on any process.
    fn viewers(&self, thread_id: ThreadId) -> usize {
        let local = self.presence.get(&thread_id);
        let remote = self.remote.get(&thread_id);
        match remote {
            None => local.map_or(0, HashMap::len),
            Some(remote) => {
                let mut all: HashSet<UserId> = local
                    .map(|l| l.keys().copied().collect())
                    .unwrap_or_default();
                for r in remote.values() {
                    all.extend(&r.members);
                }
                all.len()
            }
        }
    }

    /// This process's viewers of `thread_id`.
    fn local_members(&self, thread_id: ThreadId) -> Vec<UserId> {
        self.presence
            .get(&thread_id)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    }
}

/// How often a process repeats who views what on it.
pub const PRESENCE_HEARTBEAT: Duration = Duration::from_secs(20);
/// How long another process's word on a thread's viewers holds.
pub const REMOTE_PRESENCE_TTL: Duration = Duration::from_secs(60);
/// Members named in one presence notice at most (`NOTIFY` carries 8,000
/// bytes).
const NOTICE_MEMBERS: usize = 500;

/// The hub's counts (`GET /api/v1/admin/live`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LiveStats {
    /// Open websocket connections.
    pub connections: usize,
    /// Members with at least one open connection.
    pub users: usize,
    /// Threads with at least one subscriber.
    pub watched_threads: usize,
    /// The last event-log `seq` published.
    pub head: i64,
}

/// The per-process hub.
pub struct Hub {
    events: broadcast::Sender<Arc<LiveEvent>>,
    ephemeral: broadcast::Sender<Arc<Ephemeral>>,
    wake: Notify,
    head: AtomicI64,
    registry: Mutex<Registry>,
    next_connection: AtomicU64,
    stop_listener: Arc<AtomicBool>,
    /// Turns `true` when the process stops: every connection closes with
    /// 1001.
    going_away: tokio::sync::watch::Sender<bool>,
    /// This process, in presence notices.
    origin: u64,
    /// The database presence notices cross processes through
    /// (PostgreSQL).
    shared: Option<Db>,
    /// Caches fed the log as it is read, before anything is published.
    observers: Arc<[Arc<dyn LogObserver>]>,
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stop_listener.store(true, Ordering::Relaxed);
    }
}

impl Hub {
    /// Starts the tailer (and, on PostgreSQL, the listener) and hooks the
    /// database's commits to it. Both stop once the hub is dropped.
    pub fn start(
        db: &Db,
        poll_interval: Duration,
        observers: Vec<Arc<dyn LogObserver>>,
    ) -> forum_core::Result<Arc<Hub>> {
        let head = db.last_event_seq()?;
        for observer in &observers {
            observer.start_at(head);
        }
        let hub = Arc::new(Hub {
            events: broadcast::channel(BROADCAST_CAPACITY).0,
            ephemeral: broadcast::channel(BROADCAST_CAPACITY).0,
            wake: Notify::new(),
            head: AtomicI64::new(head),
            registry: Mutex::default(),
            next_connection: AtomicU64::new(1),
            stop_listener: Arc::new(AtomicBool::new(false)),
            going_away: tokio::sync::watch::channel(false).0,
            origin: rand::random(),
            shared: (db.backend() == Backend::Postgres).then(|| db.clone()),
            observers: observers.into(),
        });
        let weak = Arc::downgrade(&hub);
        db.set_commit_hook(Box::new(move || {
            if let Some(hub) = weak.upgrade() {
                hub.wake.notify_one();
            }
        }));
        if db.backend() == Backend::Postgres {
            let weak = Arc::downgrade(&hub);
            let stop = hub.stop_listener.clone();
            let url = db.url().to_owned();
            std::thread::Builder::new()
                .name("comity-listen".into())
                .spawn(move || {
                    forum_core::store::events::listen(
                        &url,
                        &stop,
                        || {
                            if let Some(hub) = weak.upgrade() {
                                hub.wake.notify_one();
                            }
                        },
                        |payload| {
                            if let Some(hub) = weak.upgrade() {
                                hub.on_remote_notice(payload);
                            }
                        },
                    )
                })
                .map_err(|e| forum_core::CoreError::Internal(e.to_string()))?;
        }
        tokio::spawn(tail(Arc::downgrade(&hub), db.clone(), poll_interval));
        tokio::spawn(announce_presence(Arc::downgrade(&hub)));
        Ok(hub)
    }

    /// Every event the hub publishes from now on (the search indexer uses
    /// them as wake-ups).
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.events.subscribe()
    }

    /// The process is stopping: every live connection is closed with 1001
    /// so that its client resumes on another process.
    pub fn go_away(&self) {
        self.going_away.send_replace(true);
    }

    /// Changes to `true` when the process stops.
    pub fn going_away(&self) -> tokio::sync::watch::Receiver<bool> {
        self.going_away.subscribe()
    }

    /// The last `seq` published.
    pub fn head(&self) -> i64 {
        self.head.load(Ordering::Acquire)
    }

    pub fn stats(&self) -> LiveStats {
        let registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        LiveStats {
            connections: registry.connections,
            users: registry.per_user.len(),
            watched_threads: registry.presence.len(),
            head: self.head(),
        }
    }

    /// Admits a connection of `user_id` unless they hold `cap` already.
    pub fn register(self: &Arc<Self>, user_id: UserId, cap: usize) -> Option<Registration> {
        let mut registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        let count = registry.per_user.entry(user_id).or_default();
        if *count >= cap {
            if *count == 0 {
                registry.per_user.remove(&user_id);
            }
            return None;
        }
        *count += 1;
        registry.connections += 1;
        Some(Registration {
            hub: self.clone(),
            id: self.next_connection.fetch_add(1, Ordering::Relaxed),
            user_id,
            threads: Vec::new(),
        })
    }

    fn publish_presence(&self, thread_id: ThreadId, viewers: usize) {
        let text = json!({
            "type": "presence",
            "topic": Topic::Thread(thread_id).to_string(),
            "viewers": viewers,
        });
        let _ = self.ephemeral.send(Arc::new(Ephemeral {
            thread_id,
            from: None,
            text: ByteString::from(text.to_string()),
        }));
    }

    /// A presence or typing notice from another process.
    fn on_remote_notice(&self, payload: &str) {
        let Ok(notice) = serde_json::from_str::<Value>(payload) else {
            return;
        };
        if notice["o"].as_u64() == Some(self.origin) {
            return;
        }
        let (Some(origin), Some(thread_id)) = (notice["o"].as_u64(), notice["t"].as_i64()) else {
            return;
        };
        let thread_id = ThreadId::from(thread_id);
        if let Some(user) = notice.get("typing") {
            self.typing_here(None, thread_id, user);
            return;
        }
        let Some(members) = notice["m"].as_array() else {
            return;
        };
        let members: HashSet<UserId> = members
            .iter()
            .filter_map(Value::as_i64)
            .map(UserId::from)
            .collect();
        let mut registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        let there = registry.remote.entry(thread_id).or_default();
        if members.is_empty() {
            there.remove(&origin);
            if there.is_empty() {
                registry.remote.remove(&thread_id);
            }
        } else {
            there.insert(
                origin,
                Remote {
                    members,
                    at: std::time::Instant::now(),
                },
            );
        }
        registry.dirty.insert(thread_id);
    }

    /// Tells the other processes (PostgreSQL), off the async threads.
    fn tell_others(&self, notices: Vec<String>) {
        let Some(db) = self.shared.clone() else {
            return;
        };
        if notices.is_empty() {
            return;
        }
        tokio::task::spawn_blocking(move || {
            for notice in notices {
                if let Err(e) = db.notify_presence(&notice) {
                    tracing::debug!(error = %e, "presence notice not sent");
                }
            }
        });
    }

    fn publish_typing(&self, from: u64, thread_id: ThreadId, user: &Value) {
        self.typing_here(Some(from), thread_id, user);
        if self.shared.is_some() {
            let notice = json!({"o": self.origin, "t": thread_id, "typing": user});
            self.tell_others(vec![notice.to_string()]);
        }
    }

    fn typing_here(&self, from: Option<u64>, thread_id: ThreadId, user: &Value) {
        let text = json!({
            "type": "typing",
            "topic": Topic::Thread(thread_id).to_string(),
            "user": user,
        });
        let _ = self.ephemeral.send(Arc::new(Ephemeral {
            thread_id,
            from,
            text: ByteString::from(text.to_string()),
        }));
    }
}

/// A connection's place in the hub; dropping it removes the connection
/// from every map, however the connection ended.
pub struct Registration {
    hub: Arc<Hub>,
    id: u64,
    user_id: UserId,
    threads: Vec<ThreadId>,
}

impl Registration {
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Counts this connection's member as viewing `thread_id`.
    fn join(&mut self, thread_id: ThreadId) {
        let mut registry = self
            .hub
            .registry
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let members = registry.presence.entry(thread_id).or_default();
        *members.entry(self.user_id).or_default() += 1;
        registry.dirty.insert(thread_id);
        registry.untold.insert(thread_id);
        drop(registry);
        self.threads.push(thread_id);
    }

    fn leave(&mut self, thread_id: ThreadId) {
        if let Some(at) = self.threads.iter().position(|t| *t == thread_id) {
            self.threads.swap_remove(at);
            leave(&self.hub, self.user_id, thread_id);
        }
    }
}

/// Removes one subscription of `user_id` to `thread_id`.
fn leave(hub: &Hub, user_id: UserId, thread_id: ThreadId) {
    let mut registry = hub.registry.lock().unwrap_or_else(PoisonError::into_inner);
    registry.dirty.insert(thread_id);
    registry.untold.insert(thread_id);
    let Some(members) = registry.presence.get_mut(&thread_id) else {
        return;
    };
    if let Some(count) = members.get_mut(&user_id) {
        *count -= 1;
        if *count == 0 {
            members.remove(&user_id);
        }
    }
    if members.is_empty() {
        registry.presence.remove(&thread_id);
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        for thread_id in std::mem::take(&mut self.threads) {
            leave(&self.hub, self.user_id, thread_id);
        }
        let mut registry = self
            .hub
            .registry
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        registry.connections -= 1;
        if let Some(count) = registry.per_user.get_mut(&self.user_id) {
            *count -= 1;
            if *count == 0 {
                registry.per_user.remove(&self.user_id);
            }
        }
    }
}

/// The tailer: reads the log after `head` whenever woken (or every
/// `poll_interval`) and publishes each event, in order, exactly once.
async fn tail(hub: Weak<Hub>, db: Db, poll_interval: Duration) {
    loop {
        let Some(strong) = hub.upgrade() else { return };
        let after = strong.head();
        let db2 = db.clone();
        let observers = strong.observers.clone();
        let batch =
            tokio::task::spawn_blocking(move || read_batch_observed(&db2, after, &observers)).await;
        let full = match batch {
            Ok(Ok(events)) => {
                let full = events.len() as i64 == BATCH;
                for event in events {
                    strong.head.store(event.seq, Ordering::Release);
                    let _ = strong.events.send(Arc::new(event));
                }
                full
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot read the event log; retrying");
                false
            }
            Err(e) => {
                tracing::error!(error = %e, "event log reader failed");
                false
            }
        };
        if full {
            continue;
        }
        // A commit while the batch was read left a permit: no wake-up is
        // lost. The hub outlives its server by at most one interval.
        let _ = tokio::time::timeout(poll_interval, strong.wake.notified()).await;
    }
}

/// How often viewer counts are announced: joins and leaves are coalesced,
/// so a thread with thousands of viewers costs one notice per interval,
/// not one per join times every viewer.
const PRESENCE_EVERY: Duration = Duration::from_millis(500);

/// Publishes the viewer count of every thread whose viewers changed.
async fn announce_presence(hub: Weak<Hub>) {
    let mut every = tokio::time::interval(PRESENCE_EVERY);
    let mut last_heartbeat = std::time::Instant::now();
    loop {
        every.tick().await;
        let Some(hub) = hub.upgrade() else { return };
        let heartbeat = last_heartbeat.elapsed() >= PRESENCE_HEARTBEAT;
        if heartbeat {
            last_heartbeat = std::time::Instant::now();
        }
        let (changed, notices) = {
            let mut registry = hub.registry.lock().unwrap_or_else(PoisonError::into_inner);
            // Another process that stopped saying anything is gone.
            let mut expired = Vec::new();
            registry.remote.retain(|thread_id, there| {
                there.retain(|_, r| r.at.elapsed() < REMOTE_PRESENCE_TTL);
                if there.is_empty() {
                    expired.push(*thread_id);
                }
                !there.is_empty()
            });
            registry.dirty.extend(expired);
            let dirty = std::mem::take(&mut registry.dirty);
            let changed: Vec<(ThreadId, usize)> = dirty
                .into_iter()
                .map(|t| (t, registry.viewers(t)))
                .collect();
            let mut untold = std::mem::take(&mut registry.untold);
            if heartbeat {
                untold.extend(registry.presence.keys().copied());
            }
            let notices: Vec<String> = if hub.shared.is_some() {
                untold
                    .into_iter()
                    .map(|t| {
                        let mut members = registry.local_members(t);
                        members.truncate(NOTICE_MEMBERS);
                        json!({"o": hub.origin, "t": t, "m": members}).to_string()
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (changed, notices)
        };
        for (thread_id, viewers) in changed {
            hub.publish_presence(thread_id, viewers);
        }
        hub.tell_others(notices);
    }
}
