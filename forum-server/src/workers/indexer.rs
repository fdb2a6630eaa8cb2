//! Keeping the search index in step with the database.
//!
//! One indexer thread per process tails the event log after the last `seq`
//! the index committed, turns every event that changes what search should
//! find (new, edited, hidden and restored posts; new, retagged, moved,
//! merged and split threads) into a reload of the affected posts from the
//! database, and commits in batches: once [`SearchSettings::commit_batch`]
//! posts wait, or [`SearchSettings::commit_interval_ms`] after the first of
//! them. A publish wakes it when nothing waits for a commit; while posts
//! wait, what is published meanwhile is read once, when the commit is due
//! (nothing is searchable before its commit anyway). Each commit records
//! the `seq` it reflects, so after a crash the indexer resumes from there;
//! replaying an event is harmless, since it reloads the current state of
//! the database.
//!
//! A missing, unreadable or outdated index never stops the forum: the
//! indexer rebuilds it from the database into a fresh directory and swaps
//! it in, and search answers 503 meanwhile ([`Search::index`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant};

use forum_core::access::{self, MarkKey, SearchKey};
use forum_core::features::index_feed::SearchSource;
use forum_core::store::event_payloads::Event;
use forum_core::store::rows::EventRow;
use forum_core::{Db, PostId, ThreadId};
use search_index::{IndexDoc, IndexWriter, JurisdictionTag, MEMBERS_KEY, SearchIndex, group_key};

use crate::config::SearchSettings;
use crate::live::Hub;

/// Events read from the log per query.
const EVENT_BATCH: i64 = 500;
/// Posts read from the database per query during a rebuild.
const REBUILD_PAGE: i64 = 1_000;
/// How long the indexer sleeps when nothing woke it.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// Wait between attempts to rebuild an index that could not be built.
const RETRY_AFTER: Duration = Duration::from_secs(10);

/// Why search cannot answer right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The index is being built from the database.
    Rebuilding,
    /// Building the index failed; the indexer retries.
    Failed(String),
}

enum State {
    Ready(Box<SearchIndex>),
    Unavailable(Unavailable),
}

/// The process's handle on the search index.
pub struct Search {
    state: RwLock<State>,
    /// The `seq` of the last event the searchable index reflects.
    indexed: AtomicI64,
    wake: SyncSender<()>,
    stop: AtomicBool,
    /// Set by the indexer once it committed everything and let go.
    flushed: AtomicBool,
    /// "Related analyses" per thread (see [`crate::search::related`]).
    related: crate::search::RelatedCache,
    /// Itself, for work handed to other threads.
    me: std::sync::Weak<Search>,
}

impl Search {
    /// Starts the indexer thread on `dir` and hooks it to the hub, so each
    /// published event wakes it. It stops once the handle is dropped.
    pub fn start(
        db: Db,
        hub: &Arc<Hub>,
        dir: PathBuf,
        settings: SearchSettings,
    ) -> anyhow::Result<Arc<Search>> {
        let (wake, woken) = mpsc::sync_channel(1);
        let search = Arc::new_cyclic(|me| Search {
            state: RwLock::new(State::Unavailable(Unavailable::Rebuilding)),
            indexed: AtomicI64::new(0),
            wake,
            stop: AtomicBool::new(false),
            flushed: AtomicBool::new(false),
            related: crate::search::RelatedCache::default(),
            me: me.clone(),
        });
        let weak = Arc::downgrade(&search);
        std::thread::Builder::new()
            .name("comity-indexer".into())
            .spawn(move || index_loop(weak, db, dir, settings, woken))?;
        // Forward the hub's "something was published" to the indexer.
        let mut published = hub.subscribe();
        let weak = Arc::downgrade(&search);
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            while let Ok(_) | Err(RecvError::Lagged(_)) = published.recv().await {
                match weak.upgrade() {
                    Some(search) => search.poke(),
                    None => break,
                }
            }
        });
        Ok(search)
    }

    /// The index, or why there is none to search right now.
    pub fn index(&self) -> Result<SearchIndex, Unavailable> {
        match &*self.state.read().unwrap_or_else(PoisonError::into_inner) {
            State::Ready(index) => Ok((**index).clone()),
            State::Unavailable(why) => Err(why.clone()),
        }
    }

    /// The `seq` of the last event the searchable index reflects.
    /// The cache behind [`crate::search::related`].
    pub fn related_cache(&self) -> &crate::search::RelatedCache {
        &self.related
    }

    /// A handle that does not keep the index alive.
    pub fn clone_handle(&self) -> std::sync::Weak<Search> {
        self.me.clone()
    }

    pub fn indexed_seq(&self) -> i64 {
        self.indexed.load(Ordering::Acquire)
    }

    /// Stops the indexer after it has committed everything the log holds
    /// (a graceful shutdown); waits for that at most `within`. Returns
    /// whether it finished in time.
    pub fn flush_and_stop(&self, within: Duration) -> bool {
        self.stop.store(true, Ordering::Relaxed);
        self.poke();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if self.flushed.load(Ordering::Acquire) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn poke(&self) {
        // A full channel already holds a wake-up.
        let _ = self.wake.try_send(());
    }

    fn set(&self, state: State) {
        *self.state.write().unwrap_or_else(PoisonError::into_inner) = state;
    }
}

