//! Where the data lives: the database URL and the secret key that protects ID numbers.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use jiuye_store::{IdVault, Store};

pub struct Config {
    pub data: PathBuf,
    pub database_url: String,
}

impl Config {
    pub fn load(data: &Path, database_url: Option<&str>) -> anyhow::Result<Config> {
        std::fs::create_dir_all(data).with_context(|| format!("creating the data folder {}", data.display()))?;
        let database_url = match database_url.filter(|u| !u.trim().is_empty()) {
            Some(u) => u.to_string(),
            None => format!("sqlite://{}?mode=rwc", data.join("jiuye.db").display()),
        };
        Ok(Config { data: data.to_path_buf(), database_url })
    }

    pub async fn connect(&self) -> anyhow::Result<Store> {
        // The URL may hold a password: name only the backend in errors.
        let backend = self.database_url.split(':').next().unwrap_or("database");
        Store::connect(&self.database_url).await.with_context(|| format!("connecting to the {backend} database"))
    }

    /// The search index in `<data>/index`; true when it was created empty.
    pub fn open_index(&self) -> anyhow::Result<(std::sync::Arc<jiuye_search::SearchIndex>, bool)> {
        let (index, fresh) = jiuye_search::SearchIndex::open_or_create(&self.data.join("index"))?;
        Ok((std::sync::Arc::new(index), fresh))
    }

    /// Casework rules are published in the database, the same for every instance: a
    /// `<data>/casework.toml` left from before would be rules only this instance works by, so
    /// its presence stops the command, saying how to publish it.
    pub fn refuse_local_casework_rules(&self) -> anyhow::Result<()> {
        let path = self.data.join("casework.toml");
        if path.exists() {
            anyhow::bail!(
                "{} is no longer read: casework rules are published for every instance. Publish it with \
                 `jiuye casework publish --file {} --note \"…\"` (it is checked first), then remove the file",
                path.display(),
                path.display()
            );
        }
        Ok(())
    }

    /// The master key: `JIUYE_SECRET_KEY` (64 hex digits), else `<data>/secret.key`, created
    /// on first run with mode 0600. Lose it and the stored ID numbers cannot be read.
    pub fn vault(&self) -> anyhow::Result<IdVault> {
        let key = match std::env::var("JIUYE_SECRET_KEY") {
            Ok(hex) if !hex.trim().is_empty() => {
                decode_hex(hex.trim()).context("JIUYE_SECRET_KEY must be 64 hex digits")?
            }
            _ => self.key_file()?,
        };
        IdVault::new(&key).map_err(|e| anyhow::anyhow!("secret key: {e}"))
    }

    /// The master key as 64 hex digits (for a backup).
    pub fn key_hex(&self) -> anyhow::Result<String> {
        let key = match std::env::var("JIUYE_SECRET_KEY") {
            Ok(k) if !k.trim().is_empty() => decode_hex(k.trim())?,
            _ => self.key_file()?,
        };
        Ok(key.iter().map(|b| format!("{b:02x}")).collect())
    }

    fn key_file(&self) -> anyhow::Result<Vec<u8>> {
        let path = self.data.join("secret.key");
        if path.exists() {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            return decode_hex(text.trim()).with_context(|| format!("{} must hold 64 hex digits", path.display()));
        }
        let key: [u8; 32] = rand::random();
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&path).with_context(|| format!("creating {}", path.display()))?;
        f.write_all(hex.as_bytes())?;
        tracing::info!(path = %path.display(), "generated a new secret key; back it up with the database");
        Ok(key.to_vec())
    }
}

fn decode_hex(s: &str) -> anyhow::Result<Vec<u8>> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        anyhow::bail!("expected 64 hex digits");
    }
    (0..32).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(Into::into)).collect()
}
