//! Casework on both backends: one active registration per person, employment ending it, the
//! ledger and its corrections driving "131", the contact schedule, households, provider
//! statements, ratings, and all-or-nothing writes.

use chrono::{Datelike, Duration, NaiveDate};
use jiuye_domain::casework::{
    CaseworkRules, ContactMethod, ContactOutcome, DeregReason, EmploymentForm, EmploymentSource, One31Status,
    RegistrationBasis, RegistrationStatus, ServiceKind,
};
use jiuye_domain::codes::{DistrictCode, KeyGroup};
use jiuye_domain::records::{EmploymentStatus, Person, PersonDraft, VacancyKind};
use jiuye_domain::roles::Role;
use jiuye_store::{
    AuditFilter, CaseloadFilter, CaseloadSort, NewContact, NewContract, NewEmployment, NewService, PageRequest,
    Recorded, Store, StoreError,
};
use uuid::Uuid;

use crate::common::*;

fn rules() -> CaseworkRules {
    CaseworkRules::builtin()
}

/// Working-age drafts under 45 (born 1982–2002) in one district, with no key groups.
fn adults(seed: u64, n: usize, district: &str) -> Vec<PersonDraft> {
    let d = DistrictCode::parse(district).expect("a district");
    person_drafts(seed, n * 6)
        .into_iter()
        .filter(|p| (1982..=2002).contains(&p.rid().birth_date().year()))
        .take(n)
        .map(|mut p| {
            p.district = d;
            p.street = None;
            p.key_groups = Vec::new();
            p.employment_status = EmploymentStatus::Unemployed;
            p
        })
        .collect()
}

async fn persons(store: &Store, clock: &mut Clock, drafts: &[PersonDraft]) -> Vec<Person> {
    let mut out = Vec::new();
    for d in drafts {
        let (p, _) =
            store.create_person(d, &vault(), None, &staff(Role::Caseworker), clock.tick()).await.expect("person");
        out.push(p);
    }
    out
}

fn changes_of(p: &Person) -> jiuye_domain::records::PersonChanges {
    jiuye_domain::records::PersonChanges {
        name: p.name.clone(),
        mobile: p.mobile.clone(),
        district: p.district,
        street: p.street,
        address: p.address.clone(),
        household_origin: p.household_origin,
        rural_household: p.rural_household,
        education: p.education,
        key_groups: p.key_groups.clone(),
        skills: p.skills.clone(),
        certificates: p.certificates.clone(),
        wanted_occupations: p.wanted_occupations.clone(),
        wanted_districts: p.wanted_districts.clone(),
        wanted_salary_min: p.wanted_salary_min,
        wanted_salary_max: p.wanted_salary_max,
        max_commute_km: p.max_commute_km,
        employment_status: p.employment_status,
    }
}

fn refused_code<T: std::fmt::Debug>(b: &str, r: Result<T, StoreError>) -> jiuye_domain::CodeError {
    match r {
        Err(StoreError::Refused(e)) => e,
        other => panic!("{b}: expected a refusal, got {other:?}"),
    }
}

async fn register(
    store: &Store,
    clock: &mut Clock,
    p: Uuid,
    on: NaiveDate,
) -> Result<jiuye_store::Registration, StoreError> {
    store
        .register_unemployment(
            p,
            RegistrationBasis::Residence,
            on,
            None,
            &rules(),
            today(),
            &staff(Role::Caseworker),
            clock.tick(),
        )
        .await
}

fn service(p: Uuid, kind: ServiceKind) -> NewService {
    NewService { person_id: p, kind: Some(kind), ..NewService::default() }
}

async fn serve(store: &Store, clock: &mut Clock, s: &NewService) -> Result<Recorded, StoreError> {
    store.record_service(s, &rules(), today(), &staff(Role::Caseworker), clock.tick()).await
}

fn recorded_id(b: &str, r: Recorded) -> Uuid {
    match r {
        Recorded::New(s) => s.id,
        Recorded::AlreadyDone => panic!("{b}: expected a new entry"),
    }
}

