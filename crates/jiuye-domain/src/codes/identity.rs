//! Identity documents: everyone who may use a public employment service in Xiamen, not only
//! holders of a 居民身份证. Each kind is parsed by the rules its issuer publishes:
//!
//! | kind | document | number |
//! |---|---|---|
//! | `resident_id` | 居民身份证 | GB 11643: address code, birth date, sequence, MOD 11-2 |
//! | `hkmo_residence_permit` | 港澳居民居住证 | GB 11643 with address code 810000 (HK) / 820000 (Macao), any birth year |
//! | `taiwan_residence_permit` | 台湾居民居住证 | GB 11643 with address code 830000, any birth year |
//! | `foreign_permanent_residence` | 外国人永久居留身份证 | 2023: 18 digits, `9`, province, ISO 3166 numeric nationality, birth date, sequence, MOD 11-2; 2017: 3 letters (ISO 3166 alpha-3) + 12 digits |
//! | `taiwan_travel_permit` | 台湾居民来往大陆通行证 (台胞证) | 8 digits (the card, since 2015) |
//! | `hkmo_travel_permit` | 港澳居民来往内地通行证 (回乡证) | `H` or `M` + 8 digits; the 2 digits of the issue count that follow are not part of the identity |
//! | `passport` | 护照 | 5–20 letters and digits, with the ISO 3166 alpha-3 nationality |
//!
//! An 18-character number typed as a resident ID that is in fact a residence permit or a
//! foreign permanent residence card is recognised as what it is, so clients that only know
//! `national_id` keep working for everyone who holds a GB 11643-style number.
//!
//! Like [`NationalId`], a document has no `Display`; its `Debug` shows only the masked form.

use chrono::{Datelike, NaiveDate};
use isocountry::CountryCode;
use serde::{Deserialize, Serialize};

use super::national_id::{self, NationalId, Sex};
use super::normalise;
use crate::CodeError;

pub const ERR_KIND: &str = "identity.kind";
pub const ERR_FORMAT: &str = "identity.format";
pub const ERR_NATIONALITY: &str = "identity.nationality";
pub const ERR_NATIONALITY_REQUIRED: &str = "identity.nationality_required";
pub const ERR_NATIONALITY_MISMATCH: &str = "identity.nationality_mismatch";
pub const ERR_PERMIT_REGION: &str = "identity.permit_region";

/// The kinds of identity document a person may register with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    ResidentId,
    HkmoResidencePermit,
    TaiwanResidencePermit,
    ForeignPermanentResidence,
    TaiwanTravelPermit,
    HkmoTravelPermit,
    Passport,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::ResidentId,
        DocumentKind::HkmoResidencePermit,
        DocumentKind::TaiwanResidencePermit,
        DocumentKind::ForeignPermanentResidence,
        DocumentKind::TaiwanTravelPermit,
        DocumentKind::HkmoTravelPermit,
        DocumentKind::Passport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ResidentId => "resident_id",
            DocumentKind::HkmoResidencePermit => "hkmo_residence_permit",
            DocumentKind::TaiwanResidencePermit => "taiwan_residence_permit",
            DocumentKind::ForeignPermanentResidence => "foreign_permanent_residence",
            DocumentKind::TaiwanTravelPermit => "taiwan_travel_permit",
            DocumentKind::HkmoTravelPermit => "hkmo_travel_permit",
            DocumentKind::Passport => "passport",
        }
    }

    pub fn parse(s: &str) -> Result<DocumentKind, CodeError> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| CodeError::new(ERR_KIND).arg("value", s.trim()))
    }

    /// The catalogue key of the kind's name (`identity.kind.passport` → 护照 / Passport).
    pub fn label_key(self) -> String {
        format!("identity.kind.{}", self.as_str())
    }

    /// Does the number carry the birth date and sex (the GB 11643 family)? For the others the
    /// person states them at registration.
    pub fn encodes_birth(self) -> bool {
        matches!(
            self,
            DocumentKind::ResidentId
                | DocumentKind::HkmoResidencePermit
                | DocumentKind::TaiwanResidencePermit
                | DocumentKind::ForeignPermanentResidence
        )
    }

    /// Does a number of this kind name a nationality?
    pub fn needs_nationality(self) -> bool {
        matches!(self, DocumentKind::Passport)
    }

    /// Held by a Taiwan compatriot (台湾同胞).
    pub fn taiwan(self) -> bool {
        matches!(self, DocumentKind::TaiwanResidencePermit | DocumentKind::TaiwanTravelPermit)
    }

    /// Held by a Hong Kong or Macao resident.
    pub fn hong_kong_macao(self) -> bool {
        matches!(self, DocumentKind::HkmoResidencePermit | DocumentKind::HkmoTravelPermit)
    }
}

