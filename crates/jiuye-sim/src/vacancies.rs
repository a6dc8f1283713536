//! Vacancies: an occupation the employer's industry hires, a title, pay, dates, place.

use chrono::{Days, NaiveDate};
use jiuye_domain::codes::EducationLevel;
use jiuye_domain::records::{EmployerDraft, EmployerSize, Pay, PayUnit, VacancyDraft, VacancyKind};
use rand::Rng;

use crate::employers::size_rank;
use crate::jobs::{self, Occ};
use crate::pick::{SimRng, Weighted, chance, one, round_to, some};
use crate::places::AddressKind;
use crate::world::World;

/// Xiamen's minimum monthly wage (first tier, from 2022).
const MIN_WAGE: i32 = 2030;

pub(crate) struct VacancyMaker<'a> {
    world: &'a World,
    employers: &'a [EmployerDraft],
    employer_pick: Weighted<usize>,
    /// The industry of the mix of each employer (index into `world.industries`).
    employer_industry: Vec<Option<usize>>,
    /// The district of each employer (index into `world.districts`).
    employer_district: Vec<Option<usize>>,
    kind_pick: Weighted<VacancyKind>,
    headcount_pick: Weighted<(i32, i32)>,
}

impl<'a> VacancyMaker<'a> {
    pub(crate) fn new(world: &'a World, employers: &'a [EmployerDraft]) -> Self {
        let employer_pick = Weighted::new(employers.iter().enumerate().map(|(i, e)| {
            let w = match e.size {
                EmployerSize::Micro => 1,
                EmployerSize::Small => 3,
                EmployerSize::Medium => 8,
                EmployerSize::Large => 20,
            };
            (i, w)
        }));
        use VacancyKind::*;
        VacancyMaker {
            world,
            employers,
            employer_pick,
            employer_industry: employers.iter().map(|e| world.industry_index(&e.industry)).collect(),
            employer_district: employers
                .iter()
                .map(|e| world.districts.iter().position(|d| d.code == e.district))
                .collect(),
            kind_pick: Weighted::new([(FullTime, 80), (PartTime, 7), (Internship, 5), (PublicWelfare, 3), (Gig, 5)]),
            headcount_pick: Weighted::new([
                ((1, 1), 30),
                ((2, 2), 20),
                ((3, 5), 25),
                ((6, 10), 13),
                ((11, 20), 8),
                ((21, 50), 4),
            ]),
        }
    }

