//! jiuye-match: how well a seeker and a vacancy fit, and why.
//!
//! A pure library. [`score`] weighs occupation (closeness in the 职业分类大典 hierarchy),
//! skills and certificates, distance between home and workplace, education, pay, eligibility
//! (公益性岗位 only for people with employment difficulty; 就业见习 only for graduates and
//! youth) and freshness, and returns every reason with its points in zh-CN and English.
//! [`top_jobs`] and [`top_candidates`] rank with a bounded heap; exposure across employers is
//! spread by [`diversify`].

mod place;
mod reason;

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, EducationLevel, KeyGroup, OccupationCode};
use jiuye_domain::records::{Person, Vacancy, VacancyDraft, VacancyKind, VacancyStatus};

pub use place::district_centroid;
pub use reason::Reason;

/// What matching needs to know of a person.
#[derive(Debug, Clone)]
pub struct Seeker {
    pub id: Uuid,
    pub wanted_occupations: Vec<OccupationCode>,
    /// Skills and certificate names, lower-cased.
    pub skills: Vec<String>,
    pub home: DistrictCode,
    pub wanted_districts: Vec<DistrictCode>,
    pub education: EducationLevel,
    pub wanted_salary_min: Option<i32>,
    pub key_groups: Vec<KeyGroup>,
    pub age: u32,
}

impl Seeker {
    pub fn of(p: &Person, today: NaiveDate) -> Seeker {
        let mut skills: Vec<String> = p.skills.iter().map(|s| s.to_lowercase()).collect();
        skills.extend(p.certificates.iter().map(|c| c.name.to_lowercase()));
        Seeker {
            id: p.id,
            wanted_occupations: p.wanted_occupations.clone(),
            skills,
            home: p.district,
            wanted_districts: p.wanted_districts.clone(),
            education: p.education,
            wanted_salary_min: p.wanted_salary_min,
            key_groups: p.key_groups.clone(),
            age: today.years_since(p.birth_date).unwrap_or(0),
        }
    }
}

/// What matching needs to know of a vacancy.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub employer_id: Uuid,
    pub title: String,
    pub occupation: OccupationCode,
    pub district: DistrictCode,
    pub at: Option<(f64, f64)>,
    pub salary_max: i32,
    pub education_required: Option<EducationLevel>,
    pub kind: VacancyKind,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Skills asked for, lower-cased.
    pub skills: Vec<String>,
    pub open: bool,
}

impl Job {
    pub fn of(v: &Vacancy, today: NaiveDate) -> Job {
        let mut j =
            Job::from_parts(v.id, v.employer_id, &v.title, v.occupation, v.district, v.latitude.zip(v.longitude));
        j.salary_max = v.salary_max;
        j.education_required = v.education_required;
        j.kind = v.kind;
        j.opens_on = v.opens_on;
        j.closes_on = v.closes_on;
        j.skills = v.skills.iter().map(|s| s.to_lowercase()).collect();
        j.open = v.status_on(today) == VacancyStatus::Open && v.opens_on <= today;
        j
    }

    /// A job from a draft not stored yet (generated data, benchmarks), open from its open date.
    pub fn of_draft(id: Uuid, employer_id: Uuid, d: &VacancyDraft, today: NaiveDate) -> Job {
        let mut j = Job::from_parts(id, employer_id, &d.title, d.occupation, d.district, d.latitude.zip(d.longitude));
        j.salary_max = d.salary_max;
        j.education_required = d.education_required;
        j.kind = d.kind;
        j.opens_on = d.opens_on;
        j.closes_on = d.closes_on;
        j.skills = d.skills.iter().map(|s| s.to_lowercase()).collect();
        j.open = d.opens_on <= today && d.closes_on >= today;
        j
    }

    fn from_parts(
        id: Uuid,
        employer_id: Uuid,
        title: &str,
        occupation: OccupationCode,
        district: DistrictCode,
        at: Option<(f64, f64)>,
    ) -> Job {
        Job {
            id,
            employer_id,
            title: title.to_string(),
            occupation,
            district,
            at,
            salary_max: 0,
            education_required: None,
            kind: VacancyKind::FullTime,
            opens_on: NaiveDate::MIN,
            closes_on: NaiveDate::MIN,
            skills: Vec::new(),
            open: false,
        }
    }
}

/// A fit: points out of about 100, and every reason that made them.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub score: f32,
    pub reasons: Vec<Reason>,
}

/// Who may take this kind of job: `Err` when the person may not (the job is then not offered),
/// else the reason code to show, if any.
fn eligibility(s: &Seeker, j: &Job) -> Result<Option<&'static str>, ()> {
    match j.kind {
        VacancyKind::PublicWelfare => {
            if jiuye_domain::records::public_welfare_eligible(&s.key_groups) {
                Ok(Some("match.eligible_public_welfare"))
            } else {
                Err(())
            }
        }
        VacancyKind::Internship => {
            let graduate = s.key_groups.iter().any(|k| {
                matches!(k, KeyGroup::CollegeGraduate | KeyGroup::UnemployedGraduate | KeyGroup::NeedyGraduate)
            });
            // 就业见习 is for graduates of the last two years and unemployed youth aged 16–24.
            if graduate || (16..=24).contains(&s.age) { Ok(Some("match.eligible_internship")) } else { Err(()) }
        }
        _ => Ok(None),
    }
}