#[tokio::test]
async fn one_active_registration_per_person_city_wide() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let p = &persons(&store, &mut clock, &adults(11, 1, "350203")).await[0];
        let first = register(&store, &mut clock, p.id, today() - Duration::days(3)).await.expect("register");
        assert_eq!(first.status, RegistrationStatus::Registered, "{b}");
        assert_eq!(first.tier, "3", "{b}: no key group, short time: regular tier");
        let audit_before = all_audit(&store).await.len();
        // A second registration, even on another basis, is refused and names the first.
        let again = store
            .register_unemployment(
                p.id,
                RegistrationBasis::Hukou,
                today(),
                None,
                &rules(),
                today(),
                &staff(Role::Caseworker),
                clock.tick(),
            )
            .await;
        let e = refused_code(b, again);
        assert_eq!(e.code, "casework.already_registered", "{b}");
        let zh = e.message_zh();
        assert!(
            zh.contains("思明区") && zh.contains(&first.registered_on.to_string()),
            "{b}: names the existing one: {zh}"
        );
        assert_eq!(all_audit(&store).await.len(), audit_before, "{b}: a refusal writes nothing");
        assert_eq!(store.registrations_of_person(p.id).await.expect("list").len(), 1, "{b}");
        // A future date is refused.
        let e = refused_code(b, register(&store, &mut clock, p.id, today() + Duration::days(1)).await);
        assert_eq!(e.code, "casework.future_date", "{b}");
        // Deregistered with a reason, the person may register again; both stay on record.
        let ended = store
            .deregister(
                first.id,
                DeregReason::MovedAway,
                Some("搬去泉州".into()),
                today(),
                &staff(Role::Caseworker),
                clock.tick(),
            )
            .await
            .expect("deregister");
        assert_eq!(
            (ended.status, ended.end_reason.as_deref()),
            (RegistrationStatus::Deregistered, Some("moved_away")),
            "{b}"
        );
        let e = refused_code(
            b,
            store
                .deregister(first.id, DeregReason::Deceased, None, today(), &staff(Role::Caseworker), clock.tick())
                .await,
        );
        assert_eq!(e.code, "casework.registration_final", "{b}: an ended registration does not move again");
        let second = register(&store, &mut clock, p.id, today()).await.expect("register again");
        assert_ne!(second.id, first.id, "{b}");
        assert_eq!(store.registrations_of_person(p.id).await.expect("list").len(), 2, "{b}");
        let events = store.registration_events(first.id).await.expect("events");
        let moves: Vec<(Option<String>, String)> =
            events.iter().map(|e| (e.from_value.clone(), e.to_value.clone())).collect();
        assert_eq!(
            moves,
            vec![(None, "registered".to_string()), (Some("registered".into()), "deregistered".into())],
            "{b}: every change kept"
        );
        assert!(events.iter().all(|e| e.actor_account.is_some()), "{b}: with the actor");
    }
}

