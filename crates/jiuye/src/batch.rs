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
    pub employers: usize,
    /// Of the eligible: employers' per-person findings (public-welfare employees, interns).
    pub employer_eligible: usize,
    pub organisations: usize,
    pub eligible: usize,
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
    let key_groups = state.store.key_group_records(day).await?;
    let mut after = None;
    loop {
        let page = state
            .store
            .list_persons(&jiuye_store::PersonFilter::default(), jiuye_store::PageRequest::new(after, Some(100)))
            .await?;
        for person in &page.items {
            out.persons += 1;
            let mut facts = jiuye_policy::Facts::new();
            facts.insert("age".into(), Value::Int(i64::from(day.years_since(person.birth_date).unwrap_or(0))));
            // Key groups from the records, as a claim reads them — never the profile's ticks.
            facts.insert("key_groups".into(), Value::Set(jiuye_core::facts::key_groups_in(&key_groups, person.id)));
            for p in in_force.iter().filter(|p| p.claimant == Claimant::Person && unclaimed(person.id, None, p)) {
                let d = evaluate(p, &facts, day);
                let hit = match d.outcome {
                    Outcome::Eligible => {
                        out.eligible += 1;
                        true
                    }
                    // Possibly eligible: nothing failed, only facts the records do not hold.
                    Outcome::Undetermined => {
                        out.undetermined += 1;
                        true
                    }
                    Outcome::Ineligible => false,
                };
                if hit && state.store.deliver(&note(person.id, "person", &d, p, day), now).await? {
                    out.notified += 1;
                }
            }
        }
        match page.next_cursor.as_deref().and_then(jiuye_store::Cursor::parse) {
            Some(c) => after = Some(c),
            None => break,
        }
    }
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
        "batch=screen day={day} persons={} employers={} employer_eligible={} organisations={} eligible={} undetermined={} notified={} seconds={:.1}",
        out.persons,
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
