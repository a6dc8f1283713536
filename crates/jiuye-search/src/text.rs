//! The words of a search: how typed text becomes required words, filters and boosts, and how
//! each word is matched — in tiers, so the word itself always outranks its synonyms and a
//! whole-word match outranks a match inside a word.
//!
//! Reading is pure ([`read`]); what depends on the index (does a word match anything? is
//! `dian gong` pinyin of a title?) is decided in `lib.rs` with the searcher.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use jiuye_domain::codes::DistrictCode;
use jiuye_domain::records::VacancyKind;

use crate::conditions::{self, Condition};
use crate::schema::Fields;
use crate::synonyms;
use crate::tokenize::{bigrams, is_latin, looks_like_pinyin, parts, title_key, tokens, words};

/// Scores of the tiers a word can match in (a word's score is its best tier).
pub(crate) mod tier {
    /// The whole query is the title (bracketed suffixes aside): added once per query.
    pub const EXACT_TITLE: f32 = 100.0;
    pub const TITLE_WORD: f32 = 50.0;
    /// Typed pinyin of a title or occupation word (`diangong`).
    pub const PINYIN: f32 = 45.0;
    /// Typed pinyin that starts a title's (`chache` → 叉车司机): a weaker reading than a
    /// synonym, since Latin letters may as well be English (`chef` starts 车缝工's pinyin).
    pub const PINYIN_START: f32 = 17.0;
    pub const OCCUPATION_OR_SKILL_WORD: f32 = 30.0;
    /// Inside a word of the title, occupation or skills (`包住` in 包住宿, `cad` in AutoCAD).
    pub const INSIDE_WORD: f32 = 22.0;
    pub const SYNONYM: f32 = 18.0;
    /// A word with no hits read by its sound (`店工` → 电工).
    pub const HOMOPHONE: f32 = 16.0;
    /// A Latin word with no hits within its edit distance.
    pub const TYPO: f32 = 14.0;
    pub const EMPLOYER: f32 = 10.0;
    pub const DESCRIPTION: f32 = 5.0;
    /// A condition (包住, 夜班, 日结 …) the vacancy states.
    pub const CONDITION: f32 = 8.0;
    /// Added per matched word when matching is relaxed, so more words matched ranks first.
    pub const PER_WORD_RELAXED: f32 = 200.0;
}

/// A word typed as one whitespace-separated token, and the words jieba cut it into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub raw: String,
    pub words: Vec<String>,
    /// A district, kind, condition or filler word was taken out of it.
    pub trimmed: bool,
}

/// What a query's text says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// Words to match, in the order typed, grouped by the token they were typed in.
    pub typed: Vec<Typed>,
    /// A district named in the text (湖里, 湖里区).
    pub district: Option<DistrictCode>,
    /// A kind of job named in the text (兼职, 实习 …).
    pub kind: Option<VacancyKind>,
    /// Conditions named in the text: ranked up, not required.
    pub conditions: Vec<&'static Condition>,
    /// An English title of several words typed with a typo, read as the title (`secruity
    /// guard` → security guard).
    pub meant: Option<(String, String)>,
}