#[tokio::test]
async fn employment_ends_the_registration_and_counts_once() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let ps = persons(&store, &mut clock, &adults(12, 3, "350206")).await;
        let reg = register(&store, &mut clock, ps[0].id, today() - Duration::days(20)).await.expect("register");
        let flexible = NewEmployment {
            person_id: ps[0].id,
            form: EmploymentForm::Flexible,
            employer_id: None,
            vacancy_id: None,
            application_id: None,
            started_on: today(),
            source: EmploymentSource::Desk,
        };
        let e =
            store.record_employment(&flexible, today(), &staff(Role::Caseworker), clock.tick()).await.expect("employ");
        assert_eq!(e.registration_id, Some(reg.id), "{b}: the employment names the registration it ended");
        let reg = store.registration_by_id(reg.id).await.expect("reg");
        assert_eq!(reg.status, RegistrationStatus::Employed, "{b}");
        assert_eq!(store.person_by_id(ps[0].id).await.expect("p").employment_status, EmploymentStatus::Employed, "{b}");
        assert!(store.active_registration_of(ps[0].id).await.expect("active").is_none(), "{b}");
        // The same person-employment twice is refused.
        let e =
            refused_code(b, store.record_employment(&flexible, today(), &staff(Role::Caseworker), clock.tick()).await);
        assert_eq!(e.code, "casework.employment_duplicate", "{b}");
        assert_eq!(store.employments_of_person(ps[0].id).await.expect("list").len(), 1, "{b}: counted once");
        // 单位就业 needs an employer; 公益性岗位 needs a public-welfare vacancy and a person in difficulty.
        let no_employer = NewEmployment { person_id: ps[1].id, form: EmploymentForm::Unit, ..flexible.clone() };
        let e = refused_code(
            b,
            store.record_employment(&no_employer, today(), &staff(Role::Caseworker), clock.tick()).await,
        );
        assert_eq!(e.code, "casework.employer_required", "{b}");
        let (employers, vacancies) = market(12, 1, 4);
        let (employer, _) =
            store.create_employer(&employers[0], None, &staff(Role::Caseworker), clock.tick()).await.expect("employer");
        let mut draft = vacancies[0].1.clone();
        draft.kind = VacancyKind::PublicWelfare;
        draft.opens_on = today() - Duration::days(1);
        draft.closes_on = today() + Duration::days(30);
        let welfare =
            store.create_vacancy(employer.id, &draft, &staff(Role::Caseworker), clock.tick()).await.expect("vacancy");
        let placement = NewEmployment {
            person_id: ps[1].id,
            form: EmploymentForm::PublicWelfare,
            employer_id: Some(employer.id),
            vacancy_id: Some(welfare.id),
            ..flexible.clone()
        };
        let e =
            refused_code(b, store.record_employment(&placement, today(), &staff(Role::Caseworker), clock.tick()).await);
        assert_eq!(e.code, "casework.public_welfare_person", "{b}: not a person with employment difficulty");
        let mut changes = changes_of(&ps[1]);
        changes.key_groups = vec![KeyGroup::EmploymentDifficulty];
        store.update_person(ps[1].id, &changes, &staff(Role::Caseworker), clock.tick()).await.expect("update");
        let wrong_post = NewEmployment { vacancy_id: None, ..placement.clone() };
        let e = refused_code(
            b,
            store.record_employment(&wrong_post, today(), &staff(Role::Caseworker), clock.tick()).await,
        );
        assert_eq!(e.code, "casework.public_welfare_vacancy", "{b}");
        let placed =
            store.record_employment(&placement, today(), &staff(Role::Caseworker), clock.tick()).await.expect("placed");
        assert_eq!(
            (placed.form, placed.vacancy_id),
            (EmploymentForm::PublicWelfare, Some(welfare.id)),
            "{b}: the post is recorded"
        );
        // An unknown employer is not found, and nothing is written.
        let ghost = NewEmployment {
            person_id: ps[2].id,
            form: EmploymentForm::Unit,
            employer_id: Some(Uuid::new_v4()),
            ..flexible.clone()
        };
        assert_not_found(
            b,
            store.record_employment(&ghost, today(), &staff(Role::Caseworker), clock.tick()).await,
            "ghost employer",
        );
        assert!(store.employments_of_person(ps[2].id).await.expect("list").is_empty(), "{b}");
    }
}

