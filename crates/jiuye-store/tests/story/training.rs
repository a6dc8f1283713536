//! Training on both backends: a class never takes more trainees than it has places, also
//! when 30 enrolments race for its last 5.

use jiuye_domain::roles::Role;
use jiuye_domain::training::TrainingKind;
use jiuye_store::{NewProgramme, StoreError};

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_enrolments_never_exceed_the_places() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let who = staff(Role::Caseworker);
        let ids =
            store.bulk_insert_persons(&person_drafts(31, 30), &vault(), &who, clock.tick()).await.expect("persons");
        let p = store
            .create_programme(
                &NewProgramme {
                    kind: TrainingKind::EmploymentSkills,
                    name: "育婴员（五级）培训班".into(),
                    provider_id: None,
                    occupation: None,
                    district: "350203".into(),
                    starts_on: today(),
                    ends_on: today(),
                    capacity: 5,
                    cost_per_trainee_fen: 0,
                },
                &who,
                clock.tick(),
            )
            .await
            .expect("programme");
        let at = clock.tick();
        let mut tasks = Vec::new();
        for person in ids {
            let store = store.clone();
            let who = who.clone();
            tasks.push(tokio::spawn(async move { store.enrol(p.id, person, &who, at).await }));
        }
        let (mut ok, mut full) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::Refused(e)) if e.code == "training.full" => full += 1,
                Err(e) => panic!("{b}: unexpected: {e:?}"),
            }
        }
        assert_eq!((ok, full), (5, 25), "{b}: 30 enrolments racing for 5 places");
        let f = store.programme_figures(Some(&[p.id])).await.expect("figures");
        assert_eq!(f.enrolled, 5, "{b}: never more trainees than places");
    }
}
