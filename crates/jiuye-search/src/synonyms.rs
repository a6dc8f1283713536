//! Query-time synonym expansion from the curated list in `data/synonyms.txt`: each group with
//! the words that mean the same job and where the group comes from.

use std::collections::HashMap;
use std::sync::LazyLock;

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Lower-cased words, as written.
    pub words: Vec<String>,
    /// Where the group comes from: `大典 NAME` (an occupation of the 2022 classification) or
    /// `招聘用语` (words of job ads), `;`-separated.
    pub source: String,
}

static GROUPS: LazyLock<Vec<Group>> = LazyLock::new(|| {
    include_str!("../data/synonyms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (words, source) = l.split_once(" | ").unwrap_or((l, ""));
            Group {
                words: words.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect(),
                source: source.trim().to_string(),
            }
        })
        .collect()
});

static INDEX: LazyLock<HashMap<String, Vec<usize>>> = LazyLock::new(|| {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in GROUPS.iter().enumerate() {
        for w in &g.words {
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
        for w in &GROUPS[g].words {
            if !out.contains(w) {
                out.push(w.clone());
            }
        }
    }
    out
}

/// Whether the phrase is a word of some group.
pub fn is_known(phrase: &str) -> bool {
    INDEX.contains_key(&phrase.trim().to_lowercase())
}

/// Words of the list written in Latin letters (English titles), for typo tolerance.
pub fn latin_words() -> impl Iterator<Item = &'static str> {
    INDEX.keys().map(String::as_str).filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
}

/// English titles of several words (`security guard`), for typo tolerance of the whole.
pub fn latin_phrases() -> impl Iterator<Item = &'static str> {
    INDEX
        .keys()
        .map(String::as_str)
        .filter(|w| w.contains(' ') && w.chars().all(|c| c.is_ascii_alphabetic() || c == ' '))
}

pub fn groups() -> &'static [Group] {
    &GROUPS
}
