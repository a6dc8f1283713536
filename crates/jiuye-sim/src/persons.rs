//! Persons: identity, residence, origin, education, status, key groups and what they look for.

use chrono::{Datelike, Days, Months, NaiveDate};
use jiuye_domain::codes::{
    DistrictCode, DocumentKind, EducationLevel, Identity, KeyGroup, NationalId, OccupationCode, ProvinceCode, Sex,
};
use jiuye_domain::records::{Certificate, EmploymentStatus, PersonDraft};
use rand::Rng;

use crate::ids::{self, IdIssuer};
use crate::jobs::{self, Occ};
use crate::pick::{SimRng, Weighted, chance, one, round_to, some};
use crate::places::AddressKind;
use crate::world::World;

/// Share of persons whose ID number was issued in Xiamen.
const NATIVE_SHARE: f64 = 0.56;

/// Education weights (per mille) in the order of `EducationLevel::all()`:
/// 博士 硕士 本科 大专 中专 职高 技校 高中 初中 小学 其他.
const EDU_NATIVE: [[u32; 11]; 3] = [
    [5, 60, 320, 260, 50, 30, 40, 100, 125, 5, 5],
    [3, 30, 180, 220, 70, 40, 40, 180, 200, 30, 7],
    [1, 10, 60, 100, 60, 30, 30, 250, 330, 120, 9],
];
const EDU_MIGRANT: [[u32; 11]; 3] = [
    [2, 20, 140, 200, 60, 50, 70, 160, 270, 25, 3],
    [0, 5, 50, 100, 40, 30, 40, 180, 420, 130, 5],
    [0, 2, 20, 40, 30, 20, 20, 150, 450, 250, 18],
];

pub(crate) struct PersonMaker {
    ids: IdIssuer,
    /// Numbers of the other documents issued (derived from the resident number, so two
    /// persons may be given the same one at a million persons: the second keeps a resident ID).
    documents: std::collections::HashSet<String>,
    age_pick: Weighted<u32>,
    edu: Vec<Weighted<EducationLevel>>,
}

impl PersonMaker {
    pub(crate) fn new() -> Self {
        // Ages 16–64, weighted to the 20s and 30s as in a job-seeker register.
        let bucket = |age: u32| match age {
            16..=17 => 2,
            18..=19 => 8,
            20..=24 => 28,
            25..=29 => 36,
            30..=34 => 32,
            35..=39 => 26,
            40..=44 => 22,
            45..=49 => 20,
            50..=54 => 16,
            55..=59 => 10,
            _ => 4,
        };
        let edu = EDU_NATIVE
            .iter()
            .chain(EDU_MIGRANT.iter())
            .map(|row| Weighted::new(EducationLevel::all().iter().copied().zip(row.iter().copied())))
            .collect();
        PersonMaker {
            ids: IdIssuer::default(),
            documents: Default::default(),
            age_pick: Weighted::new((16..=64).map(|a| (a, bucket(a)))),
            edu,
        }
    }

    pub(crate) fn issued(&self) -> usize {
        self.ids.len()
    }

    fn education(&self, rng: &mut SimRng, native: bool, age: u32) -> EducationLevel {
        let band = match age {
            ..=35 => 0,
            36..=50 => 1,
            _ => 2,
        };
        let table = self.edu.get(if native { band } else { 3 + band });
        for _ in 0..16 {
            let e = table.map_or(EducationLevel::JuniorHigh, |t| *t.pick(rng));
            // Old enough for it (a 19-year-old has no bachelor's degree).
            let min_age = match e {
                EducationLevel::Doctorate => 27,
                EducationLevel::Master => 24,
                EducationLevel::Bachelor => 21,
                EducationLevel::College => 20,
                EducationLevel::SecondarySpecialised
                | EducationLevel::VocationalHigh
                | EducationLevel::TechnicalSchool
                | EducationLevel::HighSchool => 17,
                _ => 0,
            };
            if age >= min_age {
                return e;
            }
        }
        EducationLevel::JuniorHigh
    }

