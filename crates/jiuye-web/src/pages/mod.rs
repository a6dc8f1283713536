//! Server-rendered pages (askama), zh-CN by default with an English switch and a large-text
//! mode. Every page works as plain HTML forms; `static/app.js` only adds typeahead.

pub mod account;
pub mod admin;
pub mod applications;
pub mod casework;
pub mod employer;
pub mod form;
pub mod gig;
pub mod labour;
pub mod list;
pub mod market;
pub mod oversight;
pub mod progress;
pub mod public;
pub mod security;
pub mod seeker;
pub mod simulate;
pub mod staff;
pub mod subsidies;
pub mod surveys;
pub mod training;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

use jiuye_domain::Lang;
use jiuye_domain::messages::text;
use jiuye_domain::roles::{Permission, Role};

use crate::auth::{Viewer, cookie_value};
use crate::error::ApiError;

/// The visitor's language and text size, from their cookies.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    pub large: bool,
}

impl Tr {
    pub fn t(&self, key: &str) -> String {
        text(key, self.lang)
    }

    pub fn lang_attr(&self) -> &'static str {
        self.lang.as_str()
    }

    /// The other language, for the switch.
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "en",
            Lang::En => "zh",
        }
    }

    pub fn other_lang_label(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "English",
            Lang::En => "中文",
        }
    }

    pub fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    /// A region (district, city, province) by its code, in the visitor's language; a street,
    /// which has no English name, by its official name.
    pub fn region(&self, code: &str) -> String {
        let key = format!("region.{code}");
        if jiuye_domain::messages::has(&key) {
            return self.t(&key);
        }
        jiuye_domain::codes::region::lookup(code).map(|r| r.name.to_string()).unwrap_or_else(|| code.to_string())
    }

    /// An education level by its GB/T 4658 code.
    pub fn education(&self, code: &str) -> String {
        match jiuye_domain::codes::EducationLevel::parse(code) {
            Ok(e) if self.zh() => e.label_zh().to_string(),
            Ok(e) => e.label_en().to_string(),
            Err(_) => code.to_string(),
        }
    }

    /// A key group by its id.
    pub fn group(&self, id: &str) -> String {
        match jiuye_domain::codes::KeyGroup::parse(id) {
            Ok(g) if self.zh() => g.label_zh().to_string(),
            Ok(g) => g.label_en().to_string(),
            Err(_) => id.to_string(),
        }
    }

    /// An amount of money (fen) to the fen, with separators.
    /// A vacancy's pay as stated: "200–300 元/天（约 4,350–6,525 元/月）", "面议".
    pub fn pay(&self, p: &crate::api::wire::PayOut) -> String {
        if self.zh() { p.text_zh.clone() } else { p.text_en.clone() }
    }

    pub fn money(&self, fen: impl std::borrow::Borrow<i64>) -> String {
        jiuye_domain::money::Fen(*fen.borrow()).readable(self.lang)
    }

    /// A budget-sized amount: 万元 in Chinese from ten thousand yuan up.
    pub fn money_large(&self, fen: impl std::borrow::Borrow<i64>) -> String {
        jiuye_domain::money::Fen(*fen.borrow()).readable_large(self.lang)
    }

    /// A share in permille as a percentage with one decimal.
    pub fn percent(&self, permille: i64) -> String {
        format!("{}.{}%", permille / 10, permille % 10)
    }

    /// A sex as shown by the API (男 / 女), in the visitor's language.
    pub fn sex(&self, shown: &str) -> String {
        match shown {
            "男" | "male" => self.t("person.sex.male"),
            "女" | "female" => self.t("person.sex.female"),
            other => other.to_string(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = cookie_value(parts, "jiuye_lang").and_then(Lang::parse).unwrap_or_default();
        let large = cookie_value(parts, "jiuye_large") == Some("1");
        Ok(Tr { lang, large })
    }
}

pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn new(href: &str, label: String) -> Link {
        Link { href: href.to_string(), label }
    }
}

/// What every page's frame needs: language, who is signed in, their menu, the CSRF token.
pub struct Chrome {
    pub t: Tr,
    pub user: Option<String>,
    pub role_label: Option<String>,
    pub csrf: String,
    pub menu: Vec<Link>,
    pub here: String,
}

