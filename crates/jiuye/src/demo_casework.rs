//! Demo casework: a share of the unemployed registered, each with a plausible history of
//! services and contacts, so the workbench, the "131" lists and the league table have
//! something to show. Deterministic: the same demo every time.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use uuid::Uuid;

use jiuye_domain::casework::{ContactMethod, ContactOutcome, RegistrationBasis, ServiceKind, TierFacts, whole_months};
use jiuye_domain::records::{EmploymentStatus, PersonDraft};
use jiuye_store::{AuditEntry, BulkCase, NewContract, Store};

/// A cheap deterministic mix of an index, so choices look varied without a random source.
fn mix(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

fn age(birth: NaiveDate, today: NaiveDate) -> u32 {
    let mut a = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    u32::try_from(a.max(0)).unwrap_or(0)
}

/// Registrations for about half of the unemployed in `batch` (whose ids are `ids`); `offset`
/// is the index of the batch's first person in the whole demo.
pub fn cases(
    batch: &[PersonDraft],
    ids: &[Uuid],
    offset: usize,
    caseworkers: &HashMap<&str, Uuid>,
    today: NaiveDate,
) -> Vec<BulkCase> {
    let mut out = Vec::new();
    for (k, (d, id)) in batch.iter().zip(ids).enumerate() {
        let i = offset + k;
        // The demo seeker (the first person) registers themselves online.
        if i == 0 || d.employment_status != EmploymentStatus::Unemployed || mix(i, 1) % 2 == 1 {
            continue;
        }
        let registered_on = today - Duration::days((mix(i, 2) % 240) as i64);
        let span = (today - registered_on).num_days().max(1) as u64;
        let day = |salt: u64| registered_on + Duration::days((mix(i, salt) % span) as i64);
        let mut services = Vec::new();
        if mix(i, 3) % 10 < 7 {
            services.push((ServiceKind::CareerGuidance, day(4)));
        }
        for r in 0..(mix(i, 5) % 5) {
            services.push((ServiceKind::JobReferral, day(6 + r)));
        }
        match mix(i, 12) % 6 {
            0 => services.push((ServiceKind::SkillsTraining, day(13))),
            1 => services.push((ServiceKind::Internship, day(14))),
            2 => services.push((ServiceKind::PolicyAdvice, day(15))),
            _ => {}
        }
        let mut contacts = Vec::new();
        if mix(i, 16).is_multiple_of(40) {
            for n in 0..3 {
                contacts.push((day(17 + n), ContactMethod::Phone, ContactOutcome::NoAnswer));
            }
        } else if !mix(i, 20).is_multiple_of(4) {
            contacts.push((day(21), ContactMethod::Phone, ContactOutcome::Reached));
        }
        let birth = d.birth_date;
        out.push(BulkCase {
            person_id: *id,
            district: d.district.as_str().to_string(),
            basis: RegistrationBasis::ALL[(mix(i, 22) % 4) as usize],
            registered_on,
            caseworker_id: caseworkers.get(d.district.as_str()).copied(),
            facts: TierFacts {
                key_groups: d.key_groups.clone(),
                age: age(birth, today),
                months_unemployed: whole_months(registered_on, today),
                zero_employment_household: false,
            },
            services,
            contacts,
        });
    }
    out
}

/// 就业困难人员认定 for these persons, by their district, with a (synthetic) document reference.
pub async fn recognitions(
    store: &Store,
    persons: &[Uuid],
    today: NaiveDate,
    who: &AuditEntry,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    for (n, id) in persons.iter().enumerate() {
        let p = store.person_by_id(*id).await?;
        let evidence = format!("演示 就业困难人员认定表 第{:04}号", n + 1);
        // Before their placements (March 2025), so the plan's 2023–2025 subsidies can be tried.
        let on = NaiveDate::from_ymd_opt(2025, 1, 2).filter(|d| *d <= today).unwrap_or(today);
        store
            .recognise(
                *id,
                jiuye_domain::codes::KeyGroup::EmploymentDifficulty,
                p.district.as_str(),
                &evidence,
                on,
                who,
                at,
            )
            .await?;
    }
    Ok(())
}

/// A year's service contract for the demo provider, covering some of 思明区's registered.
pub async fn provider_contract(
    store: &Store,
    provider: Uuid,
    persons: Vec<Uuid>,
    today: NaiveDate,
    who: &AuditEntry,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
    store
        .create_contract(
            &NewContract {
                provider_id: provider,
                name: format!("{}年思明区“131”精准就业服务", today.year()),
                starts_on: start,
                ends_on: end,
                price_served_fen: 20_000,
                price_employed_fen: 100_000,
                persons,
            },
            who,
            at,
        )
        .await?;
    Ok(())
}

/// A public-welfare post (社区协管员) at the demo employer, and the people with employment
/// difficulty placed in it since March 2025 — so the employer's per-person subsidies and their
/// screening have records to work from.
pub async fn public_welfare_placements(
    store: &Store,
    employer: Uuid,
    template: &jiuye_domain::records::VacancyDraft,
    persons: &[Uuid],
    today: NaiveDate,
    who: &AuditEntry,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let mut draft = template.clone();
    draft.kind = jiuye_domain::records::VacancyKind::PublicWelfare;
    draft.title = "社区公益性岗位（协管员）".into();
    draft.headcount = i32::try_from(persons.len().max(1)).unwrap_or(1);
    let post = store.create_vacancy(employer, &draft, who, at).await?;
    let started_on = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or(today).min(today);
    for person in persons {
        store
            .record_employment(
                &jiuye_store::NewEmployment {
                    person_id: *person,
                    form: jiuye_domain::casework::EmploymentForm::PublicWelfare,
                    employer_id: Some(employer),
                    vacancy_id: Some(post.id),
                    application_id: None,
                    started_on,
                    source: jiuye_domain::casework::EmploymentSource::Desk,
                },
                today,
                who,
                at,
            )
            .await?;
    }
    Ok(())
}

/// The plan's three budget lines (附件2: 中央 10000万元, 地方 21072万元, 其他 19400万元), each
/// spread evenly over the policies it pays, so the budget page starts from the real totals.
pub async fn budget(store: &Store, who: &AuditEntry, at: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
    let cat = jiuye_policy::Catalogue::builtin()
        .map_err(|e| anyhow::anyhow!("the policy catalogue does not check: {} problems", e.len()))?;
    let lines = [
        (jiuye_policy::BudgetLine::Central, 10_000 * 10_000 * 100i64),
        (jiuye_policy::BudgetLine::Local, 21_072 * 10_000 * 100),
        (jiuye_policy::BudgetLine::Other, 19_400 * 10_000 * 100),
    ];
    // The demo publishes the built-in catalogue (in production a city administrator does).
    for p in &cat.policies {
        store.publish_policy(&p.key(), who, at).await?;
    }
    for (line, total) in lines {
        let policies: Vec<_> = cat.latest().into_iter().filter(|p| p.budget_line == line).collect();
        let each = total / i64::try_from(policies.len().max(1)).unwrap_or(1);
        for p in policies {
            store.set_allocation(line.as_str(), &p.id, each, who, at).await?;
        }
    }
    Ok(())
}

/// Skill-level certificates (职业技能等级证书) held on record by some registered persons, issued
/// in December 2025 — within the plan's years and the certificate subsidy's claim window — so a
/// change to the certificate subsidy can be simulated over who holds one.
pub async fn certificates(
    store: &Store,
    persons: &[Uuid],
    today: NaiveDate,
    who: &AuditEntry,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<usize> {
    use jiuye_domain::training::{CertificateKind, CertificateLevel};
    let levels = [CertificateLevel::Five, CertificateLevel::Four, CertificateLevel::Three];
    let mut n = 0;
    for (i, id) in persons.iter().enumerate() {
        let Some(on) = NaiveDate::from_ymd_opt(2025, 12, 5 + (i % 20) as u32).filter(|d| *d <= today) else {
            continue;
        };
        store
            .issue_certificate(
                *id,
                None,
                CertificateKind::SkillLevel,
                levels[i % levels.len()],
                Some("6-31-01-03".into()),
                &format!("DEMO-S2025-{:05}", i + 1),
                on,
                who,
                at,
            )
            .await?;
        n += 1;
    }
    Ok(n)
}
