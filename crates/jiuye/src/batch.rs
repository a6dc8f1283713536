//! `jiuye batch …`: work run on a schedule (cron or a timer) rather than by a person.

use std::time::Instant;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use jiuye_store::AuditEntry;
use jiuye_web::AppState;

#[derive(Subcommand)]
pub enum BatchCommand {
    /// Give every person due for job recommendations their top 3, each recorded as one 岗位推介
    /// in the service ledger with the vacancy and the reasons; idempotent per person per day.
    Recommend(RecommendArgs),
    /// Proactive screening (免申即享): every person, employer (its public-welfare employees and
    /// interns) and contracted organisation against every policy in force, from the facts the
    /// records hold; the eligible and the possibly eligible (facts missing) who have not claimed
    /// get a message in their inbox. Nothing is ever granted automatically.
    Screen(ScreenArgs),
}

#[derive(Args)]
pub struct ScreenArgs {
    /// The day of the screening (default today); a second run that day sends nothing new.
    #[arg(long)]
    pub day: Option<NaiveDate>,
}

/// What screening found.
#[derive(Debug, Default)]
pub struct Screened {
    pub persons: usize,
    /// Persons whose findings stood, left out by the database without being read.
    pub unchanged: usize,
    pub employers: usize,
    /// Of the eligible: employers' per-person findings (public-welfare employees, interns).
    pub employer_eligible: usize,
    pub organisations: usize,
    /// Findings among the persons decided this run (all but the unchanged), employers and
    /// organisations.
    pub eligible: usize,
    /// Possibly eligible (facts the records do not hold) among the persons decided this run.
    pub undetermined: usize,
    pub notified: usize,
}

fn note(
    recipient: uuid::Uuid,
    kind: &str,
    d: &jiuye_policy::Decision,
    p: &jiuye_policy::Policy,
    day: NaiveDate,
) -> jiuye_store::NewInboxItem {
    note_about(recipient, kind, None, d, p, day)
}

/// A screening message; for a per-person policy it names the person the claim would be for.
fn note_about(
    recipient: uuid::Uuid,
    kind: &str,
    subject: Option<(uuid::Uuid, &str)>,
    d: &jiuye_policy::Decision,
    p: &jiuye_policy::Policy,
    day: NaiveDate,
) -> jiuye_store::NewInboxItem {
    let about = subject.map(|(id, _)| format!(":{id}")).unwrap_or_default();
    jiuye_store::NewInboxItem {
        recipient_id: recipient,
        recipient_kind: kind.to_string(),
        topic: "screening".into(),
        policy_id: Some(p.id.clone()),
        outcome: d.outcome.as_str().into(),
        amount_fen: d.amount_fen,
        detail: serde_json::json!({
            "title": p.title,
            "legal_source": p.legal_source,
            "missing": d.missing,
            "reasons": d.reasons,
            "policy_version": d.policy_version,
            "subject_id": subject.map(|s| s.0),
            "subject_name": subject.map(|s| s.1),
        }),
        dedupe_key: format!("screen:{recipient}:{}{about}:{day}", p.id),
    }
}

/// A non-combinable group and a period key.
type GroupPeriod = (String, String);

