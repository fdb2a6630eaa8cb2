//! The notifier thread: turns the event log into notifications
//! (`forum_core::features::notifications`), one batch per transaction. Woken by the
//! live hub on every publish, at most once per [`GATHER`] unless it is
//! reading a backlog; polls every second otherwise. A database
//! error is logged and retried; nothing is lost, since the notifier's
//! position moves only with the notifications it wrote.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use forum_core::Db;

use crate::live::Hub;

/// Wait when nothing woke the notifier.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// The least time between two runs, unless a backlog is being read: a
/// notification is at most this much later than it would be otherwise.
const GATHER: Duration = Duration::from_millis(50);
/// How often the clock-driven notices are looked for (also at start):
/// analyses past their review-by date, routed questions to remind or
/// escalate, colloquia that opened.
const REVIEW_CHECK: Duration = Duration::from_secs(300);

/// Keeps the notifier running until `hub` is dropped.
pub fn start(db: Db, hub: &Arc<Hub>) -> anyhow::Result<()> {
    // On a new database this places the notifier at the head of the log
    // before the first request: history never notifies, and nothing after
    // the start is missed. A busy database only delays it to the thread.
    if let Err(e) = db.notify_from_log() {
        tracing::warn!(error = %e, "notifier: first run failed; the notifier thread retries");
    }
    let woken = wake_on_publish(hub);
    std::thread::Builder::new()
        .name("comity-notifier".into())
        .spawn(move || {
            let mut next_review_check = Instant::now();
            let mut last_run = Instant::now()
                .checked_sub(GATHER)
                .unwrap_or_else(Instant::now);
            let mut backlog = false;
            loop {
                if Instant::now() >= next_review_check {
                    let now = chrono::Utc::now().naive_utc();
                    match db
                        .notify_review_due()
                        .and_then(|_| db.notify_routing_due(now))
                        .and_then(|_| db.notify_colloquia_due(now))
                    {
                        Ok(_) => next_review_check = Instant::now() + REVIEW_CHECK,
                        Err(e) => {
                            tracing::warn!(error = %e, "notifier: reminders failed; retrying")
                        }
                    }
                }
                // Woken again soon after a run: gather what else is
                // published for a moment, so a stream of replies costs one
                // run (and its transaction) per GATHER, not per publish.
                if !backlog && let Some(wait) = GATHER.checked_sub(last_run.elapsed()) {
                    std::thread::sleep(wait);
                }
                last_run = Instant::now();
                match db.notify_from_log() {
                    // A full batch: more may be waiting.
                    Ok(read)
                        if read as i64 >= forum_core::features::notifications::NOTIFIER_BATCH =>
                    {
                        backlog = true;
                        continue;
                    }
                    Ok(_) => backlog = false,
                    Err(e) => {
                        backlog = false;
                        tracing::warn!(error = %e, "notifier: database error; retrying")
                    }
                }
                match woken.recv_timeout(IDLE_POLL) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })?;
    Ok(())
}

/// A channel that receives a wake-up after every publish of `hub` (at most
/// one waits: a full channel already holds one), for a worker thread that
/// follows the event log. Disconnected when the hub is dropped.
pub(crate) fn wake_on_publish(hub: &Arc<Hub>) -> mpsc::Receiver<()> {
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    let mut published = hub.subscribe();
    tokio::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        while let Ok(_) | Err(RecvError::Lagged(_)) = published.recv().await {
            if let Err(mpsc::TrySendError::Disconnected(())) = wake.try_send(()) {
                break;
            }
        }
    });
    woken
}