impl Reading {
    pub fn words(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &self.typed {
            for w in &t.words {
                if !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
        out
    }

    /// The exact-title key of the words (without districts or conditions).
    pub fn key(&self) -> String {
        title_key(&self.typed.iter().map(|t| t.raw.as_str()).collect::<Vec<_>>().join(""))
    }
}

/// Words of job ads and requests that say nothing about the job (急招, 岗位 …): dropped when
/// other words are typed, never what a partial match is made of.
const FILLER: &[&str] = &[
    "急招",
    "急聘",
    "诚聘",
    "直招",
    "招聘",
    "招",
    "聘",
    "找",
    "找个",
    "找份",
    "想找",
    "想",
    "想当",
    "想做",
    "有没有",
    "活",
    "活儿",
    "找工作",
    "可以",
    "要",
    "一份",
    "什么",
    "求职",
    "岗位",
    "职位",
    "工作",
    "工作岗位",
    "名称",
    "存在",
    "不",
    "的",
    "了",
    "和",
    "在",
    "是",
    "有",
    "高薪",
    "公司",
    "有限",
    "人员",
    "相关",
    "要求",
    "优先",
    "不限",
];

pub fn is_filler(word: &str) -> bool {
    FILLER.contains(&word)
}

fn district_named(word: &str) -> Option<DistrictCode> {
    if word.chars().count() < 2 {
        return None;
    }
    DistrictCode::all().into_iter().find(|d| d.name() == word || d.name().strip_suffix('区') == Some(word))
}

fn kind_named(word: &str) -> Option<VacancyKind> {
    Some(match word {
        "兼职" | "暑假工" | "寒假工" | "假期工" | "学生兼职" => VacancyKind::PartTime,
        "全职" => VacancyKind::FullTime,
        "实习" | "见习" | "就业见习" => VacancyKind::Internship,
        "零工" | "临时工" => VacancyKind::Gig,
        "公益性岗位" | "公益岗位" | "公益岗" => VacancyKind::PublicWelfare,
        _ => return None,
    })
}

/// Read a query's text. A whole text that is a word of the synonym list (`general worker`) is
/// one word; otherwise each whitespace-separated token is a district, a kind, a condition, or
/// words (Chinese cut by jieba; a one-character word dropped beside longer ones).
pub fn read(text: &str) -> Reading {
    let text = text.trim().to_lowercase();
    let mut r = Reading::default();
    if text.contains(char::is_whitespace) && synonyms::is_known(&text) {
        r.typed.push(Typed { raw: text.clone(), words: vec![text], trimmed: false });
        return r;
    }
    if text.contains(char::is_whitespace)
        && text.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
        && let Some(d) = typo_distance(&text)
    {
        let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let near = synonyms::latin_phrases()
            .map(|k| (strsim::osa_distance(k, &spaced), k))
            .filter(|(n, _)| *n <= usize::from(d))
            .min();
        if let Some((_, title)) = near {
            r.typed.push(Typed { raw: title.to_string(), words: vec![title.to_string()], trimmed: false });
            r.meant = Some((spaced, title.to_string()));
            return r;
        }
    }
    for raw in text.split_whitespace().take(12) {
        let mut typed = Typed { raw: raw.to_string(), words: Vec::new(), trimmed: false };
        if take_special(raw, &mut r) {
            continue;
        }
        let cut = if is_latin(raw) || synonyms::is_known(raw) { vec![raw.to_string()] } else { words(raw) };
        let long = cut.iter().any(|w| w.chars().count() > 1);
        for w in cut {
            if take_special(&w, &mut r) {
                typed.trimmed = true;
            } else {
                // A one-character word beside longer ones is a particle (的, 元 …), not the job.
                let particle = long && w.chars().count() == 1 && !w.is_ascii();
                if !particle && !typed.words.contains(&w) {
                    typed.words.push(w);
                }
            }
        }
        r.typed.push(typed);
    }
    // Filler words go when anything else was typed.
    let meaningful = r.typed.iter().flat_map(|t| &t.words).any(|w| !is_filler(w));
    for t in &mut r.typed {
        if meaningful && t.words.iter().any(|w| is_filler(w)) {
            t.words.retain(|w| !is_filler(w));
            t.trimmed = true;
        }
        // `湖里电工` or `急招电工` typed as one: what remains to match is the typed word.
        if t.trimmed {
            t.raw = t.words.concat();
        }
    }
    r.typed.retain(|t| !t.words.is_empty());
    r
}

/// A district, kind or condition word: noted in the reading, and not a word to match.
fn take_special(word: &str, r: &mut Reading) -> bool {
    if let Some(d) = district_named(word) {
        r.district.get_or_insert(d);
        return true;
    }
    if let Some(k) = kind_named(word) {
        r.kind.get_or_insert(k);
        return true;
    }
    if let Some(c) = conditions::named(word) {
        if !r.conditions.iter().any(|x| x.key == c.key) {
            r.conditions.push(c);
        }
        return true;
    }
    false
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn konst(q: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, score))
}

/// Every token of `phrase` in `field`.
fn all_tokens_in(field: Field, phrase: &str) -> Option<Box<dyn Query>> {
    let toks = tokens(phrase);
    if toks.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(toks.iter().map(|t| (Occur::Must, term(field, t))).collect())))
}

/// Any of the fields has every token of `phrase`.
fn in_any(fields: &[Field], phrase: &str) -> Option<Box<dyn Query>> {
    let alternatives: Vec<(Occur, Box<dyn Query>)> =
        fields.iter().filter_map(|f| all_tokens_in(*f, phrase)).map(|q| (Occur::Should, q)).collect();
    if alternatives.is_empty() { None } else { Some(Box::new(BooleanQuery::new(alternatives))) }
}

