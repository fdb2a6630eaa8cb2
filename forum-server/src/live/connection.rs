//! One websocket connection: subscriptions, replay, filtering through the
//! access rule, and its own bounded outgoing queue.

use forum_core::error::ErrorCode;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, ProtocolError, Session};
use bytestring::ByteString;
use forum_core::{CategoryId, CoreError, Db, ThreadId, Viewer, access};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::{Notify, broadcast};

use super::{Ephemeral, Hub, LiveEvent, Registration, read_batch};
use crate::config::LiveSettings;

/// Most topics one connection may hold.
const MAX_TOPICS: usize = 64;
/// How long a close frame may wait behind a slow client's backlog.
const CLOSE_WAIT: Duration = Duration::from_secs(10);
/// Typing notices one connection may send.
const TYPING_EVERY: Duration = Duration::from_secs(2);

/// What a client may subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    Thread(ThreadId),
    Category(CategoryId),
    Inbox,
}

impl Topic {
    pub fn parse(raw: &str) -> Option<Topic> {
        if raw == "inbox" {
            return Some(Topic::Inbox);
        }
        let (kind, id) = raw.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        match kind {
            "thread" => Some(Topic::Thread(id.into())),
            "category" => Some(Topic::Category(id.into())),
            _ => None,
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topic::Thread(id) => write!(f, "thread:{id}"),
            Topic::Category(id) => write!(f, "category:{id}"),
            Topic::Inbox => f.write_str("inbox"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    Subscribe {
        topics: Vec<String>,
        since: Option<i64>,
    },
    Unsubscribe {
        topics: Vec<String>,
    },
    Typing {
        topic: String,
    },
}

enum Out {
    Text(ByteString),
    Ping,
    Pong(Bytes),
}

/// A connection's outgoing queue, bounded: its loop adds to it without
/// ever waiting and its writer task drains it into the socket. Both run on
/// the same worker thread (`actix_web::rt::spawn`), so a cell and a
/// wake-up do what a channel would, without a channel's allocations for
/// every idle connection.
struct Outbox {
    messages: RefCell<VecDeque<Out>>,
    added: Notify,
    capacity: usize,
    /// The connection is gone: the writer ends once the queue is empty.
    closed: Cell<bool>,
}

impl Outbox {
    fn new(capacity: usize) -> Rc<Outbox> {
        Rc::new(Outbox {
            messages: RefCell::new(VecDeque::new()),
            added: Notify::new(),
            capacity,
            closed: Cell::new(false),
        })
    }

    /// Tells the writer no more messages will come.
    fn close(&self) {
        self.closed.set(true);
        self.added.notify_one();
    }

    /// Queues `message`; `false` when the queue is full.
    fn push(&self, message: Out) -> bool {
        let mut messages = self.messages.borrow_mut();
        if messages.len() >= self.capacity {
            return false;
        }
        messages.push_back(message);
        self.added.notify_one();
        true
    }

    /// The next message, waiting for one; `None` once the queue is empty
    /// and closed.
    async fn next(&self) -> Option<Out> {
        loop {
            let next = self.messages.borrow_mut().pop_front();
            match next {
                Some(message) => return Some(message),
                None if self.closed.get() => return None,
                None => self.added.notified().await,
            }
        }
    }
}

/// Why a connection ends.
enum End {
    /// The client went away or closed: nothing more to say.
    Gone,
    Close(CloseCode, &'static str),
}

/// A live connection's state.
pub struct Connection {
    hub: Arc<Hub>,
    db: Db,
    viewer: Viewer,
    registration: Registration,
    settings: LiveSettings,
    topics: BTreeSet<Topic>,
    /// Every event up to here was considered (delivered or filtered).
    cursor: i64,
    out: Rc<Outbox>,
    overflowed: bool,
    last_typing: Option<Instant>,
}

impl Drop for Connection {
    /// However the connection ends (a panic included), its writer task
    /// ends too and lets the socket go, as a channel's receiver would once
    /// its sender is dropped.
    fn drop(&mut self) {
        self.out.close();
    }
}

impl Connection {
    /// Serves an upgraded websocket until it ends: starts its writer task
    /// and returns the future of its loop, to be spawned.
    ///
    /// The connection is built here rather than in that future, which then
    /// holds it once (an `async fn` would keep its arguments beside it):
    /// for a thousand idle websockets, each byte of that future is a
    /// kilobyte.
    pub fn serve(
        hub: Arc<Hub>,
        db: Db,
        viewer: Viewer,
        registration: Registration,
        settings: LiveSettings,
        session: Session,
        stream: MessageStream,
    ) -> impl Future<Output = ()> + 'static {
        let out = Outbox::new(settings.queue_capacity);
        let writer = actix_web::rt::spawn(write(session.clone(), out.clone()));
        let events = hub.events.subscribe();
        let ephemeral = hub.ephemeral.subscribe();
        let connection = Connection {
            cursor: hub.head(),
            hub,
            db,
            viewer,
            registration,
            settings,
            topics: BTreeSet::new(),
            out,
            overflowed: false,
            last_typing: None,
        };
        connection.serve_until_end(session, stream, events, ephemeral, writer)
    }

    async fn serve_until_end(
        mut self,
        session: Session,
        mut stream: MessageStream,
        events: broadcast::Receiver<Arc<LiveEvent>>,
        ephemeral: broadcast::Receiver<Arc<Ephemeral>>,
        writer: actix_web::rt::task::JoinHandle<()>,
    ) {
        let end = self.run(&mut stream, events, ephemeral).await;
        // Leave the hub's maps and free the queue before anything else.
        drop(self);
        writer.abort();
        if let End::Close(code, reason) = end {
            // Boxed, as the handlers in `run`: an idle connection's task
            // holds only what waiting needs.
            Box::pin(close(session, stream, code, reason)).await;
        }
    }

    async fn run(
        &mut self,
        stream: &mut MessageStream,
        mut events: broadcast::Receiver<Arc<LiveEvent>>,
        mut ephemeral: broadcast::Receiver<Arc<Ephemeral>>,
    ) -> End {
        let ping_every = Duration::from_secs(self.settings.ping_interval_secs);
        let idle_limit = Duration::from_secs(self.settings.idle_timeout_secs);
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
        let mut last_heard = Instant::now();
        let mut going_away = self.hub.going_away();
        if *going_away.borrow_and_update() {
            return End::Close(CloseCode::Away, "server restarting; resume with since");
        }
        loop {
            let step = tokio::select! {
                _ = going_away.changed() => {
                    Err(End::Close(CloseCode::Away, "server restarting; resume with since"))
                }
                message = stream.recv() => {
                    last_heard = Instant::now();
                    // Boxed: the task of an idle connection is no larger
                    // than waiting needs, not as large as handling.
                    Box::pin(self.on_client(message)).await
                }
                event = events.recv() => match event {
                    Ok(event) => Box::pin(self.on_event(&event)).await,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        metrics::counter!("comity_websocket_lagged_total").increment(1);
                        Err(End::Close(CloseCode::Again, "too slow; resume with since"))
                    }
                    Err(broadcast::error::RecvError::Closed) => {
                        Err(End::Close(CloseCode::Restart, "server stopping"))
                    }
                },
                notice = ephemeral.recv() => {
                    if let Ok(notice) = notice {
                        self.on_ephemeral(&notice);
                    }
                    Ok(())
                }
                _ = ping.tick() => {
                    if last_heard.elapsed() > idle_limit {
                        Err(End::Close(CloseCode::Away, "idle"))
                    } else {
                        self.send(Out::Ping);
                        Ok(())
                    }
                }
            };
            if let Err(end) = step {
                return end;
            }
            if self.overflowed {
                return End::Close(CloseCode::Again, "too slow; resume with since");
            }
        }
    }

    /// Queues a message without ever waiting: a full queue marks the
    /// connection as too slow.
    fn send(&mut self, message: Out) {
        if !self.out.push(message) {
            self.overflowed = true;
        }
    }

    fn send_json(&mut self, value: serde_json::Value) {
        self.send(Out::Text(ByteString::from(value.to_string())));
    }

    fn error(&mut self, code: ErrorCode, message: &str, topic: Option<&str>) {
        self.send_json(
            json!({ "type": "error", "code": code.as_str(), "message": message, "topic": topic }),
        );
    }

    async fn on_client(
        &mut self,
        message: Option<Result<Message, ProtocolError>>,
    ) -> Result<(), End> {
        match message {
            None | Some(Ok(Message::Close(_))) => Err(End::Gone),
            Some(Err(ProtocolError::Overflow)) => {
                Err(End::Close(CloseCode::Size, "frame too large"))
            }
            Some(Err(_)) => Err(End::Close(CloseCode::Protocol, "protocol error")),
            Some(Ok(Message::Ping(bytes))) => {
                self.send(Out::Pong(bytes));
                Ok(())
            }
            Some(Ok(Message::Pong(_) | Message::Nop)) => Ok(()),
            Some(Ok(Message::Binary(_) | Message::Continuation(_))) => {
                Err(End::Close(CloseCode::Unsupported, "text frames only"))
            }
            Some(Ok(Message::Text(text))) => match serde_json::from_str::<ClientMessage>(&text) {
                Ok(ClientMessage::Subscribe { topics, since }) => {
                    self.subscribe(topics, since).await
                }
                Ok(ClientMessage::Unsubscribe { topics }) => {
                    self.unsubscribe(&topics);
                    Ok(())
                }
                Ok(ClientMessage::Typing { topic }) => {
                    self.typing(&topic);
                    Ok(())
                }
                Err(e) => {
                    self.error(
                        ErrorCode::BadRequest,
                        &format!("invalid message: {e}"),
                        None,
                    );
                    Ok(())
                }
            },
        }
    }

    /// May the viewer follow `topic`? Asks the access rule through
    /// forum-core.
    async fn check(&self, topic: Topic) -> Result<bool, End> {
        let db = self.db.clone();
        let viewer = self.viewer.clone();
        let verdict = tokio::task::spawn_blocking(move || match topic {
            Topic::Thread(id) => db.visible_thread_category(&viewer, id).map(|_| ()),
            Topic::Category(id) => db.check_category_visible(&viewer, id),
            Topic::Inbox => Ok(()),
        })
        .await
        .map_err(|_| End::Close(CloseCode::Error, "internal error"))?;
        match verdict {
            Ok(()) => Ok(true),
            Err(CoreError::NotFound) => Ok(false),
            Err(e) => {
                tracing::error!(error = %e, "subscription check failed");
                Err(End::Close(CloseCode::Error, "internal error"))
            }
        }
    }

    async fn subscribe(&mut self, raw: Vec<String>, since: Option<i64>) -> Result<(), End> {
        let mut added = Vec::new();
        for name in &raw {
            let Some(topic) = Topic::parse(name) else {
                self.error(
                    ErrorCode::UnknownTopic,
                    "topics are thread:N, category:N or inbox",
                    Some(name),
                );
                continue;
            };
            if self.topics.contains(&topic) || added.contains(&topic) {
                continue;
            }
            if self.topics.len() + added.len() >= MAX_TOPICS {
                self.error(
                    ErrorCode::TooManyTopics,
                    "a connection follows at most 64 topics",
                    Some(name),
                );
                continue;
            }
            if self.check(topic).await? {
                added.push(topic);
            } else {
                // Unknown and invisible look the same.
                self.error(ErrorCode::NotFound, "no such topic", Some(name));
            }
        }
        if since.is_none() && self.topics.is_empty() && !added.is_empty() {
            // A first subscription without `since` starts now: events
            // committed before it but not yet published are not news.
            let last = self.log_head().await?;
            self.cursor = self.cursor.max(last);
        }
        for topic in &added {
            self.topics.insert(*topic);
            if let Topic::Thread(id) = topic {
                self.registration.join(*id);
            }
        }
        if let Some(since) = since
            && !added.is_empty()
        {
            self.replay(since, &added).await?;
        }
        let topics: Vec<String> = self.topics.iter().map(Topic::to_string).collect();
        self.send_json(json!({ "type": "subscribed", "topics": topics, "seq": self.cursor }));
        Ok(())
    }

    /// The last `seq` in the event log (the database's, not the hub's).
    async fn log_head(&self) -> Result<i64, End> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.last_event_seq())
            .await
            .ok()
            .and_then(Result::ok)
            .ok_or(End::Close(CloseCode::Error, "internal error"))
    }

