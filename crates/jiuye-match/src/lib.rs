//! jiuye-match: how well a seeker and a vacancy fit, and why.
//!
//! A pure library. [`score`] weighs occupation (closeness in the 职业分类大典 hierarchy),
//! skills and certificates, distance between home and workplace, education, pay, eligibility
//! (公益性岗位 only for people with employment difficulty; 就业见习 only for graduates and
//! youth) and freshness, and returns every reason with its points in zh-CN and English.
//! [`top_jobs`] and [`top_candidates`] rank with a bounded heap; exposure across employers is
//! spread by [`diversify`].

pub mod gig;
mod many;
mod place;
mod reason;

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, EducationLevel, KeyGroup, OccupationCode};
use jiuye_domain::records::{Person, PersonDraft, Vacancy, VacancyDraft, VacancyKind, VacancyStatus};

pub use place::{distance_km, district_centroid};
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
    /// The longest trip to work the person will make, km as people travel.
    pub max_commute_km: Option<i32>,
    /// Where the person's trips start when they set it (their home cell's centre); `None`:
    /// from their district's seat.
    pub origin: Option<jiuye_domain::geo::LatLon>,
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
            max_commute_km: p.max_commute_km,
            origin: p.home_cell.map(|_| p.origin()),
            key_groups: p.key_groups.clone(),
            age: today.years_since(p.birth_date).unwrap_or(0),
        }
    }

    /// A person not yet stored (generated data for benchmarks and tests), read as [`Seeker::of`]
    /// reads a stored one.
    pub fn of_draft(id: Uuid, d: &PersonDraft, today: NaiveDate) -> Seeker {
        let mut skills: Vec<String> = d.skills.iter().map(|s| s.to_lowercase()).collect();
        skills.extend(d.certificates.iter().map(|c| c.name.to_lowercase()));
        Seeker {
            id,
            wanted_occupations: d.wanted_occupations.clone(),
            skills,
            home: d.district,
            wanted_districts: d.wanted_districts.clone(),
            education: d.education,
            wanted_salary_min: d.wanted_salary_min,
            max_commute_km: d.max_commute_km,
            origin: None,
            key_groups: d.key_groups.clone(),
            age: today.years_since(d.birth_date).unwrap_or(0),
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
    /// Monthly equivalent in yuan; 0 when the pay is 面议 (unknown: neither fits nor misses).
    pub salary_max: i32,
    pub education_required: Option<EducationLevel>,
    pub kind: VacancyKind,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Skills asked for, lower-cased.
    pub skills: Vec<String>,
    pub open: bool,
    /// The occupation as numbers per level (`6-31-01-03` → [6, 31, 1, 3]), for fast comparison
    /// in the hierarchy. Derived: change the occupation with [`Job::set_occupation`].
    occ_key: OccKey,
}

/// An occupation code as its four level numbers; levels below the code's own are 0.
pub type OccKey = [u8; 4];

pub fn occ_key(code: &OccupationCode) -> OccKey {
    let mut k = [0u8; 4];
    for (slot, part) in k.iter_mut().zip(code.as_str().split('-')) {
        *slot = part.parse().unwrap_or(0);
    }
    k
}

/// 4 when the job lies within the wanted code (or is it), else the number of levels they
/// share (0–3).
fn closeness_key(wanted: &OccKey, job: &OccKey) -> u8 {
    let levels = wanted.iter().take_while(|p| **p != 0).count();
    let common = wanted.iter().zip(job).take_while(|(w, j)| **w != 0 && w == j).count();
    if common == levels { 4 } else { common.min(3) as u8 }
}

/// The most any job of a given occupation closeness can score: occupation points plus the
/// most of every other part (skills 15, place 15, education 5, pay 10, freshness 5).
const MAX_BESIDES_OCCUPATION: f32 = 50.0;

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
        j.salary_max = d.pay.salary().1;
        j.education_required = d.education_required;
        j.kind = d.kind;
        j.opens_on = d.opens_on;
        j.closes_on = d.closes_on;
        j.skills = d.skills.iter().map(|s| s.to_lowercase()).collect();
        j.open = d.opens_on <= today && d.closes_on >= today;
        j
    }

    /// Change the occupation (and what is derived from it).
    pub fn set_occupation(&mut self, occupation: OccupationCode) {
        self.occ_key = occ_key(&occupation);
        self.occupation = occupation;
    }

    /// A job with the given identity and place; the rest at defaults (closed, full-time, no pay)
    /// for the caller to fill in.
    pub fn new(
        id: Uuid,
        employer_id: Uuid,
        title: &str,
        occupation: OccupationCode,
        district: DistrictCode,
        at: Option<(f64, f64)>,
    ) -> Job {
        Job::from_parts(id, employer_id, title, occupation, district, at)
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
            occ_key: occ_key(&occupation),
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
        self.add2(code, points, || {
            let a = args();
            (a.clone(), a)
        });
    }

    /// A reason whose arguments are named differently in Chinese and in English.
    fn add2(
        &mut self,
        code: &'static str,
        points: f32,
        args: impl FnOnce() -> (Vec<(&'static str, String)>, Vec<(&'static str, String)>),
    ) {
        self.points += points;
        if let Some(r) = self.reasons.as_mut() {
            let (zh, en) = args();
            r.push(Reason::bilingual(code, points, &view(&zh), &view(&en)));
        }
    }
}

