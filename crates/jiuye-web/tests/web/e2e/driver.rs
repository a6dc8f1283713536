//! A small W3C WebDriver client on reqwest, driving Debian's `chromium` through
//! `chromedriver`. Just what the journeys need: navigate, find (with a short retry, since
//! pages are server-rendered and a form post may still be landing), click, type, select,
//! read text/URL/source, take a screenshot. Every failure panics with what the page showed.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The W3C key under which an element reference travels.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a find (or a wait for a page) may poll.
const PATIENCE: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);

/// A WebDriver error answer.
#[derive(Debug)]
pub struct WdError {
    pub status: u16,
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let first_line = self.message.lines().next().unwrap_or_default();
        write!(f, "{} ({}): {first_line}", self.error, self.status)
    }
}

/// One chromedriver process with one browser session. Dropping it ends the session,
/// then the driver's process group (chromedriver and the browser it started).
pub struct Browser {
    http: reqwest::Client,
    base: String,
    session: String,
    driver: Child,
    profile: PathBuf,
    closed: bool,
}

/// An element of the current page.
pub struct Element<'a> {
    b: &'a Browser,
    id: String,
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("no free port: {e}"));
    l.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// Fail loudly (never skip) when the browser is not installed.
fn require_installed() {
    for bin in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: the end-to-end tests need a real browser. \
             Install Debian's packages: `sudo apt-get install chromium chromium-driver`"
        );
    }
}

