//! The open job feed for bulk readers: every change to a public vacancy after a cursor (from
//! the change log, so a late-committing change is never skipped and none is read twice), with
//! removals as tombstones, long-polled; and a snapshot of all open vacancies as gzip NDJSON,
//! resumable by byte range, with the cursor to continue from. No personal data: vacancies only.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::records::VacancyStatus;

use super::wire::VacancyOut;
use super::{Query, empty_as_none};
use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};

/// The longest a reader may wait for changes.
pub const MAX_WAIT_SECONDS: u32 = 30;
/// How often a waiting reader looks at the log.
const POLL: Duration = Duration::from_millis(100);
/// A snapshot is made again when older than this.
const SNAPSHOT_FRESH: Duration = Duration::from_secs(60);

fn cursor_of(position: i64) -> String {
    format!("f1-{position:x}")
}

fn position_of(cursor: &str) -> ApiResult<i64> {
    cursor
        .strip_prefix("f1-")
        .filter(|h| !h.is_empty() && h.len() <= 16)
        .and_then(|h| i64::from_str_radix(h, 16).ok())
        .filter(|p| *p >= 0)
        .ok_or_else(|| ApiError::invalid(CodeError::new("feed.cursor").field("after")))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// The cursor of the last answer (or of the snapshot); from now when absent.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub after: Option<String>,
    /// Seconds to wait for a change when there is none yet (0–30; default 0).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub wait: Option<u32>,
}

/// One change: the vacancy as it now is, or a tombstone when it is no longer public.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedItem {
    /// The change's sequence number (unique; a reader can check it never sees one twice).
    pub change: i64,
    /// `upsert` or `remove`.
    pub op: String,
    pub id: Uuid,
    pub vacancy: Option<VacancyOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedOut {
    pub changes: Vec<FeedItem>,
    /// Ask with this next.
    pub cursor: String,
}

/// Changes after a position, waiting up to `wait` for the first.
pub async fn changes_after(state: &AppState, after: Option<&str>, wait: u32) -> ApiResult<FeedOut> {
    let mut position = match after {
        Some(c) => position_of(c)?,
        None => state.store.change_position().await?,
    };
    let deadline = Instant::now() + Duration::from_secs(u64::from(wait.min(MAX_WAIT_SECONDS)));
    loop {
        let batch = state.store.changes_after(position).await?;
        if batch.behind {
            return Err(ApiError::Gone(CodeError::new("feed.cursor_expired").field("after")));
        }
        // The latest change of each vacancy in the batch (its state is read now).
        let mut latest: Vec<(i64, Uuid)> = Vec::new();
        for c in batch.changes.iter().filter(|c| c.entity == "vacancy") {
            match latest.iter_mut().find(|(_, id)| *id == c.entity_id) {
                Some(slot) => slot.0 = c.seq,
                None => latest.push((c.seq, c.entity_id)),
            }
        }
        position = batch.next;
        if !latest.is_empty() || Instant::now() >= deadline {
            let today = state.clock.today();
            let ids: Vec<Uuid> = latest.iter().map(|(_, id)| *id).collect();
            let found = state.store.vacancies_by_ids(&ids).await?;
            let changes = latest
                .into_iter()
                .map(|(seq, id)| {
                    let v = found
                        .iter()
                        .find(|v| v.id == id)
                        .filter(|v| v.status == VacancyStatus::Open && v.closes_on >= today);
                    FeedItem {
                        change: seq,
                        op: if v.is_some() { "upsert".into() } else { "remove".into() },
                        id,
                        vacancy: v.map(|v| VacancyOut::of(v, today)),
                    }
                })
                .collect();
            return Ok(FeedOut { changes, cursor: cursor_of(position) });
        }
        tokio::time::sleep(POLL).await;
    }
}

#[utoipa::path(get, path = "/api/v1/feed/changes", tag = "feed", params(ChangesQuery), responses(
    (status = 200, description = "New, changed and removed vacancies after the cursor (removals as tombstones), and the next cursor", body = FeedOut),
    (status = 410, description = "The cursor is older than the kept change log: take the snapshot again", body = ErrorEnvelope),
    (status = 422, description = "A cursor we did not issue", body = ErrorEnvelope)))]
