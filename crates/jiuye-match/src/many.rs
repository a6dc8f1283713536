//! Rankings for many seekers at once (the weekly batch of recommendations): for each seeker
//! exactly the top k that [`JobPool::top_job_ids`] gives them, computed group by group. Every
//! seeker of a slice who wants a 小类 is ranked against a block of its jobs while that block is
//! in the cache, where one seeker after another would each fetch every group's jobs from
//! memory again.

use std::collections::{BTreeMap, BinaryHeap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::{JobPool, OccKey, Prepared, Ranked, Seeker, consider, cut, evaluate};

/// Jobs of a group gone over by every seeker wanting it before the next block is read.
const BLOCK: usize = 256;

/// Seekers ranked together: enough for a group's jobs to serve many of them while cached, few
/// enough that their working state (heaps, skill memos) stays small.
const SLICE: usize = 4096;

impl JobPool {
    /// [`JobPool::top_job_ids`] for every seeker of `seekers`, in their order: the same ids
    /// and points, ties broken the same way.
    pub fn top_job_ids_many(
        &self,
        seekers: &[Seeker],
        k: usize,
        today: NaiveDate,
        exclude: &HashSet<Uuid>,
    ) -> Vec<Vec<(Uuid, f32)>> {
        let mut out = Vec::with_capacity(seekers.len());
        for slice in seekers.chunks(SLICE) {
            let qs: Vec<Prepared> = slice.iter().map(Prepared::new).collect();
            out.extend(self.rank_slice(&qs, k, today, exclude));
        }
        out
    }

    fn rank_slice(
        &self,
        qs: &[Prepared],
        k: usize,
        today: NaiveDate,
        exclude: &HashSet<Uuid>,
    ) -> Vec<Vec<(Uuid, f32)>> {
        let mut out: Vec<Vec<(Uuid, f32)>> = vec![Vec::new(); qs.len()];
        if k == 0 {
            return out;
        }
        let offer = |heap: &mut BinaryHeap<Ranked>, q: &Prepared, i: u32| {
            let Some(j) = self.jobs.get(i as usize) else { return };
            consider(
                heap,
                k,
                i as usize,
                || j.id,
                |floor| {
                    if !exclude.is_empty() && exclude.contains(&j.id) {
                        return None;
                    }
                    evaluate(q, j, today, false, floor).map(|t| t.points.max(0.0))
                },
            );
        };
        // As for one seeker: the wanted 小类, then 中类, then 大类; a seeker whose groups at a
        // level fill fewer than k places starts again at the next.
        let (mut pending, mut whole): (Vec<usize>, Vec<usize>) = (0..qs.len()).partition(|i| !qs[*i].wanted.is_empty());
        for levels in [3u8, 2, 1] {
            if pending.is_empty() {
                break;
            }
            let mut groups: BTreeMap<OccKey, Vec<usize>> = BTreeMap::new();
            for (pos, i) in pending.iter().enumerate() {
                let mut keys: Vec<OccKey> =
                    qs[*i].wanted.iter().map(|(key, _)| cut(key, usize::from(levels))).collect();
                keys.sort_unstable();
                keys.dedup();
                for key in keys {
                    groups.entry(key).or_default().push(pos);
                }
            }
            let mut heaps: Vec<BinaryHeap<Ranked>> = pending.iter().map(|_| BinaryHeap::with_capacity(k + 1)).collect();
            // Keys in order, as one seeker's candidates are listed: the same floor at every job,
            // so the same prune and the same result.
            for (key, members) in &groups {
                let Some(jobs) = self.by_group.get(&(levels, *key)) else { continue };
                for block in jobs.chunks(BLOCK) {
                    for pos in members {
                        let (q, heap) = (&qs[pending[*pos]], &mut heaps[*pos]);
                        for i in block {
                            offer(heap, q, *i);
                        }
                    }
                }
            }
            let mut short = Vec::new();
            for (pos, heap) in heaps.into_iter().enumerate() {
                if heap.len() >= k {
                    out[pending[pos]] = ranked(heap);
                } else {
                    short.push(pending[pos]);
                }
            }
            pending = short;
        }
        // Nothing wanted, or too few fits in every wanted group: the whole pool.
        whole.extend(pending);
        whole.sort_unstable();
        let mut heaps: Vec<BinaryHeap<Ranked>> = whole.iter().map(|_| BinaryHeap::with_capacity(k + 1)).collect();
        let all = u32::try_from(self.jobs.len()).unwrap_or(u32::MAX);
        let mut start = 0u32;
        while start < all {
            let end = start.saturating_add(BLOCK as u32).min(all);
            for (pos, i) in whole.iter().enumerate() {
                for j in start..end {
                    offer(&mut heaps[pos], &qs[*i], j);
                }
            }
            start = end;
        }
        for (pos, heap) in heaps.into_iter().enumerate() {
            out[whole[pos]] = ranked(heap);
        }
        out
    }
}

fn ranked(heap: BinaryHeap<Ranked>) -> Vec<(Uuid, f32)> {
    let mut kept = heap.into_vec();
    kept.sort();
    kept.into_iter().map(|r| (r.1, r.0)).collect()
}
