//! jiuye-sim: a seeded generator of a realistic Xiamen labour market, for demo data, tests
//! and benchmarks.
//!
//! Everything comes from one seed and `today` (no clock, no I/O): the same configuration gives
//! the same employers, vacancies and persons, byte for byte. Every draft passes its own
//! `check`, every code parses, and ID numbers and credit codes are unique within a run.
//!
//! ```
//! use jiuye_sim::{Generator, SimConfig};
//! let today = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
//! let mut g = Generator::new(SimConfig { persons: 10, employers: 5, vacancies: 20, ..SimConfig::demo(today) });
//! let employers = g.employers();
//! let vacancies = g.vacancies(&employers);
//! while let Some(chunk) = g.next_persons(4) {
//!     assert!(chunk.iter().all(|p| p.check().is_empty()));
//! }
//! assert_eq!((employers.len(), vacancies.len()), (5, 20));
//! ```
//!
//! The three streams (employers, vacancies, persons) draw from separate ChaCha8 streams of
//! the seed, so persons do not depend on whether employers were generated first.

mod documents;
mod employers;
mod ids;
mod industries;
mod jobs;
mod names;
mod persons;
pub use persons::HiddenFit;
mod pick;
mod places;
mod vacancies;
mod world;

use chrono::NaiveDate;
use jiuye_domain::records::{EmployerDraft, PersonDraft, VacancyDraft};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::employers::{EmployerMaker, fnv1a, size_rank};
use crate::persons::PersonMaker;
use crate::vacancies::VacancyMaker;
use crate::world::World;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    pub seed: u64,
    pub persons: usize,
    pub employers: usize,
    pub vacancies: usize,
    /// The date everything is relative to: ages, vacancy dates, ID validity.
    pub today: NaiveDate,
}

impl SimConfig {
    /// The demo data set: seed 2023, 20,000 persons, 2,000 employers, 8,000 vacancies.
    pub fn demo(today: NaiveDate) -> Self {
        SimConfig { seed: 2023, persons: 20_000, employers: 2_000, vacancies: 8_000, today }
    }
}

/// ChaCha8 stream numbers of the three kinds of record.
const STREAM_EMPLOYERS: u64 = 1;
const STREAM_VACANCIES: u64 = 2;
const STREAM_PERSONS: u64 = 3;

/// The generator: configuration, seeded random streams and what must stay unique in a run.
pub struct Generator {
    cfg: SimConfig,
    world: World,
    employer_rng: ChaCha8Rng,
    vacancy_rng: ChaCha8Rng,
    person_rng: ChaCha8Rng,
    employer_maker: EmployerMaker,
    person_maker: PersonMaker,
    persons_made: usize,
}

fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

impl Generator {
    pub fn new(cfg: SimConfig) -> Self {
        Generator {
            world: World::new(cfg.today),
            employer_rng: stream(cfg.seed, STREAM_EMPLOYERS),
            vacancy_rng: stream(cfg.seed, STREAM_VACANCIES),
            person_rng: stream(cfg.seed, STREAM_PERSONS),
            employer_maker: EmployerMaker::new(),
            person_maker: PersonMaker::new(),
            persons_made: 0,
            cfg,
        }
    }

    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// `cfg.employers` employers. Call once, before [`vacancies`](Self::vacancies) (they
    /// refer to employers by index). Names and credit codes are unique; `key_enterprise` is
    /// false in every draft (a key enterprise needs a liaison account; see
    /// [`key_enterprise_indices`](Self::key_enterprise_indices)).
    pub fn employers(&mut self) -> Vec<EmployerDraft> {
        let n = self.cfg.employers;
        let mut out = Vec::with_capacity(n);
        let mut attempts = 0;
        while out.len() < n && attempts < n * 4 + 16 {
            attempts += 1;
            if let Some(e) = self.employer_maker.make(&mut self.employer_rng, &self.world) {
                out.push(e);
            }
        }
        out
    }

    /// `cfg.vacancies` vacancies as (employer index, draft) pairs; bigger employers post
    /// more. Each vacancy's district and industry follow its employer most of the time.
    /// Empty if `employers` is.
    pub fn vacancies(&mut self, employers: &[EmployerDraft]) -> Vec<(usize, VacancyDraft)> {
        if employers.is_empty() {
            return Vec::new();
        }
        let maker = VacancyMaker::new(&self.world, employers);
        let n = self.cfg.vacancies;
        let mut out = Vec::with_capacity(n);
        let mut attempts = 0;
        while out.len() < n && attempts < n * 4 + 16 {
            attempts += 1;
            if let Some(v) = maker.make(&mut self.vacancy_rng) {
                out.push(v);
            }
        }
        out
    }

    /// The next up to `max` persons (at least one per call while any remain), or `None`
    /// once `cfg.persons` have been generated. Only the set of issued ID numbers is kept
    /// between calls (8 bytes a person), so a million persons stream in little memory.
    pub fn next_persons(&mut self, max: usize) -> Option<Vec<PersonDraft>> {
        self.next_persons_with_fit(max).map(|v| v.into_iter().map(|(p, _)| p).collect())
    }

    /// Like [`Self::next_persons`], each with the fit they truly have (for measuring
    /// recommendations). The stated data is the same as `next_persons` gives.
    pub fn next_persons_with_fit(&mut self, max: usize) -> Option<Vec<(PersonDraft, HiddenFit)>> {
        let remaining = self.cfg.persons.saturating_sub(self.persons_made);
        if remaining == 0 {
            return None;
        }
        let n = remaining.min(max.max(1));
        let mut out = Vec::with_capacity(n);
        let mut attempts = 0;
        while out.len() < n && attempts < n * 4 + 16 {
            attempts += 1;
            if let Some(p) = self.person_maker.make_with_fit(&mut self.person_rng, &self.world) {
                out.push(p);
            }
        }
        self.persons_made += n;
        Some(out)
    }

    /// How many persons have been generated so far.
    pub fn persons_generated(&self) -> usize {
        self.person_maker.issued()
    }

    /// The employers that should be key enterprises (重点企业): about 5 %, the largest first,
    /// ties broken by a hash of the credit code (so the choice depends only on the drafts).
    /// Returned in ascending index order. The loader assigns each a liaison account and then
    /// sets `key_enterprise`.
    pub fn key_enterprise_indices(&self, employers: &[EmployerDraft]) -> Vec<usize> {
        let n = (employers.len() + 10) / 20;
        let mut order: Vec<usize> = (0..employers.len()).collect();
        order.sort_by_key(|&i| {
            let e = &employers[i];
            (std::cmp::Reverse(size_rank(e.size)), fnv1a(e.credit_code.as_str()), i)
        });
        order.truncate(n);
        order.sort_unstable();
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_tables_are_not_empty() {
        let w = World::new(NaiveDate::from_ymd_opt(2023, 6, 1).unwrap_or_default());
        assert_eq!(w.districts.len(), 6);
        assert!(w.districts.iter().all(|d| !d.streets.is_empty()));
        assert!(w.occs.len() >= 200, "{}", w.occs.len());
        assert!(w.industries.len() >= 40);
        assert!(w.industries.iter().all(|i| !i.pool.is_empty()));
        assert!(!w.gig_pool.is_empty() && !w.welfare_pool.is_empty() && !w.general_pool.is_empty());
        assert!(w.by_rank.iter().all(|p| !p.is_empty()));
        assert_eq!(w.origins.len(), 12);
        for o in &w.origins {
            for (i, list) in o.prefixes.iter().enumerate() {
                assert!(!list.is_empty(), "{} year {}", o.province.as_str(), w.first_year + i as i32);
            }
        }
    }
}