#[tokio::test]
async fn the_ledger_drives_131_and_corrections_never_edit() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let ps = persons(&store, &mut clock, &adults(13, 2, "350203")).await;
        let p = ps[0].id;
        let reg = register(&store, &mut clock, p, today() - Duration::days(40)).await.expect("register");
        // Registered 40 days ago: guidance (30 days) is already overdue.
        assert_eq!(rules().one31_status_of(reg.next_131_due_on, today()), One31Status::Overdue, "{b}");
        recorded_id(b, serve(&store, &mut clock, &service(p, ServiceKind::CareerGuidance)).await.expect("guidance"));
        let mut referral_ids = Vec::new();
        for _ in 0..3 {
            referral_ids.push(recorded_id(
                b,
                serve(&store, &mut clock, &service(p, ServiceKind::JobReferral)).await.expect("referral"),
            ));
        }
        serve(&store, &mut clock, &service(p, ServiceKind::PolicyAdvice)).await.expect("advice");
        let r = store.registration_by_id(reg.id).await.expect("reg");
        assert_eq!(r.one31_done, [1, 3, 0], "{b}: policy advice is not part of 131");
        assert_eq!(
            rules().one31_status_of(r.next_131_due_on, today()),
            One31Status::OnTrack,
            "{b}: training due in 50 days"
        );
        let training =
            recorded_id(b, serve(&store, &mut clock, &service(p, ServiceKind::Internship)).await.expect("internship"));
        let r = store.registration_by_id(reg.id).await.expect("reg");
        assert_eq!(
            (r.one31_done, r.next_131_due_on, r.one31_completed_on),
            ([1, 3, 1], None, Some(today())),
            "{b}: complete"
        );
        // Cancelling the internship is a new entry; the old one stays, marked superseded.
        let void = NewService { person_id: p, corrects_id: Some(training), void: true, ..NewService::default() };
        recorded_id(b, serve(&store, &mut clock, &void).await.expect("void"));
        let r = store.registration_by_id(reg.id).await.expect("reg");
        assert_eq!(r.one31_done, [1, 3, 0], "{b}: the cancelled entry no longer counts");
        assert!(r.next_131_due_on.is_some(), "{b}: no longer complete");
        let ledger = store.services_of_person(p).await.expect("ledger");
        assert_eq!(ledger.len(), 7, "{b}: nothing deleted");
        assert!(ledger.iter().any(|s| s.id == training && s.superseded), "{b}: the old entry is marked");
        // Replacing a referral by a guidance moves one count from referrals to guidance.
        let replace = NewService {
            person_id: p,
            kind: Some(ServiceKind::CareerGuidance),
            corrects_id: Some(referral_ids[0]),
            ..NewService::default()
        };
        serve(&store, &mut clock, &replace).await.expect("replace");
        assert_eq!(store.registration_by_id(reg.id).await.expect("reg").one31_done, [2, 2, 0], "{b}");
        // Correcting someone else's entry is refused.
        let other =
            NewService { person_id: ps[1].id, corrects_id: Some(referral_ids[1]), void: true, ..NewService::default() };
        assert_eq!(refused_code(b, serve(&store, &mut clock, &other).await).code, "casework.correction_target", "{b}");
        // A batch key makes a push idempotent.
        let keyed =
            NewService { batch_key: Some(format!("push:{p}:{}:1", today())), ..service(p, ServiceKind::JobReferral) };
        recorded_id(b, serve(&store, &mut clock, &keyed).await.expect("keyed"));
        assert!(
            matches!(serve(&store, &mut clock, &keyed).await, Ok(Recorded::AlreadyDone)),
            "{b}: second run writes nothing"
        );
        assert_eq!(store.registration_by_id(reg.id).await.expect("reg").one31_done, [2, 3, 0], "{b}");
        // Several services are all-or-nothing: one bad entry leaves none of them.
        let before = store.services_of_person(p).await.expect("ledger").len();
        let batch = [service(p, ServiceKind::SkillsTraining), service(Uuid::new_v4(), ServiceKind::SkillsTraining)];
        let r = store.record_services(&batch, &rules(), today(), &staff(Role::Caseworker), clock.tick()).await;
        assert_not_found(b, r, "a batch with an unknown person");
        assert_eq!(store.services_of_person(p).await.expect("ledger").len(), before, "{b}: nothing half-written");
        assert_eq!(store.registration_by_id(reg.id).await.expect("reg").one31_done, [2, 3, 0], "{b}: counts untouched");
    }
}