impl Drop for Search {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The indexer thread: opens (or rebuilds) the index, then follows the log
/// until the [`Search`] is dropped. A failure of the index sends it back to
/// rebuilding; a database error is retried with the same index; the forum
/// keeps serving meanwhile.
fn index_loop(
    search: Weak<Search>,
    db: Db,
    dir: PathBuf,
    settings: SearchSettings,
    woken: Receiver<()>,
) {
    // After a database error the index is fine: reopen it quietly.
    let mut quietly = false;
    loop {
        let Some(handle) = search.upgrade() else {
            return;
        };
        if !quietly {
            handle.set(State::Unavailable(Unavailable::Rebuilding));
        }
        quietly = false;
        let (index, seq) = match open_current(&db, &dir) {
            Ok(ready) => ready,
            Err(e) => {
                tracing::error!(error = %e, dir = %dir.display(), "search index unavailable; retrying");
                handle.set(State::Unavailable(Unavailable::Failed(e.to_string())));
                drop(handle);
                std::thread::sleep(RETRY_AFTER);
                continue;
            }
        };
        handle.indexed.store(seq, Ordering::Release);
        handle.set(State::Ready(Box::new(index.clone())));
        drop(handle);
        let followed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            follow(&search, &db, &index, seq, &settings, &woken)
        }));
        match followed {
            Ok(Ok(())) => return,
            Ok(Err(e)) if is_locked(&e) => {
                // Another process writes this index: leave it alone.
                tracing::error!(error = %e, dir = %dir.display(), "the search index is in use by another process; give each process its own [search] dir");
                if let Some(handle) = search.upgrade() {
                    handle.set(State::Unavailable(Unavailable::Failed(e.to_string())));
                }
                drop(index);
                std::thread::sleep(RETRY_AFTER);
            }
            Ok(Err(e)) if e.downcast_ref::<forum_core::CoreError>().is_some() => {
                tracing::warn!(error = %e, "search indexing: database error; retrying");
                drop(index);
                quietly = true;
                std::thread::sleep(Duration::from_secs(1));
            }
            failed => {
                match failed {
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "search indexing failed; rebuilding the index")
                    }
                    _ => tracing::error!("the search indexer panicked; rebuilding the index"),
                }
                if let Some(handle) = search.upgrade() {
                    handle.set(State::Unavailable(Unavailable::Rebuilding));
                }
                drop(index);
                // Whatever is on disk is suspect now.
                if let Err(e) = discard(&dir) {
                    tracing::warn!(error = %e, "cannot remove the failed search index");
                }
            }
        }
    }
}

/// Written into every index directory Comity builds: nothing is ever
/// replaced or deleted without it, so a misconfigured `[search] dir` cannot
/// cost the operator other files.
const MARKER: &str = "COMITY_SEARCH_INDEX";

/// Whether `dir` is missing, empty or one of our indexes.
fn is_ours(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Err(_) => !dir.exists(),
        Ok(mut entries) => entries.next().is_none() || dir.join(MARKER).exists(),
    }
}

fn refuse_foreign(dir: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        is_ours(dir),
        "{} holds files that are not a Comity search index; refusing to use or replace it \
         (point [search] dir at an empty or missing directory)",
        dir.display()
    );
    Ok(())
}

