//! Table-driven tests of the national code parsers and the embedded code lists.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use chrono::NaiveDate;
use jiuye_domain::codes::{
    self, CreditCode, DistrictCode, EducationLevel, IndustryCode, KeyGroup, Mobile, NationalId, OccupationCode,
    ProvinceCode, RegionLevel, Sex, StreetCode, industry, occupation, region,
};
use jiuye_domain::messages;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 11, 26)
}

// ------------------------------------------------------------------ national ID

/// (input, Ok((normalised, birth date, sex, prefix, masked, age today)) or Err(code))
/// A table row: input and the expected result (derived values or an error code).
type Case<T> = (&'static str, Result<T, &'static str>);

type IdCase = (&'static str, Result<(&'static str, (i32, u32, u32), Sex, &'static str), &'static str>);

const ID_CASES: &[IdCase] = &[
    ("350203199003071236", Ok(("350203199003071236", (1990, 3, 7), Sex::Male, "350203"))),
    ("350203199003071244", Ok(("350203199003071244", (1990, 3, 7), Sex::Female, "350203"))),
    ("  350203199003071236\n", Ok(("350203199003071236", (1990, 3, 7), Sex::Male, "350203"))),
    ("11010320100615001x", Ok(("11010320100615001X", (2010, 6, 15), Sex::Male, "110103"))),
    ("11010320100615001X", Ok(("11010320100615001X", (2010, 6, 15), Sex::Male, "110103"))),
    // full-width digits are read as digits
    ("３５０２０３１９９００３０７１２３６", Ok(("350203199003071236", (1990, 3, 7), Sex::Male, "350203"))),
    // 海沧区 code 350205 was 杏林区 1983–2002 and 海沧区 since 2003: valid from 1983
    ("350205200301010026", Ok(("350205200301010026", (2003, 1, 1), Sex::Female, "350205"))),
    ("350205198301010018", Ok(("350205198301010018", (1983, 1, 1), Sex::Male, "350205"))),
    // abolished 开元区 350204 (1983–2003): still valid for people born then
    ("350204198501010032", Ok(("350204198501010032", (1985, 1, 1), Sex::Male, "350204"))),
    ("110105194910010015", Ok(("110105194910010015", (1949, 10, 1), Sex::Male, "110105"))),
    // born today
    ("350203202611260027", Ok(("350203202611260027", (2026, 11, 26), Sex::Female, "350203"))),
    ("", Err("national_id.length")),
    ("35020319900307123", Err("national_id.length")),
    ("3502031990030712366", Err("national_id.length")),
    ("350203 199003071236", Err("national_id.length")),
    ("35020319900307123A", Err("national_id.format")),
    ("3502031990030712X6", Err("national_id.format")),
    ("35020319900307123é", Err("national_id.format")),
    ("350203199003071237", Err("national_id.checksum")),
    ("350203199003071230", Err("national_id.checksum")),
    ("350203199003071263", Err("national_id.checksum")), // adjacent digits swapped
    ("350203199002301239", Err("national_id.birth_date")), // 30 February
    ("350203189912310012", Err("national_id.birth_date")), // before 1900
    ("350203202611270014", Err("national_id.future_birth_date")),
    ("990101199001010019", Err("national_id.region")),
    ("180000190001010023", Err("national_id.region")),
    ("110103201106150017", Err("national_id.region")), // 崇文区 abolished in 2010
    ("350205198201010010", Ok(("350205198201010010", (1982, 1, 1), Sex::Male, "350205"))), // code from 1983: assigned later
    ("350204200501010016", Err("national_id.region")), // 开元区 abolished in 2003, before this birth
];

#[test]
fn national_id_table() {
    for (input, expected) in ID_CASES {
        let got = NationalId::parse(input, today());
        match (expected, &got) {
            (Ok((number, (y, m, d), sex, prefix)), Ok(id)) => {
                assert_eq!(id.as_str(), *number, "{input:?}");
                assert_eq!(id.birth_date(), date(*y, *m, *d), "{input:?}");
                assert_eq!(id.sex(), *sex, "{input:?}");
                assert_eq!(id.region_prefix(), *prefix, "{input:?}");
                assert_eq!(id.masked(), format!("{}********{}", &number[..6], &number[14..]));
                assert_eq!(NationalId::check_char(&number[..17]), number.chars().last());
            }
            (Err(code), Err(e)) => assert_eq!(e.code, *code, "{input:?}"),
            _ => panic!("{input:?}: expected {expected:?}, got {got:?}"),
        }
    }
}