/// Borrowed views of owned reason arguments.
fn view<'a>(args: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    args.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// How close a job's occupation is to a wanted one: 4 when the job lies within what is wanted
/// (the same occupation, or any occupation of a wanted group), else the number of leading
/// levels they share (3 same 小类, 2 same 中类, 1 same 大类, 0 none).
pub fn occupation_closeness(wanted: &OccupationCode, job: &OccupationCode) -> u8 {
    closeness_key(&occ_key(wanted), &occ_key(job))
}

/// A seeker prepared for scoring many jobs: the wanted codes as keys, computed once.
struct Prepared<'a> {
    s: &'a Seeker,
    wanted: Vec<(OccKey, &'a OccupationCode)>,
    home: place::From,
    /// Whether a job's skill matches one of the seeker's: the same few skill names recur across
    /// thousands of jobs, so each is matched once per seeker.
    skill_memo: std::cell::RefCell<HashMap<String, bool, Fnv>>,
}

/// FNV-1a: the skill memo's keys are short and trusted (our own jobs' skills), so a fast
/// hash beats the DoS-resistant default here.
#[derive(Default, Clone, Copy)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

impl<'a> Prepared<'a> {
    fn new(s: &'a Seeker) -> Self {
        Prepared {
            s,
            wanted: s.wanted_occupations.iter().map(|w| (occ_key(w), w)).collect(),
            home: place::From::new(s.origin.unwrap_or_else(|| district_centroid(&s.home)), &s.home),
            skill_memo: std::cell::RefCell::default(),
        }
    }

    fn has_skill(&self, need: &str) -> bool {
        if let Some(hit) = self.skill_memo.borrow().get(need) {
            return *hit;
        }
        let hit = self.s.skills.iter().any(|have| have.contains(need) || need.contains(have.as_str()));
        self.skill_memo.borrow_mut().insert(need.to_string(), hit);
        hit
    }

    fn skills_matched(&self, j: &Job) -> usize {
        j.skills.iter().filter(|need| self.has_skill(need)).count()
    }
}

/// Score one seeker against one job as of `today`, with every reason. None when the job is
/// closed or the person is not eligible for it.
pub fn score(s: &Seeker, j: &Job, today: NaiveDate) -> Option<Match> {
    explained(&Prepared::new(s), j, today)
}

