//! Money as integer fen (1 yuan = 100 fen). Never floats.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub fn from_yuan(yuan: i64) -> Self {
        Fen(yuan * 100)
    }

    pub fn yuan(self) -> i64 {
        self.0 / 100
    }
}

impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// Digits grouped in threes with commas: 1234567 → "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl Fen {
    /// The exact amount as people read it, with separators: "13,398.00 元", "13,398.00 yuan".
    /// Claims, payments and statements are shown this way: to the fen.
    pub fn readable(self, lang: crate::Lang) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let unit = if lang == crate::Lang::Zh { "元" } else { "yuan" };
        format!("{sign}{}.{:02} {unit}", grouped(abs / 100), abs % 100)
    }

    /// A large amount as budgets are written: in Chinese, 万元 (two decimals, rounded half up)
    /// from ten thousand yuan up; otherwise as [`Fen::readable`].
    pub fn readable_large(self, lang: crate::Lang) -> String {
        let abs = self.0.unsigned_abs();
        if lang != crate::Lang::Zh || abs < 1_000_000 {
            return self.readable(lang);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        // 1 万元 = 1,000,000 fen.
        let hundredths = (abs + 5_000) / 10_000;
        format!("{sign}{}.{:02} 万元", grouped(hundredths / 100), hundredths % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::Fen;
    use crate::Lang;

    #[test]
    fn readable_amounts() {
        // (fen, exact zh, large zh, exact en)
        let cases: &[(i64, &str, &str, &str)] = &[
            (0, "0.00 元", "0.00 元", "0.00 yuan"),
            (5, "0.05 元", "0.05 元", "0.05 yuan"),
            (150_000, "1,500.00 元", "1,500.00 元", "1,500.00 yuan"),
            (999_999, "9,999.99 元", "9,999.99 元", "9,999.99 yuan"),
            (1_000_000, "10,000.00 元", "1.00 万元", "10,000.00 yuan"),
            (1_339_800, "13,398.00 元", "1.34 万元", "13,398.00 yuan"),
            (21_072_000_000, "210,720,000.00 元", "21,072.00 万元", "210,720,000.00 yuan"),
            (9_999_999_996, "99,999,999.96 元", "10,000.00 万元", "99,999,999.96 yuan"),
            (-150_000, "-1,500.00 元", "-1,500.00 元", "-1,500.00 yuan"),
            (-123_456_789, "-1,234,567.89 元", "-123.46 万元", "-1,234,567.89 yuan"),
        ];
        for &(fen, zh, large, en) in cases {
            assert_eq!(Fen(fen).readable(Lang::Zh), zh, "{fen} zh");
            assert_eq!(Fen(fen).readable_large(Lang::Zh), large, "{fen} large zh");
            assert_eq!(Fen(fen).readable(Lang::En), en, "{fen} en");
            assert_eq!(Fen(fen).readable_large(Lang::En), en, "{fen} large en");
        }
    }
}