/// Screen everyone; returns what was found and sent.
pub async fn screen(state: &AppState, args: &ScreenArgs) -> anyhow::Result<Screened> {
    use chrono::Datelike;
    use jiuye_policy::{Claimant, Outcome, Value, evaluate};
    let day = args.day.unwrap_or_else(|| state.clock.today());
    let started = Instant::now();
    let cat = &state.policies;
    // Only published versions decide anything.
    let published = state.store.published_policies().await?;
    let in_force: Vec<&jiuye_policy::Policy> =
        cat.policies.iter().filter(|p| p.in_force(day) && published.contains(&p.key())).collect();
    let mut out = Screened::default();
    let now = state.clock.now();
    // Who already claimed (per group and period): screening offers only what was not claimed.
    let group_of = |policy: &str| {
        cat.policies.iter().find(|p| p.id == policy).map_or_else(|| policy.to_string(), |p| p.group.clone())
    };
    // Keyed by claimant and subject, so the many who never claimed are one hash miss each.
    let mut claimed: std::collections::HashMap<(uuid::Uuid, Option<uuid::Uuid>), Vec<GroupPeriod>> =
        std::collections::HashMap::new();
    for (c, s, policy, period) in state.store.live_claim_keys().await? {
        claimed.entry((c, s)).or_default().push((group_of(&policy), period));
    }
    let unclaimed = |who: uuid::Uuid, subject: Option<uuid::Uuid>, p: &jiuye_policy::Policy| {
        claimed.get(&(who, subject)).is_none_or(|keys| {
            let period = p.period.key(day);
            !keys.iter().any(|(g, k)| *g == p.group && *k == period)
        })
    };
    let claimants: std::collections::HashSet<uuid::Uuid> =
        claimed.keys().filter(|(_, subject)| subject.is_none()).map(|(who, _)| *who).collect();
    let told = screen_persons(state, &in_force, &unclaimed, &claimants, day, &mut out).await?;
    out.notified += told;
    // Employers: each public-welfare employee and intern still in the job, months this year.
    let mut employers = std::collections::HashSet::new();
    let year_start = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let held = state.store.subsidised_employments(day).await?;
    let subjects: Vec<uuid::Uuid> = held.iter().map(|s| s.employment.person_id).collect();
    let names: std::collections::HashMap<uuid::Uuid, String> =
        state.store.person_names(&subjects).await?.into_iter().collect();
    for spell in &held {
        let e = &spell.employment;
        let Some(employer) = e.employer_id else { continue };
        employers.insert(employer);
        let months = jiuye_core::facts::months_in_post(std::slice::from_ref(spell), spell.internship, year_start, day);
        if months == 0 {
            continue;
        }
        let fact = if spell.internship { "internship_months" } else { "public_welfare_months" };
        let name = names.get(&e.person_id).map(String::as_str).unwrap_or_default();
        for p in in_force
            .iter()
            .filter(|p| p.claimant == Claimant::Employer && p.per_person && p.facts_needed().iter().any(|f| f == fact))
        {
            if !unclaimed(employer, Some(e.person_id), p) {
                continue;
            }
            let mut facts = jiuye_policy::Facts::new();
            facts.insert(fact.into(), Value::Int(months));
            jiuye_web::api::claims::add_paid_facts(
                state,
                p,
                employer,
                Some(e.person_id),
                &p.period.key(day),
                &mut facts,
            )
            .await
            .map_err(|e| anyhow::anyhow!("reading what was paid: {e:?}"))?;
            let d = evaluate(p, &facts, day);
            if d.outcome == Outcome::Eligible {
                out.eligible += 1;
                out.employer_eligible += 1;
                let item = note_about(employer, "employer", Some((e.person_id, name)), &d, p, day);
                if state.store.deliver(&item, now).await? {
                    out.notified += 1;
                }
            }
        }
    }
    out.employers = employers.len();
    // Contracted providers: what the ledger says they did this month.
    for provider in state.store.providers().await? {
        out.organisations += 1;
        let st = state.store.provider_statement(provider.id, day.year(), day.month()).await?;
        let mut facts = jiuye_policy::Facts::new();
        facts.insert("org_kind".into(), Value::Text("hr_provider".into()));
        facts.insert("persons_served".into(), Value::Int(st.lines.iter().map(|l| l.persons_served as i64).sum()));
        facts.insert("persons_employed".into(), Value::Int(st.lines.iter().map(|l| l.persons_employed as i64).sum()));
        for p in in_force.iter().filter(|p| p.claimant == Claimant::Organisation && unclaimed(provider.id, None, p)) {
            let d = evaluate(p, &facts, day);
            if d.outcome == Outcome::Eligible {
                out.eligible += 1;
                if state.store.deliver(&note(provider.id, "organisation", &d, p, day), now).await? {
                    out.notified += 1;
                }
            }
        }
    }
    println!(
        "batch=screen day={day} persons={} unchanged={} employers={} employer_eligible={} organisations={} eligible={} undetermined={} notified={} seconds={:.1}",
        out.persons,
        out.unchanged,
        out.employers,
        out.employer_eligible,
        out.organisations,
        out.eligible,
        out.undetermined,
        out.notified,
        started.elapsed().as_secs_f64()
    );
    Ok(out)
}

/// Persons read in one page of the stream.
const SCREEN_PAGE: u64 = 20_000;

/// A digest of a person's findings (policy, version, outcome, amount), stable across runs and
/// releases (FNV-1a, not the standard hasher, whose algorithm may change).
struct Digest(u64);

