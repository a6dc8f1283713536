//! Shared pieces: the backends, a manual clock, generated drafts, audit and paging helpers.

use std::future::Future;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use jiuye_domain::codes::{DocumentKind, NationalId};
use jiuye_domain::records::{EmployerDraft, PersonDraft, VacancyDraft};
use jiuye_domain::roles::Role;
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::testing::{TEST_DATABASE_URL, fresh_stores};
use jiuye_store::{AuditEntry, AuditFilter, AuditRecord, Cursor, IdVault, Page, PageRequest, Store, StoreError};
use uuid::Uuid;

/// The fixed start of every story: 2026-11-26 02:00:00 UTC (10:00 in Xiamen).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).single().expect("a valid fixed time")
}

/// The date the generated data is relative to.
pub fn today() -> NaiveDate {
    t0().date_naive()
}

/// A clock advanced by hand: every write gets its own second, so ids (UUIDv7) sort by write order.
pub struct Clock(DateTime<Utc>);

impl Clock {
    pub fn new() -> Clock {
        Clock(t0())
    }

    pub fn current(&self) -> DateTime<Utc> {
        self.0
    }

    pub fn tick(&mut self) -> DateTime<Utc> {
        self.advance(Duration::seconds(1))
    }

    pub fn advance(&mut self, d: Duration) -> DateTime<Utc> {
        self.0 += d;
        self.0
    }
}

/// Every configured backend, fresh and migrated. A configured but unusable PostgreSQL fails
/// the test (panics with the reason); it is never skipped.
pub async fn backends() -> Vec<(&'static str, Store)> {
    let stores = match fresh_stores().await {
        Ok(s) => s,
        Err(e) => panic!("cannot get the test databases: {e}"),
    };
    let pg_wanted = std::env::var(TEST_DATABASE_URL).is_ok_and(|u| !u.trim().is_empty());
    let names: Vec<&str> = stores.iter().map(|(n, _)| *n).collect();
    assert!(names.contains(&"sqlite"), "sqlite must always be tested, got {names:?}");
    assert_eq!(names.contains(&"postgres"), pg_wanted, "{TEST_DATABASE_URL} set = {pg_wanted}, backends {names:?}");
    for (name, store) in &stores {
        assert_eq!(store.backend_name(), *name, "fresh_stores labels its stores by their backend");
    }
    stores
}

pub fn vault() -> IdVault {
    IdVault::new(&[7u8; 32]).expect("a 32-byte key")
}

pub fn other_vault() -> IdVault {
    IdVault::new(&[8u8; 32]).expect("a 32-byte key")
}

fn generator(seed: u64, persons: usize, employers: usize, vacancies: usize) -> Generator {
    Generator::new(SimConfig { seed, persons, employers, vacancies, today: today() })
}

/// `n` valid person drafts with distinct resident ID numbers (the generator also makes holders
/// of other documents; these stories are about resident IDs, the identity tests about the rest).
pub fn person_drafts(seed: u64, n: usize) -> Vec<PersonDraft> {
    let mut g = generator(seed, n + n / 10 + 20, 0, 0);
    let mut out = Vec::with_capacity(n);
    while let Some(chunk) = g.next_persons(n) {
        out.extend(chunk.into_iter().filter(|p| p.identity.kind() == DocumentKind::ResidentId));
    }
    out.truncate(n);
    assert_eq!(out.len(), n, "the generator makes as many persons as asked");
    out
}

/// The resident ID of a draft made by [`person_drafts`].
pub trait ResidentId {
    fn rid(&self) -> NationalId;
}

impl ResidentId for PersonDraft {
    fn rid(&self) -> NationalId {
        NationalId::parse(self.identity.number(), today()).expect("a resident ID")
    }
}

/// `n` valid employer drafts with distinct credit codes and names.
pub fn employer_drafts(seed: u64, n: usize) -> Vec<EmployerDraft> {
    let out = generator(seed, 0, n, 0).employers();
    assert_eq!(out.len(), n, "the generator makes as many employers as asked");
    out
}

/// `employers` employers and `vacancies` vacancies as (employer index, draft).
pub fn market(seed: u64, employers: usize, vacancies: usize) -> (Vec<EmployerDraft>, Vec<(usize, VacancyDraft)>) {
    let mut g = generator(seed, 0, employers, vacancies);
    let e = g.employers();
    let v = g.vacancies(&e);
    assert_eq!((e.len(), v.len()), (employers, vacancies), "the generator makes what was asked");
    (e, v)
}

/// A staff member acting from an office.
pub fn staff(role: Role) -> AuditEntry {
    AuditEntry { actor_account: Some(Uuid::new_v4()), actor_role: Some(role), ip: Some("10.35.2.17".to_string()) }
}