impl Chrome {
    pub fn new(t: Tr, viewer: &Viewer, here: &str) -> Chrome {
        let mut menu = vec![Link::new("/vacancies", t.t("ui.nav.vacancies")), Link::new("/gig", t.t("ui.nav.gig"))];
        let items: [(&str, &str, Permission); 26] = [
            ("/admin/policies/simulate", "ui.nav.simulate", Permission::PublishPolicies),
            ("/admin/dashboard", "ui.nav.dashboard", Permission::ViewOversight),
            ("/admin/market", "ui.nav.market", Permission::ViewOversight),
            ("/progress", "ui.nav.progress", Permission::ViewProgress),
            ("/my/notices", "ui.nav.notices", Permission::OwnProfile),
            ("/my/gig", "ui.gig.my", Permission::GigWork),
            ("/staff/gig", "ui.nav.gig_review", Permission::ReviewGigs),
            ("/my/arrears", "ui.nav.my_arrears", Permission::GigWork),
            ("/staff/arrears", "ui.nav.arrears", Permission::LabourCases),
            ("/my/saved", "ui.nav.saved", Permission::OwnProfile),
            ("/profile", "ui.nav.profile", Permission::OwnProfile),
            ("/my/services", "ui.nav.my_services", Permission::OwnProfile),
            ("/my/subsidies", "ui.nav.my_subsidies", Permission::OwnProfile),
            ("/my/training", "ui.nav.my_training", Permission::OwnProfile),
            ("/employer/subsidies", "ui.nav.subsidies", Permission::OwnEmployer),
            ("/provider/subsidies", "ui.nav.subsidies", Permission::ProviderWork),
            ("/training", "ui.nav.training", Permission::ManageTraining),
            ("/staff/today", "ui.nav.today", Permission::Casework),
            ("/staff/caseload", "ui.nav.caseload", Permission::Casework),
            ("/provider", "ui.nav.provider", Permission::ProviderWork),
            ("/staff/claims", "ui.nav.claims", Permission::ReviewClaims),
            ("/staff/budget", "ui.nav.budget", Permission::PayClaims),
            ("/employer/vacancies", "ui.nav.my_vacancies", Permission::OwnEmployer),
            ("/staff/persons", "ui.nav.persons", Permission::ViewPersons),
            ("/admin/users", "ui.nav.users", Permission::ManageUsers),
            ("/admin/audit", "ui.nav.audit", Permission::ViewAudit),
        ];
        for (href, key, perm) in items {
            if viewer.may(perm) {
                menu.push(Link::new(href, t.t(key)));
            }
        }
        menu.push(Link::new("/api/docs/", t.t("ui.nav.api")));
        Chrome {
            t,
            user: viewer.account.as_ref().map(|a| a.display_name.clone()),
            role_label: viewer.account.as_ref().map(|a| t.t(&a.role.label_key())),
            csrf: viewer.csrf.clone().unwrap_or_default(),
            menu,
            here: here.to_string(),
        }
    }
}

pub fn render(tpl: &impl Template) -> Response {
    match tpl.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(%e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

/// An error as a page, in the visitor's language, with the same code as the API would give.
/// With the viewer known, the header shows them signed in (and their sign-out button).
pub fn error_page(e: &ApiError, t: Tr, viewer: Option<&Viewer>) -> Response {
    let (status, _) = e.status_and_code();
    let body = e.body();
    let anonymous = Viewer { account: None, csrf: None, token_hash: None, ip: None, via_cookie: false };
    let page = ErrorPage {
        c: Chrome::new(t, viewer.unwrap_or(&anonymous), ""),
        status: status.as_u16(),
        message: if t.zh() { body.message.clone() } else { body.message_en.clone() },
    };
    let mut resp = render(&page);
    *resp.status_mut() = status;
    resp.extensions_mut().insert(ErrorShown { status, zh: body.message, en: body.message_en });
    resp
}

/// A page never answers JSON: an error a handler's extractor or the API layer answered as the
/// envelope (a bad query parameter, say) is drawn as the error page instead.
pub async fn json_error_as_page(resp: Response, t: Tr, viewer: &Viewer) -> Response {
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !is_json || !(resp.status().is_client_error() || resp.status().is_server_error()) {
        return resp;
    }
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024).await.unwrap_or_default();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let text = |k: &str| v["error"][k].as_str().unwrap_or_default().to_string();
    let page = ErrorPage {
        c: Chrome::new(t, viewer, ""),
        status: status.as_u16(),
        message: if t.zh() { text("message") } else { text("message_en") },
    };
    let mut out = render(&page);
    *out.status_mut() = status;
    out
}

/// Marks a response as an error page drawn without the viewer, so [`with_viewer`] can redraw it.
#[derive(Clone)]
pub struct ErrorShown {
    status: StatusCode,
    zh: String,
    en: String,
}

/// Redraw error pages with the signed-in viewer's header. Runs inside the guard, where the
/// viewer is already known (no second session look-up).
pub async fn with_viewer(req: Request, next: axum::middleware::Next) -> Response {
    let viewer = req.extensions().get::<Viewer>().cloned();
    let (mut parts, body) = req.into_parts();
    let t = match Tr::from_request_parts(&mut parts, &()).await {
        Ok(t) => t,
        Err(never) => match never {},
    };
    let resp = next.run(Request::from_parts(parts, body)).await;
    match (resp.extensions().get::<ErrorShown>().cloned(), viewer) {
        (Some(shown), Some(viewer)) if viewer.account.is_some() => {
            let page = ErrorPage {
                c: Chrome::new(t, &viewer, ""),
                status: shown.status.as_u16(),
                message: if t.zh() { shown.zh } else { shown.en },
            };
            let mut redrawn = render(&page);
            *redrawn.status_mut() = shown.status;
            redrawn
        }
        _ => resp,
    }
}

/// A page handler's error: rendered as a page in the visitor's language.
pub struct PageError(pub ApiError, pub Tr);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(&self.0, self.1, None)
    }
}

