//! `jiuye backup` and `jiuye restore`: the database and the secret key together — a database
//! without its key holds ID numbers nobody can read.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::config::Config;
use jiuye_store::Store;

const DB_FILE: &str = "jiuye.db";
const PG_DUMP: &str = "jiuye.pgdump";
const KEY_FILE: &str = "secret.key";

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).with_context(|| format!("creating {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

fn run(cmd: &mut std::process::Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("running {what} (is the PostgreSQL client installed?)"))?;
    if !out.status.success() {
        anyhow::bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

pub async fn backup(cfg: &Config, store: &Store, to: &Path, at: DateTime<Utc>) -> anyhow::Result<()> {
    if to.exists() && std::fs::read_dir(to)?.next().is_some() {
        anyhow::bail!("{} is not empty: a backup goes into a new folder", to.display());
    }
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let what = match store.backend_name() {
        "sqlite" => {
            store.backup_sqlite_into(&to.join(DB_FILE)).await?;
            DB_FILE
        }
        _ => {
            run(
                std::process::Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(to.join(PG_DUMP))
                    .arg(&cfg.database_url),
                "pg_dump",
            )?;
            PG_DUMP
        }
    };
    write_private(&to.join(KEY_FILE), &cfg.key_hex()?)?;
    let manifest = format!(
        "jiuye backup\ntaken_at={at}\nbackend={}\nmigration={}\ndatabase={what}\nkey={KEY_FILE}\n",
        store.backend_name(),
        Store::latest_migration()
    );
    std::fs::write(to.join("MANIFEST"), manifest)?;
    println!("backup of the {} database and its key in {}", store.backend_name(), to.display());
    Ok(())
}

pub async fn restore(cfg: &Config, from: &Path) -> anyhow::Result<()> {
    let key = std::fs::read_to_string(from.join(KEY_FILE))
        .with_context(|| format!("{} holds no {KEY_FILE}: not a jiuye backup", from.display()))?;
    let key_target = cfg.data.join(KEY_FILE);
    if key_target.exists() {
        anyhow::bail!("{} already holds a secret key: restore into an empty data folder", cfg.data.display());
    }
    if cfg.database_url.starts_with("sqlite:") {
        let target = cfg.data.join(DB_FILE);
        if target.exists() {
            anyhow::bail!("{} already holds a database: restore into an empty data folder", cfg.data.display());
        }
        std::fs::copy(from.join(DB_FILE), &target)
            .with_context(|| format!("{} holds no {DB_FILE} (a PostgreSQL backup?)", from.display()))?;
    } else {
        run(
            std::process::Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname"])
                .arg(&cfg.database_url)
                .arg(from.join(PG_DUMP)),
            "pg_restore",
        )?;
    }
    write_private(&key_target, key.trim())?;
    // The index is not part of a backup: it is rebuilt from the store at the next start.
    let _ = std::fs::remove_dir_all(cfg.data.join("index"));
    println!("restored {} into {}; the search index is rebuilt at the next start", from.display(), cfg.data.display());
    Ok(())
}