    fn unsubscribe(&mut self, raw: &[String]) {
        for topic in raw.iter().filter_map(|name| Topic::parse(name)) {
            if self.topics.remove(&topic)
                && let Topic::Thread(id) = topic
            {
                self.registration.leave(id);
            }
        }
    }

    fn typing(&mut self, raw: &str) {
        let Some(Topic::Thread(thread_id)) = Topic::parse(raw) else {
            return;
        };
        if !self.topics.contains(&Topic::Thread(thread_id))
            || self
                .last_typing
                .is_some_and(|at| at.elapsed() < TYPING_EVERY)
        {
            return;
        }
        self.last_typing = Some(Instant::now());
        let user = json!({
            "id": self.viewer.id,
            "username": &*self.viewer.username,
            "display_name": &*self.viewer.display_name,
        });
        self.hub
            .publish_typing(self.registration.id(), thread_id, &user);
    }

    /// Sends every visible event after `since` on the `added` topics, then
    /// carries on with the live stream where this connection was: events
    /// up to the old cursor go to the new topics only, later ones to all.
    async fn replay(&mut self, since: i64, added: &[Topic]) -> Result<(), End> {
        let last = self.log_head().await?;
        if since < 0 || since > last || last - since > self.settings.replay_window {
            let topics: Vec<String> = added.iter().map(Topic::to_string).collect();
            self.send_json(json!({
                "type": "resync",
                "topics": topics,
                "seq": last,
                "reason": "since is outside the retained window; reload and resubscribe",
            }));
            return Ok(());
        }
        let before = self.cursor;
        let mut after = since;
        loop {
            let db = self.db.clone();
            let batch = tokio::task::spawn_blocking(move || read_batch(&db, after))
                .await
                .map_err(|_| End::Close(CloseCode::Error, "internal error"))?;
            let batch = batch.map_err(|e| {
                tracing::error!(error = %e, "replay failed");
                End::Close(CloseCode::Error, "internal error")
            })?;
            let full = batch.len() as i64 == super::BATCH;
            for event in &batch {
                after = event.seq;
                if event.seq <= before {
                    self.deliver(event, Some(added));
                } else {
                    self.on_event(event).await?;
                }
            }
            if !full || self.overflowed {
                return Ok(());
            }
        }
    }