#[test]
fn national_id_derived_values() {
    let id = NationalId::parse("350203199003071236", today()).unwrap();
    assert_eq!(id.masked(), "350203********1236");
    assert_eq!(format!("{id:?}"), "NationalId(\"350203********1236\")");
    assert!(!format!("{id:?}").contains("19900307"));
    assert_eq!(id.age_on(date(2026, 3, 6)), 35);
    assert_eq!(id.age_on(date(2026, 3, 7)), 36);
    assert_eq!(id.age_on(date(1980, 1, 1)), 0);
    assert_eq!(id.sex().label_zh(), "男");
    assert_eq!(Sex::Female.label_zh(), "女");
    assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"female\"");
    let x = NationalId::parse("11010320100615001x", today()).unwrap();
    assert_eq!(x.masked(), "110103********001X");
    assert_eq!(NationalId::check_char("1101032010061500"), None);
    assert_eq!(NationalId::check_char("1101032010061500a"), None);
    assert_eq!(NationalId::check_char("11010320100615001"), Some('X'));
    // error arguments feed the catalogue texts
    let e = NationalId::parse("123", today()).unwrap_err();
    assert_eq!(e.message_zh(), "身份证号码应为18位，实际为3位");
}

// ------------------------------------------------------------------ credit code

const CREDIT_CASES: &[Case<(&str, &str)>] = &[
    ("91350200612002271D", Ok(("91350200612002271D", "350200"))),
    ("91350203ma31abcd0q", Ok(("91350203MA31ABCD0Q", "350203"))),
    (" 9135-0203-MA31-ABCD-0Q ", Ok(("91350203MA31ABCD0Q", "350203"))),
    ("12350000003606871N", Ok(("12350000003606871N", "350000"))),
    ("52350200MJD1234562", Ok(("52350200MJD1234562", "350200"))),
    ("92350206MA2Y123452", Ok(("92350206MA2Y123452", "350206"))),
    ("", Err("credit_code.length")),
    ("91350200612002271", Err("credit_code.length")),
    ("91350200612002271DD", Err("credit_code.length")),
    ("Y1350200612002271D", Err("credit_code.format")),
    ("9135020A612002271D", Err("credit_code.format")),
    ("91350203MA31IBCD0Q", Err("credit_code.alphabet")),
    ("91350203MA31OBCD0Q", Err("credit_code.alphabet")),
    ("91350203MA31ABCD0Z", Err("credit_code.alphabet")),
    ("91350203MA31ABCD0*", Err("credit_code.alphabet")),
    ("91350200612002271E", Err("credit_code.checksum")),
    ("91350200612002217D", Err("credit_code.checksum")),
];

#[test]
fn credit_code_table() {
    for (input, expected) in CREDIT_CASES {
        let got = CreditCode::parse(input);
        match (expected, &got) {
            (Ok((code, region)), Ok(c)) => {
                assert_eq!(c.as_str(), *code, "{input:?}");
                assert_eq!(c.admin_region(), *region, "{input:?}");
                assert_eq!(c.to_string(), *code);
                assert_eq!(CreditCode::check_char(&code[..17]), code.chars().last());
                let json = serde_json::to_string(c).unwrap();
                assert_eq!(json, format!("\"{code}\""));
                assert_eq!(&serde_json::from_str::<CreditCode>(&json).unwrap(), c);
            }
            (Err(code), Err(e)) => assert_eq!(e.code, *code, "{input:?}"),
            _ => panic!("{input:?}: expected {expected:?}, got {got:?}"),
        }
    }
    assert!(serde_json::from_str::<CreditCode>("\"91350200612002271E\"").is_err());
    let c = CreditCode::parse("91350200612002271D").unwrap();
    assert_eq!((c.registration_authority(), c.org_category(), c.org_code()), ('9', '1', "612002271"));
    assert_eq!(CreditCode::check_char("9135020061200227"), None);
    assert_eq!(CreditCode::check_char("9135020061200227I"), None);
}

