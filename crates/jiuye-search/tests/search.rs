//! Data-driven tests of the vacancy index: tables of query → expected hits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, EducationLevel, IndustryCode, OccupationCode};
use jiuye_domain::records::{Vacancy, VacancyKind, VacancyStatus};
use jiuye_search::{Cursor, SearchIndex, SearchQuery, Sort};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct V {
    key: &'static str,
    title: &'static str,
    description: &'static str,
    occupation: &'static str,
    industry: &'static str,
    district: &'static str,
    salary: (i32, i32),
    education: Option<&'static str>,
    kind: VacancyKind,
    opens: &'static str,
    closes: &'static str,
    status: VacancyStatus,
    at: (f64, f64),
    skills: &'static [&'static str],
}

const fn v(key: &'static str, title: &'static str, occupation: &'static str, district: &'static str) -> V {
    V {
        key,
        title,
        description: "",
        occupation,
        industry: "39",
        district,
        salary: (5000, 8000),
        education: None,
        kind: VacancyKind::FullTime,
        opens: "2026-11-01",
        closes: "2027-01-31",
        status: VacancyStatus::Open,
        at: (24.48, 118.11),
        skills: &[],
    }
}

fn corpus() -> Vec<V> {
    vec![
        V {
            description: "负责厂区高低压配电维护，持低压电工证。",
            skills: &["低压电工证"],
            ..v("electrician", "电工", "6-31-01-03", "350206")
        },
        V {
            description: "设备维修，电气故障排除。",
            salary: (6000, 9500),
            ..v("maint", "设备维修电工", "6-31-01-03", "350211")
        },
        V {
            description: "流水线操作，包吃住。", salary: (4500, 6000), ..v("worker", "普工", "6-21-04-01", "350213")
        },
        V {
            description: "电子厂操作工，两班倒。",
            salary: (4800, 6500),
            at: (24.62, 118.25),
            ..v("operator", "操作工（两班倒）", "6-21-04-01", "350213")
        },
        V {
            industry: "65",
            salary: (12000, 25000),
            education: Some("20"),
            description: "Java 后端开发，熟悉 Spring。",
            skills: &["Java", "Spring"],
            ..v("java", "Java开发工程师", "4-04-05-01", "350203")
        },
        V {
            industry: "62",
            kind: VacancyKind::PartTime,
            description: "周末餐厅服务。",
            salary: (20, 30),
            ..v("waiter", "餐厅服务员", "4-03-02-05", "350203")
        },
        V {
            kind: VacancyKind::Gig,
            industry: "80",
            description: "上门保洁，按次结算。",
            ..v("cleaner", "保洁员", "4-09-08-01", "350206")
        },
        V { status: VacancyStatus::Closed, ..v("closed", "电工", "6-31-01-03", "350206") },
        V { closes: "2026-11-20", ..v("expired", "电工", "6-31-01-03", "350206") },
        V { opens: "2026-12-15", ..v("future", "电工", "6-31-01-03", "350206") },
        V {
            opens: "2026-11-25",
            salary: (7000, 12000),
            education: Some("30"),
            ..v("fresh", "焊工", "6-18-02-04", "350205")
        },
        V {
            description: "协助设备维修电工完成日常巡检。", ..v("inspector", "巡检员", "6-20-01-01", "350211")
        },
    ]
}

fn vacancy(i: usize, s: &V) -> Vacancy {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().unwrap() + chrono::Duration::seconds(i as i64);
    Vacancy {
        id: jiuye_store_free_id(i),
        employer_id: Uuid::from_u128(1000 + (i as u128 % 3)),
        employer_name: format!("厦门测试{i}有限公司"),
        title: s.title.into(),
        description: s.description.into(),
        occupation: OccupationCode::parse(s.occupation).unwrap(),
        industry: IndustryCode::parse(s.industry).unwrap(),
        district: DistrictCode::parse(s.district).unwrap(),
        address: "厦门市".into(),
        latitude: Some(s.at.0),
        longitude: Some(s.at.1),
        salary_min: s.salary.0,
        salary_max: s.salary.1,
        headcount: 1,
        education_required: s.education.map(|e| EducationLevel::parse(e).unwrap()),
        kind: s.kind,
        opens_on: date(s.opens),
        closes_on: date(s.closes),
        skills: s.skills.iter().map(|s| s.to_string()).collect(),
        status: s.status,
        created_at: at,
        updated_at: at,
    }
}

/// Ids that sort in corpus order (like UUIDv7 in creation order).
fn jiuye_store_free_id(i: usize) -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + i as u128)
}