    /// One person and the fit they truly have, which they state only imperfectly; `None` if no
    /// unused ID number was found (practically never).
    pub(crate) fn make_with_fit(&mut self, rng: &mut SimRng, w: &World) -> Option<(PersonDraft, HiddenFit)> {
        let today = w.today;
        let native = chance(rng, NATIVE_SHARE);
        let sex = if chance(rng, 0.53) { Sex::Male } else { Sex::Female };
        let origin = if native { None } else { w.origins.get(*w.origin_pick.try_pick(rng)?) };
        let household_origin = origin.map(|o| o.province).or(w.fujian)?;
        let residence_i = *if native { &w.native_district_pick } else { &w.migrant_district_pick }.try_pick(rng)?;
        let residence = w.districts.get(residence_i)?;

        // Age, birth date and an unused ID number for them.
        let mut found = None;
        for _ in 0..64 {
            let age = *self.age_pick.pick(rng);
            let Some(birth) = birth_date(rng, today, age) else {
                continue;
            };
            let Ok(year_i) = usize::try_from(birth.year() - w.first_year) else {
                continue;
            };
            let prefix = if let Some(o) = origin {
                let list = o.prefixes.get(year_i)?;
                if list.is_empty() {
                    continue;
                }
                *one(rng, list)
            } else {
                let id_district = if chance(rng, 0.85) { residence } else { one(rng, &w.districts) };
                let valid = id_district
                    .id_prefixes
                    .iter()
                    .find(|p| jiuye_domain::codes::region::id_prefix_in_use_in(p, birth.year()));
                match valid {
                    Some(p) => *p,
                    None => continue,
                }
            };
            if let Some(id) = self.ids.issue(rng, prefix, birth, sex, today) {
                found = Some((id, age));
                break;
            }
        }
        let (national_id, age) = found?;
        let born = national_id.birth_date().year();
        let female = sex == Sex::Female;

        let rural_household = if native {
            let p = match residence.code.as_str() {
                "350212" | "350213" => 0.35,
                "350205" | "350211" => 0.2,
                _ => 0.05,
            };
            chance(rng, p)
        } else if origin.is_some_and(|o| Some(o.province) == w.fujian) {
            chance(rng, 0.6)
        } else {
            chance(rng, 0.82)
        };
        let education = self.education(rng, native, age);
        let rank = education.rank();

        let retirement_age = if female { 50 } else { 60 };
        let employment_status = if age <= 23 && chance(rng, 0.2) {
            EmploymentStatus::Student
        } else if age >= retirement_age && chance(rng, 0.45) {
            EmploymentStatus::Retired
        } else if chance(rng, if age >= 45 { 0.34 } else { 0.26 }) {
            EmploymentStatus::Unemployed
        } else {
            EmploymentStatus::Employed
        };
        let unemployed = employment_status == EmploymentStatus::Unemployed;

        // Key groups, consistent with age, education, origin and status.
        let graduate = matches!(education, EducationLevel::Bachelor | EducationLevel::College)
            && age <= 30
            && chance(
                rng,
                match age {
                    ..=24 => 0.9,
                    25..=27 => 0.6,
                    _ => 0.3,
                },
            );
        let youth = age <= 24;
        let registered = unemployed && age < retirement_age.max(55) && chance(rng, 0.64);
        let disabled = chance(rng, if age >= 45 { 0.028 } else { 0.015 });
        let zero_household = registered && native && !rural_household && chance(rng, 0.05);
        let migrant_worker =
            !native && rural_household && !graduate && rank <= 5 && employment_status != EmploymentStatus::Student;
        let migrant_worker = migrant_worker && chance(rng, 0.92);
        let poor = origin.is_some_and(|o| o.poor);
        let flexible = employment_status == EmploymentStatus::Employed && chance(rng, 0.07);
        let mut key_groups = Vec::new();
        for g in KeyGroup::all() {
            let yes = match g {
                KeyGroup::CollegeGraduate => graduate,
                KeyGroup::UnemployedGraduate => graduate && unemployed && age <= 26 && chance(rng, 0.8),
                KeyGroup::NeedyGraduate => graduate && chance(rng, 0.06),
                KeyGroup::Youth => youth,
                KeyGroup::NeedyUnemployedYouth => youth && unemployed && chance(rng, 0.08),
                KeyGroup::MigrantWorker => migrant_worker,
                KeyGroup::PovertyAlleviated => migrant_worker && chance(rng, if poor { 0.15 } else { 0.03 }),
                KeyGroup::RegisteredUnemployed => registered,
                KeyGroup::EmploymentDifficulty => {
                    let four_fifty = (female && age >= 40) || (!female && age >= 50);
                    registered && (disabled || zero_household || (four_fifty && chance(rng, 0.7)) || chance(rng, 0.06))
                }
                KeyGroup::ZeroEmploymentHousehold => zero_household,
                KeyGroup::Veteran => age >= 20 && chance(rng, if female { 0.002 } else { 0.035 }),
                KeyGroup::Disabled => disabled,
                KeyGroup::TaiwanCompatriotSpouse => female && (25..=55).contains(&age) && chance(rng, 0.004),
                KeyGroup::FlexibleWorker => flexible,
                KeyGroup::RuralEntrepreneur => {
                    native && rural_household && employment_status == EmploymentStatus::Employed && chance(rng, 0.03)
                }
                // Known from the document held, never ticked (see `documents`).
                KeyGroup::TaiwanCompatriot
                | KeyGroup::TaiwanYouth
                | KeyGroup::HongKongMacaoResident
                | KeyGroup::Foreigner => false,
            };
            if yes {
                key_groups.push(*g);
            }
        }

        // What they look for.
        let rank_i = usize::from(rank.min(8));
        let pool = if flexible && chance(rng, 0.8) {
            &w.gig_pool
        } else if rank >= 5 && chance(rng, 0.85) {
            w.skilled_by_rank.get(rank_i)?
        } else {
            w.by_rank.get(rank_i)?
        };
        let primary = w.occs.get(*one(rng, pool))?;
        let count = *one(rng, &[1usize, 1, 2, 2, 3]);
        let mut wanted: Vec<&Occ> = vec![primary];
        for _ in 1..count {
            let same_sector = w.by_sector.get(primary.sector).filter(|s| !s.is_empty());
            let candidates = match same_sector {
                Some(s) if chance(rng, 0.65) => s,
                _ => w.by_rank.get(rank_i)?,
            };
            if let Some(o) = w.occs.get(*one(rng, candidates))
                && !wanted.iter().any(|x| x.code == o.code)
            {
                wanted.push(o);
            }
        }
        let wanted_occupations: Vec<OccupationCode> = wanted.iter().map(|o| o.code).collect();

        let sector = primary.sector();
        let n_skills = rng.random_range(1..=4);
        let mut skills: Vec<String> = some(rng, sector.skills, n_skills).into_iter().map(str::to_string).collect();
        if chance(rng, 0.3) {
            skills.extend(some(rng, jobs::soft_skills(), 1).into_iter().map(str::to_string));
        }

        let mut certificates = Vec::new();
        for (i, o) in wanted.iter().enumerate() {
            let p = if i == 0 { 0.4 } else { 0.12 };
            let certs = o.sector().certificates;
            if !certs.is_empty() && chance(rng, p) {
                let (name, level) = *one(rng, certs);
                let c = Certificate { name: name.to_string(), level: level.map(str::to_string) };
                if !certificates.contains(&c) {
                    certificates.push(c);
                }
            }
        }
        if graduate && chance(rng, 0.5) {
            certificates.push(Certificate { name: "大学英语四级".to_string(), level: None });
        }
        if age >= 20 && chance(rng, 0.25) && !certificates.iter().any(|c| c.name == "机动车驾驶证") {
            certificates.push(Certificate { name: "机动车驾驶证".to_string(), level: Some("C1".to_string()) });
        }

        let wanted_districts: Vec<DistrictCode> = if chance(rng, 0.15) {
            Vec::new()
        } else {
            let mut v = vec![residence.code];
            if chance(rng, 0.4) {
                let other = one(rng, &w.districts).code;
                if other != residence.code {
                    v.push(other);
                }
            }
            v
        };

        let (wanted_salary_min, wanted_salary_max) = {
            let (lo, hi) = sector.salary;
            let f = match age {
                ..=22 => 0.85,
                23..=35 => 1.0,
                36..=50 => 1.05,
                _ => 0.9,
            } * rng.random_range(0.85..1.05);
            let min = round_to(f64::from(lo) * f, 500).max(2000);
            let max = round_to(f64::from(hi) * f * rng.random_range(0.7..1.0), 500).max(min + 500);
            match rng.random_range(0..100) {
                0..12 => (None, None),
                12..20 => (Some(min), None),
                _ => (Some(min), Some(max)),
            }
        };

        let street = if chance(rng, 0.85) { residence.street(rng) } else { None };
        let address = match street {
            Some(_) if chance(rng, 0.7) => Some(residence.address(rng, street, AddressKind::Home)),
            _ => None,
        };
        let fujianese = household_origin.two_digit() == "35";
        let fit = hidden_fit(&national_id, primary, wanted_salary_min, w);
        let (identity, origin) = match crate::documents::document_for(&national_id) {
            (doc, origin)
                if doc.kind() == DocumentKind::ResidentId || self.documents.insert(doc.number().to_string()) =>
            {
                (doc, origin)
            }
            _ => (Identity::resident(&national_id), None),
        };
        let household_origin = origin.and_then(|o| ProvinceCode::parse(o).ok()).unwrap_or(household_origin);
        let key_groups = KeyGroup::with_document(&key_groups, identity.kind(), identity.nationality());
        let draft = PersonDraft {
            name: w.names.name(rng, sex, fujianese, born),
            identity,
            birth_date: national_id.birth_date(),
            sex: national_id.sex(),
            mobile: ids::mobile(rng)?,
            district: residence.code,
            street,
            address,
            household_origin,
            rural_household,
            education,
            key_groups,
            skills,
            certificates,
            wanted_occupations,
            wanted_districts,
            wanted_salary_min,
            wanted_salary_max,
            // Stated by people at their first interview; the generator leaves it to them.
            max_commute_km: None,
            employment_status,
        };
        Some((draft, fit))
    }
}