impl Browser {
    /// Start chromedriver on a free port and open a headless Chromium session.
    pub async fn start() -> Browser {
        require_installed();
        let port = free_port();
        let profile = std::env::temp_dir().join(format!("jiuye-e2e-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&profile).unwrap_or_else(|e| panic!("profile dir {}: {e}", profile.display()));
        let mut cmd = Command::new(CHROMEDRIVER);
        cmd.arg(format!("--port={port}")).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        // Its own process group, so that the browser it starts goes down with it.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let driver = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {CHROMEDRIVER}: {e}; install Debian's `chromium` and `chromium-driver`")
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_else(|e| panic!("http client: {e}"));
        let mut b = Browser {
            http,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            driver,
            profile,
            closed: true,
        };
        b.wait_ready().await;
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            format!("--user-data-dir={}", b.profile.join("chrome").display()),
            "--window-size=1280,900",
        ]);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
        }}});
        let v = b.raw("POST", "/session", Some(caps)).await.unwrap_or_else(|e| panic!("new browser session: {e}"));
        b.session = v["sessionId"].as_str().unwrap_or_else(|| panic!("no sessionId in {v}")).to_string();
        b.closed = false;
        b.cmd("POST", "/timeouts", json!({"pageLoad": 20_000, "script": 10_000, "implicit": 0})).await;
        b
    }

    async fn wait_ready(&mut self) {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("{CHROMEDRIVER} exited at start ({status})");
            }
            if let Ok(v) = self.raw("GET", "/status", None).await
                && v["ready"].as_bool() == Some(true)
            {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "{CHROMEDRIVER} did not become ready in 15 s");
            tokio::time::sleep(POLL).await;
        }
    }

    /// One WebDriver request; `path` is relative to the server root. Returns `value`.
    async fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, WdError> {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            // W3C: a POST always carries a JSON body, `{}` when there is nothing to say.
            _ => self.http.post(url).json(&body.unwrap_or_else(|| json!({}))),
        };
        let resp =
            req.send().await.map_err(|e| WdError { status: 0, error: "transport".into(), message: e.to_string() })?;
        let status = resp.status().as_u16();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        match value.get("error").and_then(Value::as_str) {
            Some(error) if status >= 400 || !error.is_empty() => Err(WdError {
                status,
                error: error.to_string(),
                message: value["message"].as_str().unwrap_or_default().to_string(),
            }),
            _ if status >= 400 => Err(WdError { status, error: "http".into(), message: v.to_string() }),
            _ => Ok(value),
        }
    }

    /// A session command; `path` is relative to `/session/{id}`.
    async fn try_cmd(&self, method: &str, path: &str, body: Value) -> Result<Value, WdError> {
        self.raw(method, &format!("/session/{}{path}", self.session), Some(body)).await
    }

    async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        match self.try_cmd(method, path, body).await {
            Ok(v) => v,
            Err(e) => panic!("webdriver {method} {path}: {e} (page: {})", self.try_url().await),
        }
    }

    async fn try_url(&self) -> String {
        self.try_cmd("GET", "/url", Value::Null)
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url })).await;
    }

    pub async fn url(&self) -> String {
        self.cmd("GET", "/url", Value::Null).await.as_str().unwrap_or_default().to_string()
    }

    /// The current path with its query, e.g. `/vacancies?q=x`.
    pub async fn path(&self) -> String {
        let url = self.url().await;
        let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(&url);
        after_scheme.find('/').map(|i| after_scheme[i..].to_string()).unwrap_or_else(|| "/".into())
    }

    pub async fn source(&self) -> String {
        self.cmd("GET", "/source", Value::Null).await.as_str().unwrap_or_default().to_string()
    }

    pub async fn execute(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    /// Run `script` as an async script: it calls `arguments[arguments.length - 1]` with its
    /// result.
    pub async fn execute_async(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/async", json!({ "script": script, "args": [] })).await
    }

    /// What the page says when something went wrong: its URL, error box, form errors.
    async fn describe(&self) -> String {
        let mut out = format!("at {}", self.try_url().await);
        for css in ["#error-message", "#form-errors", "h1"] {
            if let Some(e) = self.try_find(css).await
                && let Ok(t) = e.try_text().await
            {
                out.push_str(&format!("; {css}: {t:?}"));
            }
        }
        out
    }

    /// The first element matching `css` now, if any.
    pub async fn try_find(&self, css: &str) -> Option<Element<'_>> {
        let v = self.try_cmd("POST", "/element", json!({"using": "css selector", "value": css})).await.ok()?;
        v[ELEMENT_KEY].as_str().map(|id| Element { b: self, id: id.to_string() })
    }

    /// The first element matching `css`, waiting up to 5 s for it.
    pub async fn find(&self, css: &str) -> Element<'_> {
        let start = Instant::now();
        loop {
            if let Some(e) = self.try_find(css).await {
                return e;
            }
            if start.elapsed() > PATIENCE {
                panic!("no element {css:?} after {PATIENCE:?} {}", self.describe().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Every element matching `css` now (after waiting for the first one).
    pub async fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        self.find(css).await;
        let v = self.cmd("POST", "/elements", json!({"using": "css selector", "value": css})).await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|id| Element { b: self, id: id.to_string() })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Click the element matching `css`, retrying while the page is still changing.
    pub async fn click(&self, css: &str) {
        let start = Instant::now();
        loop {
            let e = self.find(css).await;
            match e.try_click().await {
                Ok(()) => return,
                Err(err) if start.elapsed() > PATIENCE => panic!("click {css:?}: {err} {}", self.describe().await),
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// Click what posts a form or follows a link, and wait until the next document has replaced
    /// this one. A form that answers on its own path would otherwise let the next wait or read
    /// see the page before (and its elements go stale mid-read).
    pub async fn submit(&self, css: &str) {
        self.execute("window.__jiuyeBefore = true;").await;
        self.click(css).await;
        let start = Instant::now();
        loop {
            let probe = json!({"script": "return window.__jiuyeBefore === true", "args": []});
            // During the navigation the script may fail; that is not yet an answer.
            if let Ok(Value::Bool(false)) = self.try_cmd("POST", "/execute/sync", probe.clone()).await {
                let ready = json!({"script": "return document.readyState === 'complete'", "args": []});
                if let Ok(Value::Bool(true)) = self.try_cmd("POST", "/execute/sync", ready).await {
                    return;
                }
            }
            if start.elapsed() > PATIENCE {
                panic!("clicking {css:?} loaded no new page {}", self.describe().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Replace the value of the input matching `css` with `text`, and check it took.
    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await;
        e.send_keys(text).await;
        let got = e.property("value").await;
        assert_eq!(got.as_str(), Some(text), "typing into {css:?}");
    }

    /// Choose the option with `value` in the select matching `select_css`.
    pub async fn select(&self, select_css: &str, value: &str) {
        self.click(&format!("{select_css} option[value=\"{value}\"]")).await;
        let got = self.find(select_css).await.property("value").await;
        assert_eq!(got.as_str(), Some(value), "choosing {value} in {select_css:?}");
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await
    }

    /// Wait until the element matching `css` says `needle`: after a form posts, the page
    /// before it may still be showing (with an element of the same name); panics with what the
    /// page shows.
    pub async fn wait_text(&self, css: &str, needle: &str) {
        let start = Instant::now();
        loop {
            // The element may go stale under us as the page changes: try again then.
            if let Some(e) = self.try_find(css).await
                && e.try_text().await.is_ok_and(|t| t.contains(needle))
            {
                return;
            }
            if start.elapsed() > PATIENCE {
                panic!("{css:?} never said {needle:?} {}", self.describe().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until the current path (without query) is `path`; panics with what the page shows.
    pub async fn wait_path(&self, path: &str) {
        let start = Instant::now();
        loop {
            let here = self.path().await;
            if here.split(['?', '#']).next() == Some(path) {
                return;
            }
            if start.elapsed() > PATIENCE {
                panic!("expected to be on {path} {}", self.describe().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Emulate a phone-sized viewport (DevTools device metrics), e.g. 375×800.
    pub async fn phone_viewport(&self, width: u32, height: u32) {
        let params = json!({"width": width, "height": height, "deviceScaleFactor": 2, "mobile": true});
        self.cmd("POST", "/goog/cdp/execute", json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": params}))
            .await;
    }

    /// Put the device at a place, and have the visitor allow `origin` (e.g. `http://127.0.0.1:8080`)
    /// to read it, as if they answered the browser's question with "allow".
    pub async fn share_location(&self, origin: &str, latitude: f64, longitude: f64) {
        let grant = json!({"origin": origin, "permissions": ["geolocation"]});
        self.cmd("POST", "/goog/cdp/execute", json!({"cmd": "Browser.grantPermissions", "params": grant})).await;
        let at = json!({"latitude": latitude, "longitude": longitude, "accuracy": 30});
        self.cmd("POST", "/goog/cdp/execute", json!({"cmd": "Emulation.setGeolocationOverride", "params": at})).await;
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        let v = self.cmd("GET", "/screenshot", Value::Null).await;
        let b64 = v.as_str().unwrap_or_else(|| panic!("screenshot: no data"));
        base64_decode(b64).unwrap_or_else(|| panic!("screenshot: not base64"))
    }

    /// End the session (the browser quits).
    pub async fn quit(mut self) {
        if !self.closed {
            let _ = self.raw("DELETE", &format!("/session/{}", self.session), None).await;
            self.closed = true;
        }
    }
}

impl Element<'_> {
    pub async fn try_click(&self) -> Result<(), WdError> {
        self.b.try_cmd("POST", &format!("/element/{}/click", self.id), json!({})).await.map(|_| ())
    }

    pub async fn click(&self) {
        self.b.cmd("POST", &format!("/element/{}/click", self.id), json!({})).await;
    }

    pub async fn clear(&self) {
        self.b.cmd("POST", &format!("/element/{}/clear", self.id), json!({})).await;
    }

    pub async fn send_keys(&self, text: &str) {
        self.b.cmd("POST", &format!("/element/{}/value", self.id), json!({ "text": text })).await;
    }

    async fn try_text(&self) -> Result<String, WdError> {
        let v = self.b.try_cmd("GET", &format!("/element/{}/text", self.id), Value::Null).await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub async fn text(&self) -> String {
        self.b
            .cmd("GET", &format!("/element/{}/text", self.id), Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn property(&self, name: &str) -> Value {
        self.b.cmd("GET", &format!("/element/{}/property/{name}", self.id), Value::Null).await
    }
}

/// Blocking `DELETE /session/{id}` over a plain socket, for use in `Drop`.
fn delete_session_blocking(base: &str, session: &str) {
    let Some(addr) = base.strip_prefix("http://") else { return };
    let Ok(mut s) = TcpStream::connect(addr) else { return };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(5)));
    let req = format!("DELETE /session/{session} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_ok() {
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            delete_session_blocking(&self.base, &self.session);
            self.closed = true;
        }
        // chromedriver leads its own process group (see `start`): end the group, so that no
        // browser process outlives the test, then reap the driver.
        let pgid = self.driver.id();
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{pgid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Standard base64 (with or without padding); `None` on any other character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let bytes: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let data = match bytes.iter().position(|&c| c == b'=') {
        Some(i) if bytes[i..].iter().all(|&c| c == b'=') && bytes.len() - i <= 2 => &bytes[..i],
        Some(_) => return None,
        None => &bytes[..],
    };
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * i);
        }
        let n = chunk.len() - 1;
        out.extend_from_slice(&acc.to_be_bytes()[1..=n]);
    }
    Some(out)
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
    assert_eq!(base64_decode("aGVsbG8h").as_deref(), Some(&b"hello!"[..]));
    assert_eq!(base64_decode("aGk").as_deref(), Some(&b"hi"[..]));
    assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
    assert_eq!(base64_decode("a$=="), None);
}
