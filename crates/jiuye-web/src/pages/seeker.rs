//! The seeker's own profile: what the service knows of them, editable by them.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use jiuye_domain::records::Person;

use super::account::{PersonForm, person_in};
use super::{Chrome, FormData, OrPage, PageError, PageResult, Tr, messages_of, render};
use crate::AppState;
use crate::api::wire::PersonOut;
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;

#[derive(Template)]
#[template(path = "profile.html")]
struct Profile {
    c: Chrome,
    p: PersonOut,
    recs: Vec<crate::api::recommend::RecommendationOut>,
    apps: Vec<crate::api::applications::ApplicationOut>,
    f: PersonForm,
    saved: bool,
    errors: super::form::FormErrors,
    /// Where distances are measured from: the person's own cell, or their district's seat.
    origin_set: bool,
    origin_saved: bool,
    oerrors: super::form::FormErrors,
}

/// The form pre-filled from the stored person.
fn form_of(person: &Person) -> FormData {
    let mut v: Vec<(String, String)> = vec![
        ("name".into(), person.name.clone()),
        ("mobile".into(), person.mobile.as_str().into()),
        ("district".into(), person.district.as_str().into()),
        ("address".into(), person.address.clone().unwrap_or_default()),
        ("street".into(), person.street.map(|s| s.as_str().to_string()).unwrap_or_default()),
        (
            "certificates".into(),
            person
                .certificates
                .iter()
                .map(|c| match &c.level {
                    Some(l) => format!("{} / {l}", c.name),
                    None => c.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("household_origin".into(), person.household_origin.as_str().into()),
        ("education".into(), person.education.code().into()),
        ("employment_status".into(), person.employment_status.as_str().into()),
        ("skills".into(), person.skills.join(", ")),
        (
            "wanted_occupations".into(),
            person.wanted_occupations.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", "),
        ),
        ("wanted_salary_min".into(), person.wanted_salary_min.map(|s| s.to_string()).unwrap_or_default()),
        ("wanted_salary_max".into(), person.wanted_salary_max.map(|s| s.to_string()).unwrap_or_default()),
        ("max_commute_km".into(), person.max_commute_km.map(|s| s.to_string()).unwrap_or_default()),
    ];
    if person.rural_household {
        v.push(("rural_household".into(), "1".into()));
    }
    v.extend(person.key_groups.iter().map(|k| ("key_groups".to_string(), k.id().to_string())));
    v.extend(person.wanted_districts.iter().map(|d| ("wanted_districts".to_string(), d.as_str().to_string())));
    FormData(v)
}

async fn own(state: &AppState, viewer: &Viewer, t: Tr) -> Result<Person, PageError> {
    let id = viewer.account.as_ref().and_then(|a| a.person_id).ok_or(PageError(ApiError::NotFound, t))?;
    state.store.person_by_id(id).await.or_page(t)
}

#[derive(serde::Deserialize)]
pub struct Saved {
    saved: Option<String>,
    origin: Option<String>,
}

pub async fn profile(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<Saved>,
) -> PageResult {
    let person = own(&state, &viewer, t).await?;
    let form = form_of(&person);
    let recs = crate::api::recommend::jobs_for(&state, &person, 5, &Default::default()).await.or_page(t)?;
    let mut apps = Vec::new();
    for a in state.store.applications_of_person(person.id).await.or_page(t)? {
        let mut o = crate::api::applications::out(&state, &a, true, false).await.or_page(t)?;
        o.status_label = t.t(&a.status.label_key());
        apps.push(o);
    }
    Ok(render(&Profile {
        c: Chrome::new(t, &viewer, "/profile"),
        p: PersonOut::from(&person),
        recs,
        apps,
        f: PersonForm::from_values(t, Some(&form)),
        saved: q.saved.is_some(),
        errors: Default::default(),
        origin_set: person.home_cell.is_some(),
        origin_saved: q.origin.is_some(),
        oerrors: Default::default(),
    }))
}

/// Set where the person's trips start (a point from their device, or typed in), or clear it.
/// The point is kept as the cell holding it (`geo::home_cell_in`), as the API keeps it.
pub async fn save_origin(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let person = own(&state, &viewer, t).await?;
    let result = async {
        let cell = if form.get("action") == "clear" {
            None
        } else {
            let mut problems = Vec::new();
            let mut coordinate = |name: &str| match form.opt(name).map(|v| v.trim().parse::<f64>()) {
                Some(Ok(v)) => Some(v),
                Some(Err(_)) => {
                    problems.push(jiuye_domain::CodeError::new("input.number").field(name));
                    None
                }
                None => {
                    problems.push(jiuye_domain::CodeError::new("input.required").field(name));
                    None
                }
            };
            let (lat, lon) = (coordinate("latitude"), coordinate("longitude"));
            let (Some(lat), Some(lon)) = (lat, lon) else { return Err(ApiError::Invalid(problems)) };
            Some(jiuye_domain::geo::home_cell_in((lat, lon), &person.district).map_err(ApiError::invalid)?)
        };
        state.store.set_home_cell(person.id, cell, &viewer.audit(), state.clock.now()).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/profile?origin=1#origin").into_response()),
        Err(e) => {
            let form_values = form_of(&person);
            let mut resp = render(&Profile {
                c: Chrome::new(t, &viewer, "/profile"),
                p: PersonOut::from(&person),
                recs: Vec::new(),
                apps: Vec::new(),
                f: PersonForm::from_values(t, Some(&form_values)),
                saved: false,
                errors: Default::default(),
                origin_set: person.home_cell.is_some(),
                origin_saved: false,
                oerrors: messages_of(&e, t),
            });
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

pub async fn save_profile(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let person = own(&state, &viewer, t).await?;
    let result = async {
        let (input, mut problems) = person_in(&form);
        let changes = match input.parse_changes() {
            Ok(c) if problems.is_empty() => c,
            Ok(_) => return Err(ApiError::Invalid(problems)),
            Err(ApiError::Invalid(more)) => {
                problems.extend(more);
                return Err(ApiError::Invalid(problems));
            }
            Err(e) => return Err(e),
        };
        state.store.update_person(person.id, &changes, &viewer.audit(), state.clock.now()).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/profile?saved=1").into_response()),
        Err(e) => {
            let mut resp = render(&Profile {
                c: Chrome::new(t, &viewer, "/profile"),
                p: PersonOut::from(&person),
                recs: Vec::new(),
                apps: Vec::new(),
                f: PersonForm::from_values(t, Some(&form)),
                saved: false,
                errors: messages_of(&e, t),
                origin_set: person.home_cell.is_some(),
                origin_saved: false,
                oerrors: Default::default(),
            });
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

/// A notice as the page shows it.
pub struct NoticeRow {
    pub day: String,
    pub kind: String,
    pub text: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct Notices {
    c: Chrome,
    rows: Vec<NoticeRow>,
}

/// 消息: what happened on the person's side, newest first, each linked to its page.
pub async fn notices(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let me = own(&state, &viewer, t).await?;
    let rows = crate::api::notices::notices_of(&state, &viewer, me.id)
        .await
        .or_page(t)?
        .into_iter()
        .map(|n| NoticeRow {
            day: jiuye_domain::time::beijing_day(n.at).to_string(),
            kind: n.kind,
            text: if t.zh() { n.message } else { n.message_en },
            href: n.href,
        })
        .collect();
    Ok(render(&Notices { c: Chrome::new(t, &viewer, "/my/notices"), rows }))
}

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage {
    c: Chrome,
    rows: Vec<crate::api::wire::VacancyOut>,
    notice: Option<String>,
}

/// 我的收藏: the jobs the seeker kept, each with its status today and a way to remove it.
pub async fn saved(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<super::DoneQuery>,
) -> PageResult {
    let rows = crate::api::saved::saved_of(&state, &viewer).await.or_page(t)?;
    let notice = super::done_notice(t, q.done.as_deref());
    Ok(render(&SavedPage { c: Chrome::new(t, &viewer, "/my/saved"), rows, notice }))
}

/// Save or unsave from a vacancy's page or the saved list; back to where it came from.
pub async fn save_vacancy(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    axum::extract::Path(id): axum::extract::Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = crate::api::parse_id(&id).or_page(t)?;
    let keep = form.get("keep") != "false";
    crate::api::saved::set_saved(&state, &viewer, id, keep).await.or_page(t)?;
    let done = if keep { "saved_job" } else { "unsaved_job" };
    let to = if form.get("back") == "saved" {
        format!("/my/saved?done={done}")
    } else {
        format!("/vacancies/{id}?done={done}")
    };
    Ok(Redirect::to(&to).into_response())
}
