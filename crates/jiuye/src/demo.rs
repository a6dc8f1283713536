//! Demo data: a generated Xiamen labour market and one login per role.

use std::time::Instant;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use jiuye_domain::codes::DistrictCode;
use jiuye_domain::roles::Role;
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::{AuditEntry, IdVault, NewAccount, Store};
use jiuye_web::Clock;

use crate::demo_casework as casework;

/// Every demo account has this password. Demo data is synthetic: no real person is in it.
pub const DEMO_PASSWORD: &str = "jiuye-demo-2023";

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 20_000)]
    persons: usize,
    #[arg(long, default_value_t = 2_000)]
    employers: usize,
    #[arg(long, default_value_t = 8_000)]
    vacancies: usize,
    #[arg(long, default_value_t = 2023)]
    seed: u64,
}

impl Default for DemoArgs {
    fn default() -> Self {
        DemoArgs { persons: 20_000, employers: 2_000, vacancies: 8_000, seed: 2023 }
    }
}

const DISTRICT_LOGINS: [(&str, &str); 6] = [
    ("350203", "siming"),
    ("350205", "haicang"),
    ("350206", "huli"),
    ("350211", "jimei"),
    ("350212", "tongan"),
    ("350213", "xiangan"),
];

pub struct Login {
    pub role: Role,
    pub kind: &'static str,
    pub identifier: String,
    pub note: String,
}

pub async fn fill_if_empty(store: &Store, vault: &IdVault, clock: &dyn Clock) -> anyhow::Result<()> {
    if store.count_accounts().await? > 0 || store.count_persons().await? > 0 {
        println!("the database already has data; --demo left it as it is");
        return Ok(());
    }
    fill(store, vault, clock, &DemoArgs::default()).await.map(|_| ())
}

