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