/// The points of [`score`] without the reasons.
pub fn points(s: &Seeker, j: &Job, today: NaiveDate) -> Option<f32> {
    evaluate(&Prepared::new(s), j, today, false, f32::NEG_INFINITY).map(|t| t.points.max(0.0))
}

fn explained(q: &Prepared, j: &Job, today: NaiveDate) -> Option<Match> {
    evaluate(q, j, today, true, f32::NEG_INFINITY)
        .map(|t| Match { score: t.points.max(0.0), reasons: t.reasons.unwrap_or_default() })
}

/// Score a job; `floor` lets a ranking skip a job early once even its best possible score
/// could not beat what it already keeps (None then, as for a job that does not fit at all).
fn evaluate(q: &Prepared, j: &Job, today: NaiveDate, explain: bool, floor: f32) -> Option<Tally> {
    let s = q.s;
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
    let best = q.wanted.iter().map(|(k, w)| (closeness_key(k, &j.occ_key), *w)).max_by_key(|(c, _)| *c);
    let occupation_points = match best {
        Some((4, _)) => 40.0,
        Some((3, _)) => 28.0,
        Some((2, _)) => 18.0,
        Some((1, _)) => 6.0,
        Some(_) => 0.0,
        None => 8.0,
    };
    if occupation_points + MAX_BESIDES_OCCUPATION < floor {
        return None;
    }
    if !explain {
        // Ranking: the cheap parts (place, education, pay, freshness) next; if even full marks
        // on skills (15) could not lift the job over the floor, skip the string matching.
        let cheap = cheap_points(q, j, today);
        if occupation_points + cheap + 15.0 < floor {
            return None;
        }
        let n = q.skills_matched(j);
        let skills = if n > 0 { (n as f32 * 6.0).min(15.0) } else { 0.0 };
        return Some(Tally { points: occupation_points + cheap + skills, reasons: None });
    }
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
    let matched = || j.skills.iter().filter(|need| q.has_skill(need)).map(String::as_str);
    let n = matched().count();
    if n > 0 {
        t.add("match.skills", (n as f32 * 6.0).min(15.0), || {
            vec![("skills", matched().collect::<Vec<_>>().join("、"))]
        });
    }
    // Place: home district, wanted districts, distance between district centres or the workplace.
    let district = || {
        let en = jiuye_domain::messages::text(&format!("region.{}", j.district.as_str()), jiuye_domain::Lang::En);
        (vec![("district", j.district.name().to_string())], vec![("district", en)])
    };
    if j.district == s.home || s.wanted_districts.contains(&j.district) {
        if j.district == s.home {
            t.add2("match.same_district", 15.0, district);
        } else {
            t.add2("match.wanted_district", 12.0, district);
        }
        if let Some(limit) = beyond_within_district(q, j) {
            t.add("match.beyond_commute", BEYOND_COMMUTE, || vec![("limit", limit.to_string())]);
        }
    } else {
        let trip = q.home.trip(j.at.unwrap_or_else(|| district_centroid(&j.district)), &j.district);
        let (km, pts) = (trip.km, distance_points(trip.km));
        match trip.via {
            Some(c) => t.add2("match.distance_across", pts, || {
                (
                    vec![("km", format!("{km:.0}")), ("via", c.name_zh.to_string())],
                    vec![("km", format!("{km:.0}")), ("via", c.name_en.to_string())],
                )
            }),
            None => t.add("match.distance", pts, || vec![("km", format!("{km:.0}"))]),
        }
        if let Some(limit) = s.max_commute_km
            && km > f64::from(limit)
        {
            t.add("match.beyond_commute", BEYOND_COMMUTE, || vec![("limit", limit.to_string())]);
        }
    }
    // Education.
    if let Some(req) = j.education_required {
        let required =
            || (vec![("required", req.label_zh().to_string())], vec![("required", req.label_en().to_string())]);
        if s.education.rank() >= req.rank() {
            t.add2("match.education_ok", 5.0, required);
        } else {
            t.add2("match.education_below", -15.0, required);
        }
    }
    // Pay against what the person wants.
    if let Some(want) = s.wanted_salary_min {
        let wanted = || vec![("wanted", want.to_string())];
        if j.salary_max == 0 {
            t.add("match.salary_negotiable", 0.0, Vec::new);
        } else if j.salary_max >= want {
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

/// A workplace farther than the person said they would travel: ranked last among its kind,
/// not hidden (a person may still choose it).
const BEYOND_COMMUTE: f32 = -20.0;

/// A workplace in the home or a wanted district farther than the person would travel: known
/// only when both ends are places (the person set where they start, the job has coordinates) —
/// a district is a big place (同安 spans 40 km), and from its seat nothing can be said. Returns
/// the limit passed.
fn beyond_within_district(q: &Prepared, j: &Job) -> Option<i32> {
    let (limit, at) = (q.s.max_commute_km?, j.at?);
    q.s.origin?;
    (q.home.km(at, &j.district) > f64::from(limit)).then_some(limit)
}

/// Points for a workplace outside the home and wanted districts, by the trip as people travel
/// (`jiuye_domain::geo`): 10 next door, one less for every 2.5 km, none from 25 km — below a
/// wanted district's 12 however near. Whole points, so every way of adding up a score agrees
/// to the last bit.
fn distance_points(km: f64) -> f32 {
    (10.0 * (1.0 - km / 25.0)).clamp(0.0, 10.0).round() as f32
}

/// Place, education, pay and freshness points — exactly as [`evaluate`] adds them.
fn cheap_points(q: &Prepared, j: &Job, today: NaiveDate) -> f32 {
    let s = q.s;
    let mut p = if j.district == s.home || s.wanted_districts.contains(&j.district) {
        let own = if j.district == s.home { 15.0 } else { 12.0 };
        own + if beyond_within_district(q, j).is_some() { BEYOND_COMMUTE } else { 0.0 }
    } else {
        let km = q.home.km(j.at.unwrap_or_else(|| district_centroid(&j.district)), &j.district);
        let beyond = s.max_commute_km.is_some_and(|limit| km > f64::from(limit));
        distance_points(km) + if beyond { BEYOND_COMMUTE } else { 0.0 }
    };
    if let Some(req) = j.education_required {
        p += if s.education.rank() >= req.rank() { 5.0 } else { -15.0 };
    }
    if let Some(want) = s.wanted_salary_min
        && j.salary_max != 0
    {
        p += if j.salary_max >= want { 10.0 } else { -10.0 };
    }
    let age_days = (today - j.opens_on).num_days();
    p + if age_days <= 7 {
        5.0
    } else if age_days <= 30 {
        2.0
    } else {
        0.0
    }
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
    points: impl Fn(&T, f32) -> Option<f32>,
    explain: impl Fn(&T) -> Option<Match>,
) -> Vec<(Uuid, Match)> {
    top_k_indices(items, k, &id, points)
        .into_iter()
        .filter_map(|r| items.get(r.2).and_then(&explain).map(|m| (r.1, m)))
        .collect()
}

/// The best `k` by points, highest first (ties by id), unexplained.
fn top_k_indices<T>(
    items: &[T],
    k: usize,
    id: impl Fn(&T) -> Uuid,
    points: impl Fn(&T, f32) -> Option<f32>,
) -> Vec<Ranked> {
    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(k + 1);
    for (i, item) in items.iter().enumerate() {
        consider(&mut heap, k, i, || id(item), |floor| points(item, floor));
    }
    let mut kept: Vec<Ranked> = heap.into_vec();
    kept.sort();
    kept
}

/// Offers one item to a heap of the `k` best. `points` is given the floor the item must beat
/// once the heap is full (the weakest kept), so it can stop scoring early.
fn consider(
    heap: &mut BinaryHeap<Ranked>,
    k: usize,
    i: usize,
    id: impl FnOnce() -> Uuid,
    points: impl FnOnce(f32) -> Option<f32>,
) {
    let floor = if heap.len() < k { f32::NEG_INFINITY } else { heap.peek().map_or(f32::NEG_INFINITY, |w| w.0) };
    let Some(p) = points(floor) else { return };
    if p <= 0.0 {
        return;
    }
    let r = Ranked(p, id(), i);
    if heap.len() < k {
        heap.push(r);
    } else if heap.peek().is_some_and(|w| r < *w) {
        heap.push(r);
        heap.pop();
    }
}

/// The `k` best open jobs for a seeker, excluding those in `exclude` (already applied).
pub fn top_jobs(s: &Seeker, jobs: &[Job], k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, Match)> {
    let q = Prepared::new(s);
    rank_jobs(&q, jobs, k, today, exclude)
}

/// [`top_jobs`] without the reasons: ids and points, for ranking many and explaining few.
pub fn top_job_ids(s: &Seeker, jobs: &[Job], k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, f32)> {
    rank_job_ids(&Prepared::new(s), jobs, k, today, exclude)
}

fn rank_job_ids<J: std::borrow::Borrow<Job>>(
    q: &Prepared,
    jobs: &[J],
    k: usize,
    today: NaiveDate,
    exclude: &HashSet<Uuid>,
) -> Vec<(Uuid, f32)> {
    top_k_indices(
        jobs,
        k,
        |j| j.borrow().id,
        |j, floor| {
            let j = j.borrow();
            if !exclude.is_empty() && exclude.contains(&j.id) {
                return None;
            }
            evaluate(q, j, today, false, floor).map(|t| t.points.max(0.0))
        },
    )
    .into_iter()
    .map(|r| (r.1, r.0))
    .collect()
}

fn rank_jobs<J: std::borrow::Borrow<Job>>(
    q: &Prepared,
    jobs: &[J],
    k: usize,
    today: NaiveDate,
    exclude: &HashSet<Uuid>,
) -> Vec<(Uuid, Match)> {
    top_k(
        jobs,
        k,
        |j| j.borrow().id,
        |j, floor| {
            let j = j.borrow();
            if exclude.contains(&j.id) {
                return None;
            }
            evaluate(q, j, today, false, floor).map(|t| t.points.max(0.0))
        },
        |j| explained(q, j.borrow(), today),
    )
}

/// The `k` best candidates for a job.
pub fn top_candidates(j: &Job, seekers: &[Seeker], k: usize, today: NaiveDate) -> Vec<(Uuid, Match)> {
    top_k(
        seekers,
        k,
        |s| s.id,
        |s, floor| evaluate(&Prepared::new(s), j, today, false, floor).map(|t| t.points.max(0.0)),
        |s| score(s, j, today),
    )
}

/// Re-rank so no employer takes more than `per_employer` of the first places: a platform that
/// sends everyone to the same firms fails its users.
pub fn diversify<T>(
    ranked: Vec<(Uuid, T)>,
    employer_of: impl Fn(&Uuid) -> Option<Uuid>,
    per_employer: usize,
) -> Vec<(Uuid, T)> {
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
/// a seeker wants first, widens to their 中类, then their 大类, and only then to every job in
/// the city — each step a hash lookup, and every step ranked with the upper-bound prune.
#[derive(Debug, Default, Clone)]
pub struct JobPool {
    jobs: Vec<Job>,
    /// Level (1–3) and the code cut to that level → indices of its jobs.
    by_group: HashMap<(u8, OccKey), Vec<u32>>,
    index: HashMap<Uuid, u32>,
    /// Slots of jobs replaced or taken out since the last compaction (kept closed, so every
    /// ranking skips them).
    dead: usize,
}

fn cut(k: &OccKey, levels: usize) -> OccKey {
    let mut out = [0u8; 4];
    out[..levels].copy_from_slice(&k[..levels]);
    out
}

impl JobPool {
    pub fn new(jobs: Vec<Job>) -> JobPool {
        let mut by_group: HashMap<(u8, OccKey), Vec<u32>> = HashMap::new();
        let mut index = HashMap::with_capacity(jobs.len());
        for (i, j) in jobs.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            index.insert(j.id, i);
            for levels in 1..=3u8 {
                by_group.entry((levels, cut(&j.occ_key, usize::from(levels)))).or_default().push(i);
            }
        }
        JobPool { jobs, by_group, index, dead: 0 }
    }

    /// Put a job in the pool, replacing the one with its id; a job that is not open is taken
    /// out. Changes are appended; the pool compacts itself when half of it is dead.
    pub fn upsert(&mut self, job: Job) {
        self.remove(&job.id);
        if !job.open {
            return;
        }
        let i = u32::try_from(self.jobs.len()).unwrap_or(u32::MAX);
        self.index.insert(job.id, i);
        for levels in 1..=3u8 {
            self.by_group.entry((levels, cut(&job.occ_key, usize::from(levels)))).or_default().push(i);
        }
        self.jobs.push(job);
    }

    /// Take a job out (nothing if it is not in the pool).
    pub fn remove(&mut self, id: &Uuid) {
        let Some(i) = self.index.remove(id) else { return };
        if let Some(j) = self.jobs.get_mut(i as usize) {
            j.open = false;
            self.dead += 1;
        }
        if self.dead > 1024 && self.dead * 2 > self.jobs.len() {
            let live: Vec<Job> = std::mem::take(&mut self.jobs).into_iter().filter(|j| j.open).collect();
            *self = JobPool::new(live);
        }
    }

    /// Take out every job closing before `today`.
    pub fn retain_open_on(&mut self, today: NaiveDate) {
        let gone: Vec<Uuid> = self.jobs.iter().filter(|j| j.open && j.closes_on < today).map(|j| j.id).collect();
        for id in gone {
            self.remove(&id);
        }
    }

    /// Every slot of the pool, the closed ones included (rankings skip those).
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// Open jobs in the pool.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Jobs in the groups the seeker wants, cut to `levels`.
    fn candidates(&self, q: &Prepared, levels: u8) -> Vec<&Job> {
        let mut keys: Vec<OccKey> = q.wanted.iter().map(|(k, _)| cut(k, usize::from(levels))).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut out = Vec::new();
        for key in keys {
            if let Some(idx) = self.by_group.get(&(levels, key)) {
                out.extend(idx.iter().filter_map(|i| self.jobs.get(*i as usize)));
            }
        }
        out
    }

    /// The `k` best jobs for a seeker: among the wanted 小类 first, then 中类, then 大类, and
    /// when even those hold fewer than `k` fits (or nothing is wanted), the whole pool.
    pub fn top_jobs(&self, s: &Seeker, k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, Match)> {
        self.top_job_ids(s, k, today, exclude)
            .into_iter()
            .filter_map(|(id, _)| self.job(&id).and_then(|j| score(s, j, today)).map(|m| (id, m)))
            .collect()
    }

    /// [`Self::top_jobs`] without the reasons: ids and points (explain only the ones shown).
    pub fn top_job_ids(&self, s: &Seeker, k: usize, today: NaiveDate, exclude: &HashSet<Uuid>) -> Vec<(Uuid, f32)> {
        let q = Prepared::new(s);
        if !q.wanted.is_empty() {
            for levels in [3, 2, 1] {
                let top = rank_job_ids(&q, &self.candidates(&q, levels), k, today, exclude);
                if top.len() >= k {
                    return top;
                }
            }
        }
        rank_job_ids(&q, &self.jobs, k, today, exclude)
    }

    /// A job of the pool by id.
    pub fn job(&self, id: &Uuid) -> Option<&Job> {
        self.index.get(id).and_then(|i| self.jobs.get(*i as usize))
    }
}
