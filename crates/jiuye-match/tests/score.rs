//! Tables of seeker × job → expected reasons and eligibility; ranking and diversity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, EducationLevel, KeyGroup, OccupationCode};
use jiuye_domain::records::VacancyKind;
use jiuye_match::{Job, Seeker, diversify, occupation_closeness, score, top_candidates, top_jobs};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn occ(c: &str) -> OccupationCode {
    OccupationCode::parse(c).unwrap()
}

fn district(c: &str) -> DistrictCode {
    DistrictCode::parse(c).unwrap()
}

fn electrician_seeker() -> Seeker {
    Seeker {
        id: Uuid::from_u128(1),
        wanted_occupations: vec![occ("6-31-01-03")],
        skills: vec!["低压电工证".into()],
        home: district("350206"),
        wanted_districts: vec![district("350211")],
        education: EducationLevel::parse("41").unwrap(),
        wanted_salary_min: Some(6000),
        max_commute_km: None,
        origin: None,
        key_groups: vec![],
        age: 35,
    }
}

fn job(n: u128) -> Job {
    let mut j = Job::new(
        Uuid::from_u128(100 + n),
        Uuid::from_u128(1000 + n),
        "电工",
        occ("6-31-01-03"),
        district("350206"),
        None,
    );
    j.salary_max = 8000;
    j.education_required = None;
    j.kind = VacancyKind::FullTime;
    j.opens_on = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    j.closes_on = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
    j.skills = vec!["低压电工证".into()];
    j.open = true;
    j
}

#[test]
fn occupation_closeness_follows_the_hierarchy() {
    let cases = [
        ("6-31-01-03", "6-31-01-03", 4),
        ("6-31", "6-31-01-03", 4),
        ("6", "6-31-01-03", 4),
        ("6-31-01-03", "6-31-01-01", 3),
        ("6-31-01-03", "6-31-02-01", 2),
        ("6-31-01-03", "6-18-02-04", 1),
        ("6-31-01-03", "4-09-08-01", 0),
    ];
    for (wanted, job, want) in cases {
        assert_eq!(occupation_closeness(&occ(wanted), &occ(job)), want, "{wanted} vs {job}");
    }
}

