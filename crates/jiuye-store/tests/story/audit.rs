//! The audit log over a working morning: filters by action, actor, target, district, time; paging.

use chrono::{DateTime, Duration, Utc};
use jiuye_domain::codes::DistrictCode;
use jiuye_domain::records::VacancyStatus;
use jiuye_domain::roles::Role;
use jiuye_store::{AuditEntry, AuditFilter, AuditRecord, NewAccount, Store};
use uuid::Uuid;

use crate::common::*;

/// What the test expects one audit row to say.
#[derive(Debug, Clone)]
struct Expect {
    action: &'static str,
    at: DateTime<Utc>,
    target: Option<Uuid>,
    district: Option<String>,
    actor: Option<Uuid>,
}

async fn rows(store: &Store, f: AuditFilter) -> Vec<AuditRecord> {
    audit_rows(store, &f).await
}

/// (action, at, target, district, actor) of one row.
type Line = (String, DateTime<Utc>, Option<Uuid>, Option<String>, Option<Uuid>);

fn summary(rows: &[AuditRecord]) -> Vec<Line> {
    rows.iter().map(|r| (r.action.clone(), r.at, r.target_id, r.district.clone(), r.actor_account)).collect()
}

fn expected(log: &[Expect], keep: impl Fn(&Expect) -> bool) -> Vec<Line> {
    log.iter()
        .rev()
        .filter(|e| keep(e))
        .map(|e| (e.action.to_string(), e.at, e.target, e.district.clone(), e.actor))
        .collect()
}

