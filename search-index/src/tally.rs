//! Facet counts that stay cheap on large result sets.
//!
//! Every match is counted, so totals are always exact. Facets cost more:
//! each match reads the facet values of seven fields. The first
//! [`EXACT_UP_TO`] matches of a search have their facets tallied exactly,
//! as tantivy's `FacetCollector` would; beyond that (a one-word query over
//! a million posts matches a third of them), one further match in
//! [`STRIDE`] is tallied with weight [`STRIDE`]. Which ones is decided by a
//! hash of the document (its segment and id), not by counting: a counted
//! stride aliases with anything periodic in the data (posts written in a
//! rotation of countries would all land on one), while a hashed sample is
//! an unbiased draw spread over the whole index, so over the whole period,
//! and the `year` facet stays meaningful. [`Tally::exact`] says whether
//! the facets were sampled, so the page can mark them as estimates.
//!
//! The collector runs in the same pass as the page of hits (a
//! `MultiCollector`), so a search iterates its matches once.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Facet counts are exact when a search matches at most this many posts.
pub const EXACT_UP_TO: usize = 10_000;

/// Beyond [`EXACT_UP_TO`], one match in this many (on average) has its
/// facets tallied. A power of two.
pub const STRIDE: u64 = 16;

/// Counts over every match of a query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Matches: always exact.
    pub total: u64,
    /// Per facet field (in the order given to [`TallyCollector::new`]),
    /// per top-level value: the matches carrying it (estimated when not
    /// [`Tally::exact`]). A post tagged with several values under one
    /// top-level value counts once there.
    pub facets: Vec<BTreeMap<String, u64>>,
    /// Whether every match's facets were tallied.
    pub exact: bool,
}

/// A collector producing a [`Tally`] of facet fields (by name). Meant for a
/// single search: it holds the budget of exactly tallied matches that its
/// segments share.
pub struct TallyCollector {
    fields: Vec<String>,
    exact_left: Arc<AtomicUsize>,
}

impl TallyCollector {
    /// Tallies the facet fields named `fields`.
    pub fn new(fields: Vec<String>) -> TallyCollector {
        TallyCollector {
            fields,
            exact_left: Arc::new(AtomicUsize::new(EXACT_UP_TO)),
        }
    }
}

/// Whether document `doc` of segment `segment` is in the sample: a
/// multiplicative hash of both, kept when its top bits are zero (one in
/// [`STRIDE`], which is a power of two).
fn sampled(segment: SegmentOrdinal, doc: DocId) -> bool {
    let key = (u64::from(segment) << 32) | u64::from(doc);
    let mixed = (key ^ (key >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    mixed >> (64 - STRIDE.trailing_zeros()) == 0
}

/// Takes one match from the shared budget, if any is left.
fn take_exact(budget: &AtomicUsize) -> bool {
    budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(1)
        })
        .is_ok()
}

const UNRESOLVED: u32 = u32::MAX;

/// One field's facet reader and counts in one segment.
struct FieldTally {
    reader: FacetReader,
    /// Top-level label id of each facet ordinal, resolved on first use.
    top_of_ord: Vec<u32>,
    labels: Vec<String>,
    counts: Vec<u64>,
}

impl FieldTally {
    fn label_id(&mut self, ord: u64) -> Option<u32> {
        let slot = self.top_of_ord.get(ord as usize).copied()?;
        if slot != UNRESOLVED {
            return Some(slot);
        }
        let mut facet = Facet::root();
        self.reader.facet_from_ord(ord, &mut facet).ok()?;
        let label = facet.to_path().first()?.to_string();
        let id = match self.labels.iter().position(|l| *l == label) {
            Some(id) => id,
            None => {
                self.labels.push(label);
                self.counts.push(0);
                self.labels.len() - 1
            }
        } as u32;
        self.top_of_ord[ord as usize] = id;
        Some(id)
    }
}

