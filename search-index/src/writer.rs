//! The batched writer: buffers upserts and deletes, and commits them together
//! with the sequence number of the last event they reflect.

use tantivy::{IndexReader, Term};

use crate::doc::IndexDoc;
use crate::schema::Fields;
use crate::{Result, SearchIndex};

/// Memory the writer may use to buffer documents before flushing a segment.
const MEMORY_BUDGET_BYTES: usize = 50_000_000;

/// Writes to a [`SearchIndex`]. Obtained from [`SearchIndex::writer`].
///
/// Changes are buffered and become visible to searches, atomically, on
/// [`commit`](Self::commit). Dropping the writer without committing discards
/// them. Only one writer may exist per index (tantivy holds a lock file);
/// asking for a second one fails until the first is dropped.
pub struct IndexWriter {
    writer: tantivy::IndexWriter,
    /// The index's reader, reloaded after each commit.
    reader: IndexReader,
    fields: Fields,
}

impl IndexWriter {
    pub(crate) fn new(index: &SearchIndex) -> Result<IndexWriter> {
        Ok(IndexWriter {
            writer: index.index.writer(MEMORY_BUDGET_BYTES)?,
            reader: index.reader.clone(),
            fields: index.fields.clone(),
        })
    }

    /// Indexes `doc`, replacing any earlier version of the same post
    /// (including one added earlier in this batch).
    pub fn add(&mut self, doc: &IndexDoc) -> Result<()> {
        // Deletes apply to documents added before them, so the new version
        // added right after survives.
        self.delete_post(doc.post_id);
        self.writer.add_document(doc.to_tantivy(&self.fields))?;
        Ok(())
    }

    /// Removes a post from the index. Removing an unknown post is a no-op.
    pub fn delete_post(&mut self, post_id: u64) {
        self.writer
            .delete_term(Term::from_field_u64(self.fields.post_id, post_id));
    }

    /// Removes every post of a thread.
    pub fn delete_thread(&mut self, thread_id: u64) {
        self.writer
            .delete_term(Term::from_field_u64(self.fields.thread_id, thread_id));
    }

    /// Removes every post.
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Waits for background merges to finish and releases the index:
    /// call it before moving or deleting the index's directory.
    pub fn finish(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }

    /// Commits the buffered changes, recording `last_seq` — the sequence
    /// number of the last event they reflect — in the commit, so that
    /// [`SearchIndex::last_indexed_seq`] knows where to resume. The changes
    /// are searchable as soon as this returns.
    pub fn commit(&mut self, last_seq: i64) -> Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&last_seq.to_string());
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }
}