/// A nationality: an ISO 3166-1 country, written as its alpha-3 code.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nationality(CountryCode);

impl Nationality {
    /// An ISO 3166-1 alpha-3 code, any case.
    pub fn parse(s: &str) -> Result<Nationality, CodeError> {
        let code = normalise(s).to_uppercase();
        CountryCode::for_alpha3(&code).map(Nationality).map_err(|_| CodeError::new(ERR_NATIONALITY).arg("value", code))
    }

    fn numeric(n: u32) -> Option<Nationality> {
        CountryCode::for_id(n).ok().map(Nationality)
    }

    pub fn as_str(&self) -> &'static str {
        self.0.alpha3()
    }

    /// The English short name of ISO 3166-1.
    pub fn name_en(&self) -> &'static str {
        self.0.name()
    }

    pub fn numeric_id(&self) -> u32 {
        self.0.numeric_id()
    }

    /// China itself, or a part of it (Taiwan, Hong Kong, Macao): never a foreign nationality.
    pub fn is_chinese(&self) -> bool {
        matches!(self.0, CountryCode::CHN | CountryCode::TWN | CountryCode::HKG | CountryCode::MAC)
    }
}

impl std::fmt::Debug for Nationality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Nationality {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A validated identity document number, with what it says of its holder.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    kind: DocumentKind,
    number: String,
    nationality: Option<Nationality>,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
}

