//! Embeds the indicator catalogue (`indicators/` at the workspace root) and its test cases, so
//! the binary carries the indicators it was built and tested with.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../indicators");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut tests = Vec::new();
    for (dir, out) in [(root.clone(), &mut files), (root.join("tests"), &mut tests)] {
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if p.extension().is_some_and(|x| x == "toml") {
                println!("cargo:rerun-if-changed={}", p.display());
                out.push((name, p.canonicalize().unwrap_or(p)));
            }
        }
    }
    files.sort();
    tests.sort();
    let mut code = String::new();
    for (name, list) in [("INDICATORS", &files), ("TESTS", &tests)] {
        let _ = writeln!(code, "pub const {name}: &[(&str, &str)] = &[");
        for (n, p) in list.iter() {
            let _ = writeln!(code, "    ({n:?}, include_str!({:?})),", p.display().to_string());
        }
        let _ = writeln!(code, "];");
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("indicators.rs");
    let _ = std::fs::write(out, code);
}