#[test]
fn reasons_explain_the_score() {
    type Tweak = fn(&mut Seeker, &mut Job);
    type Case<'a> = (&'a str, Tweak, &'a [&'a str], &'a [&'a str], bool);
    // (label, change, expected reason codes present, codes absent, eligible)
    let cases: Vec<Case> = vec![
        (
            "perfect",
            |_, _| {},
            &["match.occupation_exact", "match.skills", "match.same_district", "match.salary_ok", "match.fresh"],
            &["match.salary_below"],
            true,
        ),
        (
            "related occupation",
            |_, j| j.set_occupation(occ("6-31-01-01")),
            &["match.occupation_related"],
            &["match.occupation_exact"],
            true,
        ),
        (
            "other field",
            |_, j| j.set_occupation(occ("4-09-08-01")),
            &[],
            &["match.occupation_exact", "match.occupation_related"],
            true,
        ),
        (
            "wanted district",
            |_, j| j.district = district("350211"),
            &["match.wanted_district"],
            &["match.same_district"],
            true,
        ),
        (
            "far away",
            |_, j| j.district = district("350213"),
            &["match.distance_across"],
            &["match.same_district"],
            true,
        ),
        (
            "beyond the commute the person stated",
            |s, j| {
                s.max_commute_km = Some(10);
                j.district = district("350213");
            },
            &["match.distance_across", "match.beyond_commute"],
            &[],
            true,
        ),
        (
            "within the commute",
            |s, j| {
                s.max_commute_km = Some(60);
                j.district = district("350213");
            },
            &["match.distance_across"],
            &["match.beyond_commute"],
            true,
        ),
        (
            "own district, farther than the commute from where the person starts",
            |s, j| {
                // From 禾山 to the west of 湖里 (湖里街道): ~7 km straight, ~9 km by road.
                s.origin = Some((24.508, 118.164));
                s.max_commute_km = Some(5);
                j.at = Some((24.510, 118.096));
            },
            &["match.same_district", "match.beyond_commute"],
            &[],
            true,
        ),
        (
            "own district, the same trip, nothing set: a district says nothing of the distance",
            |s, j| {
                s.max_commute_km = Some(5);
                j.at = Some((24.510, 118.096));
            },
            &["match.same_district"],
            &["match.beyond_commute"],
            true,
        ),
        (
            "own district, within the commute from where the person starts",
            |s, j| {
                s.origin = Some((24.508, 118.164));
                s.max_commute_km = Some(12);
                j.at = Some((24.510, 118.096));
            },
            &["match.same_district"],
            &["match.beyond_commute"],
            true,
        ),
        (
            "wanted district, beyond the commute from where the person starts",
            |s, j| {
                s.origin = Some((24.508, 118.164));
                s.max_commute_km = Some(5);
                j.district = district("350211");
                j.at = Some((24.575, 118.105));
            },
            &["match.wanted_district", "match.beyond_commute"],
            &[],
            true,
        ),
        ("pay too low", |_, j| j.salary_max = 4000, &["match.salary_below"], &["match.salary_ok"], true),
        (
            "education short",
            |_, j| j.education_required = EducationLevel::parse("20").ok(),
            &["match.education_below"],
            &[],
            true,
        ),
        (
            "education fine",
            |_, j| j.education_required = EducationLevel::parse("70").ok(),
            &["match.education_ok"],
            &[],
            true,
        ),
        ("public welfare, not eligible", |_, j| j.kind = VacancyKind::PublicWelfare, &[], &[], false),
        (
            "public welfare, eligible",
            |s, j| {
                j.kind = VacancyKind::PublicWelfare;
                s.key_groups.push(KeyGroup::EmploymentDifficulty);
            },
            &["match.eligible_public_welfare"],
            &[],
            true,
        ),
        ("internship, too old", |_, j| j.kind = VacancyKind::Internship, &[], &[], false),
        (
            "internship, graduate",
            |s, j| {
                j.kind = VacancyKind::Internship;
                s.key_groups.push(KeyGroup::UnemployedGraduate);
            },
            &["match.eligible_internship"],
            &[],
            true,
        ),
        (
            "internship, youth",
            |s, j| {
                j.kind = VacancyKind::Internship;
                s.age = 22;
            },
            &["match.eligible_internship"],
            &[],
            true,
        ),
        ("closed", |_, j| j.open = false, &[], &[], false),
        ("past close date", |_, j| j.closes_on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), &[], &[], false),
        ("no wanted occupation", |s, _| s.wanted_occupations.clear(), &["match.occupation_open"], &[], true),
    ];
    let base = score(&electrician_seeker(), &job(0), today()).unwrap();
    for (label, tweak, present, absent, eligible) in cases {
        let (mut s, mut j) = (electrician_seeker(), job(0));
        tweak(&mut s, &mut j);
        let m = score(&s, &j, today());
        assert_eq!(m.is_some(), eligible, "{label}");
        assert_eq!(
            jiuye_match::points(&s, &j, today()),
            m.as_ref().map(|m| m.score),
            "{label}: points differ from score"
        );
        let Some(m) = m else { continue };
        let codes: Vec<&str> = m.reasons.iter().map(|r| r.code).collect();
        for c in present {
            assert!(codes.contains(c), "{label}: {c} missing from {codes:?}");
        }
        for c in absent {
            assert!(!codes.contains(c), "{label}: {c} present in {codes:?}");
        }
        for r in &m.reasons {
            assert!(!r.zh.is_empty() && !r.en.is_empty() && r.zh != r.code, "{label}: {} has no text", r.code);
        }
        assert!((m.score - m.reasons.iter().map(|r| r.points).sum::<f32>().max(0.0)).abs() < 1e-4, "{label}");
        let worse = [
            "related occupation",
            "other field",
            "wanted district",
            "far away",
            "pay too low",
            "education short",
            "no wanted occupation",
        ];
        if worse.contains(&label) {
            assert!(m.score < base.score, "{label}: {} is not below the perfect {}", m.score, base.score);
        }
    }
    assert_eq!(base.reasons[0].zh, "职业匹配：电工");
    assert_eq!(base.reasons[0].en, "Occupation match: 电工");
}

