//! The pages of one's own account security: open an online account with a desk's activation
//! code, change the password, sign out everywhere — and, for staff, hand out a code.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Chrome, FormData, OrPage, PageResult, Tr, messages_of, render};
use crate::AppState;
use crate::api::session::{
    ActivateIn, PasswordIn, activate_account, change_password_of, issue_activation_code_of, sign_out_everywhere_of,
};
use crate::api::wire::IdentityIn;
use crate::auth::{self, Viewer};
use crate::csrf;

#[derive(Template)]
#[template(path = "activate.html")]
struct Activate {
    c: Chrome,
    errors: super::form::FormErrors,
    kinds: Vec<super::Opt>,
}

fn kinds(t: Tr, selected: &[String]) -> Vec<super::Opt> {
    super::options(jiuye_domain::codes::DocumentKind::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), selected)
}

pub async fn activate_form(viewer: Viewer, t: Tr) -> Response {
    render(&Activate { c: Chrome::new(t, &viewer, "/activate"), errors: Default::default(), kinds: kinds(t, &[]) })
}

pub async fn activate(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let kind = form.opt("id_kind").filter(|k| k != "resident_id");
    let body = ActivateIn {
        identity: kind.map(|kind| IdentityIn {
            kind,
            number: form.get("national_id"),
            nationality: form.opt("nationality"),
        }),
        national_id: form.get("national_id"),
        code: form.get("code"),
        password: form.get("password"),
    };
    let result = if body.password != form.get("password2") {
        Err(crate::error::ApiError::invalid(jiuye_domain::CodeError::new("password.mismatch").field("password2")))
    } else {
        activate_account(&state, &body).await
    };
    match result {
        Ok(_) => Ok(Redirect::to("/login?done=activated").into_response()),
        Err(e) => {
            let mut resp = render(&Activate {
                c: Chrome::new(t, &viewer, "/activate"),
                errors: messages_of(&e, t),
                kinds: kinds(t, &form.all("id_kind")),
            });
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct Account {
    c: Chrome,
    errors: super::form::FormErrors,
    notice: Option<String>,
}

pub async fn account(viewer: Viewer, t: Tr, crate::api::Query(q): crate::api::Query<super::DoneQuery>) -> Response {
    let notice = (q.done.as_deref() == Some("password")).then(|| t.t("ui.account.password_changed"));
    render(&Account { c: Chrome::new(t, &viewer, "/account"), errors: Default::default(), notice })
}

pub async fn change_password(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let body = PasswordIn { current_password: form.get("current_password"), new_password: form.get("new_password") };
    let result = if body.new_password != form.get("new_password2") {
        Err(crate::error::ApiError::invalid(jiuye_domain::CodeError::new("password.mismatch").field("new_password2")))
    } else {
        change_password_of(&state, &viewer, &body).await
    };
    match result {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(e) => {
            let mut resp =
                render(&Account { c: Chrome::new(t, &viewer, "/account"), errors: messages_of(&e, t), notice: None });
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

pub async fn end_sessions(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    sign_out_everywhere_of(&state, &viewer).await.or_page(t)?;
    let mut resp = Redirect::to("/login?done=signed_out").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(state.secure_cookies)) {
        resp.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(resp)
}

#[derive(Template)]
#[template(path = "activation_code.html")]
struct Code {
    c: Chrome,
    person_id: String,
    code: String,
    expires: String,
}

pub async fn issue_code(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let person_id = crate::api::parse_id(&id).or_page(t)?;
    let out = issue_activation_code_of(&state, &viewer, person_id).await.or_page(t)?;
    let expires = jiuye_domain::time::beijing_day(out.expires_at).to_string();
    Ok(render(&Code {
        c: Chrome::new(t, &viewer, "/staff/persons"),
        person_id: person_id.to_string(),
        code: out.code,
        expires,
    }))
}
