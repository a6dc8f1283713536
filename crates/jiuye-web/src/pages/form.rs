//! One form pattern for every form (GOV.UK's is the model): every problem at once, in a summary
//! at the top that links to each field, and again beside the field, which is marked
//! `aria-invalid` and described by its message; messages name the field by its label.

use std::fmt::Write as _;

use jiuye_domain::CodeError;

use super::Tr;
use crate::error::ApiError;

/// One problem: the field it is about (as the API names it), and what to say.
#[derive(Debug, Clone)]
pub struct FormError {
    pub field: Option<String>,
    pub message: String,
}

impl FormError {
    /// The element the summary links to.
    pub fn anchor(&self) -> String {
        self.field.as_deref().map(dom_id).unwrap_or_else(|| "main".into())
    }
}

/// Every problem of a submitted form.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    pub items: Vec<FormError>,
}

/// The id of the input an API field is entered in: `facts.x` → `f-x`, a document's number in
/// `national_id`, list items in their list.
pub fn dom_id(field: &str) -> String {
    let base = field.split('[').next().unwrap_or(field);
    match base {
        "identity.number" | "identifier" => "national_id".into(),
        "identity.kind" => "id_kind".into(),
        "identity.nationality" => "nationality".into(),
        f if f.starts_with("facts.") => format!("f-{}", &f["facts.".len()..]),
        f => f.replace('.', "-"),
    }
}

/// The label of a field in the visitor's language, for messages that name it.
fn label(t: Tr, field: &str) -> String {
    let base = field.split('[').next().unwrap_or(field);
    let last = base.rsplit('.').next().unwrap_or(base);
    for key in [format!("ui.field.{base}"), format!("ui.field.{last}")] {
        if jiuye_domain::messages::has(&key) {
            return t.t(&key);
        }
    }
    last.to_string()
}

fn render(e: &CodeError, t: Tr) -> String {
    let mut args = e.args.clone();
    if let Some(f) = &e.field {
        // The field by its label, never its internal name or a bare `{field}`.
        args.retain(|(k, _)| *k != "field");
        args.push(("field", label(t, f)));
    }
    jiuye_domain::messages::render(e.code, t.lang, &args)
}

impl FormErrors {
    pub fn of(e: &ApiError, t: Tr) -> FormErrors {
        let items = match e {
            ApiError::Invalid(errs) => {
                errs.iter().map(|e| FormError { field: e.field.clone(), message: render(e, t) }).collect()
            }
            ApiError::Refused(e) => vec![FormError { field: e.field.clone(), message: render(e, t) }],
            other => {
                let b = other.body();
                vec![FormError { field: b.field.clone(), message: if t.zh() { b.message } else { b.message_en } }]
            }
        };
        FormErrors { items }
    }

    /// A problem that belongs to no field.
    pub fn general(message: String) -> FormErrors {
        FormErrors { items: vec![FormError { field: None, message }] }
    }

    pub fn push(&mut self, message: String) {
        self.items.push(FormError { field: None, message });
    }

    pub fn extend(&mut self, other: FormErrors) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn of_field(&self, id: &str) -> Vec<&FormError> {
        self.items.iter().filter(|e| e.field.as_deref().map(dom_id).as_deref() == Some(id)).collect()
    }

    /// Attributes for the input with this id: ` aria-invalid="true" aria-describedby="…"`.
    pub fn attrs(&self, id: &str) -> String {
        if self.of_field(id).is_empty() {
            String::new()
        } else {
            format!(r#" aria-invalid="true" aria-describedby="{id}-error""#)
        }
    }

    /// The message beside the input with this id (HTML, escaped).
    pub fn beside(&self, id: &str) -> String {
        let found = self.of_field(id);
        if found.is_empty() {
            return String::new();
        }
        let mut out = format!(r#"<p class="field-error" id="{id}-error">"#);
        for (i, e) in found.iter().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            let _ = write!(out, "{}", escape(&e.message));
        }
        out.push_str("</p>");
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