/// What truly suits a generated person — planted so recommendation quality can be measured
/// against something the matcher never sees. People state it imperfectly: for about a quarter
/// the occupation that truly fits is a neighbour (same 中类) of the one they name first; the
/// pay they would truly accept and how far they would truly travel differ from what they state.
#[derive(Debug, Clone, PartialEq)]
pub struct HiddenFit {
    pub true_occupation: OccupationCode,
    /// The lowest monthly pay (元) they would take.
    pub reservation_wage: i32,
    /// The farthest commute (km) they would take.
    pub max_km: f64,
}

/// Drawn from a stream of its own (seeded by the ID number), so planting the truth leaves every
/// stated field of the generated data exactly as it was.
fn hidden_fit(id: &NationalId, primary: &Occ, stated_wage: Option<i32>, w: &World) -> HiddenFit {
    use rand::SeedableRng;
    let seed =
        id.as_str().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut r = SimRng::seed_from_u64(seed);
    let middle = |c: &OccupationCode| c.as_str().split('-').take(2).collect::<Vec<_>>().join("-");
    let true_occupation = if chance(&mut r, 0.25) {
        let m = middle(&primary.code);
        let siblings: Vec<&Occ> = w.occs.iter().filter(|o| o.code != primary.code && middle(&o.code) == m).collect();
        if siblings.is_empty() { primary.code } else { one(&mut r, &siblings).code }
    } else {
        primary.code
    };
    let (lo, _) = primary.sector().salary;
    let base = f64::from(stated_wage.unwrap_or(lo));
    let reservation_wage = round_to(base * r.random_range(0.85..1.1), 100);
    let max_km = r.random_range(6.0..30.0);
    HiddenFit { true_occupation, reservation_wage, max_km }
}

/// A birth date at which someone is exactly `age` on `today`.
fn birth_date(rng: &mut SimRng, today: NaiveDate, age: u32) -> Option<NaiveDate> {
    let latest = today.checked_sub_months(Months::new(12 * age))?;
    let earliest = today.checked_sub_months(Months::new(12 * (age + 1)))?.checked_add_days(Days::new(1))?;
    let span = u64::try_from((latest - earliest).num_days()).ok()?;
    let birth = earliest.checked_add_days(Days::new(rng.random_range(0..=span)))?;
    // Feb 29 clamps can make the edges off by one: check the age itself.
    (today.years_since(birth) == Some(age)).then_some(birth)
}
