//! The dashboard's projection counts what the records count. After each kind of change that
//! moves a figure — services recorded, a recognition made late, a correction and a void, a
//! rural household set, registrations begun and ended, applications around Beijing midnight, a
//! vacancy moved to another district, employments — every projected aggregation agrees with the same figure
//! counted from the records, for spans of every length, in every district and the city.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use jiuye_domain::casework::{
    CaseworkRules, DeregReason, EmploymentForm, EmploymentSource, RegistrationBasis, ServiceKind,
};
use jiuye_domain::codes::{DistrictCode, KeyGroup};
use jiuye_oversight::Aggregation;
use jiuye_store::kpi::is_projected;
use jiuye_store::{AuditEntry, NewEmployment, NewService, Recorded, Span, Store};
use uuid::Uuid;

use crate::common::{backends, market, person_drafts, today, vault};

const DISTRICTS: [&str; 6] = ["350203", "350205", "350206", "350211", "350212", "350213"];

fn spans() -> Vec<Span> {
    let t = today();
    let mut out = vec![Span { from: t - Duration::days(400), to: t }];
    for back in [0, 1, 5, 17, 30, 44, 59] {
        let d = t - Duration::days(back);
        out.push(Span { from: d, to: d });
    }
    for start in (0..70).step_by(9) {
        let from = t - Duration::days(70 - start);
        out.push(Span { from, to: from + Duration::days(12) });
    }
    out.push(Span { from: t - Duration::days(31), to: t - Duration::days(1) });
    out
}

/// Every projected aggregation, span and place: the projection equals the records' count.
async fn agree(b: &str, store: &Store, when: &str) {
    let mut checked = 0;
    let mut nonzero = 0;
    for agg in Aggregation::ALL.into_iter().filter(|a| is_projected(*a)) {
        for span in spans() {
            for district in std::iter::once(None).chain(DISTRICTS.iter().map(|d| Some(*d))) {
                let projected = store.aggregate(agg, span, district).await.expect("projected");
                let direct = store.aggregate_direct(agg, span, district).await.expect("direct");
                assert_eq!(
                    projected,
                    direct,
                    "{b} {when}: {} from {} to {} in {district:?}",
                    agg.id(),
                    span.from,
                    span.to
                );
                checked += 1;
                nonzero += usize::from(direct.is_some_and(|c| c.numerator > 0));
            }
        }
    }
    assert!(nonzero > checked / 10, "{b} {when}: the records must give figures to compare ({nonzero} of {checked})");
    assert_eq!(store.kpi_waiting().await.expect("waiting"), None, "{b} {when}: a read recounts what waits");
}

fn service(person: Uuid, kind: ServiceKind, on: NaiveDate) -> NewService {
    NewService { person_id: person, kind: Some(kind), delivered_on: Some(on), ..Default::default() }
}