impl Identity {
    /// Parse a number of the given kind (`nationality`: ISO 3166 alpha-3, for passports).
    pub fn parse(
        kind: DocumentKind,
        number: &str,
        nationality: Option<&str>,
        today: NaiveDate,
    ) -> Result<Identity, CodeError> {
        let compact: String = normalise(number).chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let compact = compact.to_uppercase();
        // Every document number is letters and digits: anything else (a control character, a
        // character of another script) is refused before any part is read.
        if !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(match kind {
                DocumentKind::ResidentId => CodeError::new(national_id::ERR_FORMAT),
                _ => CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()),
            });
        }
        let nationality = match nationality.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(Nationality::parse(n)?),
            None => None,
        };
        let id = match kind {
            DocumentKind::ResidentId
            | DocumentKind::HkmoResidencePermit
            | DocumentKind::TaiwanResidencePermit
            | DocumentKind::ForeignPermanentResidence
                if compact.len() == 18 =>
            {
                Self::gb11643(kind, &compact, today)?
            }
            DocumentKind::ResidentId | DocumentKind::HkmoResidencePermit | DocumentKind::TaiwanResidencePermit => {
                // The resident ID's own messages (length, format) are the clearest.
                NationalId::parse(&compact, today)?;
                return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
            }
            DocumentKind::ForeignPermanentResidence => Self::permanent_residence_2017(&compact, today)?,
            DocumentKind::TaiwanTravelPermit => {
                if compact.len() != 8 || !compact.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
                }
                Identity { kind, number: compact, nationality: None, birth_date: None, sex: None }
            }
            DocumentKind::HkmoTravelPermit => {
                let b = compact.as_bytes();
                let ok = matches!(b.len(), 9 | 11)
                    && matches!(b.first(), Some(b'H' | b'M'))
                    && b[1..].iter().all(u8::is_ascii_digit);
                if !ok {
                    return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
                }
                // The last two digits count the cards issued: the person stays the same.
                Identity { kind, number: compact[..9].to_string(), nationality: None, birth_date: None, sex: None }
            }
            DocumentKind::Passport => {
                let ok = (5..=20).contains(&compact.len()) && compact.bytes().all(|b| b.is_ascii_alphanumeric());
                if !ok {
                    return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
                }
                let n = nationality.ok_or_else(|| CodeError::new(ERR_NATIONALITY_REQUIRED))?;
                if matches!(n.as_str(), "TWN" | "HKG" | "MAC") {
                    // Compatriots register with their 通行证 or 居住证, never as foreigners.
                    return Err(CodeError::new(ERR_NATIONALITY).arg("value", n.as_str()));
                }
                return Ok(Identity { kind, number: compact, nationality: Some(n), birth_date: None, sex: None });
            }
        };
        match (nationality, id.nationality) {
            (Some(given), Some(on_card)) if given != on_card => {
                Err(CodeError::new(ERR_NATIONALITY_MISMATCH).arg("value", given.as_str()))
            }
            _ => Ok(id),
        }
    }

    /// Parse a number whose kind the client did not say: an 18-character number is a resident
    /// ID, a residence permit or a 2023 permanent residence card by its first digits; 15
    /// characters beginning with letters a 2017 card; `H`/`M` and digits a 回乡证; 8 digits a
    /// 台胞证. A passport needs its nationality, so it is never guessed.
    pub fn detect(number: &str, today: NaiveDate) -> Result<Identity, CodeError> {
        let compact: String =
            normalise(number).chars().filter(|c| !matches!(c, ' ' | '-')).collect::<String>().to_uppercase();
        let b = compact.as_bytes();
        let kind = match b.len() {
            18 => DocumentKind::ResidentId,
            15 if b[..3].iter().all(u8::is_ascii_alphabetic) => DocumentKind::ForeignPermanentResidence,
            9 | 11 if matches!(b[0], b'H' | b'M') => DocumentKind::HkmoTravelPermit,
            8 if b.iter().all(u8::is_ascii_digit) => DocumentKind::TaiwanTravelPermit,
            _ => DocumentKind::ResidentId,
        };
        Identity::parse(kind, &compact, None, today)
    }

    /// The GB 11643 family: the address code says which document it is.
    fn gb11643(asked: DocumentKind, number: &str, today: NaiveDate) -> Result<Identity, CodeError> {
        let prefix = &number[..2];
        let (kind, checked) = match prefix {
            "81" | "82" | "83" => (Self::permit_kind(number)?, Self::checked_digits(number, today)?),
            p if p.starts_with('9') => (DocumentKind::ForeignPermanentResidence, Self::checked_digits(number, today)?),
            _ => {
                let id = NationalId::parse(number, today)?;
                (DocumentKind::ResidentId, (id.birth_date(), id.sex()))
            }
        };
        // A number typed as one kind but of another family is read as what it is; only a
        // permit or card number asked for as the other permit is refused.
        if asked != DocumentKind::ResidentId && asked != kind {
            return Err(CodeError::new(ERR_PERMIT_REGION).arg("kind", asked.as_str()));
        }
        let nationality = if kind == DocumentKind::ForeignPermanentResidence {
            let province = &number[1..3];
            if !super::region::provinces().iter().any(|r| r.code.starts_with(province)) {
                return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
            }
            let n = Nationality::numeric(num(&number[3..6]))
                .filter(|n| !n.is_chinese())
                .ok_or_else(|| CodeError::new(ERR_NATIONALITY).arg("value", number[3..6].to_string()))?;
            Some(n)
        } else {
            None
        };
        Ok(Identity {
            kind,
            number: number.to_string(),
            nationality,
            birth_date: Some(checked.0),
            sex: Some(checked.1),
        })
    }

    fn permit_kind(number: &str) -> Result<DocumentKind, CodeError> {
        match &number[..6] {
            "810000" | "820000" => Ok(DocumentKind::HkmoResidencePermit),
            "830000" => Ok(DocumentKind::TaiwanResidencePermit),
            _ => Err(CodeError::new(national_id::ERR_REGION).arg("code", number[..6].to_string())),
        }
    }

    /// Digits, MOD 11-2 check character, birth date at `[6..14]` — the structure residence
    /// permits and the 2023 permanent residence card share with the resident ID, without the
    /// address-code rule (their codes are not places of household registration).
    fn checked_digits(number: &str, today: NaiveDate) -> Result<(NaiveDate, Sex), CodeError> {
        let b = number.as_bytes();
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(CodeError::new(national_id::ERR_FORMAT));
        }
        if national_id::check_char(&number[..17]) != Some(char::from(b[17])) {
            return Err(CodeError::new(national_id::ERR_CHECKSUM));
        }
        let birth = date(num(&number[6..10]), num(&number[10..12]), num(&number[12..14]))
            .filter(|d| d.year() >= national_id::MIN_BIRTH_YEAR)
            .ok_or_else(|| CodeError::new(national_id::ERR_BIRTH_DATE).arg("date", number[6..14].to_string()))?;
        if birth > today {
            return Err(
                CodeError::new(national_id::ERR_FUTURE_BIRTH_DATE).arg("date", birth.format("%Y-%m-%d").to_string())
            );
        }
        let sex = if num(&number[16..17]) % 2 == 1 { Sex::Male } else { Sex::Female };
        Ok((birth, sex))
    }

    /// The 2017 card: ISO 3166 alpha-3 nationality, 2-digit province of the issuing office,
    /// birth date `YYMMDD`, then four more digits (sequence and a check digit whose algorithm is
    /// not published, so it is not verified).
    fn permanent_residence_2017(number: &str, today: NaiveDate) -> Result<Identity, CodeError> {
        let kind = DocumentKind::ForeignPermanentResidence;
        let b = number.as_bytes();
        if b.len() != 15 || !b[..3].iter().all(u8::is_ascii_alphabetic) || !b[3..].iter().all(u8::is_ascii_digit) {
            return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
        }
        let nationality = Nationality::parse(&number[..3])?;
        if nationality.is_chinese() {
            return Err(CodeError::new(ERR_NATIONALITY).arg("value", nationality.as_str()));
        }
        let province = &number[3..5];
        if !super::region::provinces().iter().any(|r| r.code.starts_with(province)) {
            return Err(CodeError::new(ERR_FORMAT).arg("kind", kind.as_str()));
        }
        let (yy, mm, dd) = (num(&number[5..7]), num(&number[7..9]), num(&number[9..11]));
        // Two-digit years: the latest century that puts the birth date on or before today.
        let birth = [2000, 1900]
            .into_iter()
            .filter_map(|c| date(c + yy, mm, dd))
            .find(|d| *d <= today)
            .ok_or_else(|| CodeError::new(national_id::ERR_BIRTH_DATE).arg("date", number[5..11].to_string()))?;
        Ok(Identity {
            kind,
            number: number.to_string(),
            nationality: Some(nationality),
            birth_date: Some(birth),
            sex: None,
        })
    }

    /// A resident ID as an identity document.
    pub fn resident(id: &NationalId) -> Identity {
        Identity {
            kind: DocumentKind::ResidentId,
            number: id.as_str().to_string(),
            nationality: None,
            birth_date: Some(id.birth_date()),
            sex: Some(id.sex()),
        }
    }

    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// The full number. Handle with care: never log it.
    pub fn number(&self) -> &str {
        &self.number
    }

    pub fn nationality(&self) -> Option<Nationality> {
        self.nationality
    }

    /// The birth date the number carries, if it carries one.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.birth_date
    }

    /// The sex the number carries, if it carries one.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    /// What is encrypted at rest and hashed for look-up. A resident ID is its bare number (as
    /// it always was, so stored hashes stay valid); any other kind is prefixed with the kind
    /// (and a passport with its nationality), so that numbers of different documents never meet.
    pub fn key(&self) -> String {
        match (self.kind, self.nationality) {
            (DocumentKind::ResidentId, _) => self.number.clone(),
            (DocumentKind::Passport, Some(n)) => format!("passport:{}:{}", n.as_str(), self.number),
            (k, _) => format!("{}:{}", k.as_str(), self.number),
        }
    }

    /// Read back a stored key (see [`Identity::key`]).
    pub fn from_key(key: &str, today: NaiveDate) -> Result<Identity, CodeError> {
        let mut parts = key.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(number), None, None) => Identity::parse(DocumentKind::ResidentId, number, None, today),
            (Some("passport"), Some(nat), Some(number)) => {
                Identity::parse(DocumentKind::Passport, number, Some(nat), today)
            }
            (Some(kind), Some(number), None) => Identity::parse(DocumentKind::parse(kind)?, number, None, today),
            _ => Err(CodeError::new(ERR_FORMAT)),
        }
    }

    /// The document number inside a stored key, without validating it again.
    pub fn number_of_key(key: &str) -> &str {
        key.rsplit(':').next().unwrap_or(key)
    }

    /// The masked number: the first characters that say which document it is, then stars, and
    /// the last four — never the birth date (`350203********123X`, `830000********0015`,
    /// `H1234****`, `E12****78`).
    pub fn masked(&self) -> String {
        let n = &self.number;
        match n.len() {
            18 => format!("{}********{}", &n[..6], &n[14..]),
            15 => format!("{}********{}", &n[..3], &n[11..]),
            len if len >= 8 => format!("{}{}{}", &n[..3], "*".repeat(len - 5), &n[len - 2..]),
            len => format!("{}{}", &n[..1], "*".repeat(len - 1)),
        }
    }

    /// A Taiwan compatriot, by the document held.
    pub fn taiwan_compatriot(&self) -> bool {
        self.kind.taiwan()
    }

    /// A foreign national, by the document held.
    pub fn foreigner(&self) -> bool {
        self.nationality.is_some_and(|n| !n.is_chinese())
    }

    /// Could these two documents be the same person's? A 2017 and a 2023 permanent residence
    /// card of one holder carry the same nationality and birth date.
    pub fn same_holder_possible(&self, other: &Identity) -> bool {
        self.nationality == other.nationality
            && self.birth_date.is_some()
            && self.birth_date == other.birth_date
            && self.kind == other.kind
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Identity").field(&self.kind).field(&self.masked()).finish()
    }
}

fn date(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A run of ASCII digits as a number (callers have checked the digits).
fn num(s: &str) -> u32 {
    s.bytes().fold(0, |acc, b| acc * 10 + u32::from(b.wrapping_sub(b'0') % 10))
}