fn index() -> (SearchIndex, Vec<(&'static str, Uuid)>) {
    let idx = SearchIndex::in_memory().unwrap();
    let vs: Vec<Vacancy> = corpus().iter().enumerate().map(|(i, s)| vacancy(i, s)).collect();
    idx.rebuild(&vs, today()).unwrap();
    let keys = corpus().iter().zip(&vs).map(|(s, v)| (s.key, v.id)).collect();
    (idx, keys)
}

fn keys_of(hits: &[jiuye_search::Hit], keys: &[(&'static str, Uuid)]) -> Vec<&'static str> {
    hits.iter().map(|h| keys.iter().find(|(_, id)| *id == h.id).map(|(k, _)| *k).unwrap_or("?")).collect()
}

fn text(t: &str) -> SearchQuery {
    SearchQuery { text: Some(t.into()), limit: 20, ..Default::default() }
}

#[test]
fn queries_find_what_a_person_means() {
    let (idx, keys) = index();
    // (query, expected hits as a set; closed, expired and not-yet-open vacancies never show)
    let cases: &[(&str, &[&str])] = &[
        ("电工", &["electrician", "maint", "inspector"]),
        ("电气工", &["electrician", "maint", "inspector"]),
        ("电工师傅", &["electrician", "maint", "inspector"]),
        ("diangong", &["electrician", "maint"]),
        ("dg", &["electrician", "maint"]),
        ("DianGong", &["electrician", "maint"]),
        ("普工", &["worker", "operator"]),
        ("操作工", &["worker", "operator"]),
        ("java", &["java"]),
        ("Java开发", &["java"]),
        ("spring", &["java"]),
        ("服务员", &["waiter"]),
        ("保洁", &["cleaner"]),
        ("包吃住", &["worker"]),
        ("电工 维修", &["maint", "inspector"]),
        ("，。！", &[]),
        ("(两班倒)", &["operator"]),
        ("焊工", &["fresh"]),
        ("不存在的岗位名称", &[]),
    ];
    for (q, want) in cases {
        let r = idx.search(&text(q), today()).unwrap();
        let mut got = keys_of(&r.hits, &keys);
        got.sort();
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(got, want, "query {q:?}");
        assert_eq!(r.total, want.len(), "total for {q:?}");
    }
}

#[test]
fn the_title_outranks_the_description() {
    let (idx, keys) = index();
    let r = idx.search(&text("电工"), today()).unwrap();
    let order = keys_of(&r.hits, &keys);
    assert_eq!(order.last(), Some(&"inspector"), "a description-only match ranked above a title: {order:?}");
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn filters_narrow_the_results() {
    let (idx, keys) = index();
    let q = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = SearchQuery { limit: 50, ..Default::default() };
        f(&mut q);
        let mut got = keys_of(&idx.search(&q, today()).unwrap().hits, &keys);
        got.sort();
        got
    };
    assert_eq!(q(&|q| q.district = Some(DistrictCode::parse("350213").unwrap())), ["operator", "worker"]);
    assert_eq!(q(&|q| q.occupation = Some(OccupationCode::parse("6-31").unwrap())), ["electrician", "maint"]);
    assert_eq!(q(&|q| q.occupation = Some(OccupationCode::parse("6").unwrap())).len(), 6);
    assert_eq!(q(&|q| q.industry = Some(IndustryCode::parse("I").unwrap())), ["java"]);
    assert_eq!(q(&|q| q.industry = Some(IndustryCode::parse("65").unwrap())), ["java"]);
    assert_eq!(q(&|q| q.kind = Some(VacancyKind::Gig)), ["cleaner"]);
    // Salary overlap: wanting 9000–10000 meets 6000–9500, 12000–25000 does not meet it.
    assert_eq!(
        q(&|q| {
            q.salary_min = Some(9000);
            q.salary_max = Some(10000);
        }),
        ["fresh", "maint"]
    );
    // A seeker with 大专 (30) sees vacancies requiring at most 大专, not those requiring 本科.
    let with_college = q(&|q| q.education = Some(EducationLevel::parse("30").unwrap()));
    assert!(with_college.contains(&"fresh") && !with_college.contains(&"java"), "{with_college:?}");
    assert_eq!(q(&|q| q.posted_within_days = Some(3)), ["fresh"]);
    assert_eq!(q(&|q| q.near = Some((24.62, 118.25, 2.0))), ["operator"]);
    let all = q(&|_| {});
    assert_eq!(all.len(), 9, "{all:?}");
    assert!(!all.contains(&"closed") && !all.contains(&"expired") && !all.contains(&"future"));
}

#[test]
fn facets_count_the_matching_vacancies() {
    let (idx, _) = index();
    let r = idx.search(&SearchQuery { limit: 1, ..Default::default() }, today()).unwrap();
    assert_eq!(r.total, 9);
    let district: std::collections::HashMap<_, _> = r.facets.district.iter().cloned().collect();
    assert_eq!(district.get("350213"), Some(&2));
    assert_eq!(district.get("350206"), Some(&2));
    assert_eq!(district.values().sum::<u64>(), 9);
    let kinds: std::collections::HashMap<_, _> = r.facets.kind.iter().cloned().collect();
    assert_eq!(kinds.get("gig"), Some(&1));
    let occ: std::collections::HashMap<_, _> = r.facets.occupation.iter().cloned().collect();
    assert_eq!(occ.get("6"), Some(&6));
    assert_eq!(occ.get("4"), Some(&3));
    let r = idx.search(&text("电工"), today()).unwrap();
    assert_eq!(r.facets.district.iter().map(|d| d.1).sum::<u64>(), 3);
}

#[test]
fn cursor_pages_walk_every_hit_once_in_every_sort() {
    let (idx, _) = index();
    for sort in [Sort::Relevance, Sort::Newest, Sort::Salary] {
        for text in [None, Some("电工")] {
            let mut seen = Vec::new();
            let mut cursor: Option<Cursor> = None;
            let mut keys_in_order = Vec::new();
            loop {
                let q = SearchQuery { text: text.map(String::from), sort, limit: 3, cursor, ..Default::default() };
                let r = idx.search(&q, today()).unwrap();
                assert!(r.hits.len() <= 3);
                for h in &r.hits {
                    assert!(!seen.contains(&h.id), "{sort:?} repeated a hit");
                    seen.push(h.id);
                    keys_in_order.push(h.score);
                }
                match r.next_cursor {
                    Some(c) => {
                        let round = Cursor::decode(&c.encode()).unwrap();
                        assert_eq!(round, c);
                        cursor = Some(round);
                    }
                    None => break,
                }
            }
            let total = idx
                .search(&SearchQuery { text: text.map(String::from), limit: 100, ..Default::default() }, today())
                .unwrap()
                .total;
            assert_eq!(seen.len(), total, "{sort:?} {text:?}");
        }
    }
    // Salary sort: highest pay first.
    let r = idx.search(&SearchQuery { sort: Sort::Salary, limit: 2, ..Default::default() }, today()).unwrap();
    assert_eq!(r.hits.len(), 2);
    for bad in ["", "x", "relevance.1.2", "salary.a.b.c", "newest.-9223372036854775808.0.0", "salary.1.2.3.4"] {
        assert!(Cursor::decode(bad).is_none(), "{bad:?}");
    }
}

#[test]
fn changes_show_at_once() {
    let (idx, keys) = index();
    let id = keys.iter().find(|k| k.0 == "electrician").unwrap().1;
    let mut v = vacancy(0, &corpus()[0]);
    assert_eq!(v.id, id);
    v.status = VacancyStatus::Filled;
    idx.upsert(&v, today()).unwrap();
    let r = idx.search(&text("电工"), today()).unwrap();
    assert_eq!(keys_of(&r.hits, &keys), ["maint", "inspector"]);
    v.status = VacancyStatus::Open;
    v.title = "高级电工".into();
    idx.upsert(&v, today()).unwrap();
    assert_eq!(idx.search(&text("高级"), today()).unwrap().total, 1);
    idx.remove(&[id]).unwrap();
    assert_eq!(idx.search(&text("高级"), today()).unwrap().total, 0);
    // The day after a close date the vacancy is gone, before any sweep.
    let r = idx.search(&text("diangong"), date("2027-02-01")).unwrap();
    assert_eq!(r.total, 0);
    let before = idx.len();
    idx.purge_expired(date("2027-02-01")).unwrap();
    assert!(idx.len() < before, "expired documents were not purged");
    assert_eq!(
        idx.search(&SearchQuery { limit: 10, ..Default::default() }, today()).unwrap().total,
        idx.len() as usize
    );
}

#[test]
fn snippets_highlight_the_words() {
    let (idx, _) = index();
    let r = idx.search(&text("包吃住"), today()).unwrap();
    assert!(r.hits[0].snippet_html.contains("<b>"), "{}", r.hits[0].snippet_html);
    let r = idx.search(&text("<script>"), today()).unwrap();
    assert!(r.hits.iter().all(|h| !h.snippet_html.contains("<script>")));
}

#[test]
fn typeahead_suggests_titles_and_occupations() {
    let (idx, _) = index();
    let s = idx.suggest("电", 10).unwrap();
    assert!(s.contains(&"电工".to_string()), "{s:?}");
    let s = idx.suggest("dian", 10).unwrap();
    assert!(s.contains(&"电工".to_string()), "{s:?}");
    let s = idx.suggest("pg", 10).unwrap();
    assert!(s.contains(&"普工".to_string()), "{s:?}");
    assert!(idx.suggest("", 10).unwrap().is_empty());
    assert!(idx.suggest("zzzz", 10).unwrap().is_empty());
}

#[test]
fn the_index_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("jiuye-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let (idx, fresh) = SearchIndex::open_or_create(&dir).unwrap();
        assert!(fresh);
        let vs: Vec<Vacancy> = corpus().iter().enumerate().map(|(i, s)| vacancy(i, s)).collect();
        idx.rebuild(&vs, today()).unwrap();
    }
    let (idx, fresh) = SearchIndex::open_or_create(&dir).unwrap();
    assert!(!fresh);
    assert_eq!(idx.search(&text("电工"), today()).unwrap().total, 3);
    let _ = std::fs::remove_dir_all(&dir);
}