#[tokio::test]
async fn contacts_move_the_schedule_and_mark_the_unreachable() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let mut drafts = adults(14, 1, "350205");
        drafts[0].key_groups = vec![KeyGroup::EmploymentDifficulty];
        let p = persons(&store, &mut clock, &drafts).await[0].id;
        let reg = register(&store, &mut clock, p, today() - Duration::days(10)).await.expect("register");
        assert_eq!(reg.tier, "1", "{b}: employment difficulty is tier 1");
        assert_eq!(reg.next_contact_on, today() - Duration::days(3), "{b}: first contact within 7 days");
        let attempt = |outcome, on| NewContact {
            person_id: p,
            contacted_on: on,
            method: ContactMethod::Phone,
            outcome,
            note: None,
            provider_id: None,
        };
        for i in 0..3 {
            let r = store
                .record_contact(
                    &attempt(ContactOutcome::NoAnswer, today()),
                    &rules(),
                    today(),
                    &staff(Role::Caseworker),
                    clock.tick(),
                )
                .await;
            r.expect("contact");
            let now = store.registration_by_id(reg.id).await.expect("reg");
            assert_eq!(now.unreachable, i == 2, "{b}: unreachable after the third failed attempt");
        }
        let page = store
            .caseload(
                &CaseloadFilter { unreachable: true, ..Default::default() },
                &rules(),
                today(),
                PageRequest::default(),
            )
            .await
            .expect("caseload");
        assert_eq!(page.items.len(), 1, "{b}: listed as unreachable");
        store
            .record_contact(
                &attempt(ContactOutcome::Reached, today()),
                &rules(),
                today(),
                &staff(Role::Caseworker),
                clock.tick(),
            )
            .await
            .expect("reached");
        let now = store.registration_by_id(reg.id).await.expect("reg");
        assert_eq!((now.unreachable, now.failed_in_row, now.last_reached_on), (false, 0, Some(today())), "{b}");
        assert_eq!(now.next_contact_on, today() + Duration::days(14), "{b}: tier 1 every 14 days");
        // An override to tier 3 (with a reason) moves the schedule to 60 days.
        let e = refused_code(
            b,
            store
                .override_tier(reg.id, Some("3".into()), "  ".into(), &rules(), &staff(Role::Caseworker), clock.tick())
                .await,
        );
        assert_eq!(e.code, "casework.reason_required", "{b}");
        let e = refused_code(
            b,
            store
                .override_tier(reg.id, Some("9".into()), "x".into(), &rules(), &staff(Role::Caseworker), clock.tick())
                .await,
        );
        assert_eq!(e.code, "casework.tier_unknown", "{b}");
        let o = store
            .override_tier(
                reg.id,
                Some("3".into()),
                "已有稳定意向".into(),
                &rules(),
                &staff(Role::Caseworker),
                clock.tick(),
            )
            .await
            .expect("override");
        assert_eq!((o.tier.as_str(), o.computed_tier.as_str()), ("3", "1"), "{b}");
        assert_eq!(o.next_contact_on, today() + Duration::days(60), "{b}");
        let audit =
            audit_rows(&store, &AuditFilter { action: Some("registration.tier".into()), ..Default::default() }).await;
        assert_eq!(audit.len(), 1, "{b}: the override is audited");
        assert_eq!(store.contacts_of_person(p).await.expect("contacts").len(), 4, "{b}");
        // Lists filter by the tier in force: the override while it lasts, then the computed one.
        let rid = reg.id;
        let in_tier = |t: &'static str| {
            let store = store.clone();
            async move {
                let f = CaseloadFilter { tier: Some(t.into()), ..Default::default() };
                let page = store.caseload(&f, &rules(), today(), PageRequest::default()).await.expect("caseload");
                page.items.iter().any(|c| c.registration.id == rid)
            }
        };
        assert!(in_tier("3").await && !in_tier("1").await, "{b}: overridden to 3");
        store
            .override_tier(rid, None, "恢复计算结果".into(), &rules(), &staff(Role::Caseworker), clock.tick())
            .await
            .expect("back");
        assert!(in_tier("1").await && !in_tier("3").await, "{b}: back to the computed 1");
    }
}

