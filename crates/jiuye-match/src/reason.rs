//! A reason for a score, in both languages, from the message catalogue.

use jiuye_domain::messages::{Lang, render_args};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// Stable code, e.g. `match.occupation_exact`.
    pub code: &'static str,
    pub points: f32,
    pub zh: String,
    pub en: String,
}

impl Reason {
    pub fn new(code: &'static str, points: f32, args: &[(&'static str, &str)]) -> Reason {
        Reason::bilingual(code, points, args, args)
    }

    /// A reason whose arguments differ by language (a district's or an education level's name).
    pub fn bilingual(
        code: &'static str,
        points: f32,
        zh: &[(&'static str, &str)],
        en: &[(&'static str, &str)],
    ) -> Reason {
        Reason { code, points, zh: render_args(code, Lang::Zh, zh), en: render_args(code, Lang::En, en) }
    }
}
