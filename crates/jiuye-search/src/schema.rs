//! The index schema and how a vacancy becomes a document.

use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::{TantivyDocument, doc};

use jiuye_domain::records::Vacancy;

use crate::tokenize::{GRAMS, TOKENIZER, pinyin_readings, plain_title, title_key, tokens};

pub const F_DISTRICT: &str = "district";
pub const F_KIND: &str = "kind";
pub const F_OCCUPATION: &str = "occupation";
/// Major group only, for counting: counts over the four-level `occupation` facet came out
/// wrong in our tests with tantivy 0.27, while one- and two-level facets count right.
pub const F_OCCUPATION_MAJOR: &str = "occupation_major";
pub const F_INDUSTRY: &str = "industry";
pub const F_EDUCATION: &str = "education";
pub const SEQ_HI: &str = "seq_hi";
pub const SEQ_LO: &str = "seq_lo";
pub const OPENS_ON: &str = "opens_on";
pub const SALARY_MAX: &str = "salary_max";
pub const LAT: &str = "lat";
pub const LON: &str = "lon";
/// The district code as a number (350203), for the distance sort's side of the water.
pub const DISTRICT_N: &str = "district_n";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub description: Field,
    pub employer_name: Field,
    pub occupation_name: Field,
    pub skills: Field,
    /// Character bigrams of the title, occupation name and skills.
    pub grams: Field,
    /// The title as an exact-match key ([`title_key`]).
    pub title_key: Field,
    /// Keys of the conditions the vacancy states ([`crate::conditions`]).
    pub conditions: Field,
    pub pinyin: Field,
    pub suggest: Field,
    pub employer: Field,
    pub district: Field,
    pub kind: Field,
    pub occupation: Field,
    pub occupation_major: Field,
    pub industry: Field,
    pub education: Field,
    pub edu_rank: Field,
    pub salary_min: Field,
    pub salary_max: Field,
    pub opens_on: Field,
    pub closes_on: Field,
    pub lat: Field,
    pub lon: Field,
    pub seq_hi: Field,
    pub seq_lo: Field,
    pub district_n: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let zh = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let zh_stored = zh.clone().set_stored();
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(GRAMS).set_index_option(IndexRecordOption::WithFreqs),
    );
    let num = NumericOptions::default() | INDEXED | FAST;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", zh_stored.clone()),
        description: b.add_text_field("description", zh_stored),
        employer_name: b.add_text_field("employer_name", zh.clone()),
        occupation_name: b.add_text_field("occupation_name", zh.clone()),
        skills: b.add_text_field("skills", zh),
        grams: b.add_text_field("grams", grams),
        title_key: b.add_text_field("title_key", STRING),
        conditions: b.add_text_field("conditions", STRING),
        pinyin: b.add_text_field("pinyin", STRING),
        suggest: b.add_text_field("suggest", STRING),
        employer: b.add_text_field("employer", STRING),
        district: b.add_facet_field(F_DISTRICT, FacetOptions::default()),
        kind: b.add_facet_field(F_KIND, FacetOptions::default()),
        occupation: b.add_facet_field(F_OCCUPATION, FacetOptions::default()),
        occupation_major: b.add_facet_field(F_OCCUPATION_MAJOR, FacetOptions::default()),
        industry: b.add_facet_field(F_INDUSTRY, FacetOptions::default()),
        education: b.add_facet_field(F_EDUCATION, FacetOptions::default()),
        edu_rank: b.add_u64_field("edu_rank", num.clone()),
        salary_min: b.add_i64_field("salary_min", num.clone()),
        salary_max: b.add_i64_field(SALARY_MAX, num.clone()),
        opens_on: b.add_i64_field(OPENS_ON, num.clone()),
        closes_on: b.add_i64_field("closes_on", num.clone()),
        lat: b.add_f64_field(LAT, num.clone()),
        lon: b.add_f64_field(LON, num),
        seq_hi: b.add_u64_field(SEQ_HI, FAST),
        seq_lo: b.add_u64_field(SEQ_LO, FAST),
        district_n: b.add_u64_field(DISTRICT_N, FAST),
    };
    (b.build(), fields)
}