/// The per-segment half of [`TallyCollector`].
pub struct TallySegment {
    segment: SegmentOrdinal,
    exact_left: Arc<AtomicUsize>,
    fields: Vec<FieldTally>,
    total: u64,
    /// Matches seen after the exact budget ran out.
    beyond: u64,
    scratch: Vec<u32>,
}

impl TallySegment {
    fn add(&mut self, doc: DocId, weight: u64) {
        for field in &mut self.fields {
            self.scratch.clear();
            let ords: Vec<u64> = field.reader.facet_ords(doc).collect();
            for ord in ords {
                if let Some(id) = field.label_id(ord) {
                    self.scratch.push(id);
                }
            }
            self.scratch.sort_unstable();
            self.scratch.dedup();
            for &id in &self.scratch {
                field.counts[id as usize] += weight;
            }
        }
    }
}

/// What one segment hands back.
pub struct SegmentTally {
    total: u64,
    beyond: u64,
    facets: Vec<BTreeMap<String, u64>>,
}

impl Collector for TallyCollector {
    type Fruit = Tally;
    type Child = TallySegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TallySegment> {
        let fields = self
            .fields
            .iter()
            .map(|name| {
                let reader = reader.facet_reader(name)?;
                Ok(FieldTally {
                    top_of_ord: vec![UNRESOLVED; reader.num_facets()],
                    reader,
                    labels: Vec::new(),
                    counts: Vec::new(),
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(TallySegment {
            segment,
            exact_left: Arc::clone(&self.exact_left),
            fields,
            total: 0,
            beyond: 0,
            scratch: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentTally>) -> tantivy::Result<Tally> {
        let mut merged = Tally {
            total: 0,
            facets: vec![BTreeMap::new(); self.fields.len()],
            exact: true,
        };
        for fruit in fruits {
            merged.total += fruit.total;
            merged.exact &= fruit.beyond == 0;
            for (into, from) in merged.facets.iter_mut().zip(fruit.facets) {
                for (label, count) in from {
                    *into.entry(label).or_insert(0) += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for TallySegment {
    type Fruit = SegmentTally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        if self.beyond == 0 && take_exact(&self.exact_left) {
            self.add(doc, 1);
        } else {
            if sampled(self.segment, doc) {
                self.add(doc, STRIDE);
            }
            self.beyond += 1;
        }
    }

    fn harvest(self) -> SegmentTally {
        SegmentTally {
            total: self.total,
            beyond: self.beyond,
            facets: self
                .fields
                .into_iter()
                .map(|field| {
                    field
                        .labels
                        .into_iter()
                        .zip(field.counts)
                        .filter(|(_, count)| *count > 0)
                        .collect()
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Posts often come in rotations (a batch per country, per week): the
    /// sample must take each phase of any period in its share, which a
    /// counted stride does not (every 16th of a 4-step rotation is always
    /// the same step).
    #[test]
    fn the_sample_does_not_alias_with_periodic_data() {
        let docs = 256_000u32;
        for segment in [0u32, 1, 7] {
            let taken = (0..docs).filter(|&d| sampled(segment, d)).count() as f64;
            let expected = f64::from(docs) / STRIDE as f64;
            assert!(
                (taken - expected).abs() < 5.0 * expected.sqrt(),
                "segment {segment}: {taken} of {docs}"
            );
            for period in [2u32, 3, 4, 8, 16, 32, 100] {
                let mut per_phase = vec![0f64; period as usize];
                for doc in (0..docs).filter(|&d| sampled(segment, d)) {
                    per_phase[(doc % period) as usize] += 1.0;
                }
                let share = expected / f64::from(period);
                for (phase, count) in per_phase.iter().enumerate() {
                    assert!(
                        (count - share).abs() < 5.0 * share.sqrt(),
                        "segment {segment}, period {period}, phase {phase}: {count} vs {share}"
                    );
                }
            }
        }
    }
}