/// A `Conflict { what }` and nothing else.
pub fn assert_conflict<T: std::fmt::Debug>(backend: &str, r: Result<T, StoreError>, want: &str) {
    match r {
        Err(StoreError::Conflict { what }) => assert_eq!(what, want, "{backend}: conflict names the key"),
        other => panic!("{backend}: expected Conflict {{ what: {want:?} }}, got {other:?}"),
    }
}

pub fn assert_not_found<T: std::fmt::Debug>(backend: &str, r: Result<T, StoreError>, what: &str) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("{backend}: {what}: expected NotFound, got {other:?}"),
    }
}

/// Every audit row matching `filter`, newest first, walking the pages.
pub async fn audit_rows(store: &Store, filter: &AuditFilter) -> Vec<AuditRecord> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_audit(filter, PageRequest::new(after, Some(100))).await.expect("list_audit");
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => after = Some(Cursor::parse(&c).expect("a cursor is a uuid")),
            None => return out,
        }
    }
}

pub async fn all_audit(store: &Store) -> Vec<AuditRecord> {
    audit_rows(store, &AuditFilter::default()).await
}

/// The actions of the audit rows about one target, newest first.
pub async fn actions_for(store: &Store, target: Uuid) -> Vec<String> {
    audit_rows(store, &AuditFilter { target_id: Some(target), ..Default::default() })
        .await
        .into_iter()
        .map(|r| r.action)
        .collect()
}

pub fn audit_ids(rows: &[AuditRecord]) -> Vec<Uuid> {
    rows.iter().map(|r| r.id).collect()
}

/// One fetched page: the ids on it and the cursor it handed out.
pub type PageIds = (Vec<Uuid>, Option<String>);

/// Walk every page of a listing with `limit`, following `next_cursor`.
pub async fn walk<T, F, Fut>(limit: u64, id: impl Fn(&T) -> Uuid, mut fetch: F) -> Vec<PageIds>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Page<T>, StoreError>>,
{
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = fetch(PageRequest::new(after, Some(limit))).await.expect("listing a page");
        let ids: Vec<Uuid> = page.items.iter().map(&id).collect();
        let next = page.next_cursor.clone();
        pages.push((ids, next.clone()));
        assert!(pages.len() <= 1000, "paging does not end");
        match next {
            Some(c) => after = Some(Cursor::parse(&c).expect("a cursor is a uuid")),
            None => return pages,
        }
    }
}

/// Pages have the expected sizes, each full page's cursor is its last id, the last page has no
/// cursor, and together they are exactly `newest_first`: no duplicates, no gaps, newest first.
pub fn assert_pages(backend: &str, what: &str, pages: &[PageIds], sizes: &[usize], newest_first: &[Uuid]) {
    let got_sizes: Vec<usize> = pages.iter().map(|p| p.0.len()).collect();
    assert_eq!(got_sizes, sizes, "{backend}: {what}: page sizes");
    for (i, (ids, cursor)) in pages.iter().enumerate() {
        if i + 1 < pages.len() {
            let last = ids.last().map(Uuid::to_string);
            assert_eq!(cursor, &last, "{backend}: {what}: page {i} hands out its last id as cursor");
        } else {
            assert_eq!(cursor, &None, "{backend}: {what}: the last page has no cursor");
        }
    }
    let all: Vec<Uuid> = pages.iter().flat_map(|p| p.0.iter().copied()).collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "{backend}: {what}: no row appears on two pages");
    assert_eq!(all, newest_first, "{backend}: {what}: pages hold every row once, newest first");
}

/// Sizes of the pages of `n` rows with `limit` per page (one empty page for no rows).
pub fn page_sizes(n: usize, limit: usize) -> Vec<usize> {
    if n == 0 {
        return vec![0];
    }
    let mut out = vec![limit; n / limit];
    if !n.is_multiple_of(limit) {
        out.push(n % limit);
    }
    out
}

/// The ids in `created` (oldest first) that satisfy `keep`, newest first.
pub fn newest_first<T>(created: &[(Uuid, T)], keep: impl Fn(&T) -> bool) -> Vec<Uuid> {
    created.iter().rev().filter(|(_, d)| keep(d)).map(|(id, _)| *id).collect()
}

/// JSON of a stored record, to compare two reads field by field.
pub fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("records serialize")
}

#[test]
fn page_sizes_helper() {
    assert_eq!(page_sizes(45, 20), vec![20, 20, 5]);
    assert_eq!(page_sizes(45, 15), vec![15, 15, 15]);
    assert_eq!(page_sizes(0, 20), vec![0]);
}