pub async fn fill(store: &Store, vault: &IdVault, clock: &dyn Clock, args: &DemoArgs) -> anyhow::Result<Vec<Login>> {
    if store.count_accounts().await? > 0 || store.count_persons().await? > 0 || store.count_employers().await? > 0 {
        anyhow::bail!("the database is not empty: demo data goes only into an empty database");
    }
    let started = Instant::now();
    let now = clock.now();
    let who = AuditEntry::system();
    let hash =
        jiuye_web::auth::hash_password(DEMO_PASSWORD).map_err(|_| anyhow::anyhow!("hashing the demo password"))?;
    let staff = |role: Role, username: String, name: String, district: Option<&str>, org: Option<&str>| NewAccount {
        role,
        login_key: format!("u:{username}"),
        display_name: name,
        password_hash: hash.clone(),
        district: district.map(str::to_string),
        person_id: None,
        employer_id: None,
        organisation: org.map(str::to_string),
    };
    let mut logins = Vec::new();
    store.create_account(&staff(Role::CityAdmin, "admin".into(), "市管理员".into(), None, None), &who, now).await?;
    logins.push(Login {
        role: Role::CityAdmin,
        kind: "staff",
        identifier: "admin".into(),
        note: "全市 / whole city".into(),
    });
    store
        .create_account(
            &staff(Role::DistrictAdmin, "admin.siming".into(), "思明区管理员".into(), Some("350203"), None),
            &who,
            now,
        )
        .await?;
    logins.push(Login {
        role: Role::DistrictAdmin,
        kind: "staff",
        identifier: "admin.siming".into(),
        note: "思明区 350203".into(),
    });
    let mut liaison = std::collections::HashMap::new();
    for (code, slug) in DISTRICT_LOGINS {
        let name = DistrictCode::parse(code).map(|d| format!("{}经办人员", d.name())).unwrap_or_default();
        let a = store
            .create_account(&staff(Role::Caseworker, format!("caseworker.{slug}"), name, Some(code), None), &who, now)
            .await?;
        liaison.insert(code, a.id);
    }
    logins.push(Login {
        role: Role::Caseworker,
        kind: "staff",
        identifier: "caseworker.siming".into(),
        note: "思明区; also caseworker.huli, .jimei, .haicang, .tongan, .xiangan".into(),
    });
    // A contracted provider; its staff account carries the provider's id as its organisation.
    let provider = store.create_provider("厦门鹭岛人力资源服务有限公司", &who, now).await?;
    let provider_org = provider.id.to_string();
    store
        .create_account(
            &staff(Role::Provider, "provider".into(), "服务机构人员".into(), None, Some(&provider_org)),
            &who,
            now,
        )
        .await?;
    logins.push(Login {
        role: Role::Provider,
        kind: "staff",
        identifier: "provider".into(),
        note: "third-party provider".into(),
    });
    // A lead unit of the plan's measures (附件1): files half-monthly and monthly reports.
    store
        .create_account(
            &staff(Role::LeadUnit, "lead.employment".into(), "市人社局就业处".into(), None, Some("hrss_employment")),
            &who,
            now,
        )
        .await?;
    logins.push(Login {
        role: Role::LeadUnit,
        kind: "staff",
        identifier: "lead.employment".into(),
        note: "牵头单位 lead unit (measures 5, 6, 20, 21)".into(),
    });

    let cfg = SimConfig {
        seed: args.seed,
        persons: args.persons,
        employers: args.employers,
        vacancies: args.vacancies,
        today: clock.today(),
    };
    let mut generator = Generator::new(cfg);
    let mut employers = generator.employers();
    for i in generator.key_enterprise_indices(&employers) {
        if let Some(e) = employers.get_mut(i)
            && let Some(id) = liaison.get(e.district.as_str())
        {
            e.key_enterprise = true;
            e.liaison_account = Some(*id);
        }
    }
    let vacancies = generator.vacancies(&employers);
    let employer_ids = store.bulk_insert_employers(&employers, &who, now).await.context("loading employers")?;
    let with_ids: Vec<_> = vacancies.into_iter().filter_map(|(i, v)| employer_ids.get(i).map(|id| (*id, v))).collect();
    store.bulk_insert_vacancies(&with_ids, &who, now).await.context("loading vacancies")?;
    let mut gig_poster = None;
    if let (Some(first), Some(id)) = (employers.first(), employer_ids.first()) {
        let mut a = staff(
            Role::Employer,
            String::new(),
            first.contact_name.clone().unwrap_or_else(|| "招聘专员".into()),
            Some(first.district.as_str()),
            Some(&first.name),
        );
        a.login_key = format!("cc:{}", first.credit_code.as_str());
        a.employer_id = Some(*id);
        let account = store.create_account(&a, &who, now).await?;
        gig_poster = Some((account.id, *id));
        logins.push(Login {
            role: Role::Employer,
            kind: "employer",
            identifier: first.credit_code.as_str().to_string(),
            note: first.name.clone(),
        });
    }

    let bar = ProgressBar::new(args.persons as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("persons");
    let mut first_person = None;
    let rules = jiuye_domain::casework::CaseworkRules::default_rules().map_err(|e| anyhow::anyhow!(e))?;
    let mut registered = 0;
    let mut covered = Vec::new();
    // People with employment difficulty, for the demo employer's public-welfare placements.
    let mut difficult = Vec::new();
    let mut seen = 0usize;
    // The first few hundred persons also work gigs.
    let mut gig_workers = Vec::new();
    while let Some(batch) = generator.next_persons(5_000) {
        let ids = store.bulk_insert_persons(&batch, vault, &who, now).await.context("loading persons")?;
        gig_workers.extend(
            batch.iter().zip(&ids).take(300usize.saturating_sub(gig_workers.len())).map(|(p, id)| (*id, p.district)),
        );
        let cases = casework::cases(&batch, &ids, seen, &liaison, clock.today());
        seen += batch.len();
        covered.extend(
            cases
                .iter()
                .filter(|c| c.district == "350203")
                .take(20usize.saturating_sub(covered.len()))
                .map(|c| c.person_id),
        );
        store.bulk_load_casework(&cases, &rules, clock.today(), &who, now).await.context("loading casework")?;
        difficult.extend(
            batch
                .iter()
                .zip(&ids)
                .filter(|(p, _)| jiuye_domain::records::public_welfare_eligible(&p.key_groups))
                .take(5usize.saturating_sub(difficult.len()))
                .map(|(_, id)| *id),
        );
        registered += cases.len();
        if first_person.is_none()
            && let (Some(d), Some(id)) = (batch.first(), ids.first())
        {
            first_person = Some((d.clone(), *id));
        }
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    if let Some((d, id)) = first_person {
        let mut a = staff(Role::Seeker, String::new(), d.name.clone(), Some(d.district.as_str()), None);
        a.login_key = format!("id:{}", vault.lookup_hash(&d.identity));
        a.person_id = Some(id);
        store.create_account(&a, &who, now).await?;
        // A synthetic number, printed so a newcomer can sign in; real numbers are never printed.
        logins.push(Login {
            role: Role::Seeker,
            kind: "seeker",
            identifier: d.identity.number().to_string(),
            note: d.name.clone(),
        });
    }
    casework::certificates(store, &covered, clock.today(), &who, now).await?;
    casework::provider_contract(store, provider.id, covered, clock.today(), &who, now).await?;
    // Staff recognised those placed in public-welfare posts as having employment difficulty
    // (claims read key groups from recognitions, never from the profile's ticks).
    casework::recognitions(store, &difficult, clock.today(), &who, now).await?;
    if let (Some(employer), Some((_, draft))) =
        (employer_ids.first(), with_ids.iter().find(|(e, _)| Some(e) == employer_ids.first()))
    {
        casework::public_welfare_placements(store, *employer, draft, &difficult, clock.today(), &who, now).await?;
    }
    casework::budget(store, &who, now).await?;
    let (sites, workers, booked) = match gig_poster {
        Some((poster, employer)) => {
            crate::demo_gig::load(store, &gig_workers, poster, employer, args.seed, clock.today(), &who, now)
                .await
                .context("loading the gig market")?
        }
        None => (0, 0, 0),
    };
    println!("gig market: {sites} markets and stations, {workers} workers, {booked} gigs taken");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "demo data: {} persons ({registered} registered unemployed), {} employers, {} vacancies in {secs:.1} s",
        args.persons,
        employers.len(),
        with_ids.len()
    );
    println!("demo logins (password for all: {DEMO_PASSWORD}):");
    for l in &logins {
        println!("  {:<15} {:<9} {:<20} {}", l.role.as_str(), l.kind, l.identifier, l.note);
    }
    Ok(logins)
}
