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

    /// A writer indexing on one thread (each commit then makes one
    /// segment: tests that need to know which documents share one).
    #[cfg(test)]
    fn single_threaded(index: &SearchIndex) -> Result<IndexWriter> {
        Ok(IndexWriter {
            writer: index
                .index
                .writer_with_num_threads(1, MEMORY_BUDGET_BYTES)?,
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

    /// Rewrites the index without anything deleted from it: every segment
    /// merged into one (deleted documents and the terms only they held are
    /// dropped), then the files no longer used removed. After a redaction,
    /// no file of the index holds the removed text. Call after
    /// [`commit`](Self::commit).
    pub fn purge(&mut self) -> Result<()> {
        let segments = self.writer.index().searchable_segment_ids()?;
        if !segments.is_empty() {
            self.writer.merge(&segments).wait()?;
        }
        self.writer.garbage_collect_files().wait()?;
        self.reader.reload()?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IndexDoc, MEMBERS_KEY};

    /// How many segments' term dictionaries hold `word` in some field,
    /// deleted documents included.
    fn segments_holding(index: &SearchIndex, word: &str) -> usize {
        let searcher = index.reader.searcher();
        searcher
            .segment_readers()
            .iter()
            .filter(|segment| {
                index.fields.text.iter().any(|fields| {
                    [fields.title, fields.text, fields.names]
                        .iter()
                        .any(|&field| {
                            let inverted = segment.inverted_index(field).unwrap();
                            inverted
                                .get_term_info(&Term::from_field_text(field, word))
                                .unwrap()
                                .is_some()
                        })
                })
            })
            .count()
    }

    fn doc(post_id: u64, body: &str) -> IndexDoc {
        IndexDoc {
            post_id,
            thread_id: post_id,
            body_text: body.into(),
            language: "en".into(),
            acl: vec![MEMBERS_KEY.into()],
            ..IndexDoc::default()
        }
    }

    #[test]
    fn a_purge_leaves_no_term_of_a_deleted_document() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        let mut writer = IndexWriter::single_threaded(&index).unwrap();
        // Many documents in the first segment: tantivy itself rewrites a
        // segment most of whose documents are deleted, not one with a
        // single deletion among many.
        writer
            .add(&doc(1, "The witness zorbadelli saw the pallets"))
            .unwrap();
        for n in 10..110 {
            writer.add(&doc(n, "Pallets were counted")).unwrap();
        }
        writer.commit(1).unwrap();
        writer.add(&doc(2, "Another post about pallets")).unwrap();
        writer.commit(2).unwrap();
        writer
            .add(&doc(1, "The witness redacted saw the pallets"))
            .unwrap();
        writer.commit(3).unwrap();
        assert_eq!(
            segments_holding(&index, "zorbadelli"),
            1,
            "a deleted document's terms stay in its segment"
        );
        writer.purge().unwrap();
        assert_eq!(segments_holding(&index, "zorbadelli"), 0);
        assert_eq!(segments_holding(&index, "pallet"), 1, "the rest is kept");
        let searcher = index.reader.searcher();
        assert_eq!(searcher.num_docs(), 102);
        let bytes: Vec<u8> = std::fs::read_dir(dir.path())
            .unwrap()
            .flat_map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
            .collect();
        assert!(!String::from_utf8_lossy(&bytes).contains("zorbadelli"));
    }
}