#[tokio::test]
async fn caseload_filters_by_status_and_the_league_counts_by_district() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let own = persons(&store, &mut clock, &adults(15, 3, "350203")).await;
        let other = persons(&store, &mut clock, &adults(16, 2, "350206")).await;
        // own[0] registered 40 days ago (overdue), own[1] 25 days ago (due soon), own[2] today (on track).
        for (p, days) in [(&own[0], 40), (&own[1], 25), (&own[2], 0), (&other[0], 0), (&other[1], 0)] {
            register(&store, &mut clock, p.id, today() - Duration::days(days)).await.expect("register");
        }
        let list = |f: CaseloadFilter| {
            let store = store.clone();
            async move {
                let page = store.caseload(&f, &rules(), today(), PageRequest::default()).await.expect("caseload");
                page.items.iter().map(|c| c.registration.person_id).collect::<Vec<_>>()
            }
        };
        let own_d = Some("350203".to_string());
        assert_eq!(list(CaseloadFilter { district: own_d.clone(), ..Default::default() }).await.len(), 3, "{b}");
        assert_eq!(
            list(CaseloadFilter { district: own_d.clone(), one31: Some(One31Status::Overdue), ..Default::default() })
                .await,
            vec![own[0].id],
            "{b}"
        );
        assert_eq!(
            list(CaseloadFilter { district: own_d.clone(), one31: Some(One31Status::DueSoon), ..Default::default() })
                .await,
            vec![own[1].id],
            "{b}"
        );
        assert_eq!(
            list(CaseloadFilter { district: own_d.clone(), one31: Some(One31Status::OnTrack), ..Default::default() })
                .await,
            vec![own[2].id],
            "{b}"
        );
        assert_eq!(
            list(CaseloadFilter { district: own_d.clone(), contact_overdue: true, ..Default::default() }).await.len(),
            2,
            "{b}: first contact due within 7 days"
        );
        assert_eq!(
            list(CaseloadFilter { tier: Some("3".into()), ..Default::default() }).await.len(),
            5,
            "{b}: city-wide"
        );
        // Complete own[2]'s 131.
        for k in [
            ServiceKind::CareerGuidance,
            ServiceKind::JobReferral,
            ServiceKind::JobReferral,
            ServiceKind::JobReferral,
            ServiceKind::SkillsTraining,
        ] {
            serve(&store, &mut clock, &service(own[2].id, k)).await.expect("serve");
        }
        assert_eq!(
            list(CaseloadFilter { one31: Some(One31Status::Complete), ..Default::default() }).await,
            vec![own[2].id],
            "{b}"
        );
        let league = store.one31_league(today()).await.expect("league");
        let row = |d: &str| league.iter().find(|r| r.district == d).cloned().expect("a row");
        let siming = row("350203");
        assert_eq!(
            (siming.registered, siming.complete, siming.overdue, siming.contact_overdue),
            (3, 1, 1, 2),
            "{b}: {siming:?}"
        );
        let huli = row("350206");
        assert_eq!((huli.registered, huli.complete), (2, 0), "{b}: {huli:?}");
        // A sorted page counts up to a cap and then says "more".
        let all = CaseloadFilter { district: own_d.clone(), ..Default::default() };
        let counted = |cap| {
            let (store, all) = (store.clone(), all.clone());
            async move {
                let (rows, n) = store
                    .caseload_sorted_counting_to(&all, &rules(), today(), CaseloadSort::Newest, 0, 20, cap)
                    .await
                    .expect("sorted");
                (rows.len(), n.total, n.more)
            }
        };
        assert_eq!(counted(2).await, (3, 2, true), "{b}: past the cap");
        assert_eq!(counted(3).await, (3, 3, false), "{b}: at the cap, exact");
        assert_eq!(counted(10_000).await, (3, 3, false), "{b}");
        // The benchmark's baseline works the same pages out of the ledger on every request.
        use jiuye_store::baseline_casework::LedgerFilter;
        for (lf, one31, want) in [
            (LedgerFilter::All, None, 3),
            (LedgerFilter::Overdue, Some(One31Status::Overdue), 1),
            (LedgerFilter::Complete, Some(One31Status::Complete), 1),
        ] {
            let (ids, total) =
                store.caseload_by_ledger("350203", lf, &rules(), today(), 0, 20).await.expect("baseline");
            let f = CaseloadFilter { one31, ..all.clone() };
            let (rows, n) =
                store.caseload_sorted(&f, &rules(), today(), CaseloadSort::Newest, 0, 20).await.expect("sorted");
            let stored: Vec<_> = rows.iter().map(|r| r.registration.id).collect();
            assert_eq!((ids, total), (stored, n.total), "{b}: {lf:?}");
            assert_eq!(total, want, "{b}: {lf:?}");
        }
    }
}

#[tokio::test]
async fn zero_employment_households_are_flagged_and_cleared() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let ps = persons(&store, &mut clock, &adults(17, 2, "350211")).await;
        let members = vec![(ps[0].id, "户主".to_string()), (ps[1].id, "配偶".to_string())];
        let h = store
            .create_household("350211", None, &members, today(), &staff(Role::Caseworker), clock.tick())
            .await
            .expect("household");
        assert_eq!(h.flagged_on, Some(today()), "{b}: all working-age members without work: flagged at once");
        assert_eq!(store.zero_employment_households(Some("350211"), today()).await.expect("list").len(), 1, "{b}");
        // A member of the household is tier 1 through the household rule.
        let reg = register(&store, &mut clock, ps[1].id, today()).await.expect("register");
        assert_eq!(reg.tier, "1", "{b}");
        assert!(reg.categories.contains(&"zero_household".to_string()), "{b}: {:?}", reg.categories);
        // A person belongs to one household.
        let e = refused_code(
            b,
            store
                .create_household("350211", None, &members[..1], today(), &staff(Role::Caseworker), clock.tick())
                .await,
        );
        assert_eq!(e.code, "casework.household_member", "{b}");
        // One member finds work ten days later: the flag clears and the time to clear is kept.
        let later = today() + Duration::days(10);
        let job = NewEmployment {
            person_id: ps[0].id,
            form: EmploymentForm::SelfEmployed,
            employer_id: None,
            vacancy_id: None,
            application_id: None,
            started_on: later,
            source: EmploymentSource::Person,
        };
        store.record_employment(&job, later, &staff(Role::Seeker), clock.tick()).await.expect("employ");
        let h = store.household_by_id(h.id, later).await.expect("household");
        assert_eq!(h.flagged_on, None, "{b}");
        assert_eq!(h.cleared, vec![(today(), later)], "{b}: the period is recorded");
        assert!(store.zero_employment_households(None, later).await.expect("list").is_empty(), "{b}");
    }
}