/// Every bigram of `word` in the grams field.
pub(crate) fn inside_words(f: &Fields, word: &str) -> Option<Box<dyn Query>> {
    let grams = bigrams(word);
    if grams.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(grams.iter().map(|g| (Occur::Must, term(f.grams, g))).collect())))
}

/// How a word may be matched beyond itself and its synonyms, decided against the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra {
    /// The full pinyin of a word with no hits, matched against the pinyin of titles.
    pub homophone: Option<String>,
    /// A Latin word with no hits: the edit distance allowed (1 from 5 letters, 2 from 9).
    pub typo_distance: Option<u8>,
    /// English words of the synonym list within that distance (`electrican` → electrician).
    pub typo_words: Vec<String>,
}

/// The edit distance a Latin word of this length may be off by.
pub fn typo_distance(word: &str) -> Option<u8> {
    match word.chars().count() {
        0..=4 => None,
        5..=8 => Some(1),
        _ => Some(2),
    }
}

/// One word as a query: its best tier's score (plus `base`), and a little of its text
/// relevance to order within a tier.
pub(crate) fn word_query(f: &Fields, word: &str, extra: &Extra, base: f32) -> Box<dyn Query> {
    let mut tiers: Vec<Box<dyn Query>> = Vec::new();
    let mut add = |q: Option<Box<dyn Query>>, score: f32| {
        if let Some(q) = q {
            tiers.push(konst(q, base + score));
        }
    };
    add(all_tokens_in(f.title, word), tier::TITLE_WORD);
    add(in_any(&[f.occupation_name, f.skills], word), tier::OCCUPATION_OR_SKILL_WORD);
    if word.chars().count() >= 2 {
        add(inside_words(f, word), tier::INSIDE_WORD);
    }
    if looks_like_pinyin(word) {
        add(Some(term(f.pinyin, word)), tier::PINYIN);
        // Four letters at least, so initials (`dg`) do not start half the index; never for a
        // word of the synonym list (an English title is meant as English).
        if word.len() >= 4 && !synonyms::is_known(word) {
            let start = RegexQuery::from_pattern(&format!("{word}.*"), f.pinyin).ok();
            add(start.map(|q| Box::new(q) as Box<dyn Query>), tier::PINYIN_START);
        }
    }
    let mut synonyms: Vec<String> = synonyms::expand(word).into_iter().skip(1).collect();
    for w in &extra.typo_words {
        synonyms.extend(synonyms::expand(w));
    }
    for s in &synonyms {
        add(in_any(&[f.title, f.occupation_name, f.skills], s), tier::SYNONYM);
        add(all_tokens_in(f.description, s), tier::DESCRIPTION);
    }
    if let Some(p) = &extra.homophone {
        add(Some(term(f.pinyin, p)), tier::HOMOPHONE);
    }
    if let Some(d) = extra.typo_distance {
        for field in [f.title, f.occupation_name, f.skills] {
            let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new(Term::from_field_text(field, word), d, true));
            add(Some(q), tier::TYPO);
        }
    }
    add(all_tokens_in(f.employer_name, word), tier::EMPLOYER);
    add(all_tokens_in(f.description, word), tier::DESCRIPTION);
    let best: Box<dyn Query> = Box::new(DisjunctionMaxQuery::new(tiers));
    // Text relevance, scaled well below the gap between tiers.
    let relevance: Vec<(Occur, Box<dyn Query>)> = [f.title, f.occupation_name, f.skills, f.description]
        .iter()
        .filter_map(|field| all_tokens_in(*field, word))
        .map(|q| (Occur::Should, Box::new(tantivy::query::BoostQuery::new(q, 0.05)) as Box<dyn Query>))
        .collect();
    Box::new(BooleanQuery::new(vec![(Occur::Must, best), (Occur::Should, Box::new(BooleanQuery::new(relevance)))]))
}

/// Words and their extras, required all or at least `minimum`.
pub(crate) struct Plan<'a> {
    pub words: Vec<(String, Extra)>,
    /// `None`: every word; `Some(n)`: at least n of them, more ranking first.
    pub minimum: Option<usize>,
    pub reading: &'a Reading,
}