/// Adds up points; writes the reasons (catalogue texts, the costly part) only when asked, so
/// ranking thousands of jobs formats text for the few it keeps.
struct Tally {
    points: f32,
    reasons: Option<Vec<Reason>>,
}

impl Tally {
    fn add(&mut self, code: &'static str, points: f32, args: impl FnOnce() -> Vec<(&'static str, String)>) {
        self.points += points;
        if let Some(r) = self.reasons.as_mut() {
            let args = args();
            let refs: Vec<(&'static str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            r.push(Reason::new(code, points, &refs));
        }
    }
}

/// How close a job's occupation is to a wanted one: 4 when the job lies within what is wanted
/// (the same occupation, or any occupation of a wanted group), else the number of leading
/// levels they share (3 same 小类, 2 same 中类, 1 same 大类, 0 none).
pub fn occupation_closeness(wanted: &OccupationCode, job: &OccupationCode) -> u8 {
    if job.is_within(wanted) || job == wanted {
        return 4;
    }
    let common = wanted.as_str().split('-').zip(job.as_str().split('-')).take_while(|(x, y)| x == y).count();
    common.min(3) as u8
}

/// Score one seeker against one job as of `today`, with every reason. None when the job is
/// closed or the person is not eligible for it.
pub fn score(s: &Seeker, j: &Job, today: NaiveDate) -> Option<Match> {
    evaluate(s, j, today, true).map(|t| Match { score: t.points.max(0.0), reasons: t.reasons.unwrap_or_default() })
}

/// The points of [`score`] without the reasons.
pub fn points(s: &Seeker, j: &Job, today: NaiveDate) -> Option<f32> {
    evaluate(s, j, today, false).map(|t| t.points.max(0.0))
}

fn evaluate(s: &Seeker, j: &Job, today: NaiveDate, explain: bool) -> Option<Tally> {
    if !j.open || j.closes_on < today {
        return None;
    }
    let mut t = Tally { points: 0.0, reasons: explain.then(|| Vec::with_capacity(7)) };
    match eligibility(s, j) {
        Ok(Some(code)) => t.add(code, 0.0, Vec::new),
        Ok(None) => {}
        Err(()) => return None,
    }
    let name = || vec![("name", j.occupation.name().to_string())];
    // Occupation: the heaviest part.
    let best = s.wanted_occupations.iter().map(|w| (occupation_closeness(w, &j.occupation), w)).max_by_key(|(c, _)| *c);
    match best {
        Some((4, _)) => t.add("match.occupation_exact", 40.0, name),
        Some((c @ (2 | 3), w)) => t.add("match.occupation_related", if c == 3 { 28.0 } else { 18.0 }, || {
            vec![("name", j.occupation.name().to_string()), ("wanted", w.name().to_string())]
        }),
        Some((1, _)) => t.add("match.occupation_same_field", 6.0, name),
        Some(_) => {}
        None => t.add("match.occupation_open", 8.0, Vec::new),
    }
    // Skills and certificates named by the job.
    let matched = || {
        j.skills
            .iter()
            .filter(|need| s.skills.iter().any(|have| have.contains(need.as_str()) || need.contains(have.as_str())))
            .map(String::as_str)
    };
    let n = matched().count();
    if n > 0 {
        t.add("match.skills", (n as f32 * 6.0).min(15.0), || {
            vec![("skills", matched().collect::<Vec<_>>().join("、"))]
        });
    }
    // Place: home district, wanted districts, distance between district centres or the workplace.
    let district = || vec![("district", j.district.name().to_string())];
    if j.district == s.home {
        t.add("match.same_district", 15.0, district);
    } else if s.wanted_districts.contains(&j.district) {
        t.add("match.wanted_district", 12.0, district);
    } else {
        let home = district_centroid(&s.home);
        let work = j.at.unwrap_or_else(|| district_centroid(&j.district));
        let km = place::distance_km(home, work);
        let pts = if km <= 10.0 {
            8.0
        } else if km <= 20.0 {
            4.0
        } else {
            0.0
        };
        t.add("match.distance", pts, || vec![("km", format!("{km:.0}"))]);
    }
    // Education.
    if let Some(req) = j.education_required {
        let required = || vec![("required", req.label_zh().to_string())];
        if s.education.rank() >= req.rank() {
            t.add("match.education_ok", 5.0, required);
        } else {
            t.add("match.education_below", -15.0, required);
        }
    }
    // Pay against what the person wants.
    if let Some(want) = s.wanted_salary_min {
        let wanted = || vec![("wanted", want.to_string())];
        if j.salary_max >= want {
            t.add("match.salary_ok", 10.0, wanted);
        } else {
            t.add("match.salary_below", -10.0, wanted);
        }
    }
    // Freshness: new vacancies are likelier still to be filled.
    let age_days = (today - j.opens_on).num_days();
    if age_days <= 7 {
        t.add("match.fresh", 5.0, Vec::new);
    } else if age_days <= 30 {
        t.add("match.recent", 2.0, Vec::new);
    }
    Some(t)
}