// ------------------------------------------------------------------ mobile

const MOBILE_CASES: &[Case<(&str, &str)>] = &[
    ("13812341234", Ok(("13812341234", "138****1234"))),
    ("+86 138 1234 1234", Ok(("13812341234", "138****1234"))),
    ("+86-138-1234-1234", Ok(("13812341234", "138****1234"))),
    ("8613812341234", Ok(("13812341234", "138****1234"))),
    ("0086 19912345678", Ok(("19912345678", "199****5678"))),
    (" 15959201234 ", Ok(("15959201234", "159****1234"))),
    ("１３８１２３４１２３４", Ok(("13812341234", "138****1234"))),
    ("", Err("mobile.format")),
    ("12812341234", Err("mobile.format")),
    ("1381234123", Err("mobile.format")),
    ("138123412345", Err("mobile.format")),
    ("23812341234", Err("mobile.format")),
    ("1381234123a", Err("mobile.format")),
    ("+8713812341234", Err("mobile.format")), // 87: no such calling code
    ("+852 9123 4567", Ok(("+85291234567", "+852****4567"))),
    ("00853 6612 3456", Ok(("+85366123456", "+853****3456"))),
    ("+886 912 345 678", Ok(("+886912345678", "+886****5678"))),
    ("+886 0912-345-678", Ok(("+886912345678", "+886****5678"))),
    ("+852 2123 4567", Err("mobile.format")), // a Hong Kong landline
    ("+853 2812 3456", Err("mobile.format")),
    ("+886 2 2345 6789", Err("mobile.format")), // a Taipei landline
    ("+7 912 345 67 89", Ok(("+79123456789", "+7****6789"))),
    ("+55 11 91234-5678", Ok(("+5511912345678", "+55****5678"))),
    ("+1 (415) 555-0100", Ok(("+14155550100", "+1****0100"))),
    ("+99 12345678", Err("mobile.format")),
    ("+1 234", Err("mobile.format")),
    ("+1234567890123456", Err("mobile.format")),
    ("0592-5551234", Err("mobile.format")),
    ("+86 8613812341234", Err("mobile.format")),
];

#[test]
fn mobile_table() {
    for (input, expected) in MOBILE_CASES {
        let got = Mobile::parse(input);
        match (expected, &got) {
            (Ok((digits, masked)), Ok(m)) => {
                assert_eq!(m.as_str(), *digits, "{input:?}");
                assert_eq!(m.masked(), *masked, "{input:?}");
                let json = serde_json::to_string(m).unwrap();
                assert_eq!(&serde_json::from_str::<Mobile>(&json).unwrap(), m);
            }
            (Err(code), Err(e)) => assert_eq!(e.code, *code, "{input:?}"),
            _ => panic!("{input:?}: expected {expected:?}, got {got:?}"),
        }
    }
}

// ------------------------------------------------------------------ regions

