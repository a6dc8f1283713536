//! Text to tokens: jieba for Chinese (search mode), lower-cased, punctuation dropped; and the
//! pinyin forms (full and initials) that let `diangong` and `dg` find 电工.

use pinyin::ToPinyin;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

pub const TOKENIZER: &str = "jiuye_zh";

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
    let mut full = String::new();
    let mut initials = String::new();
    for p in text.to_pinyin().flatten() {
        full.push_str(p.plain());
        initials.push_str(p.first_letter());
    }
    if full.is_empty() { None } else { Some((full, initials)) }
}

/// A query made only of ASCII letters may be pinyin.
pub fn looks_like_pinyin(q: &str) -> bool {
    !q.is_empty() && q.len() <= 40 && q.chars().all(|c| c.is_ascii_alphabetic())
}