#[derive(PartialEq)]
struct Ranked(f32, Uuid, usize);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    // Reversed on score so the heap's top is the weakest kept; ties broken by id for stable output.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then_with(|| self.1.cmp(&other.1))
    }
}

/// The best `k` of `items` by `points`, highest first; items scoring None are skipped. Only
/// the kept items are explained (`explain`).
fn top_k<T>(
    items: &[T],
    k: usize,
    id: impl Fn(&T) -> Uuid,
    points: impl Fn(&T) -> Option<f32>,
    explain: impl Fn(&T) -> Option<Match>,
) -> Vec<(Uuid, Match)> {
    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(k + 1);
    for (i, item) in items.iter().enumerate() {
        let Some(p) = points(item) else { continue };
        if p <= 0.0 {
            continue;
        }
        let r = Ranked(p, id(item), i);
        if heap.len() < k {
            heap.push(r);
        } else if heap.peek().is_some_and(|w| r < *w) {
            heap.push(r);
            heap.pop();
        }
    }
    let mut kept: Vec<Ranked> = heap.into_vec();
    kept.sort();
    kept.into_iter().filter_map(|r| items.get(r.2).and_then(&explain).map(|m| (r.1, m))).collect()
}

/// The `k` best open jobs for a seeker, excluding those in `exclude` (already applied).
pub fn top_jobs(s: &Seeker, jobs: &[Job], k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, Match)> {
    top_k(
        jobs,
        k,
        |j| j.id,
        |j| if exclude.contains(&j.id) { None } else { points(s, j, today) },
        |j| score(s, j, today),
    )
}

/// The `k` best candidates for a job.
pub fn top_candidates(j: &Job, seekers: &[Seeker], k: usize, today: NaiveDate) -> Vec<(Uuid, Match)> {
    top_k(seekers, k, |s| s.id, |s| points(s, j, today), |s| score(s, j, today))
}

/// Re-rank so no employer takes more than `per_employer` of the first places: a platform that
/// sends everyone to the same firms fails its users.
pub fn diversify(
    ranked: Vec<(Uuid, Match)>,
    employer_of: impl Fn(&Uuid) -> Option<Uuid>,
    per_employer: usize,
) -> Vec<(Uuid, Match)> {
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for item in ranked {
        let e = employer_of(&item.0).unwrap_or(item.0);
        let n = seen.entry(e).or_default();
        *n += 1;
        if *n <= per_employer { first.push(item) } else { later.push(item) }
    }
    first.extend(later);
    first
}

/// Open jobs grouped by occupation group: candidate generation scores the 小类 (minor groups)
/// a seeker wants first, widens to their 中类, and only then to every job in the city.
#[derive(Debug, Default, Clone)]
pub struct JobPool {
    jobs: Vec<Job>,
    by_minor: HashMap<String, Vec<usize>>,
}

fn group(code: &str, levels: usize) -> String {
    code.split('-').take(levels).collect::<Vec<_>>().join("-")
}

impl JobPool {
    pub fn new(jobs: Vec<Job>) -> JobPool {
        let mut by_minor: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, j) in jobs.iter().enumerate() {
            by_minor.entry(group(j.occupation.as_str(), 3)).or_default().push(i);
        }
        JobPool { jobs, by_minor }
    }

    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Jobs whose 小类 lies within one of `prefixes` (each a code cut to some level).
    fn candidates(&self, prefixes: &[String]) -> Vec<&Job> {
        let mut out = Vec::new();
        for (minor, idx) in &self.by_minor {
            let inside = prefixes.iter().any(|p| minor == p || minor.starts_with(&format!("{p}-")));
            if inside {
                out.extend(idx.iter().filter_map(|i| self.jobs.get(*i)));
            }
        }
        out
    }

    /// The `k` best jobs for a seeker: among the wanted 小类 first, then the wanted 中类, and
    /// when even those hold fewer than `k` fits (or nothing is wanted), the whole pool.
    pub fn top_jobs(&self, s: &Seeker, k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, Match)> {
        for levels in [3, 2] {
            let mut prefixes: Vec<String> = s.wanted_occupations.iter().map(|w| group(w.as_str(), levels)).collect();
            prefixes.sort();
            prefixes.dedup();
            if prefixes.is_empty() {
                break;
            }
            let candidates = self.candidates(&prefixes);
            let top = top_k(
                &candidates,
                k,
                |j| j.id,
                |j| if exclude.contains(&j.id) { None } else { points(s, j, today) },
                |j| score(s, j, today),
            );
            if top.len() >= k {
                return top;
            }
        }
        top_jobs(s, &self.jobs, k, today, exclude)
    }
}
