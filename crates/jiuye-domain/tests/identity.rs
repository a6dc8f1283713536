//! Identity documents, one table of real-format numbers per kind (as the issuing rules write
//! them), and properties: no input panics, every valid number round-trips through its stored
//! key, and no mask shows the birth date.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use chrono::NaiveDate;
use jiuye_domain::codes::identity::{self, DocumentKind, Identity};
use jiuye_domain::codes::{NationalId, Sex, national_id};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 17 digits and their MOD 11-2 check character.
fn gb(first17: &str) -> String {
    format!("{first17}{}", NationalId::check_char(first17).unwrap())
}

use DocumentKind::*;

/// (kind asked, number, nationality, → kind, birth date, sex, nationality)
#[test]
fn every_kind_parses_real_formats() {
    type Row<'a> =
        (DocumentKind, String, Option<&'a str>, DocumentKind, Option<NaiveDate>, Option<Sex>, Option<&'a str>);
    let rows: Vec<Row> = vec![
        // 居民身份证: a 1966-born 思明 resident (350203 exists only since 1983).
        (ResidentId, gb("35020319660505123"), None, ResidentId, Some(d(1966, 5, 5)), Some(Sex::Male), None),
        (ResidentId, gb("35020619950505563"), None, ResidentId, Some(d(1995, 5, 5)), Some(Sex::Male), None),
        // 港澳居民居住证: born 1985 — before 810000 existed — and Macao 1960.
        (
            HkmoResidencePermit,
            gb("81000019850101124"),
            None,
            HkmoResidencePermit,
            Some(d(1985, 1, 1)),
            Some(Sex::Female),
            None,
        ),
        (
            HkmoResidencePermit,
            gb("82000019600229001"),
            None,
            HkmoResidencePermit,
            Some(d(1960, 2, 29)),
            Some(Sex::Male),
            None,
        ),
        // 台湾居民居住证, also when typed as a resident ID (old clients send `national_id`).
        (
            TaiwanResidencePermit,
            gb("83000019900101002"),
            None,
            TaiwanResidencePermit,
            Some(d(1990, 1, 1)),
            Some(Sex::Female),
            None,
        ),
        (ResidentId, gb("83000019700815003"), None, TaiwanResidencePermit, Some(d(1970, 8, 15)), Some(Sex::Male), None),
        // 外国人永久居留身份证 2023: 9, province 35 (Fujian), 643 (Russia), birth, sequence.
        (
            ForeignPermanentResidence,
            gb("93564319880315001"),
            None,
            ForeignPermanentResidence,
            Some(d(1988, 3, 15)),
            Some(Sex::Male),
            Some("RUS"),
        ),
        (
            ResidentId,
            gb("91184020010704002"),
            Some("USA"),
            ForeignPermanentResidence,
            Some(d(2001, 7, 4)),
            Some(Sex::Female),
            Some("USA"),
        ),
        // 2017 card: USA, Fujian, born 1988-03-15.
        (
            ForeignPermanentResidence,
            "USA358803150012".into(),
            None,
            ForeignPermanentResidence,
            Some(d(1988, 3, 15)),
            None,
            Some("USA"),
        ),
        (
            ForeignPermanentResidence,
            "bra 110 505 010 123".into(),
            None,
            ForeignPermanentResidence,
            Some(d(2005, 5, 1)),
            None,
            Some("BRA"),
        ),
        // 台胞证 (8 digits) and 回乡证 (H/M + 8, issue count dropped).
        (TaiwanTravelPermit, "01234567".into(), None, TaiwanTravelPermit, None, None, None),
        (HkmoTravelPermit, "H12345678".into(), None, HkmoTravelPermit, None, None, None),
        (HkmoTravelPermit, "h1234567801".into(), None, HkmoTravelPermit, None, None, None),
        (HkmoTravelPermit, "M87654321".into(), None, HkmoTravelPermit, None, None, None),
        // Passports with an ISO 3166 alpha-3 nationality.
        (Passport, "E12345678".into(), Some("usa"), Passport, None, None, Some("USA")),
        (Passport, "753 123 456".into(), Some("RUS"), Passport, None, None, Some("RUS")),
        (Passport, "EA1234567".into(), Some("CHN"), Passport, None, None, Some("CHN")),
    ];
    for (asked, number, nat, kind, birth, sex, nationality) in rows {
        let id = Identity::parse(asked, &number, nat, today()).unwrap_or_else(|e| panic!("{asked:?} {number}: {e:?}"));
        assert_eq!(id.kind(), kind, "{number}");
        assert_eq!(id.birth_date(), birth, "{number}");
        assert_eq!(id.sex(), sex, "{number}");
        assert_eq!(id.nationality().map(|n| n.as_str()), nationality, "{number}");
        // The stored key reads back as the same document.
        let again = Identity::from_key(&id.key(), today()).unwrap();
        assert_eq!(again, id, "{number}: key round trip");
        // Detected without the kind where no nationality is needed.
        if kind != Passport {
            assert_eq!(Identity::detect(&number, today()).unwrap().key(), id.key(), "{number}: detected");
        }
    }
    // A 回乡证 keeps its identity across card renewals.
    let a = Identity::parse(HkmoTravelPermit, "H1234567801", None, today()).unwrap();
    let b = Identity::parse(HkmoTravelPermit, "H12345678", None, today()).unwrap();
    assert_eq!(a.key(), b.key());
    // Taiwan compatriots and foreigners are known by their documents.
    assert!(Identity::parse(TaiwanTravelPermit, "01234567", None, today()).unwrap().taiwan_compatriot());
    assert!(Identity::parse(Passport, "E12345678", Some("USA"), today()).unwrap().foreigner());
    assert!(!Identity::parse(Passport, "EA1234567", Some("CHN"), today()).unwrap().foreigner());
    let pr23 = Identity::parse(ForeignPermanentResidence, &gb("93584019880315001"), None, today()).unwrap();
    let pr17 = Identity::parse(ForeignPermanentResidence, "USA358803150012", None, today()).unwrap();
    assert!(pr23.foreigner() && pr17.foreigner());
    assert!(pr23.same_holder_possible(&pr17), "the old and the new card of one American born 1988-03-15");
}