pub type PageResult = Result<Response, PageError>;

pub trait OrPage<T> {
    fn or_page(self, t: Tr) -> Result<T, PageError>;
}

impl<T, E: Into<ApiError>> OrPage<T> for Result<T, E> {
    fn or_page(self, t: Tr) -> Result<T, PageError> {
        self.map_err(|e| PageError(e.into(), t))
    }
}

pub async fn not_found(t: Tr) -> Response {
    error_page(&ApiError::NotFound, t, None)
}

/// An urlencoded form body as ordered pairs (repeated names allowed, e.g. checkboxes).
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.trim().is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
    }

    /// Split a free-text list on commas, 、 or whitespace.
    pub fn split(&self, name: &str) -> Vec<String> {
        self.get(name)
            .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    pub fn int(&self, name: &str) -> Result<Option<i32>, jiuye_domain::CodeError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| jiuye_domain::CodeError::new("input.number").field(name)),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = PageError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let ok_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !ok_type {
            return Err(PageError(ApiError::UnsupportedMediaType, Tr { lang: Lang::Zh, large: false }));
        }
        let bytes = crate::json::read_capped(req.into_body(), crate::json::MAX_BODY)
            .await
            .map_err(|e| PageError(e, Tr { lang: Lang::Zh, large: false }))?;
        Ok(FormData(form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}

/// A page's query after a post-redirect: `?done=key` names what was just done.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// The confirmation a redirect asked for with `?done=key` (`ui.done.key`), if the catalogue has it.
pub fn done_notice(t: Tr, done: Option<&str>) -> Option<String> {
    done.map(|k| format!("ui.done.{k}")).filter(|k| jiuye_domain::messages::has(k)).map(|k| t.t(&k))
}

/// The pages a signed-in account lands on.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Seeker => "/profile",
        Role::Employer => "/employer/vacancies",
        Role::Caseworker | Role::DistrictAdmin => "/staff/today",
        Role::Provider => "/provider",
        Role::CityAdmin => "/admin/dashboard",
        Role::LeadUnit => "/progress",
    }
}

const APP_CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");
const BOARD_JS: &str = include_str!("../../static/board.js");

pub async fn static_file(Path(file): Path<String>, t: Tr) -> Response {
    let (body, ct) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "board.js" => (BOARD_JS, "text/javascript; charset=utf-8"),
        _ => return not_found(t).await,
    };
    ([(axum::http::header::CONTENT_TYPE, ct), (axum::http::header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

/// One `<option>` of a select: value, label, selected.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, String)>, selected: &[String]) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(v, l)| Opt { value: v.to_string(), label: l, selected: selected.iter().any(|s| s == v) })
        .collect()
}

pub fn district_options(t: Tr, selected: &[String]) -> Vec<Opt> {
    let _ = t;
    options(jiuye_domain::codes::region::xiamen_districts().into_iter().map(|r| (r.code, t.region(r.code))), selected)
}

/// Field errors shown next to a form, in the visitor's language.
#[derive(Template)]
#[template(path = "confirm.html")]
struct Confirm {
    c: Chrome,
    question: String,
    detail: String,
    yes: String,
    action: String,
    cancel: String,
    fields: Vec<(String, String)>,
}

/// A step of its own before an action that cannot be undone or moves money: the question, the
/// form's own fields carried along, and a way back. Until the visitor confirms, nothing happens.
pub fn confirm_first(form: &FormData) -> bool {
    form.get("confirmed") != "1"
}

/// What a confirmation step asks: where the confirmed form goes, where "cancel" leads, and the
/// question and the button's words (catalogue keys).
pub struct Ask<'a> {
    pub action: &'a str,
    pub cancel: &'a str,
    pub question: &'a str,
    pub yes: &'a str,
}

/// The confirmation page for a destructive action.
pub fn confirm_page(t: Tr, viewer: &Viewer, form: &FormData, ask: Ask<'_>) -> Response {
    let fields = form.0.iter().filter(|(k, _)| k != "csrf" && k != "confirmed").cloned().collect();
    render(&Confirm {
        c: Chrome::new(t, viewer, ""),
        question: t.t(ask.question),
        detail: String::new(),
        yes: t.t(ask.yes),
        action: ask.action.to_string(),
        cancel: ask.cancel.to_string(),
        fields,
    })
}

pub fn messages_of(e: &ApiError, t: Tr) -> form::FormErrors {
    form::FormErrors::of(e, t)
}
