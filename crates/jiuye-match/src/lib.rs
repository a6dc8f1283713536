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
use jiuye_domain::records::{Person, Vacancy, VacancyKind, VacancyStatus};

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
        Job {
            id: v.id,
            employer_id: v.employer_id,
            title: v.title.clone(),
            occupation: v.occupation,
            district: v.district,
            at: v.latitude.zip(v.longitude),
            salary_max: v.salary_max,
            education_required: v.education_required,
            kind: v.kind,
            opens_on: v.opens_on,
            closes_on: v.closes_on,
            skills: v.skills.iter().map(|s| s.to_lowercase()).collect(),
            open: v.status_on(today) == VacancyStatus::Open && v.opens_on <= today,
        }
    }
}

/// A fit: points out of about 100, and every reason that made them.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub score: f32,
    pub reasons: Vec<Reason>,
}

/// Who may take this kind of job. None when the person may not (the job is then not offered).
fn eligibility(s: &Seeker, j: &Job) -> Result<Option<Reason>, Reason> {
    match j.kind {
        VacancyKind::PublicWelfare => {
            if s.key_groups.contains(&KeyGroup::EmploymentDifficulty) {
                Ok(Some(Reason::new("match.eligible_public_welfare", 0.0, &[])))
            } else {
                Err(Reason::new("match.not_eligible_public_welfare", 0.0, &[]))
            }
        }
        VacancyKind::Internship => {
            let graduate = s.key_groups.iter().any(|k| {
                matches!(k, KeyGroup::CollegeGraduate | KeyGroup::UnemployedGraduate | KeyGroup::NeedyGraduate)
            });
            // 就业见习 is for graduates of the last two years and unemployed youth aged 16–24.
            if graduate || (16..=24).contains(&s.age) {
                Ok(Some(Reason::new("match.eligible_internship", 0.0, &[])))
            } else {
                Err(Reason::new("match.not_eligible_internship", 0.0, &[]))
            }
        }
        _ => Ok(None),
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

/// Score one seeker against one job as of `today`. None when the job is closed or the person
/// is not eligible for it.
pub fn score(s: &Seeker, j: &Job, today: NaiveDate) -> Option<Match> {
    if !j.open || j.closes_on < today {
        return None;
    }
    let mut reasons = Vec::with_capacity(6);
    match eligibility(s, j) {
        Ok(Some(r)) => reasons.push(r),
        Ok(None) => {}
        Err(_) => return None,
    }
    // Occupation: the heaviest part.
    let best = s.wanted_occupations.iter().map(|w| (occupation_closeness(w, &j.occupation), w)).max_by_key(|(c, _)| *c);
    match best {
        Some((4, _)) => reasons.push(Reason::new("match.occupation_exact", 40.0, &[("name", j.occupation.name())])),
        Some((3, w)) | Some((2, w)) => {
            let pts = if best.map(|b| b.0) == Some(3) { 28.0 } else { 18.0 };
            reasons.push(Reason::new(
                "match.occupation_related",
                pts,
                &[("name", j.occupation.name()), ("wanted", w.name())],
            ))
        }
        Some((1, _)) => reasons.push(Reason::new("match.occupation_same_field", 6.0, &[("name", j.occupation.name())])),
        Some(_) => {}
        None => reasons.push(Reason::new("match.occupation_open", 8.0, &[])),
    }
    // Skills and certificates named by the job.
    let matched: Vec<&str> = j
        .skills
        .iter()
        .filter(|need| s.skills.iter().any(|have| have.contains(need.as_str()) || need.contains(have.as_str())))
        .map(String::as_str)
        .collect();
    if !matched.is_empty() {
        let pts = (matched.len() as f32 * 6.0).min(15.0);
        reasons.push(Reason::new("match.skills", pts, &[("skills", &matched.join("、"))]));
    }
    // Place: home district, wanted districts, distance between district centres or the workplace.
    if j.district == s.home {
        reasons.push(Reason::new("match.same_district", 15.0, &[("district", j.district.name())]));
    } else if s.wanted_districts.contains(&j.district) {
        reasons.push(Reason::new("match.wanted_district", 12.0, &[("district", j.district.name())]));
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
        let km_text = format!("{km:.0}");
        reasons.push(Reason::new("match.distance", pts, &[("km", &km_text)]));
    }
    // Education.
    if let Some(req) = j.education_required {
        if s.education.rank() >= req.rank() {
            reasons.push(Reason::new("match.education_ok", 5.0, &[("required", req.label_zh())]));
        } else {
            reasons.push(Reason::new("match.education_below", -15.0, &[("required", req.label_zh())]));
        }
    }
    // Pay against what the person wants.
    if let Some(want) = s.wanted_salary_min {
        if j.salary_max >= want {
            let t = want.to_string();
            reasons.push(Reason::new("match.salary_ok", 10.0, &[("wanted", &t)]));
        } else {
            let t = want.to_string();
            reasons.push(Reason::new("match.salary_below", -10.0, &[("wanted", &t)]));
        }
    }
    // Freshness: new vacancies are likelier still to be filled.
    let age_days = (today - j.opens_on).num_days();
    if age_days <= 7 {
        reasons.push(Reason::new("match.fresh", 5.0, &[]));
    } else if age_days <= 30 {
        reasons.push(Reason::new("match.recent", 2.0, &[]));
    }
    let score = reasons.iter().map(|r| r.points).sum::<f32>().max(0.0);
    Some(Match { score, reasons })
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

/// The best `k` of `items` by `f`, highest first; items scoring None are skipped.
fn top_k<T>(items: &[T], k: usize, id: impl Fn(&T) -> Uuid, f: impl Fn(&T) -> Option<Match>) -> Vec<(Uuid, Match)> {
    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(k + 1);
    let mut kept: HashMap<usize, Match> = HashMap::with_capacity(k + 1);
    for (i, item) in items.iter().enumerate() {
        let Some(m) = f(item) else { continue };
        if m.score <= 0.0 {
            continue;
        }
        if heap.len() < k || heap.peek().is_some_and(|w| m.score > w.0) {
            heap.push(Ranked(m.score, id(item), i));
            kept.insert(i, m);
            if heap.len() > k
                && let Some(out) = heap.pop()
            {
                kept.remove(&out.2);
            }
        }
    }
    let mut out: Vec<(Uuid, f32, usize)> = heap.into_iter().map(|r| (r.1, r.0, r.2)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out.into_iter().filter_map(|(id, _, i)| kept.remove(&i).map(|m| (id, m))).collect()
}

/// The `k` best open jobs for a seeker, excluding those in `exclude` (already applied).
pub fn top_jobs(s: &Seeker, jobs: &[Job], k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, Match)> {
    top_k(jobs, k, |j| j.id, |j| if exclude.contains(&j.id) { None } else { score(s, j, today) })
}

/// The `k` best candidates for a job.
pub fn top_candidates(j: &Job, seekers: &[Seeker], k: usize, today: NaiveDate) -> Vec<(Uuid, Match)> {
    top_k(seekers, k, |s| s.id, |s| score(s, j, today))
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

/// Open jobs grouped by 中类 (medium occupation group): candidate generation scores only the
/// groups a seeker wants, instead of every job in the city.
#[derive(Debug, Default, Clone)]
pub struct JobPool {
    jobs: Vec<Job>,
    by_group: HashMap<String, Vec<usize>>,
}

fn medium_group(code: &OccupationCode) -> String {
    code.as_str().split('-').take(2).collect::<Vec<_>>().join("-")
}

impl JobPool {
    pub fn new(jobs: Vec<Job>) -> JobPool {
        let mut by_group: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, j) in jobs.iter().enumerate() {
            by_group.entry(medium_group(&j.occupation)).or_default().push(i);
        }
        JobPool { jobs, by_group }
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

    /// The `k` best jobs for a seeker: jobs in the wanted occupations' 中类 first; when they
    /// hold fewer than `k` fits (or nothing is wanted), the whole pool.
    pub fn top_jobs(&self, s: &Seeker, k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, Match)> {
        let mut idx: Vec<usize> = Vec::new();
        let mut groups: Vec<String> = s.wanted_occupations.iter().map(medium_group).collect();
        groups.sort();
        groups.dedup();
        for g in &groups {
            // A wanted 大类 alone ("6") covers every 中类 under it.
            if !g.contains('-') {
                for (key, v) in &self.by_group {
                    if key.split('-').next() == Some(g.as_str()) {
                        idx.extend(v);
                    }
                }
            } else if let Some(v) = self.by_group.get(g) {
                idx.extend(v);
            }
        }
        if !idx.is_empty() {
            let candidates: Vec<&Job> = idx.iter().filter_map(|i| self.jobs.get(*i)).collect();
            let top =
                top_k(&candidates, k, |j| j.id, |j| if exclude.contains(&j.id) { None } else { score(s, j, today) });
            if top.len() >= k {
                return top;
            }
        }
        top_jobs(s, &self.jobs, k, today, exclude)
    }
}