    async fn on_event(&mut self, event: &LiveEvent) -> Result<(), End> {
        if event.seq <= self.cursor {
            return Ok(());
        }
        self.cursor = event.seq;
        if event.revalidates(self.viewer.id) {
            self.revalidate().await?;
        }
        self.deliver(event, None);
        Ok(())
    }

    /// Sends `event` if the viewer may see it, judged by where its subject
    /// is now, and follows one of its topics as they are now (or of
    /// `only`).
    fn deliver(&mut self, event: &LiveEvent, only: Option<&[Topic]>) {
        if let Some(recipient) = event.recipient {
            // A notification: only its recipient, only on `inbox`.
            if recipient == self.viewer.id
                && access::can_see_event(&self.viewer, &event.scope)
                && self.topics.contains(&Topic::Inbox)
                && only.is_none_or(|o| o.contains(&Topic::Inbox))
            {
                let text = event.message(Topic::Inbox);
                self.send(Out::Text(text));
            }
            return;
        }
        if !event.is_delivered() || !access::can_see_event(&self.viewer, &event.scope) {
            return;
        }
        let follows = |t: &Topic| self.topics.contains(t) && only.is_none_or(|o| o.contains(t));
        let topic = [
            event.thread_id.map(Topic::Thread),
            event.category_id.map(Topic::Category),
        ]
        .into_iter()
        .flatten()
        .find(follows);
        if let Some(topic) = topic {
            let text = event.message(topic);
            self.send(Out::Text(text));
        }
    }

