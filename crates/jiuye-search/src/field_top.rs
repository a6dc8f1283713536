//! The top of a sort by a stored number (newest first, pay first) without scoring. A search
//! sorted by relevance needs every match's score; one sorted by the opening day or by pay does
//! not, and a broad one ("pay at least 8,000, newest first") matches most of the index. This
//! collector reads the sort value of a match first and reads the id (the cursor's tie-break)
//! only for a match that could still enter the page; and since nothing it collects needs a
//! score, the query runs without computing any.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::query::SortKey;
use crate::schema;

pub struct FieldTop {
    /// The i64 fast field sorted on, highest first.
    pub field: &'static str,
    pub limit: usize,
    /// Only keys below this one (the page after a cursor).
    pub before: Option<SortKey>,
}

pub struct FieldTopSegment {
    segment: SegmentOrdinal,
    value: Option<Column<i64>>,
    hi: Option<Column<u64>>,
    lo: Option<Column<u64>>,
    limit: usize,
    before: Option<SortKey>,
    kept: BinaryHeap<Reverse<(SortKey, DocId)>>,
}

impl Collector for FieldTop {
    type Fruit = Vec<(SortKey, DocAddress)>;
    type Child = FieldTopSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<FieldTopSegment> {
        let ff = reader.fast_fields();
        Ok(FieldTopSegment {
            segment,
            value: ff.i64(self.field).ok(),
            hi: ff.u64(schema::SEQ_HI).ok(),
            lo: ff.u64(schema::SEQ_LO).ok(),
            limit: self.limit,
            before: self.before,
            kept: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<(SortKey, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(SortKey, DocAddress)> = segments.into_iter().flatten().collect();
        all.sort_by_key(|h| std::cmp::Reverse(h.0));
        all.truncate(self.limit);
        Ok(all)
    }
}

impl SegmentCollector for FieldTopSegment {
    type Fruit = Vec<(SortKey, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.limit == 0 {
            return;
        }
        let value = self.value.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        // A full page whose weakest has a higher value: this match cannot enter it.
        if self.kept.len() >= self.limit && self.kept.peek().is_some_and(|w| value < w.0.0.0) {
            return;
        }
        let hi = self.hi.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let lo = self.lo.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let key = SortKey(value, hi, lo);
        if self.before.is_some_and(|c| key >= c) {
            return;
        }
        if self.kept.len() < self.limit {
            self.kept.push(Reverse((key, doc)));
        } else if self.kept.peek().is_some_and(|w| key > w.0.0) {
            self.kept.pop();
            self.kept.push(Reverse((key, doc)));
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        self.kept.into_iter().map(|Reverse((key, doc))| (key, DocAddress::new(segment, doc))).collect()
    }
}