/// Removes one of our index directories.
fn discard(dir: &Path) -> anyhow::Result<()> {
    if dir.join(MARKER).exists() {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// Opens the index in `dir` and the `seq` to resume after, rebuilding it
/// from the database first if it is missing, unreadable, built with another
/// schema, never committed, or ahead of the database (a restored backup).
fn open_current(db: &Db, dir: &Path) -> anyhow::Result<(SearchIndex, i64)> {
    refuse_foreign(dir)?;
    if !dir.join(MARKER).exists() {
        tracing::info!(dir = %dir.display(), "building the search index from the database");
        return rebuild(db, dir);
    }
    let opened = SearchIndex::open_or_create(dir).and_then(|index| {
        let seq = index.last_indexed_seq()?;
        Ok((index, seq))
    });
    match opened {
        Ok((index, Some(seq))) => {
            let head = db.last_event_seq()?;
            if seq <= head {
                return Ok((index, seq));
            }
            tracing::warn!(
                index_seq = seq,
                database_seq = head,
                "the search index is ahead of the database (restored from a backup?); rebuilding it"
            );
            drop(index);
        }
        Ok((index, None)) => drop(index),
        Err(e) => {
            tracing::warn!(error = %e, dir = %dir.display(), "search index unreadable; rebuilding it")
        }
    }
    rebuild(db, dir)
}

/// Whether an indexing failure is another writer holding the index.
fn is_locked(e: &anyhow::Error) -> bool {
    e.downcast_ref::<search_index::SearchError>()
        .is_some_and(search_index::SearchError::is_locked)
}

/// Fails if a writer (another server) holds the index in `dir`.
fn ensure_not_in_use(dir: &Path) -> anyhow::Result<()> {
    if dir.join(MARKER).exists()
        && let Ok(index) = SearchIndex::open_or_create(dir)
        && let Err(e) = index.writer()
        && e.is_locked()
    {
        anyhow::bail!(
            "the search index at {} is in use ({e}); stop the server first \
             (a running server rebuilds a missing index by itself)",
            dir.display()
        );
    }
    Ok(())
}

/// Held while an index is built and swapped in, so two rebuilds (a server's
/// and `forum-server reindex`) never work on the same directories.
fn rebuild_lock(dir: &Path) -> anyhow::Result<std::fs::File> {
    let path = sibling(dir, "lock");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            anyhow::bail!("another rebuild of {} is running", dir.display())
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct Rebuilt {
    pub posts: u64,
    pub seq: i64,
    pub elapsed: Duration,
}

/// Builds the index from the database into `<dir>.new`, then swaps it in
/// for `dir`. Events after the `seq` read before the first post are
/// applied again by the indexer, which is harmless.
fn rebuild(db: &Db, dir: &Path) -> anyhow::Result<(SearchIndex, i64)> {
    let stats = reindex(db, dir)?;
    metrics::counter!("comity_search_rebuilds_total").increment(1);
    tracing::info!(
        posts = stats.posts,
        seq = stats.seq,
        ms = stats.elapsed.as_millis() as u64,
        "search index rebuilt"
    );
    let index = SearchIndex::open_or_create(dir)?;
    Ok((index, stats.seq))
}

/// `forum-server reindex`: rebuilds the index in `dir` from the database
/// and swaps it in. Refuses while a server holds the index, while another
/// rebuild runs, and when `dir` holds something else.
pub fn reindex(db: &Db, dir: &Path) -> anyhow::Result<Rebuilt> {
    reindex_showing(db, dir, &crate::progress::Progress::quiet())
}

/// [`reindex`] for the operator's commands: a bar on a terminal, periodic
/// lines otherwise.
pub fn reindex_with_progress(db: &Db, dir: &Path) -> anyhow::Result<Rebuilt> {
    let posts = db.backup_facts()?.posts;
    let progress = crate::progress::Progress::new("reindex", posts.max(0) as u64, "posts");
    let rebuilt = reindex_showing(db, dir, &progress)?;
    progress.finish();
    Ok(rebuilt)
}

fn reindex_showing(
    db: &Db,
    dir: &Path,
    progress: &crate::progress::Progress,
) -> anyhow::Result<Rebuilt> {
    refuse_foreign(dir)?;
    let _lock = rebuild_lock(dir)?;
    ensure_not_in_use(dir)?;
    let fresh = sibling(dir, "new");
    let stats = build_into(db, &fresh, progress)?;
    swap_in(&fresh, dir)?;
    Ok(stats)
}

/// Writes every indexable post into a new index at `dir` (emptied first).
fn build_into(
    db: &Db,
    dir: &Path,
    progress: &crate::progress::Progress,
) -> anyhow::Result<Rebuilt> {
    let started = Instant::now();
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join(MARKER),
        "Comity search index: derived from the database; `forum-server reindex` rebuilds it.\n",
    )?;
    let seq = db.last_event_seq()?;
    let index = SearchIndex::open_or_create(dir)?;
    let mut writer = index.writer()?;
    let mut after = 0;
    let mut posts = 0u64;
    loop {
        let page = db.search_sources_after(after, REBUILD_PAGE)?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.post_id.into();
        for source in &page {
            writer.add(&index_doc(source))?;
            posts += 1;
        }
        progress.inc(page.len() as u64);
    }
    writer.commit(seq)?;
    writer.finish()?;
    Ok(Rebuilt {
        posts,
        seq,
        elapsed: started.elapsed(),
    })
}

/// Replaces `dir` by `fresh`: the old index is moved aside first, then
/// removed.
fn swap_in(fresh: &Path, dir: &Path) -> anyhow::Result<()> {
    refuse_foreign(dir)?;
    let old = sibling(dir, "old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    if dir.exists() {
        std::fs::rename(dir, &old)?;
    }
    std::fs::rename(fresh, dir)?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// `search` → `search.new`.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    dir.with_file_name(name)
}

/// Follows the event log from `seq` until the handle is dropped.
fn follow(
    search: &Weak<Search>,
    db: &Db,
    index: &SearchIndex,
    mut seq: i64,
    settings: &SearchSettings,
    woken: &Receiver<()>,
) -> anyhow::Result<()> {
    let mut writer = writer_when_free(index)?;
    let interval = Duration::from_millis(settings.commit_interval_ms);
    // Posts changed since the last commit, and when the first was read.
    let mut pending = 0usize;
    let mut first_pending: Option<Instant> = None;
    loop {
        let Some(handle) = search.upgrade() else {
            return Ok(writer.finish()?);
        };
        // Stopping: what the log holds is read and committed first.
        let stopping = handle.stop.load(Ordering::Relaxed);
        let events = db.events_after(seq, EVENT_BATCH)?;
        let mut purge = false;
        if let Some(last) = events.last() {
            seq = last.seq;
            pending += apply(db, &mut writer, &events)?.max(1);
            first_pending.get_or_insert_with(Instant::now);
            purge = events.iter().any(is_redaction);
        }
        let due = first_pending.is_some_and(|at| at.elapsed() >= interval)
            || pending >= settings.commit_batch
            || purge
            || (stopping && pending > 0);
        if due {
            let started = Instant::now();
            writer.commit(seq)?;
            metrics::histogram!("comity_search_commit_seconds")
                .record(started.elapsed().as_secs_f64());
            if purge {
                // What a redaction removed must leave the index's files.
                writer.purge()?;
            }
            handle.indexed.store(seq, Ordering::Release);
            pending = 0;
            first_pending = None;
        }
        if events.len() as i64 == EVENT_BATCH {
            continue;
        }
        if stopping {
            writer.finish()?;
            handle.flushed.store(true, Ordering::Release);
            return Ok(());
        }
        drop(handle);
        match first_pending {
            // Documents become searchable at the commit, not before: what
            // is published meanwhile is read once, when the commit is due,
            // so a stream of replies costs one read of the log and one
            // load of its posts per commit rather than per publish. Only
            // a stop (`flush_and_stop` pokes too) cuts the wait short.
            Some(at) => loop {
                let left = interval.saturating_sub(at.elapsed());
                if left.is_zero() {
                    break;
                }
                match woken.recv_timeout(left) {
                    Ok(()) => {
                        if search
                            .upgrade()
                            .is_none_or(|s| s.stop.load(Ordering::Relaxed))
                        {
                            break;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Ok(writer.finish()?),
                }
            },
            None => match woken.recv_timeout(IDLE_POLL) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(writer.finish()?),
            },
        }
    }
}

/// A `post_edited` event of a redaction.
fn is_redaction(event: &EventRow) -> bool {
    matches!(
        event.event(),
        Some(Event::PostEdited(e))
            if e.reason.as_deref() == Some(forum_core::features::redaction::REDACTION_REASON)
    )
}

/// The index's writer, waiting a few seconds for a previous indexer of
/// this process (a server being restarted in place) to let go of it.
fn writer_when_free(index: &SearchIndex) -> anyhow::Result<IndexWriter> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match index.writer() {
            Ok(writer) => return Ok(writer),
            Err(e) if Instant::now() >= deadline => return Err(e.into()),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Applies a batch of events to the writer; returns how many posts it
/// reloaded or removed.
fn apply(db: &Db, writer: &mut IndexWriter, events: &[EventRow]) -> anyhow::Result<usize> {
    let mut threads: BTreeSet<ThreadId> = BTreeSet::new();
    let mut posts: BTreeSet<(PostId, Option<ThreadId>)> = BTreeSet::new();
    for event in events {
        let Some(typed) = event.event() else {
            tracing::warn!(
                seq = event.seq,
                kind = %event.kind,
                "event not understood; reindexing the thread its row names"
            );
            threads.extend(event.thread_id);
            continue;
        };
        match typed {
            Event::ThreadCreated(_) | Event::ThreadUpdated(_) | Event::ThreadMoved(_) => {
                threads.extend(event.thread_id);
            }
            Event::ThreadMerged(merged) => {
                threads.extend(event.thread_id);
                threads.extend([merged.from, merged.into]);
            }
            Event::ThreadSplit(split) => {
                threads.extend(event.thread_id);
                threads.extend([split.from, split.into]);
            }
            Event::PostCreated(e) => {
                posts.insert((e.post.id, event.thread_id));
            }
            Event::PostEdited(e) => {
                posts.insert((e.post.id, event.thread_id));
            }
            Event::PostHidden(e) | Event::PostRestored(e) => {
                posts.insert((e.post_id, event.thread_id));
            }
            Event::AttachmentExtracted(e) | Event::AttachmentHidden(e) => {
                posts.insert((e.post_id, event.thread_id));
            }
            _ => {}
        }
    }
    // A reloaded thread brings its posts along.
    let posts: Vec<PostId> = posts
        .into_iter()
        .filter(|(_, thread)| thread.is_none_or(|t| !threads.contains(&t)))
        .map(|(post, _)| post)
        .collect();
    let threads: Vec<ThreadId> = threads.into_iter().collect();
    let mut changed = 0;
    for &thread in &threads {
        writer.delete_thread(thread.get() as u64);
    }
    for source in db.search_sources_for_threads(&threads)? {
        writer.add(&index_doc(&source))?;
        changed += 1;
    }
    for &post in &posts {
        // Hidden posts are not returned below: removing them is the point.
        writer.delete_post(post.get() as u64);
        changed += 1;
    }
    for source in db.search_sources_for_posts(&posts)? {
        writer.add(&index_doc(&source))?;
    }
    Ok(changed + threads.len())
}

/// The index document for a post.
pub fn index_doc(source: &SearchSource) -> IndexDoc {
    IndexDoc {
        post_id: source.post_id.get() as u64,
        thread_id: source.thread_id.get() as u64,
        author_id: source.author_id.get() as u64,
        category_id: source.category_id.get() as u64,
        title: source.title.clone(),
        opening: source.opening,
        body_text: source.body_text.clone(),
        language: source.language.clone(),
        jurisdictions: source
            .jurisdictions
            .iter()
            .map(|code| JurisdictionTag {
                code: code.clone(),
                within: forum_core::domain::jurisdictions::containing(code).to_vec(),
            })
            .collect(),
        instruments: source.instruments.clone(),
        crime_areas: source.crime_areas.clone(),
        kind: source.kind.to_string(),
        acl: access::document_keys(&source.restricted_to)
            .into_iter()
            .map(key_string)
            .chain(
                access::marking_keys(&source.marking)
                    .into_iter()
                    .map(mark_key_string),
            )
            .chain(
                source
                    .post_marking
                    .iter()
                    .flat_map(access::marking_keys)
                    .map(post_mark_key_string),
            )
            .collect(),
        created_at: source.created_at.and_utc().timestamp(),
        attachments: source
            .attachments
            .iter()
            .map(|a| search_index::AttachedText {
                language: a.language.clone(),
                text: a.text.clone(),
            })
            .collect(),
    }
}

/// A key of a post's own mark as the index spells it (`postmark:…`).
pub fn post_mark_key_string(key: MarkKey) -> String {
    layered_mark_key(key, search_index::POST_MARK_KEY_PREFIX)
}

/// A mark key as the index spells it (`mark:…`).
pub fn mark_key_string(key: MarkKey) -> String {
    layered_mark_key(key, search_index::MARK_KEY_PREFIX)
}

/// A mark key under the layer `prefix` ([`search_index::MARK_LAYERS`]).
fn layered_mark_key(key: MarkKey, prefix: &str) -> String {
    match key {
        MarkKey::Unnamed => format!("{prefix}any"),
        MarkKey::Country(code) => format!("{prefix}country:{code}"),
        MarkKey::Group(id) => format!("{prefix}group:{}", id.get()),
        MarkKey::Member(id) => format!("{prefix}member:{}", id.get()),
        MarkKey::Admins => format!("{prefix}admins"),
    }
}

/// An access key as the index spells it.
pub fn key_string(key: SearchKey) -> String {
    match key {
        SearchKey::Members => MEMBERS_KEY.to_owned(),
        SearchKey::Group(id) => group_key(id.get() as u64),
    }
}
