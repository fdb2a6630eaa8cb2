//! The extraction worker: reads the text inside attachments used on posts
//! (in a child process, see [`crate::files::extract`]), stores it with an
//! `attachment_extracted` event (the indexer then reindexes the post), and
//! now and then collects blobs no attachment names. It wakes on every
//! event the hub publishes (a post with files is one) and otherwise polls.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use forum_core::Db;
use forum_core::features::attachments::ExtractionOutcome;

use crate::files::extract::Extractor;
use crate::files::store::{FileStore, collect_garbage};
use crate::live::Hub;

const IDLE_POLL: Duration = Duration::from_secs(2);
const GARBAGE_EVERY: Duration = Duration::from_secs(3600);
/// An unnamed blob younger than this may belong to an upload in progress.
const GARBAGE_GRACE: Duration = Duration::from_secs(6 * 3600);

/// Starts the worker thread.
pub fn start(
    db: Db,
    hub: &Arc<Hub>,
    store: Arc<dyn FileStore>,
    extractor: Extractor,
) -> anyhow::Result<()> {
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
    std::thread::Builder::new()
        .name("comity-extractor".into())
        .spawn(move || run(db, store, extractor, woken))?;
    Ok(())
}

fn run(db: Db, store: Arc<dyn FileStore>, extractor: Extractor, woken: mpsc::Receiver<()>) {
    let mut last_garbage = Instant::now();
    loop {
        match db.pending_extractions(4) {
            Ok(pending) if !pending.is_empty() => {
                for job in pending {
                    let started = Instant::now();
                    let outcome = match store.path(&job.sha256) {
                        Ok(path) => extractor.run(&path, job.media_type),
                        Err(e) => ExtractionOutcome::Failed(format!("the file is missing: {e}")),
                    };
                    let summary = match &outcome {
                        ExtractionOutcome::Text { pages, .. } => format!("{} pages", pages.len()),
                        ExtractionOutcome::NoText => "no text".to_owned(),
                        ExtractionOutcome::Failed(why) => format!("failed: {why}"),
                    };
                    tracing::info!(
                        attachment_id = job.id.get(),
                        name = %job.name,
                        ms = started.elapsed().as_millis() as u64,
                        %summary,
                        "attachment text read"
                    );
                    if let Err(e) = db.record_extraction(job.id, outcome) {
                        tracing::error!(error = %e, "storing an attachment's text failed");
                        std::thread::sleep(IDLE_POLL);
                    }
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reading pending extractions failed"),
        }
        if last_garbage.elapsed() >= GARBAGE_EVERY {
            last_garbage = Instant::now();
            match collect_garbage(&*store, |sha| Ok(db.blob_in_use(sha)?), GARBAGE_GRACE) {
                Ok(0) => {}
                Ok(n) => tracing::info!(blobs = n, "unreferenced attachment blobs removed"),
                Err(e) => tracing::warn!(error = %e, "collecting attachment blobs failed"),
            }
        }
        match woken.recv_timeout(IDLE_POLL) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}