#[test]
fn top_jobs_ranks_and_excludes() {
    let s = electrician_seeker();
    let mut jobs: Vec<Job> = (0..50).map(job).collect();
    for (i, j) in jobs.iter_mut().enumerate() {
        if i % 2 == 0 {
            j.set_occupation(occ("4-09-08-01"));
        }
        if i % 5 == 0 {
            j.open = false;
        }
        j.salary_max = 5000 + (i as i32) * 100;
    }
    let exclude: HashSet<Uuid> = [jobs[1].id].into_iter().collect();
    let top = top_jobs(&s, &jobs, 10, today(), &exclude);
    assert_eq!(top.len(), 10);
    assert!(top.windows(2).all(|w| w[0].1.score >= w[1].1.score));
    assert!(!top.iter().any(|(id, _)| *id == jobs[1].id), "an applied job came back");
    let closed: HashSet<Uuid> = jobs.iter().filter(|j| !j.open).map(|j| j.id).collect();
    assert!(!top.iter().any(|(id, _)| closed.contains(id)));
    // The best are electricians.
    assert!(top[0].1.reasons.iter().any(|r| r.code == "match.occupation_exact"));
    // Brute force agrees on the set.
    let mut all: Vec<(Uuid, f32)> = jobs
        .iter()
        .filter(|j| !exclude.contains(&j.id))
        .filter_map(|j| score(&s, j, today()).map(|m| (j.id, m.score)))
        .filter(|(_, sc)| *sc > 0.0)
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let want: Vec<Uuid> = all.iter().take(10).map(|a| a.0).collect();
    let got: Vec<Uuid> = top.iter().map(|t| t.0).collect();
    assert_eq!(got, want);
    assert!(top_jobs(&s, &jobs, 0, today(), &exclude).is_empty());
}

#[test]
fn candidates_for_a_job() {
    let j = job(0);
    let mut seekers: Vec<Seeker> = (0..20).map(|i| Seeker { id: Uuid::from_u128(i), ..electrician_seeker() }).collect();
    for s in seekers.iter_mut().skip(10) {
        s.wanted_occupations = vec![occ("4-09-08-01")];
        s.skills.clear();
    }
    let top = top_candidates(&j, &seekers, 5, today());
    assert_eq!(top.len(), 5);
    assert!(top.iter().all(|(id, _)| id.as_u128() < 10), "a cleaner outranked the electricians");
}

#[test]
fn diversity_caps_one_employer_at_the_top() {
    let s = electrician_seeker();
    let mut jobs: Vec<Job> = (0..10).map(job).collect();
    for j in jobs.iter_mut().take(6) {
        j.employer_id = Uuid::from_u128(7);
        j.salary_max = 9000;
    }
    let ranked = top_jobs(&s, &jobs, 10, today(), &HashSet::new());
    let employer = |id: &Uuid| jobs.iter().find(|j| j.id == *id).map(|j| j.employer_id);
    let spread = diversify(ranked.clone(), employer, 2);
    assert_eq!(spread.len(), ranked.len());
    let first5: Vec<Option<Uuid>> = spread.iter().take(5).map(|(id, _)| employer(id)).collect();
    assert!(first5.iter().filter(|e| **e == Some(Uuid::from_u128(7))).count() <= 2, "{first5:?}");
}