#[test]
fn region_lists() {
    let provinces = region::provinces();
    assert_eq!(provinces.len(), 34);
    for (code, name) in
        [("350000", "福建省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("710000", "台湾省")]
    {
        assert!(provinces.iter().any(|p| p.code == code && p.name == name), "{code}");
    }
    assert!(provinces.iter().all(|p| p.level == RegionLevel::Province && p.parent.is_none()));
    let xm = region::lookup("350200").unwrap();
    assert_eq!((xm.name, xm.level, xm.parent), ("厦门市", RegionLevel::City, Some("350000")));

    let districts: Vec<(&str, &str)> = region::xiamen_districts().iter().map(|r| (r.code, r.name)).collect();
    assert_eq!(
        districts,
        [
            ("350203", "思明区"),
            ("350205", "海沧区"),
            ("350206", "湖里区"),
            ("350211", "集美区"),
            ("350212", "同安区"),
            ("350213", "翔安区")
        ]
    );
    assert_eq!(DistrictCode::all().len(), 6);
    let mut streets = 0;
    for d in DistrictCode::all() {
        let s = region::streets_of(&d);
        assert!(!s.is_empty(), "{d}");
        for r in s {
            assert_eq!(r.code.len(), 9);
            assert!(r.code.starts_with(d.as_str()));
            assert!(r.name.ends_with("街道") || r.name.ends_with('镇'), "{}", r.name);
            let sc = StreetCode::parse(r.code).unwrap();
            assert_eq!(sc.district(), d);
            assert_eq!(sc.name(), r.name);
            streets += 1;
        }
        assert_eq!(d.streets().len(), region::streets_of(&d).len());
    }
    assert_eq!(streets, 45);
    assert_eq!(StreetCode::all().len(), 45);
    // every parent exists
    for r in region::all() {
        if let Some(p) = r.parent {
            assert!(region::lookup(p).is_some(), "{}", r.code);
        }
    }
}

#[test]
fn region_newtypes_table() {
    let cases: &[(&str, Case<(&str, &str)>)] = &[
        ("district", ("350203", Ok(("350203", "思明区")))),
        ("district", (" 350213 ", Ok(("350213", "翔安区")))),
        ("district", ("350204", Err("region.district_unknown"))), // abolished 开元区
        ("district", ("350200", Err("region.district_unknown"))),
        ("district", ("350103", Err("region.district_unknown"))),
        ("district", ("", Err("region.district_unknown"))),
        ("street", ("350203001", Ok(("350203001", "厦港街道")))),
        ("street", ("350211102", Ok(("350211102", "灌口镇")))),
        ("street", ("350206405", Err("region.street_unknown"))), // statistical 4xx unit
        ("street", ("350203", Err("region.street_unknown"))),
        ("street", ("350203999", Err("region.street_unknown"))),
        ("province", ("35", Ok(("350000", "福建省")))),
        ("province", ("350000", Ok(("350000", "福建省")))),
        ("province", ("71", Ok(("710000", "台湾省")))),
        ("province", ("81", Ok(("810000", "香港特别行政区")))),
        ("province", ("350200", Err("region.province_unknown"))),
        ("province", ("36x", Err("region.province_unknown"))),
        ("province", ("99", Err("region.province_unknown"))),
        ("province", ("", Err("region.province_unknown"))),
    ];
    for (kind, (input, expected)) in cases {
        let got: Result<(&str, &str), jiuye_domain::CodeError> = match *kind {
            "district" => DistrictCode::parse(input).map(|c| (c.as_str(), c.name())),
            "street" => StreetCode::parse(input).map(|c| (c.as_str(), c.name())),
            _ => ProvinceCode::parse(input).map(|c| (c.as_str(), c.name())),
        };
        match (expected, &got) {
            (Ok(v), Ok(g)) => assert_eq!(v, g, "{kind} {input:?}"),
            (Err(code), Err(e)) => assert_eq!(e.code, *code, "{kind} {input:?}"),
            _ => panic!("{kind} {input:?}: expected {expected:?}, got {got:?}"),
        }
    }
    let d = DistrictCode::parse("350206").unwrap();
    assert_eq!(serde_json::to_string(&d).unwrap(), "\"350206\"");
    assert_eq!(serde_json::from_str::<DistrictCode>("\"350206\"").unwrap(), d);
    assert!(serde_json::from_str::<DistrictCode>("\"350204\"").is_err());
    let p: ProvinceCode = serde_json::from_str("\"35\"").unwrap();
    assert_eq!((p.as_str(), p.two_digit()), ("350000", "35"));
    assert_eq!(ProvinceCode::all().len(), 34);
}

#[test]
fn id_prefixes() {
    // (code, birth year, in use in the birth year — stdnum's rule, in use at some time from the
    // birth year to 2026 — ours)
    let cases = [
        ("350203", 1990, true, true),
        ("350203", 1982, false, true), // 思明区 from 1983: someone born 1982 may hold it
        ("350203", 1966, false, true), // python-stdnum#442
        ("350204", 2003, true, true),
        ("350204", 2004, false, false), // 开元区 abolished in 2003: nobody born after holds it
        ("110103", 2010, true, true),
        ("110103", 2011, false, false),
        ("350200", 1950, true, true),
        ("350212", 1995, false, true),
        ("350212", 1996, true, true),
        ("350221", 1990, true, true), // 同安县 before it became 同安区
        ("990101", 1990, false, false),
        ("35020", 1990, false, false),
        ("330113", 2021, true, true), // 临平区: in the MCA list, not in stdnum's
        ("330113", 2020, false, true),
        ("329012", 1989, true, true),
    ];
    for (code, year, in_birth_year, ours) in cases {
        assert_eq!(region::id_prefix_in_use_in(code, year), in_birth_year, "{code} {year} (birth year)");
        assert_eq!(region::is_known_id_prefix(code, year, 2026), ours, "{code} {year} (to 2026)");
    }
    assert_eq!(region::id_prefixes().len(), 6902);
    let beyond = region::id_prefixes_beyond_stdnum();
    assert_eq!(beyond.len(), 17);
    assert!(beyond.contains(&"330113") && beyond.contains(&"330114"));
    let id = NationalId::parse(
        &format!("{}{}", "33011320220101002", NationalId::check_char("33011320220101002").unwrap()),
        today(),
    );
    assert_eq!(id.unwrap().region_prefix(), "330113");
}

// ------------------------------------------------------------------ occupations

#[test]
fn occupation_counts_and_tree() {
    let all = occupation::all();
    let count = |l| all.iter().filter(|o| o.level == l).count();
    assert_eq!((count(1), count(2), count(3), count(4)), (8, 79, 450, 1639));
    assert_eq!(all.len(), 2176);
    assert_eq!(occupation::major_groups().len(), 8);
    for o in all {
        match o.parent {
            None => assert_eq!(o.level, 1),
            Some(p) => {
                let parent = occupation::lookup(p).unwrap();
                assert_eq!(parent.level + 1, o.level, "{}", o.code);
                assert!(o.code.starts_with(p));
            }
        }
        assert!(!o.name.is_empty() && o.name.trim() == o.name, "{}", o.code);
        assert!(!o.name.contains('(') && !o.name.contains(')'), "{}", o.code);
    }
    // errata
    for (code, name) in [
        ("2-01-06-06", "地球科学研究人员"),
        ("2-01-07-00", "农业科学研究人员"),
        ("2-01-10-00", "文学、艺术学研究人员"),
        ("7-01-00-00", "军官（警官）"),
        ("7-02-00-00", "军士（警士）"),
        ("6-31-01-03", "电工"),
    ] {
        assert_eq!(occupation::lookup(code).unwrap().name, name);
    }
}

#[test]
fn occupation_code_table() {
    let cases: &[Case<(&str, u8, Option<&str>)>] = &[
        ("6", Ok(("生产制造及有关人员", 1, None))),
        ("6-31", Ok(("生产辅助人员", 2, Some("6")))),
        ("6-31-01", Ok(("机械设备修理人员", 3, Some("6-31")))),
        ("6-31-01-03", Ok(("电工", 4, Some("6-31-01")))),
        (" 4-03-02-01 ", Ok(("中式烹调师", 4, Some("4-03-02")))),
        ("9", Err("occupation.unknown")),
        ("6-31-01-99", Err("occupation.unknown")),
        ("6-32", Err("occupation.unknown")),
        ("", Err("occupation.format")),
        ("63101", Err("occupation.format")),
        ("6-31-1-03", Err("occupation.format")),
        ("6-31-01-03-01", Err("occupation.format")),
        ("6–31–01–03", Err("occupation.format")),
        ("a-31", Err("occupation.format")),
    ];
    for (input, expected) in cases {
        let got = OccupationCode::parse(input);
        match (expected, &got) {
            (Ok((name, level, parent)), Ok(c)) => {
                assert_eq!((c.name(), c.level()), (*name, *level), "{input:?}");
                assert_eq!(c.parent().map(|p| p.as_str()), *parent, "{input:?}");
            }
            (Err(code), Err(e)) => assert_eq!(e.code, *code, "{input:?}"),
            _ => panic!("{input:?}: expected {expected:?}, got {got:?}"),
        }
    }
    let electrician = OccupationCode::parse("6-31-01-03").unwrap();
    let anc: Vec<&str> = electrician.ancestors().iter().map(|a| a.as_str()).collect();
    assert_eq!(anc, ["6-31-01", "6-31", "6"]);
    assert!(electrician.is_within(&OccupationCode::parse("6").unwrap()));
    assert!(electrician.is_within(&OccupationCode::parse("6-31").unwrap()));
    assert!(electrician.is_within(&electrician));
    assert!(!electrician.is_within(&OccupationCode::parse("6-30").unwrap()));
    assert!(!OccupationCode::parse("6-31").unwrap().is_within(&electrician));
    assert_eq!(occupation::children("6-31-01").len(), 10);
    assert_eq!(electrician.children().len(), 0);
    assert!(occupation::search_by_name("烹调师").iter().any(|o| o.code == "4-03-02-01"));
    assert!(occupation::search_by_name("  ").is_empty());
    // Typeahead order: what a person typed, exactly, comes first; then names starting with it.
    for (typed, first) in [("电工", "6-31-01-03"), ("烹调师", "4-03-02-01")] {
        let hits = occupation::search_by_name(typed);
        assert_eq!(
            hits.first().map(|o| o.code),
            Some(first),
            "{typed}: {:?}",
            hits.iter().take(5).map(|o| (o.code, o.name)).collect::<Vec<_>>()
        );
        let how = |o: &&occupation::Occupation| {
            if o.name == typed {
                0
            } else if o.name.starts_with(typed) {
                1
            } else {
                2
            }
        };
        assert!(hits.windows(2).all(|w| how(&w[0]) <= how(&w[1])), "{typed}: exact, then prefix, then the rest");
    }
    assert_eq!(serde_json::to_string(&electrician).unwrap(), "\"6-31-01-03\"");
    assert_eq!(serde_json::from_str::<OccupationCode>("\"6-31-01-03\"").unwrap(), electrician);
}

#[test]
fn common_in_xiamen_list() {
    let common = occupation::common_in_xiamen();
    assert!(common.len() >= 200, "{}", common.len());
    assert!(common.iter().all(|c| c.level() == 4));
    let mut seen = std::collections::HashSet::new();
    assert!(common.iter().all(|c| seen.insert(c.as_str())), "duplicate codes");
    // every non-comment line of the file made it into the list (none silently dropped)
    let text = include_str!("../data/codes/common_xiamen.txt");
    let lines: Vec<&str> =
        text.lines().filter_map(|l| l.split('#').next()).map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), common.len());
    for l in lines {
        assert!(OccupationCode::parse(l).is_ok(), "{l}");
    }
    // the names written next to codes for readers match the list
    for l in text.lines().filter(|l| !l.starts_with('#') && l.contains('#')) {
        let (code, name) = l.split_once('#').unwrap();
        assert_eq!(occupation::lookup(code.trim()).unwrap().name, name.trim(), "{l}");
    }
}