/// A caseload filtered by category reads rows the registration's own writes keep: they appear
/// with the registration, follow its recomputed categories and go when it ends.
#[tokio::test]
async fn the_category_filter_follows_each_registration() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let own = persons(&store, &mut clock, &adults(19, 3, "350211")).await;
        let other = persons(&store, &mut clock, &adults(20, 2, "350206")).await;
        let cw = staff(Role::Caseworker);
        for (district, pair) in [("350211", &own[..2]), ("350206", &other[..2])] {
            let members: Vec<_> = pair.iter().map(|p| (p.id, "成员".to_string())).collect();
            store.create_household(district, None, &members, today(), &cw, clock.tick()).await.expect("household");
        }
        let mut regs = Vec::new();
        for p in [&own[1], &own[2], &other[1]] {
            regs.push(register(&store, &mut clock, p.id, today()).await.expect("register"));
        }
        let zero = |district: Option<&str>| CaseloadFilter {
            district: district.map(str::to_string),
            category: Some("zero_household".into()),
            ..Default::default()
        };
        let ids = |f: CaseloadFilter| {
            let store = store.clone();
            async move {
                let page = store.caseload(&f, &rules(), today(), PageRequest::default()).await.expect("caseload");
                let (rows, n) = store
                    .caseload_sorted(&f, &rules(), today(), CaseloadSort::NextContact, 0, 20)
                    .await
                    .expect("sorted");
                let mut sorted: Vec<Uuid> = rows.iter().map(|c| c.registration.person_id).collect();
                let mut listed: Vec<Uuid> = page.items.iter().map(|c| c.registration.person_id).collect();
                sorted.sort();
                listed.sort();
                assert_eq!(listed, sorted, "{b}: both lists agree");
                assert_eq!(n.total, u64::try_from(listed.len()).unwrap_or(0), "{b}: and the count");
                listed
            }
        };
        let mut both = vec![own[1].id, other[1].id];
        both.sort();
        assert_eq!(ids(zero(Some("350211"))).await, vec![own[1].id], "{b}: a household member, in the district");
        assert_eq!(ids(zero(None)).await, both, "{b}: city-wide, both districts");
        assert_eq!(ids(zero(Some("350203"))).await, Vec::<Uuid>::new(), "{b}: none elsewhere");
        let unknown = CaseloadFilter { category: Some("graduate".into()), ..zero(None) };
        assert!(ids(unknown).await.is_empty(), "{b}: nobody is a graduate");

        let general = CaseloadFilter { category: Some("general".into()), ..zero(None) };
        assert_eq!(ids(general.clone()).await, vec![own[2].id], "{b}: no rule holds: the default category");

        // own[0] finds work: the household is no longer without work, and the daily tier
        // refresh moves own[1] from the category to the default one.
        let job = |person_id| NewEmployment {
            person_id,
            form: EmploymentForm::SelfEmployed,
            employer_id: None,
            vacancy_id: None,
            application_id: None,
            started_on: today(),
            source: EmploymentSource::Person,
        };
        store.record_employment(&job(own[0].id), today(), &staff(Role::Seeker), clock.tick()).await.expect("employ");
        assert!(store.refresh_tiers(&rules(), today(), clock.tick()).await.expect("refresh") >= 1, "{b}");
        assert_eq!(ids(zero(None)).await, vec![other[1].id], "{b}: recomputed");
        let mut now_general = vec![own[1].id, own[2].id];
        now_general.sort();
        assert_eq!(ids(general.clone()).await, now_general, "{b}: recomputed into the default");
        let (_, n) = store
            .caseload_sorted_counting_to(&general, &rules(), today(), CaseloadSort::Newest, 0, 20, 1)
            .await
            .expect("capped");
        assert_eq!((n.total, n.more), (1, true), "{b}: counted to the cap");
        // other[1] finds work: the registration ends, and leaves the list with it.
        store.record_employment(&job(other[1].id), today(), &cw, clock.tick()).await.expect("employ");
        assert!(ids(zero(None)).await.is_empty(), "{b}: ended by employment");
        // own[2] moves away: likewise.
        store.deregister(regs[1].id, DeregReason::MovedAway, None, today(), &cw, clock.tick()).await.expect("end");
        assert_eq!(ids(general).await, vec![own[1].id], "{b}: ended by deregistration");
        let rate = store.graduate_contact_rate(None).await.expect("rate");
        assert_eq!((rate.total, rate.contacted), (0, 0), "{b}: no graduates");
    }
}