pub async fn changes(State(state): State<AppState>, Query(q): Query<ChangesQuery>) -> ApiResult<axum::Json<FeedOut>> {
    Ok(axum::Json(changes_after(&state, q.after.as_deref(), q.wait.unwrap_or(0)).await?))
}

/// A snapshot made once, written to a file in the snapshot folder, and served to every reader
/// (and resumed by range) from that file: a province's million vacancies make a few hundred
/// megabytes that have no business in memory. A stale one is still served at once while the
/// next is made in the background, so no reader ever waits for the store to be read (only the
/// very first one after a start).
#[derive(Clone)]
pub struct Snapshot {
    pub cursor: String,
    pub etag: String,
    pub len: u64,
    file: Arc<SnapshotFile>,
    made: Instant,
}

/// A snapshot's file, removed when the last snapshot naming it goes. A reader who opened it
/// before reads on: the file's data stays until the last handle closes.
struct SnapshotFile(PathBuf);

impl Drop for SnapshotFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0) {
            tracing::warn!(%e, path = %self.0.display(), "removing an old feed snapshot");
        }
    }
}

pub struct SnapshotCache {
    dir: PathBuf,
    slot: tokio::sync::Mutex<Option<Snapshot>>,
    /// A rebuild is under way.
    building: std::sync::atomic::AtomicBool,
}

/// Snapshot files made by this process, numbered (several apps in one process, as in tests,
/// share a folder).
static SNAPSHOT_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
const SNAPSHOT_PREFIX: &str = "vacancies-";
const SNAPSHOT_SUFFIX: &str = ".ndjson.gz";

impl SnapshotCache {
    /// Snapshots written to `dir` (created if missing). Files an earlier run of this instance
    /// left there (it stopped without removing them) are removed.
    pub fn in_dir(dir: PathBuf) -> SnapshotCache {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let ours =
                    name.starts_with(SNAPSHOT_PREFIX) && (name.ends_with(SNAPSHOT_SUFFIX) || name.ends_with(".part"));
                if ours && let Err(err) = std::fs::remove_file(e.path()) {
                    tracing::warn!(%err, name, "removing a feed snapshot left by an earlier run");
                }
            }
        }
        SnapshotCache::at(dir)
    }

    fn at(dir: PathBuf) -> SnapshotCache {
        SnapshotCache { dir, slot: tokio::sync::Mutex::new(None), building: std::sync::atomic::AtomicBool::new(false) }
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

impl Default for SnapshotCache {
    /// In the system's temporary folder, per process (an instance without a data folder).
    fn default() -> Self {
        SnapshotCache::at(std::env::temp_dir().join(format!("jiuye-feed-{}", std::process::id())))
    }
}

/// Gzip NDJSON written on a blocking thread, a batch at a time.
struct GzFile {
    gz: Option<flate2::write::GzEncoder<std::io::BufWriter<std::fs::File>>>,
}

impl GzFile {
    async fn write(&mut self, text: Vec<u8>) -> ApiResult<()> {
        use std::io::Write as _;
        let mut gz = self.gz.take().ok_or(ApiError::Internal)?;
        let gz = tokio::task::spawn_blocking(move || gz.write_all(&text).map(|_| gz))
            .await
            .map_err(|_| ApiError::Internal)?
            .map_err(io_failed)?;
        self.gz = Some(gz);
        Ok(())
    }

    async fn finish(mut self) -> ApiResult<()> {
        use std::io::Write as _;
        let gz = self.gz.take().ok_or(ApiError::Internal)?;
        tokio::task::spawn_blocking(move || {
            let mut file = gz.finish()?;
            file.flush()?;
            file.get_ref().sync_all()
        })
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(io_failed)
    }
}

fn io_failed(e: std::io::Error) -> ApiError {
    tracing::error!(%e, "writing the feed snapshot");
    ApiError::Internal
}

/// Make the snapshot: the cursor is taken before reading, so every change after the read
/// comes through the feed (a vacancy changed meanwhile may come twice — as an upsert it is
/// idempotent). Written to a part file and renamed when whole, so no reader sees half of one.
pub async fn make_snapshot(state: &AppState) -> ApiResult<Snapshot> {
    let dir = state.snapshot.dir.clone();
    let n = SNAPSHOT_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("{SNAPSHOT_PREFIX}{}-{n}{SNAPSHOT_SUFFIX}", std::process::id());
    let (path, part) = (dir.join(&name), dir.join(format!("{name}.part")));
    let position = state.store.change_position().await?;
    let cursor = cursor_of(position);
    let today = state.clock.today();
    let file = {
        let (dir, part) = (dir.clone(), part.clone());
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&dir)?;
            std::fs::File::create(&part)
        })
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(io_failed)?
    };
    let encoder = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::fast());
    let mut out = GzFile { gz: Some(encoder) };
    let written = async {
        let head = serde_json::json!({ "cursor": cursor, "generated_on": today });
        out.write(format!("{head}\n").into_bytes()).await?;
        let mut after = None;
        loop {
            let batch = state.store.open_vacancies_batch(today, after, 5_000).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            let mut text = Vec::with_capacity(batch.len() * 1_024);
            for v in &batch {
                serde_json::to_writer(&mut text, &VacancyOut::of(v, today)).map_err(|_| ApiError::Internal)?;
                text.push(b'\n');
            }
            out.write(text).await?;
        }
        out.finish().await
    }
    .await;
    let renamed = match written {
        Ok(()) => {
            let (part, path) = (part.clone(), path.clone());
            tokio::task::spawn_blocking(move || {
                std::fs::rename(&part, &path)?;
                std::fs::metadata(&path).map(|m| m.len())
            })
            .await
            .map_err(|_| ApiError::Internal)?
            .map_err(io_failed)
        }
        Err(e) => Err(e),
    };
    let len = match renamed {
        Ok(len) => len,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
    };
    let etag = format!("\"{cursor}-{len}\"");
    Ok(Snapshot { cursor, etag, len, file: Arc::new(SnapshotFile(path)), made: Instant::now() })
}

