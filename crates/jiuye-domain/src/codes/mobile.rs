//! Mobile numbers people can be reached on: mainland China's 11 digits `1[3-9]xxxxxxxxx`
//! (optionally written with a `+86`/`86`/`0086` prefix, spaces and hyphens), Hong Kong
//! (`+852`, 8 digits from 4–9), Macao (`+853`, 8 digits from 6), Taiwan (`+886`, 9 digits
//! from 9 — written locally 09…), and any other country in E.164 form (`+`, an ITU country
//! calling code, at most 15 digits in all). A mainland number is stored as its 11 digits, any
//! other as `+` and its digits.

use crate::CodeError;

pub const ERR_FORMAT: &str = "mobile.format";

/// ITU-T E.164 country calling codes in use (assigned to a country or territory), besides
/// those checked more closely above. Longest match first when read.
const CALLING_CODES: &[&str] = &[
    "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48",
    "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
    "90", "91", "92", "93", "94", "95", "98", "211", "212", "213", "216", "218", "220", "221", "222", "223", "224",
    "225", "226", "227", "228", "229", "230", "231", "232", "233", "234", "235", "236", "237", "238", "239", "240",
    "241", "242", "243", "244", "245", "246", "248", "249", "250", "251", "252", "253", "254", "255", "256", "257",
    "258", "260", "261", "262", "263", "264", "265", "266", "267", "268", "269", "290", "291", "297", "298", "299",
    "350", "351", "352", "353", "354", "355", "356", "357", "358", "359", "370", "371", "372", "373", "374", "375",
    "376", "377", "378", "380", "381", "382", "383", "385", "386", "387", "389", "420", "421", "423", "500", "501",
    "502", "503", "504", "505", "506", "507", "508", "509", "590", "591", "592", "593", "594", "595", "596", "597",
    "598", "599", "670", "672", "673", "674", "675", "676", "677", "678", "679", "680", "681", "682", "683", "685",
    "686", "687", "688", "689", "690", "691", "692", "850", "855", "856", "880", "960", "961", "962", "963", "964",
    "965", "966", "967", "968", "970", "971", "972", "973", "974", "975", "976", "977", "992", "993", "994", "995",
    "996", "998",
];

/// The country calling code at the start of international digits, if it is one in use.
fn calling_code(digits: &str) -> Option<&str> {
    [3, 2, 1].into_iter().filter_map(|l| digits.get(..l)).find(|c| CALLING_CODES.contains(c))
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Mobile(String);

fn mainland(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

impl Mobile {
    pub fn parse(s: &str) -> Result<Mobile, CodeError> {
        let compact: String =
            super::normalise(s).chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
        let refuse = || CodeError::new(ERR_FORMAT);
        let international = compact.strip_prefix('+').or_else(|| compact.strip_prefix("00"));
        let Some(rest) = international else {
            // No international prefix: a mainland number, bare or as 86…
            let digits = if compact.len() == 13 { compact.strip_prefix("86").unwrap_or(&compact) } else { &compact };
            return if mainland(digits) { Ok(Mobile(digits.to_string())) } else { Err(refuse()) };
        };
        if !rest.bytes().all(|b| b.is_ascii_digit()) || !(8..=15).contains(&rest.len()) {
            return Err(refuse());
        }
        let ok = if let Some(n) = rest.strip_prefix("86") {
            return if mainland(n) { Ok(Mobile(n.to_string())) } else { Err(refuse()) };
        } else if let Some(n) = rest.strip_prefix("852") {
            n.len() == 8 && matches!(n.as_bytes()[0], b'4'..=b'9')
        } else if let Some(n) = rest.strip_prefix("853") {
            n.len() == 8 && n.starts_with('6')
        } else if let Some(n) = rest.strip_prefix("886") {
            // Taiwan mobiles are 09xx xxx xxx at home: +886 9xx xxx xxx.
            let n = n.strip_prefix('0').unwrap_or(n);
            if n.len() == 9 && n.starts_with('9') {
                return Ok(Mobile(format!("+886{n}")));
            }
            false
        } else {
            calling_code(rest).is_some_and(|c| rest.len() - c.len() >= 6)
        };
        if ok { Ok(Mobile(format!("+{rest}"))) } else { Err(refuse()) }
    }

    /// The number as stored: 11 digits for the mainland, `+` and the digits otherwise.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A mainland number?
    pub fn is_mainland(&self) -> bool {
        !self.0.starts_with('+')
    }

    /// `138****1234`; `+852****5678` for a number abroad.
    pub fn masked(&self) -> String {
        let n = &self.0;
        if self.is_mainland() {
            return format!("{}****{}", &n[..3], &n[7..]);
        }
        let code = if ["+852", "+853", "+886"].iter().any(|p| n.starts_with(p)) {
            &n[1..4]
        } else {
            calling_code(&n[1..]).unwrap_or_default()
        };
        format!("+{code}****{}", &n[n.len().saturating_sub(4)..])
    }
}

impl std::fmt::Display for Mobile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

super::serialize_as_str!(Mobile);
super::try_from_via_parse!(Mobile);
