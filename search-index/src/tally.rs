//! Match totals and facet counts that stay cheap on large result sets.
//!
//! Up to [`EXACT_UP_TO`] matches, every match is counted and its facets
//! tallied, exactly as tantivy's `Count` and `FacetCollector` would. Beyond
//! that (a one-word query over a million posts matches half of them), the
//! rest of the index is *sampled*: each segment's remaining documents are
//! cut into [`WINDOWS`] windows of document ids; in each window the first
//! matches up to a quota are tallied, and the window's total is estimated
//! from how far into the window the quota was reached. Document ids follow
//! indexing order, which follows time, so the windows spread the sample
//! over the whole period (the `year` facet stays meaningful). The scorer
//! skips to each window with its skip lists; no score is computed.
//!
//! The result says whether it is exact ([`Tally::exact`]), so the caller
//! can say "about 290,000 results" (as Elasticsearch's `track_total_hits`
//! and Discourse do) instead of paying for an exact count.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::schema::Facet;
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Totals and facet counts are exact when a search matches at most this
/// many posts.
pub const EXACT_UP_TO: usize = 10_000;

/// Beyond [`EXACT_UP_TO`], about this many further matches are tallied,
/// spread over the index in proportion to each segment's size.
pub const SAMPLE: usize = 10_000;

/// Windows per segment in sampling mode.
const WINDOWS: u32 = 32;

/// Fewest matches tallied per window, however small the segment's share.
const MIN_QUOTA: usize = 8;

/// Counts over every match of a query: exact, or estimated from a sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Matches (estimated when not [`Tally::exact`]).
    pub total: f64,
    /// Per facet field (in the order given to [`TallyCollector::new`]),
    /// per top-level value: the matches carrying it. A post tagged with
    /// several values under one top-level value counts once there.
    pub facets: Vec<BTreeMap<String, f64>>,
    /// Whether every match was counted.
    pub exact: bool,
}

impl Tally {
    /// The total, rounded to a whole number of posts.
    pub fn total(&self) -> usize {
        self.total.round() as usize
    }

    /// Facet `index`'s counts, rounded; values estimated below one half
    /// are left out.
    pub fn counts(&self, index: usize) -> BTreeMap<String, u64> {
        self.facets
            .get(index)
            .into_iter()
            .flatten()
            .filter_map(|(value, count)| {
                let count = count.round();
                (count >= 1.0).then(|| (value.clone(), count as u64))
            })
            .collect()
    }
}

/// A collector producing a [`Tally`] of facet fields (by name). Meant for a
/// single search: it keeps the shared exact budget.
pub struct TallyCollector {
    fields: Vec<String>,
    /// Exact matches still allowed, shared by the segments.
    exact_left: AtomicUsize,
    /// Documents in the whole index, to share out the sample.
    max_doc: u64,
}

impl TallyCollector {
    /// Tallies the facet fields named `fields` over an index of `max_doc`
    /// documents (the searcher's total).
    pub fn new(fields: Vec<String>, max_doc: u64) -> TallyCollector {
        TallyCollector {
            fields,
            exact_left: AtomicUsize::new(EXACT_UP_TO),
            max_doc: max_doc.max(1),
        }
    }

    /// Takes up to `wanted` from the shared exact budget.
    fn take_exact(&self, wanted: usize) -> usize {
        let mut left = self.exact_left.load(Ordering::Relaxed);
        loop {
            let take = left.min(wanted);
            match self.exact_left.compare_exchange_weak(
                left,
                left - take,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return take,
                Err(now) => left = now,
            }
        }
    }
}

/// One segment's facet readers and counts.
struct SegmentFacets {
    readers: Vec<tantivy::fastfield::FacetReader>,
    /// Per field: top-level label of each facet ordinal, resolved lazily.
    top_of_ord: Vec<Vec<u32>>,
    /// Per field: the labels seen, indexed by the ids in `top_of_ord`.
    labels: Vec<Vec<String>>,
    /// Per field: the weight counted under each label id.
    counts: Vec<Vec<f64>>,
    /// Scratch for one document's label ids.
    scratch: Vec<u32>,
}

const UNRESOLVED: u32 = u32::MAX;

impl SegmentFacets {
    fn open(reader: &SegmentReader, fields: &[String]) -> tantivy::Result<SegmentFacets> {
        let readers = fields
            .iter()
            .map(|name| reader.facet_reader(name))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let top_of_ord = readers
            .iter()
            .map(|reader| vec![UNRESOLVED; reader.num_facets()])
            .collect();
        Ok(SegmentFacets {
            top_of_ord,
            labels: vec![Vec::new(); readers.len()],
            counts: vec![Vec::new(); readers.len()],
            readers,
            scratch: Vec::new(),
        })
    }

