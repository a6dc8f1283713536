//! The message catalogue: every user-facing text, zh-CN first and English second.
//!
//! The texts live in `data/messages/*.toml` (one table per key with `zh` and `en`), embedded
//! at build time. Keys are stable error codes (`national_id.checksum`) or UI labels
//! (`ui.nav.search`). A missing key renders as the key itself, and a test checks that every
//! key used in code exists.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh" | "zh-CN" | "zh-cn" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

#[derive(serde::Deserialize)]
struct Entry {
    zh: String,
    en: String,
}

const SOURCES: &[(&str, &str)] = &[
    ("codes.toml", include_str!("../data/messages/codes.toml")),
    ("records.toml", include_str!("../data/messages/records.toml")),
    ("match.toml", include_str!("../data/messages/match.toml")),
    ("ui.toml", include_str!("../data/messages/ui.toml")),
    ("casework.toml", include_str!("../data/messages/casework.toml")),
    ("regions.toml", include_str!("../data/messages/regions.toml")),
    ("audit.toml", include_str!("../data/messages/audit.toml")),
    ("facts.toml", include_str!("../data/messages/facts.toml")),
    ("lists.toml", include_str!("../data/messages/lists.toml")),
    ("oversight.toml", include_str!("../data/messages/oversight.toml")),
    ("gig.toml", include_str!("../data/messages/gig.toml")),
];

static CATALOGUE: LazyLock<HashMap<String, (String, String)>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for (name, text) in SOURCES {
        // A broken catalogue is a build defect caught by the catalogue test, not a runtime state;
        // at run time we fall back to showing keys rather than refusing to start.
        let parsed: HashMap<String, Entry> = toml::from_str(text).unwrap_or_else(|e| {
            eprintln!("message catalogue {name} is malformed: {e}");
            HashMap::new()
        });
        for (k, v) in parsed {
            map.insert(k, (v.zh, v.en));
        }
    }
    map
});

/// Look up a text; unknown keys come back as the key so nothing is ever blank.
pub fn text(key: &str, lang: Lang) -> String {
    render(key, lang, &[])
}

/// Text with `{name}` placeholders filled in.
pub fn render(key: &str, lang: Lang, args: &[(&'static str, String)]) -> String {
    render_args(key, lang, args)
}

/// Text with `{name}` placeholders filled in, in one pass (the matcher explains thousands of
/// offers a second): a placeholder without its argument stays as written, and a value is never
/// read again for placeholders.
pub fn render_args<V: AsRef<str>>(key: &str, lang: Lang, args: &[(&str, V)]) -> String {
    let base: &str = match CATALOGUE.get(key) {
        Some((zh, en)) => match lang {
            Lang::Zh => zh,
            Lang::En => en,
        },
        None => key,
    };
    if args.is_empty() || !base.contains('{') {
        return base.to_string();
    }
    let mut out = String::with_capacity(base.len() + args.iter().map(|(_, v)| v.as_ref().len()).sum::<usize>());
    let mut rest = base;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        if name.contains('{') {
            // `{{a}`: the first brace is text, the placeholder starts at the next.
            out.push('{');
            rest = after;
            continue;
        }
        match args.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v.as_ref()),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

pub fn has(key: &str) -> bool {
    CATALOGUE.contains_key(key)
}

/// Every key of the catalogue (for lists built from it, such as the audit log's actions).
pub fn keys() -> Vec<&'static str> {
    CATALOGUE.keys().map(String::as_str).collect()
}

/// Every parse problem of every catalogue file, for the catalogue test.
pub fn check_catalogue() -> Vec<String> {
    SOURCES
        .iter()
        .filter_map(|(name, text)| toml::from_str::<HashMap<String, Entry>>(text).err().map(|e| format!("{name}: {e}")))
        .collect()
}