// ------------------------------------------------------------------ industries

#[test]
fn industry_counts_and_tree() {
    let all = industry::all();
    let count = |l| all.iter().filter(|i| i.level == l).count();
    assert_eq!((count(1), count(2), count(3), count(4)), (20, 97, 473, 1381));
    let sections: String = industry::sections().iter().map(|s| s.code).collect();
    assert_eq!(sections, "ABCDEFGHIJKLMNOPQRST");
    assert_eq!(industry::divisions().len(), 97);
    assert_eq!(industry::divisions_of("C").len(), 31);
    assert_eq!(industry::divisions_of("C").first().unwrap().code, "13");
    assert_eq!(industry::divisions_of("C").last().unwrap().code, "43");
    for i in all {
        if let Some(p) = i.parent {
            let parent = industry::lookup(p).unwrap();
            assert_eq!(parent.level + 1, i.level, "{}", i.code);
            assert!(i.level == 2 || i.code.starts_with(p), "{}", i.code);
        }
        assert!(!i.name.is_empty() && i.name.trim() == i.name && !i.name.contains(' '), "{}", i.code);
    }
    for (code, name) in [
        ("306", "玻璃纤维和玻璃纤维增强塑料制品制造"),
        ("3531", "食品、酒、饮料及茶生产专用设备制造"),
        ("37", "铁路、船舶、航空航天和其他运输设备制造业"),
        ("2541", "生物质液体燃料生产"),
        ("2542", "生物质致密成型燃料加工"),
        ("7517", "三维（3D）打印技术推广服务"),
        ("39", "计算机、通信和其他电子设备制造业"),
    ] {
        assert_eq!(industry::lookup(code).unwrap().name, name);
    }
}