#[tokio::test]
async fn audit_filters_and_paging() {
    for (b, store) in backends().await {
        let vault = vault();
        let mut clock = Clock::new();
        let mut log: Vec<Expect> = Vec::new();
        let siming = staff(Role::Caseworker);
        let huli = staff(Role::Caseworker);
        let city = staff(Role::CityAdmin);
        let persons = person_drafts(71, 2);
        let (employers, vacancies) = market(71, 1, 1);

        // 1. The city admin opens an account for a Siming caseworker.
        let t = clock.advance(Duration::minutes(5));
        let new = NewAccount {
            role: Role::Caseworker,
            login_key: "u:siming01".into(),
            display_name: "思明一号".into(),
            password_hash: "h".into(),
            district: Some("350203".into()),
            person_id: None,
            employer_id: None,
            organisation: None,
        };
        let acc = store.create_account(&new, &city, t).await.expect("account");
        log.push(Expect {
            action: "account.create",
            at: t,
            target: Some(acc.id),
            district: Some("350203".into()),
            actor: city.actor_account,
        });

        // 2./3. Two persons registered in two districts.
        let mut p0 = persons[0].clone();
        p0.district = DistrictCode::parse("350203").expect("思明区");
        p0.street = None;
        let mut p1 = persons[1].clone();
        p1.district = DistrictCode::parse("350206").expect("湖里区");
        p1.street = None;
        let t = clock.advance(Duration::minutes(5));
        let (person0, _) = store.create_person(&p0, &vault, None, &siming, t).await.expect("person 0");
        log.push(Expect {
            action: "person.create",
            at: t,
            target: Some(person0.id),
            district: Some("350203".into()),
            actor: siming.actor_account,
        });
        let t = clock.advance(Duration::minutes(5));
        let (person1, _) = store.create_person(&p1, &vault, None, &huli, t).await.expect("person 1");
        log.push(Expect {
            action: "person.create",
            at: t,
            target: Some(person1.id),
            district: Some("350206".into()),
            actor: huli.actor_account,
        });

        // 4. Siming updates its person.
        let t = clock.advance(Duration::minutes(5));
        let mut changes = p0.changes();
        changes.name = "改过的名字".into();
        store.update_person(person0.id, &changes, &siming, t).await.expect("update");
        log.push(Expect {
            action: "person.update",
            at: t,
            target: Some(person0.id),
            district: Some("350203".into()),
            actor: siming.actor_account,
        });

        // 5./6./7. An employer, its vacancy, the vacancy filled.
        let t = clock.advance(Duration::minutes(5));
        let (emp, _) = store.create_employer(&employers[0], None, &huli, t).await.expect("employer");
        log.push(Expect {
            action: "employer.create",
            at: t,
            target: Some(emp.id),
            district: Some(employers[0].district.as_str().into()),
            actor: huli.actor_account,
        });
        let t = clock.advance(Duration::minutes(5));
        let vac = store.create_vacancy(emp.id, &vacancies[0].1, &huli, t).await.expect("vacancy");
        log.push(Expect {
            action: "vacancy.create",
            at: t,
            target: Some(vac.id),
            district: Some(vacancies[0].1.district.as_str().into()),
            actor: huli.actor_account,
        });
        let t = clock.advance(Duration::minutes(5));
        store.set_vacancy_status(vac.id, VacancyStatus::Filled, &huli, t).await.expect("fill");
        log.push(Expect {
            action: "vacancy.status",
            at: t,
            target: Some(vac.id),
            district: Some(vacancies[0].1.district.as_str().into()),
            actor: huli.actor_account,
        });

        // 8. The city admin views person 0's full ID number.
        let t = clock.advance(Duration::minutes(5));
        store.reveal_national_id(person0.id, &vault, &city, t).await.expect("reveal");
        log.push(Expect {
            action: "person.view_full_id",
            at: t,
            target: Some(person0.id),
            district: Some("350203".into()),
            actor: city.actor_account,
        });

        // 9. A login, recorded directly.
        let t = clock.advance(Duration::minutes(5));
        let login = AuditEntry {
            actor_account: Some(acc.id),
            actor_role: Some(Role::Caseworker),
            ip: Some("2001:db8::7".into()),
        };
        store
            .audit(
                &login,
                t,
                "auth.login",
                Some(("account", acc.id)),
                None,
                serde_json::json!({ "method": "password", "备注": "首次登录" }),
            )
            .await
            .expect("audit");
        log.push(Expect { action: "auth.login", at: t, target: Some(acc.id), district: None, actor: Some(acc.id) });

        // Everything, newest first, exactly as written.
        let all = rows(&store, AuditFilter::default()).await;
        assert_eq!(summary(&all), expected(&log, |_| true), "{b}: the whole log");
        let last = &all[0];
        assert_eq!(last.actor_role.as_deref(), Some("caseworker"), "{b}: actor role");
        assert_eq!(last.ip.as_deref(), Some("2001:db8::7"), "{b}: ip");
        assert_eq!(last.target_kind.as_deref(), Some("account"), "{b}: target kind");
        assert_eq!(last.detail["备注"], "首次登录", "{b}: detail JSON round-trips, Chinese keys too");

        // Every audited change of a record left a row of the change log naming it, in the same
        // order; the reads and the login (not changes) left none.
        jiuye_store::testing::changes_settled(&store).await;
        let logged: Vec<(String, Uuid)> = store
            .changes_after(0)
            .await
            .expect("changes")
            .changes
            .into_iter()
            .map(|c| (c.entity, c.entity_id))
            .collect();
        let changed: Vec<(String, Uuid)> = all
            .iter()
            .rev()
            .filter(|r| !matches!(r.action.as_str(), "person.view_full_id" | "auth.login"))
            .map(|r| (r.target_kind.clone().expect("kind"), r.target_id.expect("target")))
            .collect();
        assert_eq!(logged, changed, "{b}: one change row per audited write, in order");

        // By action: a prefix ending in '.', or exact.
        let f = |a: &str| AuditFilter { action: Some(a.into()), ..Default::default() };
        assert_eq!(
            summary(&rows(&store, f("person.")).await),
            expected(&log, |e| e.action.starts_with("person.")),
            "{b}: person."
        );
        assert_eq!(rows(&store, f("person.")).await.len(), 4, "{b}: four person rows");
        assert_eq!(
            summary(&rows(&store, f("person.create")).await),
            expected(&log, |e| e.action == "person.create"),
            "{b}: exact"
        );
        assert_eq!(
            summary(&rows(&store, f("vacancy.")).await),
            expected(&log, |e| e.action.starts_with("vacancy.")),
            "{b}: vacancy."
        );
        assert_eq!(
            summary(&rows(&store, f("vacancy.status")).await),
            expected(&log, |e| e.action == "vacancy.status"),
            "{b}: status"
        );
        assert!(rows(&store, f("person")).await.is_empty(), "{b}: without the dot it is an exact action");
        assert!(rows(&store, f("person.cre")).await.is_empty(), "{b}: no partial match of an exact action");
        assert!(rows(&store, f("erson.")).await.is_empty(), "{b}: a prefix is a prefix");

        // By target, actor, district.
        let f = AuditFilter { target_id: Some(person0.id), ..Default::default() };
        assert_eq!(
            rows(&store, f).await.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
            ["person.view_full_id", "person.update", "person.create"],
            "{b}: person 0's history"
        );
        let f = AuditFilter { actor_account: huli.actor_account, ..Default::default() };
        assert_eq!(summary(&rows(&store, f).await), expected(&log, |e| e.actor == huli.actor_account), "{b}: by actor");
        for d in ["350203", "350206"] {
            let f = AuditFilter { district: Some(d.into()), ..Default::default() };
            let want = expected(&log, |e| e.district.as_deref() == Some(d));
            assert!(!want.is_empty(), "{b}: rows in {d}");
            assert_eq!(summary(&rows(&store, f).await), want, "{b}: district {d}");
        }

        // By time: `from` inclusive, `to` exclusive.
        let (from, to) = (log[2].at, log[5].at);
        let f = AuditFilter { from: Some(from), to: Some(to), ..Default::default() };
        let want = expected(&log, |e| e.at >= from && e.at < to);
        assert_eq!(want.len(), 3, "{b}: three rows in [t2, t5)");
        assert_eq!(summary(&rows(&store, f).await), want, "{b}: time range");
        let f = AuditFilter { from: Some(log[7].at), ..Default::default() };
        assert_eq!(summary(&rows(&store, f).await), expected(&log, |e| e.at >= log[7].at), "{b}: from");
        let f = AuditFilter { to: Some(log[1].at), ..Default::default() };
        assert_eq!(summary(&rows(&store, f).await), expected(&log, |e| e.at < log[1].at), "{b}: to");
        let f = AuditFilter { from: Some(clock.advance(Duration::days(1))), ..Default::default() };
        assert!(rows(&store, f).await.is_empty(), "{b}: nothing in the future");

        // Filters combine.
        let f = AuditFilter { action: Some("person.".into()), district: Some("350206".into()), ..Default::default() };
        assert_eq!(
            summary(&rows(&store, f).await),
            expected(&log, |e| e.action.starts_with("person.") && e.district.as_deref() == Some("350206")),
            "{b}: person. in 湖里"
        );

        // Paging over the whole log and over a filter.
        let ids: Vec<Uuid> = all.iter().map(|r| r.id).collect();
        let f = AuditFilter::default();
        let pages = walk(4, |r: &AuditRecord| r.id, |p| store.list_audit(&f, p)).await;
        assert_pages(b, "audit by 4", &pages, &page_sizes(ids.len(), 4), &ids);
        let pages = walk(3, |r: &AuditRecord| r.id, |p| store.list_audit(&f, p)).await;
        assert_pages(b, "audit by 3", &pages, &[3, 3, 3], &ids);
        let f = AuditFilter { action: Some("person.".into()), ..Default::default() };
        let want: Vec<Uuid> = all.iter().filter(|r| r.action.starts_with("person.")).map(|r| r.id).collect();
        let pages = walk(3, |r: &AuditRecord| r.id, |p| store.list_audit(&f, p)).await;
        assert_pages(b, "person. by 3", &pages, &[3, 1], &want);
    }
}

/// A record changes only through the store's `Write`: no repository opens a write transaction
/// or writes an audit row by hand, so no write can forget its audit entry or its change row.
#[test]
fn repositories_write_only_through_write() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/repo");
    let mut checked = 0;
    for entry in std::fs::read_dir(&repo).expect("src/repo") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        // The change log's own tests hold a transaction open on purpose.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for banned in ["begin_write(", "audit::write(", "changes::record(", ".commit().await"] {
            assert!(!code.contains(banned), "{}: `{banned}` outside the store's Write", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 15, "read the repositories ({checked})");
}
