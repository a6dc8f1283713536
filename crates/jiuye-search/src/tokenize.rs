//! Text to tokens: jieba for Chinese (search mode), lower-cased, punctuation dropped; and the
//! pinyin forms (full and initials) that let `diangong` and `dg` find 电工.

use pinyin::ToPinyin;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

pub const TOKENIZER: &str = "jiuye_zh";
/// Character bigrams, lower-cased: the second field that finds `包住` in 包住宿 and `cad` in
/// AutoCAD whatever jieba made of the text.
pub const GRAMS: &str = "jiuye_grams";

/// The bigram analyzer registered as [`GRAMS`].
pub fn grams_analyzer() -> tantivy::tokenizer::TextAnalyzer {
    use tantivy::tokenizer::{LowerCaser, NgramTokenizer, TextAnalyzer};
    match NgramTokenizer::all_ngrams(2, 2) {
        Ok(t) => TextAnalyzer::builder(t).filter(LowerCaser).build(),
        // (2, 2) is a valid range; this arm is never taken.
        Err(_) => TextAnalyzer::from(tantivy::tokenizer::RawTokenizer::default()),
    }
}

/// Jieba in search mode, lower-cased, with tokens that hold no letter or digit dropped
/// (punctuation is not a token).
#[derive(Clone)]
pub struct ZhTokenizer {
    inner: JiebaTokenizer,
}

impl Default for ZhTokenizer {
    fn default() -> Self {
        ZhTokenizer { inner: JiebaTokenizer::new() }
    }
}

pub struct ZhTokenStream<'a> {
    inner: <JiebaTokenizer as Tokenizer>::TokenStream<'a>,
    token: Token,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream<'a> {
        ZhTokenStream { inner: self.inner.token_stream(text), token: Token::default() }
    }
}

impl TokenStream for ZhTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let t = self.inner.token();
            if t.text.chars().any(char::is_alphanumeric) {
                self.token = t.clone();
                self.token.text = t.text.to_lowercase();
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The tokens of a text, as the index sees them.
pub fn tokens(text: &str) -> Vec<String> {
    let mut tk = ZhTokenizer::default();
    let mut stream = tk.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token().text.clone();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Full pinyin (`diangong`) and initials (`dg`) of the Chinese characters in `text`;
/// None when it has none.
pub fn pinyin_forms(text: &str) -> Option<(String, String)> {
    pinyin_readings(text).into_iter().next()
}

/// Every reading people may type: the word's own (`kuaiji` for 会计) first and, where a
/// character of it has another first reading, that one too (`huiji`) — the sound a homophone
/// typo like 会记 is typed by.
pub fn pinyin_readings(text: &str) -> Vec<(String, String)> {
    let plain: Vec<Option<&str>> = text.to_pinyin().map(|p| p.map(|p| p.plain())).collect();
    let join = |syllables: &[Option<&str>]| -> Option<(String, String)> {
        let (mut full, mut initials) = (String::new(), String::new());
        for s in syllables.iter().flatten() {
            full.push_str(s);
            initials.push_str(&s[..1]);
        }
        (!full.is_empty()).then_some((full, initials))
    };
    // A character with several readings takes the one its word has.
    let mut read = plain.clone();
    let chars: Vec<char> = text.chars().collect();
    for (word, readings) in READINGS.iter().filter(|(w, _)| text.contains(w)) {
        let w: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i + w.len() <= chars.len() {
            if chars[i..i + w.len()] == w[..] {
                for (k, r) in readings.iter().enumerate() {
                    read[i + k] = Some(r);
                }
                i += w.len();
            } else {
                i += 1;
            }
        }
    }
    let mut out: Vec<(String, String)> = join(&read).into_iter().collect();
    if read != plain {
        out.extend(join(&plain));
    }
    out
}

/// Words of job titles whose characters are read otherwise than their first reading.
const READINGS: &[(&str, &[&str])] = &[
    ("会计", &["kuai", "ji"]),
    ("财会", &["cai", "kuai"]),
    ("银行", &["yin", "hang"]),
    ("行长", &["hang", "zhang"]),
    ("店长", &["dian", "zhang"]),
    ("厂长", &["chang", "zhang"]),
    ("班长", &["ban", "zhang"]),
    ("组长", &["zu", "zhang"]),
    ("校长", &["xiao", "zhang"]),
    ("科长", &["ke", "zhang"]),
    ("部长", &["bu", "zhang"]),
    ("队长", &["dui", "zhang"]),
    ("调度", &["diao", "du"]),
    ("调研", &["diao", "yan"]),
    ("音乐", &["yin", "yue"]),
    ("乐器", &["yue", "qi"]),
    ("出差", &["chu", "chai"]),
    ("重型", &["zhong", "xing"]),
    ("重工", &["zhong", "gong"]),
];

/// A query made only of ASCII letters may be pinyin.
pub fn looks_like_pinyin(q: &str) -> bool {
    !q.is_empty() && q.len() <= 40 && q.chars().all(|c| c.is_ascii_alphabetic())
}

/// The words of a query as jieba cuts them by default (no overlapping sub-words), lower-cased,
/// punctuation dropped: `中央空调维修` → 中央空调, 维修; `java开发` → java, 开发.
pub fn words(text: &str) -> Vec<String> {
    let mut tk = JiebaTokenizer::with_search_mode(false);
    let mut stream = tk.token_stream(text);
    let mut out: Vec<String> = Vec::new();
    while stream.advance() {
        let t = stream.token().text.to_lowercase();
        if t.chars().any(char::is_alphanumeric) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The shorter words inside a word, as the index cut them (`中央空调` → 中央, 空调); empty when
/// the word has none.
pub fn parts(word: &str) -> Vec<String> {
    tokens(word).into_iter().filter(|t| t != word && t.chars().count() >= 2).collect()
}

/// The character bigrams of a word as the [`GRAMS`] field holds them; empty for one character.
pub fn bigrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<String> = Vec::new();
    for w in chars.windows(2) {
        let g: String = w.iter().collect();
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// A title without what is bracketed in it (`外卖骑手（日结）` → 外卖骑手), trimmed: what a
/// typeahead offers and what an exact-title match compares.
pub fn plain_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.trim().to_string();
    if out.is_empty() { title.trim().to_string() } else { out }
}

/// The key an exact-title match compares: the plain title lower-cased, without spaces.
pub fn title_key(title: &str) -> String {
    plain_title(title).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a word is written in Latin letters only (English, or pinyin).
pub fn is_latin(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic())
}