#[test]
fn the_pool_finds_what_a_full_scan_finds() {
    let s = electrician_seeker();
    let mut jobs: Vec<Job> = (0..300).map(job).collect();
    let others = ["4-09-08-01", "6-18-02-04", "6-31-01-01", "2-02-10-01", "6-21-04-01"];
    for (i, j) in jobs.iter_mut().enumerate() {
        j.set_occupation(if i % 7 == 0 { occ("6-31-01-03") } else { occ(others[i % others.len()]) });
        j.district = district(["350206", "350211", "350213"][i % 3]);
        j.salary_max = 5000 + (i as i32 % 40) * 100;
    }
    let pool = jiuye_match::JobPool::new(jobs.clone());
    let none = HashSet::new();
    let a: Vec<Uuid> = pool.top_jobs(&s, 10, today(), &none).into_iter().map(|t| t.0).collect();
    let b: Vec<Uuid> = top_jobs(&s, &jobs, 10, today(), &none).into_iter().map(|t| t.0).collect();
    assert_eq!(a, b, "candidate generation changed the top 10");
    // Nothing wanted: falls back to the whole pool.
    let open = Seeker { wanted_occupations: vec![], ..electrician_seeker() };
    assert_eq!(pool.top_jobs(&open, 10, today(), &none).len(), 10);
}

/// Ranking prunes jobs that cannot beat the weakest kept; the result must be exactly the top k
/// of scoring every job (ties broken by id), for seekers wanting various levels of codes.
#[test]
fn pruned_ranking_equals_brute_force() {
    let codes = ["6-31-01-03", "6-31-01-01", "6-31-02-01", "6-18-02-04", "4-09-08-01", "2-02-10-01", "4-01-02-01"];
    let districts = ["350203", "350206", "350211", "350212", "350213", "350205"];
    let mut jobs: Vec<Job> = Vec::new();
    for i in 0..600u128 {
        let mut j = job(i);
        let n = i as usize;
        j.set_occupation(occ(codes[n * 7 % codes.len()]));
        j.district = district(districts[n * 5 % districts.len()]);
        j.salary_max = 4000 + (n as i32 * 37 % 60) * 100;
        j.skills = if n.is_multiple_of(3) { vec!["低压电工证".into()] } else { vec![] };
        j.opens_on = today() - chrono::Duration::days((n % 50) as i64);
        j.education_required = match n % 4 {
            0 => Some(EducationLevel::parse("20").unwrap()),
            1 => Some(EducationLevel::parse("90").unwrap()),
            _ => None,
        };
        if n.is_multiple_of(11) {
            j.at = Some((24.6 + (n % 5) as f64 * 0.05, 118.0 + (n % 3) as f64 * 0.1));
        } else if n.is_multiple_of(4) {
            // Workplaces on the island, some near the seeker's set origin, some across it.
            j.at = Some((24.45 + (n % 7) as f64 * 0.015, 118.08 + (n % 5) as f64 * 0.02));
        }
        jobs.push(j);
    }
    let wants: [&[&str]; 4] = [&["6-31-01-03"], &["6-31"], &["4-09-08-01", "2-02-10-01"], &[]];
    for want in wants {
        // One seeker in two has said how far they travel: the fast path must add that up too.
        let max_commute_km = if want.len() == 1 { Some(12) } else { None };
        // And one in two has set where they start (禾山, 湖里): the limit then reaches jobs in
        // their own and wanted districts too.
        let origin = if want.len() != 2 { Some((24.508, 118.164)) } else { None };
        let s = Seeker {
            wanted_occupations: want.iter().map(|c| occ(c)).collect(),
            max_commute_km,
            origin,
            ..electrician_seeker()
        };
        let mut all: Vec<(f32, Uuid)> = jobs
            .iter()
            .filter_map(|j| jiuye_match::points(&s, j, today()).map(|p| (p, j.id)))
            .filter(|(p, _)| *p > 0.0)
            .collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let brute: Vec<Uuid> = all.iter().take(10).map(|x| x.1).collect();
        let got: Vec<Uuid> = top_jobs(&s, &jobs, 10, today(), &HashSet::new()).into_iter().map(|t| t.0).collect();
        assert_eq!(got, brute, "wanting {want:?}");
        // The ranking's fast path adds up exactly what the explained score adds up.
        for j in &jobs {
            let fast = jiuye_match::points(&s, j, today());
            let full = jiuye_match::score(&s, j, today()).map(|m| m.score);
            assert_eq!(fast, full, "job {} wanting {want:?}", j.id);
        }
    }
}

