//! The ranking before issue #11, kept only as the baseline `jiuye bench relevance` measures
//! against in the same run (no route uses it): every whitespace-separated word required, as
//! itself or a synonym (today's list), each token in any of the weighted text fields, BM25; a
//! word in pinyin also matched on the pinyin field. No relaxing, no sound or typo reading, no
//! character bigrams, no score tiers.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::schema::Fields;
use crate::synonyms;
use crate::tokenize::{looks_like_pinyin, tokens};

fn term_query(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
}

fn weighted_fields(f: &Fields) -> [(Field, f32); 5] {
    [(f.title, 3.0), (f.occupation_name, 2.0), (f.skills, 1.5), (f.employer_name, 1.0), (f.description, 0.5)]
}

fn phrase_query(f: &Fields, phrase: &str) -> Option<Box<dyn Query>> {
    let per_token: Vec<(Occur, Box<dyn Query>)> = tokens(phrase)
        .iter()
        .map(|t| {
            let any_field: Vec<(Occur, Box<dyn Query>)> = weighted_fields(f)
                .iter()
                .map(|(field, w)| {
                    let q: Box<dyn Query> = Box::new(BoostQuery::new(term_query(Term::from_field_text(*field, t)), *w));
                    (Occur::Should, q)
                })
                .collect();
            (Occur::Must, Box::new(BooleanQuery::new(any_field)) as Box<dyn Query>)
        })
        .collect();
    (!per_token.is_empty()).then(|| Box::new(BooleanQuery::new(per_token)) as Box<dyn Query>)
}

/// The text part as it was; `None` when the text reads as nothing.
pub(crate) fn text_query(f: &Fields, text: &str) -> Option<Box<dyn Query>> {
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in text.split_whitespace().take(12) {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, phrase) in synonyms::expand(word).into_iter().enumerate() {
            if let Some(q) = phrase_query(f, &phrase) {
                let boost = if i == 0 { 2.0 } else { 1.0 };
                alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>));
            }
        }
        if looks_like_pinyin(word) {
            let q = term_query(Term::from_field_text(f.pinyin, &word.to_lowercase()));
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, 3.0))));
        }
        if !alternatives.is_empty() {
            musts.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
    }
    (!musts.is_empty()).then(|| Box::new(BooleanQuery::new(musts)) as Box<dyn Query>)
}