#[test]
fn industry_code_table() {
    let cases: &[Case<(&str, u8, &str)>] = &[
        ("C", Ok(("C", 1, "C"))),
        ("c", Ok(("C", 1, "C"))),
        ("39", Ok(("39", 2, "C"))),
        ("C39", Ok(("39", 2, "C"))),
        ("397", Ok(("397", 3, "C"))),
        ("3976", Ok(("3976", 4, "C"))),
        ("01", Ok(("01", 2, "A"))),
        ("97", Ok(("97", 2, "T"))),
        ("U", Err("industry.unknown")),
        ("98", Err("industry.unknown")),
        ("00", Err("industry.unknown")),
        ("A39", Err("industry.unknown")),
        ("", Err("industry.format")),
        ("3", Err("industry.format")),
        ("39761", Err("industry.format")),
        ("CC", Err("industry.format")),
        ("3a", Err("industry.format")),
    ];
    for (input, expected) in cases {
        let got = IndustryCode::parse(input);
        match (expected, &got) {
            (Ok((code, level, section)), Ok(c)) => {
                assert_eq!((c.as_str(), c.level(), c.section().as_str()), (*code, *level, *section), "{input:?}");
            }
            (Err(code), Err(e)) => assert_eq!(e.code, *code, "{input:?}"),
            _ => panic!("{input:?}: expected {expected:?}, got {got:?}"),
        }
    }
    let c = IndustryCode::parse("3976").unwrap();
    assert_eq!(c.division().unwrap().as_str(), "39");
    assert!(c.is_within(&IndustryCode::parse("C").unwrap()));
    assert!(!c.is_within(&IndustryCode::parse("38").unwrap()));
    assert_eq!(IndustryCode::parse("C").unwrap().division(), None);
    assert_eq!(serde_json::to_string(&c).unwrap(), "\"3976\"");
    assert_eq!(serde_json::from_str::<IndustryCode>("\"3976\"").unwrap(), c);
}