    fn on_ephemeral(&mut self, notice: &Ephemeral) {
        if notice.from != Some(self.registration.id())
            && self.topics.contains(&Topic::Thread(notice.thread_id))
        {
            self.send(Out::Text(notice.text.clone()));
        }
    }

    /// Reloads the viewer after their sessions or groups changed: a dead
    /// session closes the socket; topics no longer visible are dropped.
    async fn revalidate(&mut self) -> Result<(), End> {
        let db = self.db.clone();
        let (user_id, session_id) = (self.viewer.id, self.viewer.session_id);
        let viewer =
            tokio::task::spawn_blocking(move || db.viewer_for_session(user_id, session_id))
                .await
                .ok()
                .and_then(Result::ok)
                .ok_or(End::Close(CloseCode::Error, "internal error"))?;
        let Some(viewer) = viewer else {
            return Err(End::Close(CloseCode::Policy, "session ended"));
        };
        self.viewer = viewer;
        let mut lost = Vec::new();
        for topic in self.topics.clone() {
            if !self.check(topic).await? {
                lost.push(topic);
            }
        }
        for topic in lost {
            self.topics.remove(&topic);
            if let Topic::Thread(id) = topic {
                self.registration.leave(id);
            }
            let name = topic.to_string();
            self.send_json(json!({ "type": "unsubscribed", "topic": name, "reason": "not_found" }));
        }
        Ok(())
    }
}

/// Sends a close frame and waits (at most [`CLOSE_WAIT`]) for the client's
/// own.
async fn close(session: Session, mut stream: MessageStream, code: CloseCode, reason: &str) {
    tracing::debug!(?code, reason, "closing websocket");
    let reason = CloseReason {
        code,
        description: Some(reason.to_owned()),
    };
    // The close frame queues behind what the socket already holds;
    // a client that never reads again never gets it.
    let deadline = tokio::time::Instant::now() + CLOSE_WAIT;
    let _ = tokio::time::timeout_at(deadline, session.close(Some(reason))).await;
    // RFC 6455 §7.1.1: the TCP connection closes after the client's
    // own close frame, so a client still reading its backlog is not
    // reset (losing the close frame) by a reply written to a closed
    // socket. A client that never answers is let go at the deadline.
    let _ = tokio::time::timeout_at(deadline, async {
        while let Some(Ok(message)) = stream.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// Drains a connection's queue into its socket. Only this task ever waits
/// on the client.
async fn write(mut session: Session, queue: Rc<Outbox>) {
    while let Some(message) = queue.next().await {
        let sent = match message {
            Out::Text(text) => session.text(text).await,
            Out::Ping => session.ping(b"").await,
            Out::Pong(bytes) => session.pong(&bytes).await,
        };
        if sent.is_err() {
            return;
        }
    }
}