    fn occupation(&self, rng: &mut SimRng, kind: VacancyKind, industry: Option<usize>) -> Option<&'a Occ> {
        let w = self.world;
        let own = industry.and_then(|i| w.industries.get(i)).map_or(&w.general_pool, |i| &i.pool);
        let pool = match kind {
            VacancyKind::Gig if chance(rng, 0.7) => &w.gig_pool,
            VacancyKind::PublicWelfare if chance(rng, 0.85) => &w.welfare_pool,
            _ if chance(rng, 0.2) => &w.general_pool,
            _ => own,
        };
        let pool = if pool.is_empty() { &w.general_pool } else { pool };
        if pool.is_empty() {
            return None;
        }
        w.occs.get(*one(rng, pool))
    }

    pub(crate) fn make(&self, rng: &mut SimRng) -> Option<(usize, VacancyDraft)> {
        let w = self.world;
        let today = w.today;
        let idx = *self.employer_pick.try_pick(rng)?;
        let employer = self.employers.get(idx)?;

        // Industry and district follow the employer most of the time (a labour-dispatch firm
        // or a branch site is the exception).
        let mut industry = self.employer_industry.get(idx).copied().flatten();
        if industry.is_none() || chance(rng, 0.08) {
            industry = w.industry_pick.try_pick(rng).copied();
        }
        let industry_code = if industry == self.employer_industry.get(idx).copied().flatten() {
            employer.industry
        } else {
            industry.and_then(|i| w.industries.get(i)).map_or(employer.industry, |i| i.code)
        };
        let own_district = self.employer_district.get(idx).copied().flatten();
        let district_i = match own_district {
            Some(d) if chance(rng, 0.85) => d,
            _ => *w.vacancy_district_pick.try_pick(rng)?,
        };
        let district = w.districts.get(district_i)?;

        let mut kind = *self.kind_pick.pick(rng);
        let occ = self.occupation(rng, kind, industry)?;
        if kind == VacancyKind::Gig && occ.code.level() < 4 {
            kind = VacancyKind::FullTime;
        }
        let sector = occ.sector();

        // Title.
        let base = if chance(rng, 0.65) { one(rng, &occ.titles).as_str() } else { occ.code.name() };
        let title = match kind {
            VacancyKind::FullTime => base.to_string(),
            VacancyKind::PartTime => format!("兼职{base}"),
            VacancyKind::Internship => format!("{base}（就业见习）"),
            VacancyKind::PublicWelfare => format!("{base}（公益性岗位）"),
            VacancyKind::Gig => {
                if chance(rng, 0.5) {
                    format!("{base}（日结）")
                } else {
                    format!("临时{base}")
                }
            }
        };

        // Pay.
        let size_factor = match employer.size {
            EmployerSize::Micro => 0.95,
            EmployerSize::Small => 1.0,
            EmployerSize::Medium => 1.05,
            EmployerSize::Large => 1.12,
        };
        let (lo, hi) = sector.salary;
        let (mut salary_min, mut salary_max) = {
            let f = size_factor * rng.random_range(0.9..1.1);
            let min = round_to(f64::from(lo) * f, 100);
            let max = round_to(f64::from(hi) * f * rng.random_range(0.85..1.1), 100);
            (min, max.max(min + 500))
        };
        match kind {
            VacancyKind::FullTime => {}
            VacancyKind::PartTime => {
                salary_min = round_to(f64::from(salary_min) * 0.45, 100);
                salary_max = round_to(f64::from(salary_max) * 0.5, 100);
            }
            VacancyKind::Gig => {
                salary_min = round_to(f64::from(salary_min) * 0.8, 100);
                salary_max = round_to(f64::from(salary_max) * 0.85, 100);
            }
            VacancyKind::Internship => {
                salary_min = round_to(f64::from(rng.random_range(2200..3000)), 100);
                salary_max = salary_min + round_to(f64::from(rng.random_range(500..1500)), 100);
            }
            VacancyKind::PublicWelfare => {
                salary_min = MIN_WAGE;
                salary_max = round_to(f64::from(rng.random_range(2500..3300)), 100);
            }
        }
        let salary_min = salary_min.max(if kind == VacancyKind::PartTime { 1000 } else { MIN_WAGE });
        let salary_max = salary_max.max(salary_min);
        let pay = stated_pay(kind, occ, &title, salary_min, salary_max);

        // Headcount: mostly small; production lines and big firms hire more.
        let (a, b) = *self.headcount_pick.pick(rng);
        let mut headcount = rng.random_range(a..=b);
        let production = occ.code.as_str().starts_with('6') && occ.min_rank == 0;
        if production && size_rank(employer.size) >= 2 && chance(rng, 0.5) {
            headcount = (headcount * rng.random_range(2..=4)).min(50);
        }
        if kind == VacancyKind::PublicWelfare || kind == VacancyKind::Internship {
            headcount = headcount.min(5);
        }

        let education_required = match kind {
            VacancyKind::Internship => {
                Some(if occ.min_rank >= 6 { EducationLevel::Bachelor } else { EducationLevel::College })
            }
            VacancyKind::PublicWelfare | VacancyKind::Gig => None,
            _ => jobs::education_for(occ.min_rank, rng.random_range(0.0..1.0)),
        };

        // Dates: opened within the last 60 days, open 30–180 days and still open today.
        let opened_ago: i64 = rng.random_range(0..60);
        let opens_on = days_before(today, opened_ago);
        let min_span = 30.max(opened_ago + 7);
        let closes_on = days_after(opens_on, rng.random_range(min_span..=180));

        let (latitude, longitude) = if chance(rng, 0.9) {
            let (lat, lon) = district.point(rng);
            (Some(lat), Some(lon))
        } else {
            (None, None)
        };

        let same_district = employer.district == district.code;
        let address = match &employer.address {
            Some(a) if same_district => a.clone(),
            _ => {
                let street = district.street(rng);
                let kind = if production { AddressKind::Factory } else { AddressKind::Office };
                district.address(rng, street, kind)
            }
        };

        let n_skills = rng.random_range(2..=4);
        let mut skills = some(rng, sector.skills, n_skills);
        if chance(rng, 0.3) {
            skills.extend(some(rng, jobs::soft_skills(), 1));
        }
        let skills: Vec<String> = skills.into_iter().map(str::to_string).collect();

        let description = self.description(rng, &title, occ, kind, education_required, district.name(), headcount);

        Some((
            idx,
            VacancyDraft {
                title,
                description,
                occupation: occ.code,
                industry: industry_code,
                district: district.code,
                address,
                latitude,
                longitude,
                pay,
                headcount,
                education_required,
                kind,
                opens_on,
                closes_on,
                skills,
            },
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn description(
        &self,
        rng: &mut SimRng,
        title: &str,
        occ: &Occ,
        kind: VacancyKind,
        education: Option<EducationLevel>,
        district: &str,
        headcount: i32,
    ) -> String {
        let sector = occ.sector();
        let duties = some(rng, sector.duties, 2.min(sector.duties.len()));
        let mut d = format!("招聘{title}{headcount}名。岗位职责：");
        for (i, duty) in duties.iter().enumerate() {
            d.push_str(&format!("{}. {duty}；", i + 1));
        }
        d.pop();
        d.push_str("。任职要求：");
        d.push_str(jobs::education_phrase(education));
        let experience = match kind {
            VacancyKind::Internship => "，面向离校2年内未就业高校毕业生和16–24岁失业青年",
            VacancyKind::PublicWelfare => "，优先安置就业困难人员",
            _ if occ.min_rank >= 5 && chance(rng, 0.5) => "，1年以上相关工作经验",
            _ if chance(rng, 0.3) => "，经验不限，可接受应届毕业生",
            _ => "",
        };
        d.push_str(experience);
        d.push('；');
        let requirement: &&str = one(rng, jobs::REQUIREMENTS);
        d.push_str(requirement);
        d.push_str("。待遇：");
        let benefits = match kind {
            VacancyKind::PartTime => vec!["工作时间灵活", "按时结算"],
            VacancyKind::Gig => vec!["按单或按日结算", "时间自由"],
            VacancyKind::Internship => {
                vec!["见习期3至6个月", "按规定享受见习补贴", "购买意外伤害保险"]
            }
            VacancyKind::PublicWelfare => vec!["按规定享受岗位补贴和社会保险补贴"],
            VacancyKind::FullTime => {
                let n = rng.random_range(2..=5);
                some(rng, jobs::BENEFITS, n)
            }
        };
        d.push_str(&benefits.join("、"));
        d.push_str(&format!("。工作地点：厦门市{district}。"));
        d
    }
}

fn days_before(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
}

fn days_after(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_days(Days::new(n.unsigned_abs())).unwrap_or(d)
}

/// How the pay is stated, derived from figures already drawn (no new draws, so the rest of the
/// generated market stays as it was): gigs by the day, part-time by the hour, some production
/// lines by the piece with the expected month beside it, some managers' and sales posts 面议.
fn stated_pay(kind: VacancyKind, occ: &Occ, title: &str, salary_min: i32, salary_max: i32) -> Pay {
    let fen = |yuan: i64| yuan * 100;
    let code = occ.code.as_str();
    let pick = (salary_min / 100) % 20;
    let (unit, rate, month) = match kind {
        VacancyKind::Gig => {
            let day = |m: i32| (i64::from(m) * 100 / 2175).div_euclid(10) * 10;
            let (lo, hi) = (day(salary_min).max(120), day(salary_max).max(120));
            (PayUnit::Day, (Some(fen(lo)), Some(fen(hi.max(lo)))), (None, None))
        }
        VacancyKind::PartTime => {
            // A part-time post's monthly figure here is about half a full-time month.
            let hour = |m: i32| (i64::from(m) * 2 / 174).max(23);
            let (lo, hi) = (hour(salary_min), hour(salary_max));
            (PayUnit::Hour, (Some(fen(lo)), Some(fen(hi.max(lo)))), (None, None))
        }
        VacancyKind::FullTime if code.starts_with('6') && pick < 4 => {
            let piece = |m: i32| (i64::from(m) / 40).max(1);
            let (lo, hi) = (piece(salary_min), piece(salary_max));
            (PayUnit::Piece, (Some(lo), Some(hi.max(lo))), (Some(salary_min), Some(salary_max)))
        }
        VacancyKind::FullTime if (code.starts_with('1') || title.contains("销售")) && pick < 5 => {
            (PayUnit::Negotiable, (None, None), (None, None))
        }
        _ => (PayUnit::Month, (None, None), (Some(salary_min), Some(salary_max))),
    };
    Pay::state(unit, rate, month).unwrap_or(Pay {
        unit: PayUnit::Month,
        rate_fen: None,
        monthly: Some((salary_min, salary_max)),
    })
}