// ------------------------------------------------------------------ education, key groups

#[test]
fn education_levels() {
    let all = EducationLevel::all();
    assert_eq!(all.len(), 11);
    let codes: Vec<&str> = all.iter().map(|l| l.code()).collect();
    assert_eq!(codes, ["11", "14", "20", "30", "41", "44", "47", "60", "70", "80", "90"]);
    for l in all {
        assert_eq!(EducationLevel::parse(l.code()).unwrap(), *l);
        assert_eq!(EducationLevel::parse(l.id()).unwrap(), *l);
        let json = serde_json::to_string(l).unwrap();
        assert_eq!(json, format!("\"{}\"", l.id()));
        assert_eq!(serde_json::from_str::<EducationLevel>(&json).unwrap(), *l);
        assert!(!l.label_zh().is_empty() && !l.label_en().is_empty());
    }
    assert!(all.windows(2).all(|w| w[0].rank() >= w[1].rank()));
    let upper_secondary = [
        EducationLevel::SecondarySpecialised,
        EducationLevel::VocationalHigh,
        EducationLevel::TechnicalSchool,
        EducationLevel::HighSchool,
    ];
    assert!(upper_secondary.iter().all(|l| l.rank() == EducationLevel::HighSchool.rank()));
    assert!(EducationLevel::Bachelor.at_least(EducationLevel::College));
    assert!(!EducationLevel::JuniorHigh.at_least(EducationLevel::HighSchool));
    assert_eq!(EducationLevel::Bachelor.label_zh(), "大学本科");
    for bad in ["", "21", "BACHELOR", "phd"] {
        assert_eq!(EducationLevel::parse(bad).unwrap_err().code, "education.unknown");
    }
}

