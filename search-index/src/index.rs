//! Opening the index and reading its state.

use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::query::QueryParser;
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyError};

use crate::schema::{Fields, build_schema, register_analyzers};
use crate::writer::IndexWriter;
use crate::{Result, SearchError};

/// Title matches weigh this many times a body match.
pub const TITLE_BOOST: f32 = 2.0;

/// Matches in the names of an analysis' instruments and crime areas weigh
/// this many times a body match.
pub const NAMES_BOOST: f32 = 1.5;

/// The search index: an on-disk (or in-memory) tantivy index with this
/// crate's schema and analyzers.
///
/// Open it once per process and clone the handle where needed: clones share
/// the same reader, which [`IndexWriter::commit`] reloads. Two handles
/// opened separately on the same directory would not see each other's
/// commits until reopened.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// Parses free text over every title and body field, titles boosted
    /// (`match=all`).
    pub(crate) parser: QueryParser,
    /// The query-translation table (`None`: the shipped one).
    pub(crate) lexicon: Option<std::sync::Arc<crate::lexicon::Lexicon>>,
    /// Text queries built lately: a search and then its snippets plan the
    /// same text, and planning (translation included) costs about half a
    /// millisecond.
    pub(crate) plans: std::sync::Arc<crate::query::PlanCache>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index
    /// if needed.
    ///
    /// Fails with [`SearchError::SchemaMismatch`] if the directory holds an
    /// index built with another schema; the caller should then delete it and
    /// reindex from the start of the event log.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(|source| SearchError::CreateDirectory {
            path: dir.to_owned(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|source| SearchError::OpenDirectory {
            path: dir.to_owned(),
            source,
        })?;

        let (schema, fields) = build_schema();
        let exists = Index::exists(&directory).map_err(TantivyError::from)?;
        let index = if exists {
            let index = Index::open(directory)?;
            if index.schema() != schema {
                return Err(SearchError::SchemaMismatch {
                    path: dir.to_owned(),
                });
            }
            index
        } else {
            Index::create(directory, schema, IndexSettings::default())?
        };
        SearchIndex::from_index(index, fields)
    }

    /// An empty index held in memory, for tests.
    pub fn open_in_ram() -> Result<SearchIndex> {
        let (schema, fields) = build_schema();
        let index = Index::builder().schema(schema).create_in_ram()?;
        SearchIndex::from_index(index, fields)
    }

    fn from_index(mut index: Index, fields: Fields) -> Result<SearchIndex> {
        register_analyzers(&index)?;
        // A search visits the segments on every core: a query matching a
        // third of a million posts takes half the time on two cores. Under
        // load the requests share the same cores, as they would anyway.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        // Our own writer reloads the reader on commit, so there is no need
        // for tantivy's file watcher.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;

        let mut parser = QueryParser::for_index(&index, fields.all_text());
        // "counterfeit border" means both words, like most search boxes.
        parser.set_conjunction_by_default();
        for title in fields.titles() {
            parser.set_field_boost(title, TITLE_BOOST);
        }
        for names in fields.names() {
            parser.set_field_boost(names, NAMES_BOOST);
        }

        Ok(SearchIndex {
            index,
            reader,
            fields,
            parser,
            lexicon: None,
            plans: Default::default(),
        })
    }

    /// The same index, translating queries with `lexicon` instead of the
    /// shipped table (the evaluation trains its own on part of the devset).
    pub fn with_lexicon(mut self, lexicon: std::sync::Arc<crate::lexicon::Lexicon>) -> Self {
        self.lexicon = Some(lexicon);
        self.plans = Default::default();
        self
    }

    pub(crate) fn lexicon(&self) -> &crate::lexicon::Lexicon {
        match &self.lexicon {
            Some(lexicon) => lexicon,
            None => crate::lexicon::Lexicon::shipped(),
        }
    }

    /// A writer for this index. Only one may exist at a time: this fails
    /// while another writer (in this process or another) is alive.
    pub fn writer(&self) -> Result<IndexWriter> {
        IndexWriter::new(self)
    }

    /// The event sequence number recorded by the last
    /// [`IndexWriter::commit`], or `None` if nothing was ever committed.
    /// The indexer resumes from the event after it.
    pub fn last_indexed_seq(&self) -> Result<Option<i64>> {
        match self.index.load_metas()?.payload {
            None => Ok(None),
            Some(payload) => match payload.parse() {
                Ok(seq) => Ok(Some(seq)),
                Err(_) => Err(SearchError::InvalidPayload(payload)),
            },
        }
    }

    /// Number of posts currently searchable.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}