/// Days since 1970-01-01, the index's date unit.
pub fn day_number(d: chrono::NaiveDate) -> i64 {
    d.signed_duration_since(chrono::NaiveDate::default()).num_days()
}

/// `6-31-01-03` → `/6/31/01/03`: every level is a facet ancestor, so a filter on `6-31`
/// (`/6/31`) matches everything below it.
pub fn occupation_facet(code: &str) -> Facet {
    Facet::from_path(code.split('-'))
}

impl Fields {
    pub fn document(&self, v: &Vacancy) -> TantivyDocument {
        let (hi, lo) = v.id.as_u64_pair();
        let section = v.industry.section().as_str().to_string();
        let industry_path: Vec<String> = if v.industry.level() <= 1 {
            vec![section]
        } else {
            vec![section, v.industry.division().unwrap_or(v.industry).as_str().to_string()]
        };
        let mut d = doc!(
            self.id => v.id.to_string(),
            self.title => v.title.clone(),
            self.description => v.description.clone(),
            self.employer_name => v.employer_name.clone(),
            self.occupation_name => v.occupation.name(),
            self.skills => v.skills.join(" "),
            self.employer => v.employer_id.to_string(),
            self.district => Facet::from_path([v.district.as_str()]),
            self.kind => Facet::from_path([v.kind.as_str()]),
            self.occupation => occupation_facet(v.occupation.as_str()),
            self.occupation_major => Facet::from_path(v.occupation.as_str().split('-').take(1)),
            self.industry => Facet::from_path(industry_path),
            self.education => Facet::from_path([v.education_required.map(|e| e.code()).unwrap_or("none")]),
            self.edu_rank => v.education_required.map(|e| u64::from(e.rank())).unwrap_or(0),
            // 面议 has no figure: no pay filter takes it, sorting by pay puts it last.
            self.salary_min => if v.pay.monthly.is_some() { i64::from(v.salary_min) } else { i64::MAX },
            self.salary_max => if v.pay.monthly.is_some() { i64::from(v.salary_max) } else { 0 },
            self.opens_on => day_number(v.opens_on),
            self.closes_on => day_number(v.closes_on),
            self.seq_hi => hi,
            self.seq_lo => lo,
            self.district_n => v.district.as_str().parse::<u64>().unwrap_or(0),
        );
        if let (Some(lat), Some(lon)) = (v.latitude, v.longitude) {
            d.add_f64(self.lat, lat);
            d.add_f64(self.lon, lon);
        }
        d.add_text(self.grams, format!("{} | {} | {}", v.title, v.occupation.name(), v.skills.join(" | ")));
        d.add_text(self.title_key, title_key(&v.title));
        let text = format!("{}\n{}", v.title, v.description);
        let mut stated: Vec<&str> = crate::conditions::stated_in(&text).map(|c| c.key).collect();
        stated.extend(crate::conditions::of_pay(v.pay.unit).map(|c| c.key));
        stated.sort_unstable();
        stated.dedup();
        for key in stated {
            d.add_text(self.conditions, key);
        }
        // Typeahead offers the plain title, the occupation and each skill — never a bracketed
        // suffix like （日结） nor a fragment jieba cut out of a word. Pinyin also covers the
        // title's words, so `shouyinyuan` (or the homophone 收银元) finds 超市收银员.
        let title = plain_title(&v.title);
        let mut offered = vec![title.clone(), v.occupation.name().to_string()];
        offered.extend(v.skills.iter().map(|s| s.trim().to_string()).filter(|s| s.chars().count() >= 2));
        offered.dedup();
        let mut spoken = offered.clone();
        spoken.extend(tokens(&title).into_iter().filter(|t| t.chars().count() >= 2));
        for name in &offered {
            let lower = name.to_lowercase();
            if &lower == name {
                d.add_text(self.suggest, name);
            } else {
                d.add_text(self.suggest, format!("{lower}|{name}"));
            }
            for (full, initials) in pinyin_readings(name) {
                d.add_text(self.suggest, format!("{full}|{name}"));
                d.add_text(self.suggest, format!("{initials}|{name}"));
            }
        }
        for name in &spoken {
            for (full, initials) in pinyin_readings(name) {
                d.add_text(self.pinyin, &full);
                d.add_text(self.pinyin, &initials);
            }
        }
        d
    }
}
