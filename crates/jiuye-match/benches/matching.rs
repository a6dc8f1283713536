//! Micro-benchmarks of matching on generated data (`cargo bench -p jiuye-match`): one score
//! with its reasons, ranking without reasons, and a seeker's top jobs from a pool against the
//! full scan. The city-scale harness is `jiuye bench match`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::NaiveDate;
use jiuye_match::{Job, JobPool, Seeker, score, top_job_ids};
use jiuye_sim::{Generator, SimConfig};
use uuid::Uuid;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

struct World {
    pool: JobPool,
    seekers: Vec<Seeker>,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let mut g =
        Generator::new(SimConfig { seed: 3, persons: 200, employers: 2_500, vacancies: 20_000, today: today() });
    let employers = g.employers();
    let jobs: Vec<Job> = g
        .vacancies(&employers)
        .into_iter()
        .enumerate()
        .map(|(i, (e, v))| Job::of_draft(Uuid::from_u128(i as u128), Uuid::from_u128(1 << 64 | e as u128), &v, today()))
        .collect();
    let seekers = g
        .next_persons(200)
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, d)| Seeker::of_draft(Uuid::from_u128(i as u128), d, today()))
        .collect();
    World { pool: JobPool::new(jobs), seekers }
});

fn main() {
    divan::main();
}

#[divan::bench]
fn score_one_pair_with_reasons(b: divan::Bencher) {
    let w = &*WORLD;
    let (s, j) = (&w.seekers[0], &w.pool.jobs()[0]);
    b.bench(|| score(divan::black_box(s), divan::black_box(j), today()));
}

#[divan::bench(args = [0, 1, 2, 3])]
fn top10_from_pool_20k(b: divan::Bencher, seeker: usize) {
    let w = &*WORLD;
    let none = HashSet::new();
    b.bench(|| w.pool.top_job_ids(divan::black_box(&w.seekers[seeker]), 30, today(), &none));
}

#[divan::bench(args = [0, 1, 2, 3])]
fn top10_full_scan_20k(b: divan::Bencher, seeker: usize) {
    let w = &*WORLD;
    let none = HashSet::new();
    b.bench(|| top_job_ids(divan::black_box(&w.seekers[seeker]), w.pool.jobs(), 30, today(), &none));
}