fn noon(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(4, 0, 0).expect("a time"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_projection_counts_what_the_records_count_after_every_kind_of_change() {
    let rules = CaseworkRules::default_rules().expect("rules");
    let who = AuditEntry::system();
    let kinds =
        [ServiceKind::JobReferral, ServiceKind::CareerGuidance, ServiceKind::PolicyAdvice, ServiceKind::FollowUp];
    for (b, store) in backends().await {
        let t = today();
        let mut drafts = person_drafts(41, 24);
        for (i, d) in drafts.iter_mut().enumerate() {
            d.district = DistrictCode::parse(DISTRICTS[i % DISTRICTS.len()]).expect("district");
            d.street = None;
            d.rural_household = i % 5 == 0;
        }
        let mut persons = Vec::new();
        for d in &drafts {
            let (p, _) =
                store.create_person(d, &vault(), None, &who, noon(t - Duration::days(90))).await.expect("person");
            persons.push(p.id);
        }
        // Two thirds registered unemployed on staggered days; services before and after.
        let mut registrations = Vec::new();
        for (i, p) in persons.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
            let on = t - Duration::days(60 - (i as i64 * 2));
            let r = store
                .register_unemployment(*p, RegistrationBasis::Residence, on, None, &rules, t, &who, noon(on))
                .await
                .expect("register");
            registrations.push((i, r.id));
        }
        let mut services = Vec::new();
        for (i, p) in persons.iter().enumerate() {
            for s in 0..4i64 {
                let on = t - Duration::days((i as i64 * 7 + s * 13) % 66);
                let recorded = store
                    .record_service(&service(*p, kinds[(i + s as usize) % 4], on), &rules, t, &who, noon(on))
                    .await;
                if let Ok(Recorded::New(svc)) = recorded {
                    services.push((i, svc.id, on));
                }
            }
        }
        assert!(services.len() > 60, "{b}: services recorded ({})", services.len());
        for (i, p) in persons.iter().enumerate().filter(|(i, _)| i % 4 == 0) {
            let group = ["college_graduate", "employment_difficulty", "poverty_alleviated", "migrant_worker"][i % 4];
            let on = t - Duration::days(40);
            store
                .recognise(*p, KeyGroup::parse(group).expect("group"), DISTRICTS[i % 6], "证明", on, &who, noon(on))
                .await
                .expect("recognise");
        }
        agree(b, &store, "after services, registrations and recognitions").await;

        // A recognition made today, dated before most of the person's services: they count now.
        for (i, p) in persons.iter().enumerate().filter(|(i, _)| i % 4 == 1) {
            let group = ["needy_graduate", "employment_difficulty", "poverty_alleviated"][i % 3];
            let on = t - Duration::days(50);
            store
                .recognise(*p, KeyGroup::parse(group).expect("group"), DISTRICTS[i % 6], "补认定", on, &who, noon(t))
                .await
                .expect("late recognition");
        }
        agree(b, &store, "after late recognitions").await;

        // A correction moves a service to another day and kind; a void removes one.
        let (i, old, _) = services[3];
        let moved = t - Duration::days(2);
        let mut fix = service(persons[i], ServiceKind::JobReferral, moved);
        fix.corrects_id = Some(old);
        store.record_service(&fix, &rules, t, &who, noon(t)).await.expect("correct");
        let (i, old, on) = services[10];
        let mut void = service(persons[i], ServiceKind::JobReferral, on);
        void.corrects_id = Some(old);
        void.void = true;
        store.record_service(&void, &rules, t, &who, noon(t)).await.expect("void");
        agree(b, &store, "after a correction and a void").await;

        // A person's rural household set: their services count for rural labour.
        let mut changes = drafts[1].changes();
        changes.rural_household = true;
        store.update_person(persons[1], &changes, &who, noon(t)).await.expect("rural");
        agree(b, &store, "after a rural household set").await;

        // Registrations ended: the stock falls from their last day.
        for (k, (_, reg)) in registrations.iter().enumerate().filter(|(k, _)| k % 3 == 0) {
            let end = t - Duration::days(k as i64);
            store.deregister(*reg, DeregReason::NoLongerSeeking, None, end, &who, noon(end)).await.expect("deregister");
        }
        agree(b, &store, "after deregistrations").await;

        // Applications a little before and after midnight in Beijing (16:00 UTC).
        let (employers, vacancies) = market(43, 2, 3);
        let mut eids = Vec::new();
        for e in &employers {
            eids.push(store.create_employer(e, None, &who, noon(t - Duration::days(80))).await.expect("employer").0.id);
        }
        let mut vids = Vec::new();
        for (k, (e, v)) in vacancies.iter().enumerate() {
            let mut v = v.clone();
            v.district = DistrictCode::parse(DISTRICTS[k]).expect("district");
            v.opens_on = t - Duration::days(70);
            v.closes_on = t + Duration::days(30);
            vids.push(
                store.create_vacancy(eids[*e], &v, &who, noon(t - Duration::days(70))).await.expect("vacancy").id,
            );
        }
        for (i, p) in persons.iter().enumerate().take(12) {
            let day = t - Duration::days(i as i64 * 3);
            let minute = if i % 2 == 0 { -20 } else { 20 };
            let at = Utc.from_utc_datetime(&day.and_hms_opt(16, 0, 0).expect("time")) + Duration::minutes(minute);
            store.create_application(*p, vids[i % vids.len()], None, t, &who, at).await.expect("apply");
        }
        agree(b, &store, "after applications").await;

        // Employments (one the person declared, which does not count): the served who found
        // work after being served, and the stock, move.
        for (i, p) in persons.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
            let on = t - Duration::days(i as i64 * 2);
            let source = if i % 9 == 0 { EmploymentSource::Person } else { EmploymentSource::Desk };
            let new = NewEmployment {
                person_id: *p,
                form: EmploymentForm::Flexible,
                employer_id: None,
                vacancy_id: None,
                application_id: None,
                started_on: on,
                source,
            };
            store.record_employment(&new, on, &who, noon(on)).await.expect("employment");
        }
        agree(b, &store, "after employments").await;

        // A vacancy moved to another district takes its applications' counts with it.
        let mut moved_draft = vacancies[0].1.clone();
        moved_draft.district = DistrictCode::parse("350213").expect("district");
        moved_draft.opens_on = t - Duration::days(70);
        moved_draft.closes_on = t + Duration::days(30);
        store.update_vacancy(vids[0], &moved_draft, &who, noon(t)).await.expect("move vacancy");
        agree(b, &store, "after a vacancy moved").await;
    }
}