    /// Adds `weight` under each top-level value of `doc`, once per value.
    fn add(&mut self, doc: DocId, weight: f64) -> tantivy::Result<()> {
        for field in 0..self.readers.len() {
            self.scratch.clear();
            for ord in self.readers[field].facet_ords(doc) {
                let slot = &mut self.top_of_ord[field][ord as usize];
                if *slot == UNRESOLVED {
                    let mut facet = Facet::root();
                    self.readers[field].facet_from_ord(ord, &mut facet)?;
                    let top = facet.to_path().first().map(|s| s.to_string());
                    let labels = &mut self.labels[field];
                    let id = match top {
                        Some(label) => match labels.iter().position(|l| *l == label) {
                            Some(id) => id,
                            None => {
                                labels.push(label);
                                self.counts[field].push(0.0);
                                labels.len() - 1
                            }
                        },
                        None => continue,
                    };
                    *slot = id as u32;
                }
                self.scratch.push(*slot);
            }
            self.scratch.sort_unstable();
            self.scratch.dedup();
            for &id in &self.scratch {
                self.counts[field][id as usize] += weight;
            }
        }
        Ok(())
    }
}

/// Unused: [`TallyCollector`] overrides `collect_segment` and never asks
/// for a per-document collector.
pub struct NoSegmentCollector;

impl SegmentCollector for NoSegmentCollector {
    type Fruit = Tally;

    fn collect(&mut self, _doc: DocId, _score: Score) {}

    fn harvest(self) -> Tally {
        Tally::default()
    }
}

impl Collector for TallyCollector {
    type Fruit = Tally;
    type Child = NoSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<NoSegmentCollector> {
        Ok(NoSegmentCollector)
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut merged = Tally {
            total: 0.0,
            facets: vec![BTreeMap::new(); self.fields.len()],
            exact: true,
        };
        for fruit in fruits {
            merged.total += fruit.total;
            merged.exact &= fruit.exact;
            for (into, from) in merged.facets.iter_mut().zip(fruit.facets) {
                for (label, count) in from {
                    *into.entry(label).or_insert(0.0) += count;
                }
            }
        }
        Ok(merged)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Tally> {
        let mut facets = SegmentFacets::open(reader, &self.fields)?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|set| set.is_alive(doc));
        let max_doc = reader.max_doc();
        let mut total = 0.0;
        let mut exact = true;

        // Exact phase: take matches while the shared budget lasts, a
        // block at a time so that segments searched in parallel share it;
        // a segment that runs out of matches gives back what it did not
        // use, so a search with at most EXACT_UP_TO matches is exact.
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            let mut granted = self.take_exact(256);
            if granted == 0 {
                break;
            }
            while granted > 0 && doc != TERMINATED {
                if is_alive(doc) {
                    facets.add(doc, 1.0)?;
                    total += 1.0;
                    granted -= 1;
                }
                doc = scorer.advance();
            }
            self.exact_left.fetch_add(granted, Ordering::Relaxed);
        }
        if doc != TERMINATED {
            // Sampling phase over [doc, max_doc).
            exact = false;
            let share = SAMPLE as f64 * f64::from(max_doc) / self.max_doc as f64;
            let start = doc;
            let span = max_doc - start;
            let windows = WINDOWS.min(span.max(1));
            let quota = ((share / f64::from(windows)).ceil() as usize).max(MIN_QUOTA);
            for window in 0..windows {
                let from = start + (u64::from(span) * u64::from(window) / u64::from(windows)) as u32;
                let to =
                    start + (u64::from(span) * u64::from(window + 1) / u64::from(windows)) as u32;
                if doc < from {
                    doc = scorer.seek(from);
                }
                let mut taken: Vec<DocId> = Vec::with_capacity(quota);
                let mut full_at = None;
                while doc < to {
                    if is_alive(doc) {
                        taken.push(doc);
                        if taken.len() == quota {
                            full_at = Some(doc);
                            doc = scorer.advance();
                            break;
                        }
                    }
                    doc = scorer.advance();
                }
                // A full quota stands for the whole window, in proportion
                // to the part of it that was read.
                let weight = match full_at {
                    Some(last) => f64::from(to - from) / f64::from(last - from + 1),
                    None => 1.0,
                };
                for taken_doc in taken.iter().copied() {
                    facets.add(taken_doc, weight)?;
                }
                total += weight * taken.len() as f64;
                if doc == TERMINATED {
                    break;
                }
            }
        }

        let facets = facets
            .labels
            .into_iter()
            .zip(facets.counts)
            .map(|(labels, counts)| labels.into_iter().zip(counts).collect())
            .collect();
        Ok(Tally {
            total,
            facets,
            exact,
        })
    }
}
