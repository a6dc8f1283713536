//! Embeds the policy catalogue (`policies/` at the workspace root) into the library, so the
//! binary carries the catalogue it was built and tested with.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut tests = Vec::new();
    for (dir, out) in [(root.clone(), &mut files), (root.join("tests"), &mut tests)] {
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if p.extension().is_some_and(|x| x == "toml") && name != "facts.toml" {
                println!("cargo:rerun-if-changed={}", p.display());
                out.push((name, p.canonicalize().unwrap_or(p)));
            }
        }
    }
    files.sort();
    tests.sort();
    let mut code = String::new();
    let facts = root.join("facts.toml").canonicalize().unwrap_or_else(|_| root.join("facts.toml"));
    let _ = writeln!(code, "pub const FACTS: &str = include_str!({:?});", facts.display().to_string());
    for (name, list) in [("POLICIES", &files), ("TESTS", &tests)] {
        let _ = writeln!(code, "pub const {name}: &[(&str, &str)] = &[");
        for (n, p) in list.iter() {
            let _ = writeln!(code, "    ({n:?}, include_str!({:?})),", p.display().to_string());
        }
        let _ = writeln!(code, "];");
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("catalogue.rs");
    let _ = std::fs::write(out, code);
}
