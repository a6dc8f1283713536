//! Every message key the code and templates use has zh-CN and English text.

use std::path::Path;

use jiuye_domain::messages::{Lang, check_catalogue, has, text};

fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push(std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

/// String literals that follow `marker` and look like catalogue keys.
fn keys_after(text: &str, marker: &str) -> Vec<String> {
    text.split(marker)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|k| k.contains('.') && k.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_used_key_has_both_texts() {
    assert!(check_catalogue().is_empty(), "{:?}", check_catalogue());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["jiuye-web/src", "jiuye-web/templates", "jiuye-domain/src", "jiuye-store/src"] {
        sources(&root.join(krate), &mut files);
    }
    let mut missing = Vec::new();
    let mut count = 0;
    for f in &files {
        for marker in [".t(\"", "CodeError::new(\"", "render(\""] {
            for k in keys_after(f, marker) {
                count += 1;
                if !has(&k) {
                    missing.push(k);
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(count > 100, "found only {count} keys: the scan is broken");
    assert!(missing.is_empty(), "keys without texts: {missing:?}");
    for role in jiuye_domain::roles::Role::ALL {
        assert!(has(&role.label_key()), "{role:?}");
    }
    for k in jiuye_domain::records::VacancyKind::ALL {
        assert!(has(&k.label_key()));
    }
    for s in jiuye_domain::records::VacancyStatus::ALL {
        assert!(has(&s.label_key()));
    }
    assert_ne!(text("ui.login", Lang::Zh), text("ui.login", Lang::En));
}