/// Marks wait until a refresher recounts them; a bulk of them is recounted a week at a time,
/// earliest first, and the marks go with the recount.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recount_takes_the_earliest_marked_days_and_clears_their_marks() {
    let rules = CaseworkRules::default_rules().expect("rules");
    let who = AuditEntry::system();
    for (b, store) in backends().await {
        let t = today();
        let (p, _) =
            store.create_person(&person_drafts(42, 1)[0], &vault(), None, &who, noon(t)).await.expect("person");
        for back in [1, 17, 20] {
            let on = t - Duration::days(back);
            store
                .record_service(&service(p.id, ServiceKind::JobReferral, on), &rules, t, &who, noon(t))
                .await
                .expect("svc");
        }
        assert_eq!(store.kpi_waiting().await.expect("waiting"), Some(t - Duration::days(20)), "{b}: the earliest mark");
        let first = store.refresh_kpi().await.expect("refresh").expect("days recounted");
        // From the earliest mark to the last one within its week (t-17), not the whole week.
        assert_eq!(
            (first.from, first.to),
            (t - Duration::days(20), t - Duration::days(17)),
            "{b}: the week's marked days"
        );
        assert_eq!(
            store.kpi_waiting().await.expect("waiting"),
            Some(t - Duration::days(1)),
            "{b}: the later mark waits"
        );
        let second = store.refresh_kpi().await.expect("refresh").expect("the later day");
        assert_eq!((second.from, second.to), (t - Duration::days(1), t - Duration::days(1)), "{b}: one day alone");
        assert_eq!(store.refresh_kpi().await.expect("refresh"), None, "{b}: nothing waits");
        assert_eq!(store.refresh_kpi_all().await.expect("all"), 0, "{b}: nothing left");
    }
}

/// Where a refresher keeps the projection, a read answers from it at once — a change not yet
/// recounted is not in it — and says so: its as-of instant is the last pass's start. The next
/// pass counts the change, and the read is as of now again.
#[tokio::test(flavor = "multi_thread")]
async fn a_kept_projection_answers_at_once_as_of_the_last_pass() {
    let rules = CaseworkRules::default_rules().expect("rules");
    let who = AuditEntry::system();
    for (b, store) in backends().await {
        let t = today();
        let span = Span { from: t - Duration::days(30), to: t };
        let (p, _) =
            store.create_person(&person_drafts(43, 1)[0], &vault(), None, &who, noon(t)).await.expect("person");
        let referral = service(p.id, ServiceKind::JobReferral, t - Duration::days(1));
        store.record_service(&referral, &rules, t, &who, noon(t)).await.expect("svc");
        let count = |store: Store| async move {
            store.aggregate(Aggregation::JobSystemService, span, None).await.expect("read").expect("a figure")
        };
        // Nothing keeps it yet: the read recounts first, and is as of the instant asked.
        assert_eq!(count(store.clone()).await, count_direct(&store, span).await, "{b}: read-your-writes");
        let (pass, later) = (noon(t), noon(t) + Duration::minutes(5));
        assert_eq!(store.kpi_as_of(later, t).await.expect("as of"), later, "{b}: unkept");
        store.keep_kpi(pass).await.expect("pass");
        let before = count(store.clone()).await;
        store.record_service(&referral, &rules, t, &who, noon(t)).await.expect("svc");
        assert_eq!(count(store.clone()).await, before, "{b}: a kept read does not recount");
        assert_ne!(before, count_direct(&store, span).await, "{b}: the records moved");
        assert_eq!(store.kpi_as_of(later, t).await.expect("as of"), pass, "{b}: as of the last pass");
        // A span that ends before the marked day is as of now.
        let earlier = t - Duration::days(2);
        assert_eq!(store.kpi_as_of(later, earlier).await.expect("as of"), later, "{b}: no mark up to there");
        let next = later + Duration::seconds(2);
        assert!(store.keep_kpi(next).await.expect("pass") >= 1, "{b}: the next pass recounts");
        assert_eq!(count(store.clone()).await, count_direct(&store, span).await, "{b}: counted");
        assert_eq!(store.kpi_as_of(later, t).await.expect("as of"), later, "{b}: nothing waits");
    }
}

async fn count_direct(store: &Store, span: Span) -> jiuye_oversight::Count {
    store.aggregate_direct(Aggregation::JobSystemService, span, None).await.expect("direct").expect("a figure")
}