/// The text part of the search.
pub(crate) fn text_query(f: &Fields, plan: &Plan<'_>) -> Option<Box<dyn Query>> {
    if plan.words.is_empty() {
        return None;
    }
    let base = if plan.minimum.is_some() { tier::PER_WORD_RELAXED } else { 0.0 };
    let occur = if plan.minimum.is_some() { Occur::Should } else { Occur::Must };
    let clauses: Vec<(Occur, Box<dyn Query>)> =
        plan.words.iter().map(|(w, extra)| (occur, word_query(f, w, extra, base))).collect();
    let required: Box<dyn Query> = match plan.minimum {
        Some(n) => Box::new(BooleanQuery::with_minimum_required_clauses(clauses, n.max(1))),
        None => Box::new(BooleanQuery::new(clauses)),
    };
    let mut top: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, required)];
    let key = plan.reading.key();
    if !key.is_empty() {
        top.push((Occur::Should, konst(term(f.title_key, &key), tier::EXACT_TITLE)));
    }
    for c in &plan.reading.conditions {
        top.push((Occur::Should, condition_query(f, c)));
    }
    Some(Box::new(BooleanQuery::new(top)))
}

/// A condition as a query: the vacancies stating it, with the phrases that state it as
/// (barely scored) text so snippets highlight them.
fn condition_query(f: &Fields, c: &Condition) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, konst(term(f.conditions, c.key), tier::CONDITION))];
    for m in c.marks {
        if let Some(q) = in_any(&[f.title, f.description], m) {
            clauses.push((Occur::Should, Box::new(tantivy::query::BoostQuery::new(q, 0.001))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Conditions typed without other words (`包吃住`, `日结 双休`): the vacancies stating all of them.
pub(crate) fn conditions_only(f: &Fields, reading: &Reading) -> Option<Box<dyn Query>> {
    if reading.conditions.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(reading.conditions.iter().map(|c| (Occur::Must, condition_query(f, c))).collect())))
}

/// Every vacancy, those stating the conditions first: when requiring them finds too few.
pub(crate) fn conditions_first(f: &Fields, reading: &Reading) -> Option<Box<dyn Query>> {
    if reading.conditions.is_empty() {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(tantivy::query::AllQuery))];
    clauses.extend(reading.conditions.iter().map(|c| (Occur::Should, condition_query(f, c))));
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The words the relaxed search counts: each word's parts where it has them (`中央空调` →
/// 中央, 空调), so a long word typed need not be found whole.
pub fn relaxed_words(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words.iter().filter(|w| !is_filler(w)) {
        let p = if synonyms::is_known(w) { Vec::new() } else { parts(w) };
        for x in if p.is_empty() { vec![w.clone()] } else { p } {
            if !out.contains(&x) && !is_filler(&x) {
                out.push(x);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_read_into_words_districts_kinds_and_conditions() {
        // (text, words, district, kind, conditions)
        type Case<'a> = (&'a str, &'a [&'a str], Option<&'a str>, Option<VacancyKind>, &'a [&'a str]);
        let cases: &[Case] = &[
            ("夜班 普工 湖里", &["普工"], Some("350206"), None, &["night_shift"]),
            ("包住 普工", &["普工"], None, None, &["housing"]),
            ("湖里区 兼职 收银员", &["收银员"], Some("350206"), Some(VacancyKind::PartTime), &[]),
            ("日结", &[], None, None, &["daily_pay"]),
            ("湖里电工", &["电工"], Some("350206"), None, &[]),
            ("急招电工", &["电工"], None, None, &[]),
            ("招聘", &["招聘"], None, None, &[]),
            ("general worker", &["general worker"], None, None, &[]),
            ("CAD", &["cad"], None, None, &[]),
            ("java开发", &["java", "开发"], None, None, &[]),
        ];
        for (text, words, district, kind, conds) in cases {
            let r = read(text);
            assert_eq!(r.words(), words.iter().map(|w| w.to_string()).collect::<Vec<_>>(), "{text}");
            assert_eq!(r.district.map(|d| d.as_str()), *district, "{text}");
            assert_eq!(r.kind, *kind, "{text}");
            let keys: Vec<&str> = r.conditions.iter().map(|c| c.key).collect();
            assert_eq!(keys, *conds, "{text}");
        }
    }

    #[test]
    fn typo_distance_grows_with_length() {
        for (w, d) in [("cook", None), ("welder", Some(1)), ("electrician", Some(2)), ("chefs", Some(1))] {
            assert_eq!(typo_distance(w), d, "{w}");
        }
    }
}