/// The batch ranks many seekers group by group; each must get exactly what ranking them one by
/// one gives (ids, points, order), whether their 小类 fills the list, they widen to the 中类
/// or 大类, or they want nothing and take the whole pool.
#[test]
fn ranking_many_at_once_equals_ranking_each() {
    use jiuye_sim::{Generator, SimConfig};
    let mut g = Generator::new(SimConfig { seed: 11, persons: 900, employers: 600, vacancies: 5_000, today: today() });
    let employers = g.employers();
    let jobs: Vec<Job> = g
        .vacancies(&employers)
        .into_iter()
        .enumerate()
        .map(|(i, (e, v))| Job::of_draft(Uuid::from_u128(i as u128), Uuid::from_u128(1 << 64 | e as u128), &v, today()))
        .collect();
    let mut seekers: Vec<Seeker> = g
        .next_persons(900)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, d)| Seeker::of_draft(Uuid::from_u128(i as u128), d, today()))
        .collect();
    // Some want nothing; some want a code no job has (they widen).
    for s in seekers.iter_mut().step_by(50) {
        s.wanted_occupations.clear();
    }
    for s in seekers.iter_mut().skip(7).step_by(40) {
        s.wanted_occupations = vec![occ("2-02-10-01")];
    }
    let mut pool = jiuye_match::JobPool::new(jobs.clone());
    // A closed slot in the pool is skipped by both.
    pool.remove(&Uuid::from_u128(3));
    let exclude: HashSet<Uuid> = (10..40).map(Uuid::from_u128).collect();
    for k in [30, 200] {
        let many = pool.top_job_ids_many(&seekers, k, today(), &exclude);
        assert_eq!(many.len(), seekers.len());
        let mut widened = 0;
        for (s, got) in seekers.iter().zip(&many) {
            let one = pool.top_job_ids(s, k, today(), &exclude);
            assert_eq!(got, &one, "seeker {}", s.id);
            assert!(got.iter().all(|(id, _)| !exclude.contains(id) && *id != Uuid::from_u128(3)));
            if got.len() == k && !s.wanted_occupations.is_empty() {
                let minor = |c: &OccupationCode| c.as_str().rsplit_once('-').map(|(m, _)| m.to_string());
                let own = got.iter().filter(|(id, _)| {
                    pool.job(id).is_some_and(|j| s.wanted_occupations.iter().any(|w| minor(&j.occupation) == minor(w)))
                });
                widened += usize::from(own.count() < k);
            }
        }
        assert!(widened > 0, "no seeker widened beyond their 小类 at k = {k}: the test covers too little");
    }
}

/// A set origin is where trips start: the distance a reason names is the trip from it, not from
/// the district's seat.
#[test]
fn distances_are_measured_from_where_the_person_starts() {
    use jiuye_domain::geo::{From, district_seat};
    let huli = district("350206");
    let (tongan, at) = (district("350212"), (24.7226, 118.1520));
    let km_in = |s: &Seeker| {
        let mut j = job(7);
        j.district = tongan;
        j.at = Some(at);
        let m = score(s, &j, today()).unwrap();
        let r = m.reasons.iter().find(|r| r.code == "match.distance_across").expect("a distance reason");
        r.en.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap()
    };
    let seat = Seeker { wanted_districts: vec![], ..electrician_seeker() };
    // 殿前, in the north-west of 湖里, near the bridges to the mainland.
    let dianqian = (24.533, 118.112);
    let set = Seeker { origin: Some(dianqian), ..seat.clone() };
    let from_seat = From::new(district_seat(&huli), &huli).km(at, &tongan);
    let from_set = From::new(dianqian, &huli).km(at, &tongan);
    assert!(from_set + 1.0 < from_seat, "殿前 is nearer the bridges than 湖里's seat: {from_set} vs {from_seat}");
    assert_eq!(km_in(&seat), from_seat.round());
    assert_eq!(km_in(&set), from_set.round());
}