#[tokio::test]
async fn provider_statement_is_computed_from_the_ledger() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let ps = persons(&store, &mut clock, &adults(18, 3, "350203")).await;
        let admin = staff(Role::DistrictAdmin);
        let provider = store.create_provider("厦门人力资源服务有限公司", &admin, clock.tick()).await.expect("provider");
        assert_conflict(b, store.create_provider("厦门人力资源服务有限公司", &admin, clock.tick()).await, "provider");
        let month_start = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        let contract = store
            .create_contract(
                &NewContract {
                    provider_id: provider.id,
                    name: "2026年“131”服务包".into(),
                    starts_on: month_start,
                    ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
                    price_served_fen: 20_000,
                    price_employed_fen: 100_000,
                    persons: vec![ps[0].id, ps[1].id],
                },
                &admin,
                clock.tick(),
            )
            .await
            .expect("contract");
        assert!(store.provider_covers(provider.id, ps[0].id, today()).await.expect("covers"), "{b}");
        assert!(
            !store.provider_covers(provider.id, ps[2].id, today()).await.expect("covers"),
            "{b}: not on the contract"
        );
        let by_provider = |p: Uuid, k| NewService { provider_id: Some(provider.id), ..service(p, k) };
        serve(&store, &mut clock, &by_provider(ps[0].id, ServiceKind::CareerGuidance)).await.expect("s");
        serve(&store, &mut clock, &by_provider(ps[0].id, ServiceKind::JobReferral)).await.expect("s");
        let cancelled = recorded_id(
            b,
            serve(&store, &mut clock, &by_provider(ps[1].id, ServiceKind::CareerGuidance)).await.expect("s"),
        );
        serve(
            &store,
            &mut clock,
            &NewService {
                person_id: ps[1].id,
                corrects_id: Some(cancelled),
                void: true,
                provider_id: Some(provider.id),
                ..NewService::default()
            },
        )
        .await
        .expect("void");
        // Served by the public office, not the provider: not on the statement.
        serve(&store, &mut clock, &service(ps[2].id, ServiceKind::CareerGuidance)).await.expect("s");
        let job = NewEmployment {
            person_id: ps[0].id,
            form: EmploymentForm::Flexible,
            employer_id: None,
            vacancy_id: None,
            application_id: None,
            started_on: today(),
            source: EmploymentSource::Desk,
        };
        store.record_employment(&job, today(), &admin, clock.tick()).await.expect("employ");
        let s = store.provider_statement(provider.id, 2026, 11).await.expect("statement");
        assert_eq!(s.lines.len(), 1, "{b}");
        let line = &s.lines[0];
        assert_eq!(
            (line.contract_id, line.persons_served, line.persons_employed),
            (contract.id, 1, 1),
            "{b}: {line:?}"
        );
        assert_eq!(s.total_fen, 20_000 + 100_000, "{b}");
        let empty = store.provider_statement(provider.id, 2026, 10).await.expect("statement");
        assert!(empty.lines.is_empty(), "{b}: the contract had not started");
    }
}

#[tokio::test]
async fn ratings_once_per_service_within_range() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let ps = persons(&store, &mut clock, &adults(19, 2, "350212")).await;
        let s = recorded_id(
            b,
            serve(&store, &mut clock, &service(ps[0].id, ServiceKind::CareerGuidance)).await.expect("s"),
        );
        let me = staff(Role::Seeker);
        assert_eq!(
            refused_code(b, store.rate_service(s, ps[0].id, 6, None, &me, clock.tick()).await).code,
            "casework.rating_range",
            "{b}"
        );
        assert_not_found(
            b,
            store.rate_service(s, ps[1].id, 5, None, &me, clock.tick()).await,
            "someone else's service",
        );
        store.rate_service(s, ps[0].id, 4, Some("讲得清楚".into()), &me, clock.tick()).await.expect("rate");
        assert_eq!(
            refused_code(b, store.rate_service(s, ps[0].id, 5, None, &me, clock.tick()).await).code,
            "casework.rating_twice",
            "{b}"
        );
        let rows = store.satisfaction(Some("350212")).await.expect("satisfaction");
        assert_eq!(rows.len(), 1, "{b}");
        assert_eq!((rows[0].kind.as_str(), rows[0].ratings, rows[0].score_sum), ("career_guidance", 1, 4), "{b}");
    }
}