#[test]
fn refusals_name_what_is_wrong() {
    let cases: Vec<(DocumentKind, String, Option<&str>, &str)> = vec![
        (HkmoResidencePermit, gb("81000120000101001"), None, national_id::ERR_REGION),
        (HkmoResidencePermit, gb("83000019900101002"), None, identity::ERR_PERMIT_REGION),
        (TaiwanResidencePermit, gb("35020319900101123"), None, identity::ERR_PERMIT_REGION),
        (ResidentId, gb("35020420050101123"), None, national_id::ERR_REGION), // 开元区 gone in 2003
        (ResidentId, "12345".into(), None, national_id::ERR_LENGTH),
        (ForeignPermanentResidence, gb("93515619880315001"), None, identity::ERR_NATIONALITY), // 156: China
        (ForeignPermanentResidence, gb("99964319880315001"), None, identity::ERR_FORMAT),      // province 99
        (ForeignPermanentResidence, gb("93564319880315001"), Some("USA"), identity::ERR_NATIONALITY_MISMATCH),
        (ForeignPermanentResidence, gb("93564320991231001"), None, national_id::ERR_FUTURE_BIRTH_DATE),
        (ForeignPermanentResidence, "XXX350880315001".into(), None, identity::ERR_NATIONALITY),
        (ForeignPermanentResidence, "TWN350880315001".into(), None, identity::ERR_NATIONALITY),
        (ForeignPermanentResidence, "USA351380150012".into(), None, national_id::ERR_BIRTH_DATE),
        (TaiwanTravelPermit, "1234567".into(), None, identity::ERR_FORMAT),
        (TaiwanTravelPermit, "A1234567".into(), None, identity::ERR_FORMAT),
        (HkmoTravelPermit, "X12345678".into(), None, identity::ERR_FORMAT),
        (HkmoTravelPermit, "H1234567".into(), None, identity::ERR_FORMAT),
        (Passport, "E12345678".into(), None, identity::ERR_NATIONALITY_REQUIRED),
        (Passport, "E12345678".into(), Some("ZZZ"), identity::ERR_NATIONALITY),
        (Passport, "E12345678".into(), Some("TWN"), identity::ERR_NATIONALITY),
        (Passport, "E1".into(), Some("USA"), identity::ERR_FORMAT),
        (Passport, "E1234567\u{0}".into(), Some("USA"), identity::ERR_FORMAT),
    ];
    for (kind, number, nat, want) in cases {
        let got = Identity::parse(kind, &number, nat, today()).map(|i| i.key());
        match got {
            Err(e) => assert_eq!(e.code, want, "{kind:?} {number:?}"),
            Ok(k) => panic!("{kind:?} {number:?}: accepted as {k}, expected {want}"),
        }
    }
    // A wrong check character.
    let good = gb("83000019900101002");
    let bad = format!("{}{}", &good[..17], if good.ends_with('0') { '1' } else { '0' });
    assert_eq!(
        Identity::parse(TaiwanResidencePermit, &bad, None, today()).unwrap_err().code,
        national_id::ERR_CHECKSUM
    );
}

#[test]
fn masks_hide_the_birth_date() {
    let cases = [
        (ResidentId, gb("35020319660505123"), None, "350203********"),
        (TaiwanResidencePermit, gb("83000019900101002"), None, "830000********"),
        (ForeignPermanentResidence, "USA358803150012".to_string(), None, "USA********"),
        (TaiwanTravelPermit, "01234567".to_string(), None, "012***67"),
        (HkmoTravelPermit, "H12345678".to_string(), None, "H12****78"),
        (Passport, "E12345678".to_string(), Some("USA"), "E12****78"),
    ];
    for (kind, number, nat, starts) in cases {
        let id = Identity::parse(kind, &number, nat, today()).unwrap();
        let masked = id.masked();
        assert!(masked.starts_with(starts), "{masked} for {kind:?}");
        assert_eq!(masked.chars().count(), id.number().chars().count(), "{masked}: as long as the number");
        assert!(!format!("{id:?}").contains(id.number()), "Debug never shows the number");
    }
}

proptest! {
    /// Any string, any kind: an answer, never a panic.
    #[test]
    fn never_panics(s in "\\PC{0,24}", k in 0usize..7, nat in proptest::option::of("[A-Za-z]{0,4}")) {
        let _ = Identity::parse(DocumentKind::ALL[k], &s, nat.as_deref(), today());
        let _ = Identity::detect(&s, today());
        let _ = Identity::from_key(&s, today());
    }

    /// Every valid permit or 2023 card round-trips and its mask never shows the birth date.
    #[test]
    fn gb_family_round_trips(prefix in prop::sample::select(vec!["810000", "820000", "830000", "935643", "911840", "944276"]),
                              year in 1900i32..2026, month in 1u32..13, day in 1u32..29, seq in 0u32..1000) {
        let first17 = format!("{prefix}{year:04}{month:02}{day:02}{seq:03}");
        let number = gb(&first17);
        let id = Identity::detect(&number, today()).unwrap();
        prop_assert_eq!(id.birth_date(), Some(d(year, month, day)));
        prop_assert_eq!(Identity::from_key(&id.key(), today()).unwrap(), id.clone());
        let birth = format!("{year:04}{month:02}{day:02}");
        prop_assert!(!id.masked().contains(&birth));
    }
}
