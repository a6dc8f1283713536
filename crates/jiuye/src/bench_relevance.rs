//! `jiuye bench relevance`: the judged query set (`jiuye-search/data/judged_queries.toml`) run
//! against the demo's vacancies, stored and indexed as `jiuye serve --demo` does, scored by
//! precision@10, nDCG@10 and the zero-result count — today's ranking and, in the same run, the
//! ranking before issue #11 as the baseline.

use std::collections::HashMap;
use std::sync::Arc;

use clap::Args;
use jiuye_domain::codes::DistrictCode;
use jiuye_domain::records::{Vacancy, VacancyKind};
use jiuye_search::judged::{self, Fared, Judged};
use jiuye_search::{SearchIndex, SearchQuery, SearchResults};
use jiuye_sim::SimConfig;
use jiuye_store::Store;
use jiuye_web::{AppState, Clock};

#[derive(Args)]
pub struct RelevanceArgs {
    /// A judged set to use instead of the bundled one.
    #[arg(long)]
    judged: Option<std::path::PathBuf>,
    /// List every query with its precision and its first results.
    #[arg(long)]
    verbose: bool,
}

fn query_of(j: &Judged) -> anyhow::Result<SearchQuery> {
    Ok(SearchQuery {
        text: Some(j.q.clone()).filter(|q| !q.trim().is_empty()),
        district: j.district.as_deref().map(DistrictCode::parse).transpose().map_err(|e| anyhow::anyhow!("{e}"))?,
        kind: j.kind.as_deref().map(VacancyKind::parse).transpose().map_err(|e| anyhow::anyhow!("{e}"))?,
        salary_min: j.salary_min,
        limit: 10,
        ..Default::default()
    })
}

pub async fn relevance(args: RelevanceArgs, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let text = match &args.judged {
        Some(p) => std::fs::read_to_string(p)?,
        None => judged::BUNDLED.to_string(),
    };
    let set = judged::parse(&text).map_err(|e| anyhow::anyhow!("the judged set does not check:\n{e}"))?;
    let today = clock.today();
    let dir = std::env::temp_dir().join(format!("jiuye-bench-relevance-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("bench.db").display())).await?;
    store.migrate().await?;
    // The demo's employers and vacancies (same generator, seed and sizes as `serve --demo`).
    crate::bench::generate(SimConfig { persons: 0, ..SimConfig::demo(today) }, &store).await?;
    let (index, _) = SearchIndex::open_or_create(&dir.join("index"))?;
    let vault = jiuye_store::IdVault::new(&[1u8; 32]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let state = AppState::new(store.clone(), vault, Arc::new(index), clock.clone(), false);
    let indexed = jiuye_web::search_sync::rebuild(&state).await?;
    let mut all: Vec<Vacancy> = Vec::new();
    let mut after = None;
    loop {
        let batch = store.open_vacancies_batch(today, after, 10_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        all.extend(batch);
    }
    let by_id: HashMap<uuid::Uuid, &Vacancy> = all.iter().map(|v| (v.id, v)).collect();
    println!("judged queries: {}; demo vacancies indexed: {indexed}", set.len());

    let fare = |r: &SearchResults, j: &Judged| -> Fared {
        let shown: Vec<&Vacancy> = r.hits.iter().filter_map(|h| by_id.get(&h.id).copied()).collect();
        Fared::new(j, &shown, r.total, &all)
    };
    let mut ours = Vec::new();
    let mut before = Vec::new();
    for j in &set {
        let q = query_of(j)?;
        let now = state.search.search(&q, today)?;
        let then = state.search.search_previous(&q, today)?;
        let f = fare(&now, j);
        if args.verbose {
            let titles: Vec<&str> =
                now.hits.iter().take(5).filter_map(|h| by_id.get(&h.id).map(|v| v.title.as_str())).collect();
            println!(
                "  {:<16} p@10 {:.2} (before {:.2}) total {:>5} {:?} → {}  [{:?}]",
                j.kind_of,
                f.precision(),
                fare(&then, j).precision(),
                now.total,
                j.q,
                titles.join(" | "),
                now.understood
            );
        }
        ours.push(f);
        before.push(fare(&then, j));
    }
    let now = judged::summarise(&set, &ours);
    let then = judged::summarise(&set, &before);
    println!(
        "{:<16} {:>7} {:>8} {:>8} {:>10} {:>10}",
        "kind", "queries", "p@10", "nDCG@10", "before p@10", "before nDCG"
    );
    for (kind, (n, p, g)) in &now.by_kind {
        let (_, bp, bg) = then.by_kind.get(kind).copied().unwrap_or_default();
        println!("{kind:<16} {n:>7} {p:>8.3} {g:>8.3} {bp:>10.3} {bg:>10.3}");
    }
    let mut worst: Vec<(f64, &Judged, &Fared)> = set
        .iter()
        .zip(&ours)
        .filter(|(j, f)| !j.is_nonsense() && f.relevant > 0)
        .map(|(j, f)| (f.precision(), j, f))
        .collect();
    worst.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("lowest precision@10:");
    for (p, j, f) in worst.iter().take(10) {
        println!("  {p:.2} {:?} ({}; {} found, {} relevant in the data)", j.q, j.kind_of, f.total, f.relevant);
    }
    println!(
        "nonsense queries answered: {} (before {}); zero-result queries where a job matches: {} (before {})",
        now.nonsense_answered, then.nonsense_answered, now.zero_results, then.zero_results
    );
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "bench=relevance queries={} p_at_10={:.3} ndcg_at_10={:.3} zero_results={} baseline_p_at_10={:.3} baseline_ndcg_at_10={:.3} baseline_zero_results={}",
        now.queries, now.precision, now.ndcg, now.zero_results, then.precision, then.ndcg, then.zero_results
    );
    Ok(())
}
