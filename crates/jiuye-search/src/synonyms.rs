//! Query-time synonym expansion from the curated list in `data/synonyms.txt`.

use std::collections::HashMap;
use std::sync::LazyLock;

static GROUPS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    include_str!("../data/synonyms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect())
        .collect()
});

static INDEX: LazyLock<HashMap<String, Vec<usize>>> = LazyLock::new(|| {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in GROUPS.iter().enumerate() {
        for w in g {
            map.entry(w.clone()).or_default().push(i);
        }
    }
    map
});

/// The phrase itself and every synonym of it, the phrase first.
pub fn expand(phrase: &str) -> Vec<String> {
    let key = phrase.trim().to_lowercase();
    let mut out = vec![key.clone()];
    for &g in INDEX.get(&key).into_iter().flatten() {
        for w in &GROUPS[g] {
            if !out.contains(w) {
                out.push(w.clone());
            }
        }
    }
    out
}

pub fn groups() -> &'static [Vec<String>] {
    &GROUPS
}
