//! Employers: name, industry, district, size, address, contact.

use std::collections::HashSet;

use jiuye_domain::records::{EmployerDraft, EmployerSize};
use rand::Rng;

use crate::ids::{self, CreditIssuer};
use crate::industries::{TRADE_FIRST, TRADE_NAMES, TRADE_SECOND};
use crate::pick::{SimRng, Weighted, chance, one};
use crate::places::AddressKind;
use crate::world::World;

pub(crate) struct EmployerMaker {
    names: HashSet<String>,
    credits: CreditIssuer,
    size_mfg: Weighted<EmployerSize>,
    size_svc: Weighted<EmployerSize>,
}

impl EmployerMaker {
    pub(crate) fn new() -> Self {
        use EmployerSize::*;
        EmployerMaker {
            names: HashSet::new(),
            credits: CreditIssuer::default(),
            size_mfg: Weighted::new([(Micro, 30), (Small, 40), (Medium, 22), (Large, 8)]),
            size_svc: Weighted::new([(Micro, 62), (Small, 27), (Medium, 9), (Large, 2)]),
        }
    }

    fn trade_name(&self, rng: &mut SimRng, attempt: usize) -> String {
        if attempt < 8 && chance(rng, 0.5) {
            (*one(rng, TRADE_NAMES)).to_string()
        } else {
            let mut t = String::new();
            t.push(*one(rng, TRADE_FIRST));
            t.push(*one(rng, TRADE_SECOND));
            if attempt >= 24 {
                t.push(*one(rng, TRADE_SECOND));
            }
            t
        }
    }

    pub(crate) fn make(&mut self, rng: &mut SimRng, world: &World) -> Option<EmployerDraft> {
        let industry = world.industries.get(*world.industry_pick.try_pick(rng)?)?;
        let mfg = industry.mix.manufacturing;
        let size = *if mfg { &self.size_mfg } else { &self.size_svc }.pick(rng);
        let district_pick = if mfg { &world.firm_district_mfg } else { &world.firm_district_svc };
        let district = world.districts.get(*district_pick.try_pick(rng)?)?;

        let word = one(rng, industry.mix.words);
        let mut name = None;
        for attempt in 0..64 {
            let trade = self.trade_name(rng, attempt);
            let candidate = if mfg && chance(rng, 0.06) {
                format!("{trade}{word}（厦门）有限公司")
            } else if matches!(size, EmployerSize::Large | EmployerSize::Medium) && chance(rng, 0.3) {
                format!("厦门{trade}{word}股份有限公司")
            } else {
                format!("厦门{trade}{word}有限公司")
            };
            if self.names.insert(candidate.clone()) {
                name = Some(candidate);
                break;
            }
        }
        let name = name?;
        let credit_code = self.credits.issue(rng, district.code.as_str())?;
        let street = district.street(rng);
        let kind = if mfg { AddressKind::Factory } else { AddressKind::Office };
        let address = Some(district.address(rng, street, kind));
        let born = world.first_year + rng.random_range(10..40);
        Some(EmployerDraft {
            credit_code,
            name,
            industry: industry.code,
            district: district.code,
            address,
            size,
            key_enterprise: false,
            liaison_account: None,
            contact_name: chance(rng, 0.95).then(|| world.names.any(rng, born)),
            contact_mobile: if chance(rng, 0.92) { ids::mobile(rng) } else { None },
        })
    }
}

/// FNV-1a, for a stable order that depends on nothing but the text.
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

pub(crate) fn size_rank(size: EmployerSize) -> u8 {
    match size {
        EmployerSize::Micro => 0,
        EmployerSize::Small => 1,
        EmployerSize::Medium => 2,
        EmployerSize::Large => 3,
    }
}