/// Make the snapshot ahead of its first reader (at start).
pub async fn prepare_snapshot(state: &AppState) -> ApiResult<()> {
    snapshot_now(state).await.map(|_| ())
}

async fn snapshot_now(state: &AppState) -> ApiResult<Snapshot> {
    use std::sync::atomic::Ordering;
    let cache = state.snapshot.clone();
    let mut slot = cache.slot.lock().await;
    match slot.as_ref() {
        Some(s) => {
            let s = s.clone();
            if s.made.elapsed() >= SNAPSHOT_FRESH && !cache.building.swap(true, Ordering::AcqRel) {
                let (state, cache) = (state.clone(), cache.clone());
                tokio::spawn(async move {
                    match make_snapshot(&state).await {
                        Ok(next) => *cache.slot.lock().await = Some(next),
                        Err(e) => tracing::error!(?e, "rebuilding the feed snapshot"),
                    }
                    cache.building.store(false, Ordering::Release);
                });
            }
            Ok(s)
        }
        None => {
            let s = make_snapshot(state).await?;
            *slot = Some(s.clone());
            Ok(s)
        }
    }
}

/// `len` bytes of the snapshot's file from `start`, as a body streamed in 256 KiB reads. The
/// file is opened now, so a newer snapshot replacing it does not cut this reader off.
async fn file_body(s: &Snapshot, start: u64, len: u64) -> ApiResult<axum::body::Body> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let mut file = tokio::fs::File::open(&s.file.0).await.map_err(io_failed)?;
    file.seek(std::io::SeekFrom::Start(start)).await.map_err(io_failed)?;
    let keep = s.file.clone();
    let chunks = futures_util::stream::unfold((file, len, keep), |(mut file, left, keep)| async move {
        if left == 0 {
            return None;
        }
        let want = usize::try_from(left.min(256 * 1024)).unwrap_or(256 * 1024);
        let mut buf = vec![0u8; want];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                let left = left.saturating_sub(n as u64);
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)), (file, left, keep)))
            }
            Err(e) => Some((Err(e), (file, 0, keep))),
        }
    });
    Ok(axum::body::Body::from_stream(chunks))
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` against a length: the inclusive range, or `None`
/// when unreadable (then the whole body is served, as RFC 9110 allows).
fn range_of(value: &str, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.saturating_sub(n), len.checked_sub(1)?)
        }
        (a, "") => (a.parse().ok()?, len.checked_sub(1)?),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(len.saturating_sub(1))),
    };
    if start >= len || start > end {
        return Some(Err(()));
    }
    Some(Ok((start, end)))
}

#[utoipa::path(get, path = "/api/v1/feed/snapshot", tag = "feed", responses(
    (status = 200, description = "All open vacancies as gzip NDJSON: a first line with the cursor to continue the feed from, then one vacancy a line. `X-Feed-Cursor` says the cursor too; `ETag` names this snapshot"),
    (status = 206, description = "A byte range of the same snapshot (resume with `Range` and `If-Range`)"),
    (status = 416, description = "A range beyond the snapshot", body = ErrorEnvelope)))]
pub async fn snapshot(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let s = snapshot_now(&state).await?;
    let len = s.len;
    let same = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok()).is_none_or(|v| v == s.etag);
    let range =
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()).filter(|_| same).and_then(|r| range_of(r, len));
    let common = |resp: &mut Response, body_len: u64| {
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/gzip"));
        h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"vacancies.ndjson.gz\""));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
        if let Ok(v) = HeaderValue::from_str(&s.etag) {
            h.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(&s.cursor) {
            h.insert("x-feed-cursor", v);
        }
    };
    match range {
        Some(Err(())) => Err(ApiError::BadRange(CodeError::new("feed.range").field("range"))),
        Some(Ok((start, end))) => {
            let n = end - start + 1;
            let mut resp = (StatusCode::PARTIAL_CONTENT, file_body(&s, start, n).await?).into_response();
            common(&mut resp, n);
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                resp.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            Ok(resp)
        }
        None => {
            let mut resp = (StatusCode::OK, file_body(&s, 0, len).await?).into_response();
            common(&mut resp, len);
            Ok(resp)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_rfc_9110_says() {
        let cases = [
            ("bytes=0-9", 100, Some(Ok((0, 9)))),
            ("bytes=90-", 100, Some(Ok((90, 99)))),
            ("bytes=-10", 100, Some(Ok((90, 99)))),
            ("bytes=50-500", 100, Some(Ok((50, 99)))),
            ("bytes=100-", 100, Some(Err(()))),
            ("bytes=9-3", 100, Some(Err(()))),
            ("bytes=0-1,5-6", 100, None),
            ("items=0-1", 100, None),
            ("bytes=x-", 100, None),
        ];
        for (value, len, want) in cases {
            assert_eq!(range_of(value, len), want, "{value}");
        }
    }

    /// An instance's snapshot folder is its own: files an earlier run left (whole or half
    /// written) go at start, anything else stays.
    #[test]
    fn a_start_removes_the_snapshots_an_earlier_run_left() {
        let dir = std::env::temp_dir().join(format!("jiuye-feed-test-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        for name in ["vacancies-1-0.ndjson.gz", "vacancies-1-1.ndjson.gz.part", "keep.txt"] {
            assert!(std::fs::write(dir.join(name), b"x").is_ok(), "{name}");
        }
        let cache = SnapshotCache::in_dir(dir.clone());
        let mut left: Vec<String> = std::fs::read_dir(cache.dir())
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        left.sort();
        assert_eq!(left, vec!["keep.txt".to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn cursors_are_ours_or_refused() {
        assert_eq!(position_of(&cursor_of(0x2a)).ok(), Some(0x2a));
        for bad in ["", "f1-", "42", "f1-zz", "f1--1", "f1-ffffffffffffffffff"] {
            assert!(position_of(bad).is_err(), "{bad}");
        }
    }
}