#[test]
fn key_groups() {
    let all = KeyGroup::all();
    assert!(all.len() >= 11);
    let mut ids = std::collections::HashSet::new();
    for g in all {
        assert!(ids.insert(g.id()));
        assert_eq!(KeyGroup::parse(g.id()).unwrap(), *g);
        let json = serde_json::to_string(g).unwrap();
        assert_eq!(json, format!("\"{}\"", g.id()));
        assert_eq!(serde_json::from_str::<KeyGroup>(&json).unwrap(), *g);
        assert!(!g.label_zh().is_empty() && !g.label_en().is_empty());
    }
    for (g, zh) in [
        (KeyGroup::CollegeGraduate, "高校毕业生"),
        (KeyGroup::UnemployedGraduate, "离校未就业高校毕业生"),
        (KeyGroup::ZeroEmploymentHousehold, "零就业家庭成员"),
        (KeyGroup::TaiwanCompatriot, "台胞"),
        (KeyGroup::Veteran, "退役军人"),
    ] {
        assert_eq!(g.label_zh(), zh);
    }
    assert_eq!(KeyGroup::parse("nobody").unwrap_err().code, "key_group.unknown");
}

// ------------------------------------------------------------------ catalogue

#[test]
fn every_error_code_has_a_catalogue_entry() {
    assert!(messages::check_catalogue().is_empty(), "{:?}", messages::check_catalogue());
    for code in codes::ERROR_CODES {
        assert!(messages::has(code), "missing catalogue entry for {code}");
        let zh = messages::render(code, messages::Lang::Zh, &[]);
        let en = messages::render(code, messages::Lang::En, &[]);
        assert!(zh != *code && en != *code && zh != en, "{code}");
    }
    // every code the tables above expect is a declared error code
    let expected = ID_CASES
        .iter()
        .filter_map(|(_, r)| r.err())
        .chain(CREDIT_CASES.iter().filter_map(|(_, r)| r.err()))
        .chain(MOBILE_CASES.iter().filter_map(|(_, r)| r.err()));
    for code in expected {
        assert!(codes::ERROR_CODES.contains(&code), "{code}");
    }
    // the catalogue section of codes.toml has no entries for codes we do not use
    let text = include_str!("../data/messages/codes.toml");
    let parsed: std::collections::HashMap<String, toml::Value> = toml::from_str(text).unwrap();
    for key in parsed.keys() {
        assert!(codes::ERROR_CODES.contains(&key.as_str()), "unused catalogue entry {key}");
    }
}

#[test]
fn occupations_are_found_by_code_or_exact_name() {
    let cases: &[(&str, Option<&str>)] = &[
        ("6-31-01-03", Some("6-31-01-03")),
        ("电工", Some("6-31-01-03")),
        (" 电工 ", Some("6-31-01-03")),
        ("电", None),
        ("9-99", None),
        ("", None),
    ];
    for (input, want) in cases {
        let got = OccupationCode::parse_code_or_name(input).ok().map(|c| c.as_str());
        assert_eq!(got, *want, "{input:?}");
    }
}

#[test]
fn the_application_state_machine() {
    use jiuye_domain::records::{ApplicationActor as A, ApplicationStatus as S};
    // (from, to, actor, allowed)
    let cases = [
        (S::Submitted, S::Viewed, A::Employer, true),
        (S::Submitted, S::Interview, A::Employer, true),
        (S::Viewed, S::Interview, A::Employer, true),
        (S::Interview, S::Hired, A::Employer, true),
        (S::Submitted, S::Rejected, A::Employer, true),
        (S::Interview, S::Viewed, A::Employer, false),
        (S::Viewed, S::Viewed, A::Employer, false),
        (S::Submitted, S::Withdrawn, A::Seeker, true),
        (S::Interview, S::Withdrawn, A::Seeker, true),
        (S::Submitted, S::Hired, A::Seeker, false),
        (S::Submitted, S::Withdrawn, A::Employer, false),
        (S::Viewed, S::Closed, A::System, true),
        (S::Submitted, S::Closed, A::Employer, false),
        (S::Hired, S::Rejected, A::Employer, false),
        (S::Withdrawn, S::Submitted, A::Seeker, false),
        (S::Closed, S::Hired, A::Employer, false),
        (S::Rejected, S::Closed, A::System, false),
    ];
    for (from, to, actor, allowed) in cases {
        assert_eq!(from.may_move(to, actor), allowed, "{from:?} → {to:?} by {actor:?}");
    }
    for s in S::ALL {
        assert_eq!(S::parse(s.as_str()).unwrap(), s);
        assert!(messages::has(&s.label_key()), "{s:?}");
    }
}