impl Digest {
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes.iter().chain([0xffu8].iter()) {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn finish(&self) -> i64 {
        i64::from_ne_bytes(self.0.to_ne_bytes())
    }
}

/// Every person against the person policies in force, from the records (age, key groups).
///
/// A decision depends only on age, key groups and what was claimed, and most people have no key
/// group on record and no claim: their findings depend on their age alone. So the engine
/// decides each age once and the ages with the same findings form bands; the database, asked
/// for everyone else, leaves out in its narrow index each person born well inside a band whose
/// stored digest (of what they were last told) is that band's — nothing changed for them. The
/// rest (new, changed, near a birthday that matters, or with key groups that change a finding,
/// or with claims) are read a page at a time by a task of their own while this one decides, and
/// only those whose findings changed are written: new messages and the digest, a page in one
/// transaction. Returns the messages delivered.
async fn screen_persons(
    state: &AppState,
    in_force: &[&jiuye_policy::Policy],
    unclaimed: &(dyn Fn(uuid::Uuid, Option<uuid::Uuid>, &jiuye_policy::Policy) -> bool + Sync),
    claimants: &std::collections::HashSet<uuid::Uuid>,
    day: NaiveDate,
    out: &mut Screened,
) -> anyhow::Result<usize> {
    use jiuye_policy::{Claimant, Decision, Outcome, Value, evaluate};
    let key_groups = state.store.key_group_records(day).await?;
    let policies: Vec<&jiuye_policy::Policy> =
        in_force.iter().copied().filter(|p| p.claimant == Claimant::Person).collect();
    // What a person of an age and key groups is found, and its digest when none of it was
    // claimed (nearly everyone): decided once per distinct pair.
    struct Found {
        hits: Vec<(usize, Decision)>,
        digest: i64,
    }
    let digest_of = |hits: &mut dyn Iterator<Item = (&jiuye_policy::Policy, &Decision)>| {
        let mut digest = Digest(0xcbf2_9ce4_8422_2325);
        for (p, d) in hits {
            for part in [p.id.as_str(), d.policy_version.as_str(), d.outcome.as_str()] {
                digest.add(part.as_bytes());
            }
            digest.add(&d.amount_fen.to_le_bytes());
        }
        digest.finish()
    };
    let decide = |age: i64, groups: &[String]| {
        let mut facts = jiuye_policy::Facts::new();
        facts.insert("age".into(), Value::Int(age));
        facts.insert("key_groups".into(), Value::Set(groups.to_vec()));
        let hits: Vec<(usize, Decision)> = policies
            .iter()
            .enumerate()
            .map(|(i, p)| (i, evaluate(p, &facts, day)))
            // Possibly eligible: nothing failed, only facts the records do not hold.
            .filter(|(_, d)| d.outcome != Outcome::Ineligible)
            .collect();
        let digest = digest_of(&mut hits.iter().map(|(i, d)| (policies[*i], d)));
        Found { hits, digest }
    };
    let mut by_age: std::collections::HashMap<i64, Found> = (0..=AGES).map(|a| (a, decide(a, &[]))).collect();
    let mut by_age_groups: std::collections::HashMap<(i64, Vec<String>), Found> = std::collections::HashMap::new();
    // Bands of ages with the same findings, as spans of birth dates kept two days inside their
    // ends (a birthday on the day, 29 February: those few are read and decided exactly).
    let mut spans = Vec::new();
    let mut first = 0;
    for age in 0..=AGES {
        let digest = by_age[&age].digest;
        if age == AGES || by_age[&(age + 1)].digest != digest {
            let years = |n: i64| day.checked_sub_months(chrono::Months::new(u32::try_from(12 * n).unwrap_or(0)));
            if let (Some(start), Some(end)) = (years(age + 1), years(first)) {
                let (lo, hi) = (start + chrono::Duration::days(2), end - chrono::Duration::days(2));
                if lo < hi {
                    spans.push((lo, hi, digest));
                }
            }
            first = age + 1;
        }
    }
    // Persons whose findings may differ from their age's: key groups that change a finding at
    // some age, or claims. Read by id and decided first.
    let mut harmful: std::collections::HashMap<Vec<String>, bool> = std::collections::HashMap::new();
    let mut special: std::collections::HashSet<uuid::Uuid> = claimants.clone();
    let on_record = key_groups
        .recognised
        .keys()
        .chain(key_groups.documented.keys())
        .chain(&key_groups.registered)
        .chain(&key_groups.zero_employment)
        .chain(&key_groups.flexible);
    for id in on_record {
        let groups = jiuye_core::facts::key_groups_in(&key_groups, *id);
        let changes =
            *harmful.entry(groups).or_insert_with_key(|g| (0..=AGES).any(|a| decide(a, g).digest != by_age[&a].digest));
        if changes {
            special.insert(*id);
        }
    }
    let mut special_ids: Vec<uuid::Uuid> = special.iter().copied().collect();
    special_ids.sort();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(bool, Vec<jiuye_store::ScreeningRow>)>(2);
    let store = state.store.clone();
    let reader = tokio::spawn(async move {
        for ids in special_ids.chunks(SCREEN_PAGE as usize) {
            if tx.send((true, store.screening_rows_of(ids).await?)).await.is_err() {
                return Ok(());
            }
        }
        let mut after = None;
        loop {
            let page = store.screening_rows_except(&spans, after, SCREEN_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            if tx.send((false, page)).await.is_err() {
                break;
            }
        }
        Ok::<_, jiuye_store::StoreError>(())
    });
    let now = state.clock.now();
    let mut notified = 0usize;
    let mut looked_at = 0usize;
    while let Some((specials, page)) = rx.recv().await {
        let (mut items, mut digests) = (Vec::new(), Vec::new());
        for row in &page {
            if !specials && special.contains(&row.id) {
                continue; // decided with the special ones
            }
            looked_at += 1;
            let age = i64::from(day.years_since(row.birth_date).unwrap_or(0));
            // Key groups from the records, as a claim reads them — never the profile's ticks.
            let groups = jiuye_core::facts::key_groups_in(&key_groups, row.id);
            let found = if groups.is_empty() {
                by_age.entry(age).or_insert_with(|| decide(age, &[]))
            } else {
                by_age_groups.entry((age, groups)).or_insert_with_key(|(age, groups)| decide(*age, groups))
            };
            let mine: Vec<&(usize, Decision)> = if claimants.contains(&row.id) {
                found.hits.iter().filter(|(i, _)| unclaimed(row.id, None, policies[*i])).collect()
            } else {
                found.hits.iter().collect()
            };
            let digest = if mine.len() == found.hits.len() {
                found.digest
            } else {
                digest_of(&mut mine.iter().map(|(i, d)| (policies[*i], d)))
            };
            let eligible = mine.iter().filter(|(_, d)| d.outcome == Outcome::Eligible).count();
            out.eligible += eligible;
            out.undetermined += mine.len() - eligible;
            if row.screened != Some(digest) {
                for (i, d) in mine {
                    let p = policies[*i];
                    let mut item = note(row.id, "person", d, p, day);
                    // Told once per finding, not once a day: a later run repeats nothing.
                    item.dedupe_key = format!("screen:{}:{}:{}:{}", row.id, p.id, d.policy_version, d.outcome.as_str());
                    items.push(item);
                }
                digests.push((row.id, digest));
            }
        }
        if !digests.is_empty() {
            notified += usize::try_from(state.store.record_screening(&items, &digests, now).await?).unwrap_or(0);
        }
    }
    reader.await.map_err(|e| anyhow::anyhow!("reading persons: {e}"))??;
    out.persons = usize::try_from(state.store.count_persons().await?).unwrap_or(0);
    out.unchanged = out.persons.saturating_sub(looked_at);
    Ok(notified)
}

/// The oldest age decided ahead (older people are read and decided one by one).
const AGES: i64 = 120;

#[derive(Args)]
pub struct RecommendArgs {
    /// The day of the push (default today); a second run for the same day writes nothing.
    #[arg(long)]
    pub day: Option<NaiveDate>,
    /// A person is due when no job was recommended to them in this many days.
    #[arg(long, default_value_t = 7)]
    pub every_days: i64,
}

/// Returns (persons due, persons given jobs, services written).
pub async fn recommend(state: &AppState, args: &RecommendArgs) -> anyhow::Result<(usize, usize, usize)> {
    let day = args.day.unwrap_or_else(|| state.clock.today());
    jiuye_web::search_sync::load_jobs(state).await?;
    let started = Instant::now();
    let due = state.store.persons_due_for_push(day, args.every_days.max(1)).await?;
    let mut given = 0;
    let mut written = 0;
    for id in &due {
        let person = state.store.person_by_id(*id).await?;
        let done = jiuye_web::casework::push_jobs(state, &person, &AuditEntry::system(), None, Some(day))
            .await
            .map_err(|e| anyhow::anyhow!("pushing jobs to {id}: {}", e.body().message_en))?;
        if !done.is_empty() {
            given += 1;
            written += done.len();
        }
    }
    println!(
        "batch=recommend day={day} due={} given={given} services={written} seconds={:.1}",
        due.len(),
        started.elapsed().as_secs_f64()
    );
    Ok((due.len(), given, written))
}
