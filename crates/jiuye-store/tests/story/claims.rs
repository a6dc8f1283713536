//! Claims on both backends: paid once per claimant, group and period (by the database), and a
//! budget never overspent — also when 100 approvals race for the last of it, and when one
//! approval is replayed 20 times at once.

use jiuye_domain::roles::Role;
use jiuye_store::{Money, NewClaim, Store, StoreError};
use uuid::Uuid;

use crate::common::*;

fn claim(claimant: Uuid, amount: i64) -> NewClaim {
    NewClaim {
        policy_id: "skills_certificate".into(),
        policy_version: "skills_certificate@2023.1".into(),
        budget_line: "central".into(),
        group: "training_subsidy".into(),
        claimant_kind: "person".into(),
        claimant_id: claimant,
        subject_id: None,
        district: "350203".into(),
        period_key: "2024".into(),
        amount_fen: amount,
        facts: serde_json::json!({}),
        decision: serde_json::json!({}),
    }
}

fn internship(employer: Uuid, intern: Uuid, amount: i64) -> NewClaim {
    NewClaim {
        policy_id: "internship_subsidy".into(),
        policy_version: "internship_subsidy@2023.1".into(),
        group: "internship_subsidy".into(),
        claimant_kind: "employer".into(),
        subject_id: Some(intern),
        ..claim(employer, amount)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn per_person_claims_are_once_per_person_and_counted_per_person() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let who = staff(Role::DistrictAdmin);
        let (employer, other_employer) = (Uuid::new_v4(), Uuid::new_v4());
        let (intern, second_intern) = (Uuid::new_v4(), Uuid::new_v4());
        let group = ["internship_subsidy".to_string()];
        // One employer, two interns, one year: two claims.
        let a = store.create_claim(&internship(employer, intern, 600_000), &who, clock.tick()).await.expect("a");
        store.create_claim(&internship(employer, second_intern, 400_000), &who, clock.tick()).await.expect("b");
        // The same intern twice for one employer and year: refused by the database.
        assert_conflict(
            b,
            store.create_claim(&internship(employer, intern, 100_000), &who, clock.tick()).await,
            "claim_duplicate",
        );
        // Another employer may claim for the same intern; the caps then see what the intern
        // brought at the first employer once it is approved.
        store.set_allocation("central", "internship_subsidy", 10_000_000, &who, clock.tick()).await.expect("alloc");
        store.move_claim(a.id, "submitted", "approved", Money::Reserve, None, &who, clock.tick()).await.expect("ok");
        store.create_claim(&internship(other_employer, intern, 200_000), &who, clock.tick()).await.expect("c");
        assert_eq!(
            store.paid_so_far(other_employer, Some(intern), &group, "2024").await.expect("paid"),
            (600_000, 600_000),
            "{b}: counted per intern, whoever claimed"
        );
        assert_eq!(
            store.paid_so_far(other_employer, None, &group, "2024").await.expect("paid"),
            (0, 0),
            "{b}: the other employer itself was paid nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_claim_is_paid_once_and_moves_only_from_where_it_is() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let who = staff(Role::DistrictAdmin);
        store.set_allocation("central", "skills_certificate", 1_000_000, &who, clock.tick()).await.expect("allocate");
        let p = Uuid::new_v4();
        let c = store.create_claim(&claim(p, 150_000), &who, clock.tick()).await.expect("claim");
        assert_conflict(b, store.create_claim(&claim(p, 150_000), &who, clock.tick()).await, "claim_duplicate");
        // Approve (reserve), then pay: the money moves from reserved to paid.
        store
            .move_claim(c.id, "submitted", "approved", Money::Reserve, None, &who, clock.tick())
            .await
            .expect("approve");
        let a = store.allocation("central", "skills_certificate").await.expect("a").expect("some");
        assert_eq!((a.reserved_fen, a.paid_fen), (150_000, 0), "{b}");
        assert_conflict(
            b,
            store.move_claim(c.id, "submitted", "approved", Money::Reserve, None, &who, clock.tick()).await,
            "claim_transition",
        );
        store.move_claim(c.id, "approved", "paid", Money::Pay, None, &who, clock.tick()).await.expect("pay");
        let a = store.allocation("central", "skills_certificate").await.expect("a").expect("some");
        assert_eq!((a.reserved_fen, a.paid_fen), (0, 150_000), "{b}");
        assert_eq!(
            store.paid_so_far(p, None, &["skills_certificate".into()], "2024").await.expect("paid"),
            (150_000, 150_000),
            "{b}"
        );
        // A rejected claim frees the key: the claimant may claim again.
        let q = Uuid::new_v4();
        let c2 = store.create_claim(&claim(q, 50_000), &who, clock.tick()).await.expect("claim");
        store
            .move_claim(c2.id, "submitted", "rejected", Money::None, Some("证书不符".into()), &who, clock.tick())
            .await
            .expect("reject");
        store.create_claim(&claim(q, 50_000), &who, clock.tick()).await.expect("claim again after rejection");
        let events = store.claim_events(c.id).await.expect("events");
        let path: Vec<&str> = events.iter().map(|e| e.to_status.as_str()).collect();
        assert_eq!(path, ["submitted", "approved", "paid"], "{b}");
        assert!(events.iter().all(|e| e.policy_version == "skills_certificate@2023.1"), "{b}");
    }
}

async fn race(store: &Store, ids: Vec<Uuid>, at: chrono::DateTime<chrono::Utc>) -> (usize, usize, usize) {
    let mut tasks = Vec::new();
    for id in ids {
        let store = store.clone();
        let who = staff(Role::CityAdmin);
        tasks.push(tokio::spawn(async move {
            store.move_claim(id, "submitted", "approved", Money::Reserve, None, &who, at).await
        }));
    }
    let (mut ok, mut exhausted, mut replay) = (0, 0, 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(StoreError::Refused(e)) if e.code == "budget.exhausted" => exhausted += 1,
            Err(StoreError::Conflict { what: "claim_transition" }) => replay += 1,
            Err(e) => panic!("unexpected: {e:?}"),
        }
    }
    (ok, exhausted, replay)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_never_overspend_nor_pay_twice() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let who = staff(Role::CityAdmin);
        // Room for exactly 10 claims of 1,000 元 on a nearly spent line.
        store.set_allocation("central", "skills_certificate", 1_000_000, &who, clock.tick()).await.expect("allocate");
        let mut ids = Vec::new();
        for _ in 0..100 {
            ids.push(store.create_claim(&claim(Uuid::new_v4(), 100_000), &who, clock.tick()).await.expect("claim").id);
        }
        let (ok, exhausted, replay) = race(&store, ids.clone(), clock.tick()).await;
        assert_eq!((ok, exhausted, replay), (10, 90, 0), "{b}: 100 racing approvals");
        let a = store.allocation("central", "skills_certificate").await.expect("a").expect("some");
        assert_eq!(a.reserved_fen, 1_000_000, "{b}: reserved exactly the allocation, never more");
        let mut approved = 0;
        for id in &ids {
            if store.claim_by_id(*id).await.expect("claim").status == "approved" {
                approved += 1;
            }
        }
        assert_eq!(approved, 10, "{b}: refused approvals left their claims as they were");
        // One approval replayed 20 times at once: one reservation.
        store.set_allocation("central", "skills_certificate", 100_000_000, &who, clock.tick()).await.expect("allocate");
        let one = store.create_claim(&claim(Uuid::new_v4(), 100_000), &who, clock.tick()).await.expect("claim").id;
        let (ok, exhausted, replay) = race(&store, vec![one; 20], clock.tick()).await;
        assert_eq!((ok, exhausted, replay), (1, 0, 19), "{b}: a replayed approval");
        let a = store.allocation("central", "skills_certificate").await.expect("a").expect("some");
        assert_eq!(a.reserved_fen, 1_100_000, "{b}: reserved once");
        let events = store.claim_events(one).await.expect("events");
        assert_eq!(events.len(), 2, "{b}: submitted and one approval");
    }
}
