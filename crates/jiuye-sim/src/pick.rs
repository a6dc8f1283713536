//! Small, allocation-free helpers for seeded random choices.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(crate) type SimRng = ChaCha8Rng;

/// A weighted table: `pick` returns each item with probability weight / total.
///
/// Built from the static tables of this crate, which are never empty (a unit test checks);
/// items of weight 0 are dropped.
#[derive(Debug, Clone)]
pub(crate) struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<u64>,
    total: u64,
}

impl<T> Weighted<T> {
    pub(crate) fn new(pairs: impl IntoIterator<Item = (T, u32)>) -> Self {
        let (mut items, mut cumulative, mut total) = (Vec::new(), Vec::new(), 0u64);
        for (item, weight) in pairs {
            if weight == 0 {
                continue;
            }
            total += u64::from(weight);
            items.push(item);
            cumulative.push(total);
        }
        Weighted { items, cumulative, total }
    }

    /// One item; `None` only for an empty table.
    pub(crate) fn try_pick(&self, rng: &mut SimRng) -> Option<&T> {
        if self.total == 0 {
            return None;
        }
        let x = rng.random_range(0..self.total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.items.get(i)
    }

    /// One item. The table must not be empty.
    pub(crate) fn pick(&self, rng: &mut SimRng) -> &T {
        match self.try_pick(rng) {
            Some(item) => item,
            None => panic!("empty weighted table"),
        }
    }
}

/// One element of a non-empty slice, uniformly.
pub(crate) fn one<'a, T>(rng: &mut SimRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Up to `n` distinct elements of `items` (fewer if `items` is shorter), in random order.
pub(crate) fn some<T: Copy + PartialEq>(rng: &mut SimRng, items: &[T], n: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(n);
    let n = n.min(items.len());
    let mut guard = 0;
    while out.len() < n && guard < 16 * n + 16 {
        guard += 1;
        let x = *one(rng, items);
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// True with probability `p` (clamped to 0..=1).
pub(crate) fn chance(rng: &mut SimRng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// Round to the nearest multiple of `step`.
pub(crate) fn round_to(v: f64, step: i32) -> i32 {
    let step = f64::from(step);
    ((v / step).round() * step) as i32
}
