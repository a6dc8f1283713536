//! Facet counts that stay cheap on broad queries. A search such as "pay at least 8,000,
//! newest first" matches most of a million vacancies, and counting five facets for every one
//! of them was a third of its time. Each segment counts its first `EXACT_PER_SEGMENT` matches
//! one by one and then every `STRIDE`-th, which stands for `STRIDE` matches; the result says
//! when it was estimated, and the pages show such counts as "约". Counts of narrower queries —
//! nearly every query a person types — are exact.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, FacetCollector, FacetCounts, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Matches of a segment counted one by one.
pub const EXACT_PER_SEGMENT: u32 = 5_000;
/// Past those, one match in this many is counted, for this many.
pub const STRIDE: u32 = 8;

pub struct Sampled(pub FacetCollector);

pub struct SampledSegment<S> {
    exact: S,
    sample: S,
    seen: u32,
}

impl Collector for Sampled {
    type Fruit = (FacetCounts, FacetCounts, bool);
    type Child = SampledSegment<<FacetCollector as Collector>::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(SampledSegment {
            exact: self.0.for_segment(ord, reader)?,
            sample: self.0.for_segment(ord, reader)?,
            seen: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(FacetCounts, FacetCounts, bool)>) -> tantivy::Result<Self::Fruit> {
        let estimated = fruits.iter().any(|f| f.2);
        let (exact, sample): (Vec<FacetCounts>, Vec<FacetCounts>) = fruits.into_iter().map(|f| (f.0, f.1)).unzip();
        Ok((self.0.merge_fruits(exact)?, self.0.merge_fruits(sample)?, estimated))
    }
}

impl<S: SegmentCollector<Fruit = FacetCounts>> SegmentCollector for SampledSegment<S> {
    type Fruit = (FacetCounts, FacetCounts, bool);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.seen = self.seen.saturating_add(1);
        if self.seen <= EXACT_PER_SEGMENT {
            self.exact.collect(doc, score);
        } else if self.seen.is_multiple_of(STRIDE) {
            self.sample.collect(doc, score);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.exact.harvest(), self.sample.harvest(), self.seen > EXACT_PER_SEGMENT)
    }
}

/// Counts under the root facet by leaf name: the exact part plus the sample scaled up.
pub fn counts(
    fruit: &(FacetCounts, FacetCounts, bool),
    leaf: impl Fn(&tantivy::schema::Facet) -> String,
) -> Vec<(String, u64)> {
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    for (f, n) in fruit.0.get("/") {
        *by.entry(leaf(f)).or_default() += n;
    }
    for (f, n) in fruit.1.get("/") {
        *by.entry(leaf(f)).or_default() += n * u64::from(STRIDE);
    }
    let mut v: Vec<(String, u64)> = by.into_iter().filter(|(_, n)| *n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
