//! The gig market's rules as tables: the working-day calendar, the statutory clocks, the
//! limitation checks, a post's check and its review.

use chrono::{NaiveDate, NaiveDateTime};
use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_domain::gig::calendar::Calendar;
use jiuye_domain::gig::clocks::{
    Clock, Rule, Standing, Suspension, arbitration_in_time, complaint_in_time, warned_until,
};
use jiuye_domain::gig::demand::{GigDraft, GigPayUnit};
use jiuye_domain::gig::review::ReviewRules;
use jiuye_domain::gig::site::distance_band;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn the_embedded_calendar_loads_with_its_sources() {
    let cal = Calendar::parse(include_str!("../data/gig/workdays.toml")).unwrap_or_else(|e| panic!("{e}"));
    let years: Vec<i32> = cal.years().map(|(y, _)| y).collect();
    assert_eq!(years, vec![2025, 2026]);
    assert!(cal.years().all(|(_, y)| y.source.contains("节假日安排")));
}

#[test]
fn a_calendar_file_that_contradicts_itself_is_refused() {
    let cases = [
        ("[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2026-10-01\"]\nworkdays = [\"2026-10-01\"]\n", "both"),
        ("[[year]]\nyear = 2026\nsource = \"x\"\nholidays = []\nworkdays = [\"2026-10-12\"]\n", "weekday"),
        ("[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2025-10-01\"]\nworkdays = []\n", "outside"),
        ("[[year]]\nyear = 2026\nsource = \" \"\nholidays = []\nworkdays = []\n", "no source"),
    ];
    for (text, reason) in cases {
        let err = Calendar::parse(text).err().unwrap_or_else(|| panic!("accepted: {text}"));
        assert_eq!(err.code, "gig.calendar_invalid");
        assert!(err.args.iter().any(|(_, v)| v.contains(reason)), "{reason}: {:?}", err.args);
    }
}

#[test]
fn working_days_skip_weekends_and_holidays_and_count_adjusted_weekends() {
    let cal = Calendar::embedded();
    // (from, n, expected, provisional)
    let cases = [
        ("2026-03-02", 0, "2026-03-02", false),
        ("2026-03-02", 5, "2026-03-09", false), // Mon → next Mon
        ("2026-09-28", 5, "2026-10-10", false), // 国庆 skipped, Saturday 10-10 worked
        ("2026-02-12", 5, "2026-02-26", false), // 春节: 02-14 (Sat) worked, 15–23 off
        ("2025-12-29", 5, "2026-01-06", false), // 元旦 off, Sunday 01-04 worked
        ("2025-01-24", 2, "2025-01-27", false), // Sunday 01-26 worked
        ("2026-04-29", 5, "2026-05-09", false), // 劳动节, Saturday 05-09 worked
        ("2026-12-28", 5, "2027-01-04", true),  // 2027 not yet in the data
    ];
    for (from, n, expected, provisional) in cases {
        let got = cal.add_working_days(day(from), n);
        assert_eq!((got.day, got.provisional), (day(expected), provisional), "{from} + {n} working days");
    }
    assert_eq!(cal.working_days_between(day("2026-09-30"), day("2026-10-10")), (3, false)); // 10-08, 10-09 and Saturday 10-10
    assert_eq!(cal.is_working_day(day("2026-10-10")), (true, true));
    assert_eq!(cal.is_working_day(day("2026-10-05")), (false, true));
    assert_eq!(cal.is_working_day(day("2027-01-05")), (true, false));
}

#[test]
fn calendar_day_periods_end_on_the_next_working_day_after_a_rest_day() {
    let cal = Calendar::embedded();
    let cases = [
        ("2026-09-20", 15, "2026-10-08"), // 10-05 is in 国庆 → 10-08
        ("2026-06-10", 5, "2026-06-15"),
        ("2026-06-16", 5, "2026-06-22"), // 06-21 端午 (Sunday) → Monday
        ("2026-03-02", 15, "2026-03-17"),
    ];
    for (from, n, expected) in cases {
        assert_eq!(cal.add_calendar_days(day(from), n).day, day(expected), "{from} + {n} days");
    }
}

#[test]
fn clocks_stand_as_the_law_counts() {
    let cal = Calendar::embedded();
    let acceptance = Clock::new(Rule::ComplaintAcceptance, day("2026-04-29"));
    assert_eq!(acceptance.due(&cal).map(|c| c.day), Some(day("2026-05-09")));
    // (today, expected standing)
    let cases = [
        ("2026-04-30", Standing::Running { due: day("2026-05-09"), working_days_left: 5, provisional: false }),
        ("2026-05-06", Standing::Running { due: day("2026-05-09"), working_days_left: 4, provisional: false }),
        ("2026-05-07", Standing::DueSoon { due: day("2026-05-09"), working_days_left: 3, provisional: false }),
        ("2026-05-09", Standing::DueSoon { due: day("2026-05-09"), working_days_left: 1, provisional: false }),
        ("2026-05-11", Standing::Breached { due: day("2026-05-09"), working_days_over: 1, provisional: false }),
    ];
    for (today, expected) in cases {
        assert_eq!(acceptance.standing(&cal, day(today)), expected, "on {today}");
    }

    // Suspended for two working days (05-06, 05-07): the deadline moves by two working days.
    let mut suspended = acceptance.clone();
    suspended.suspensions.push(Suspension { from: day("2026-05-06"), resumed: Some(day("2026-05-08")) });
    assert_eq!(suspended.due(&cal).map(|c| c.day), Some(day("2026-05-12")));
    suspended.suspensions.push(Suspension { from: day("2026-05-11"), resumed: None });
    assert_eq!(suspended.standing(&cal, day("2026-05-20")), Standing::Suspended { since: day("2026-05-11") });
    assert_eq!(suspended.due(&cal), None);

    // An award: 45 days, 15 more when extended; a calendar-day suspension moves it by its days.
    let mut award = Clock::new(Rule::ArbitrationAward, day("2026-01-05"));
    assert_eq!(award.due(&cal).map(|c| c.day), Some(day("2026-02-24"))); // 02-19 in 春节 → 02-24
    award.extended = true;
    assert_eq!(award.due(&cal).map(|c| c.day), Some(day("2026-03-06")));
    award.suspensions.push(Suspension { from: day("2026-02-01"), resumed: Some(day("2026-02-11")) });
    assert_eq!(award.due(&cal).map(|c| c.day), Some(day("2026-03-16")));

    // Investigation: 60 working days, 90 with the extension; a deadline in 2027 is provisional.
    let inv = Clock { rule: Rule::Investigation, started: day("2026-11-02"), extended: false, suspensions: vec![] };
    let due = inv.due(&cal).unwrap_or_else(|| panic!("no deadline"));
    assert!(due.provisional && due.day.format("%Y").to_string() == "2027", "{due:?}");

    for rule in Rule::ALL {
        assert!(rule.source().contains('《'), "{rule:?} names its law");
    }
}

/// The day the sweep reads by index agrees with each clock's own standing: for every day of a
/// span with holidays, adjusted weekends and a year not yet published, and every clock started
/// in the weeks before it, the clock is due on or before `warned_until` exactly when it stands
/// due soon or breached.
#[test]
fn the_sweep_s_warning_day_agrees_with_every_clock_s_standing() {
    let cal = Calendar::embedded();
    let mut checked = 0;
    for today in day("2026-04-20")
        .iter_days()
        .take(30)
        .chain(day("2026-09-20").iter_days().take(20))
        .chain(day("2026-12-20").iter_days().take(20))
    {
        let until = warned_until(&cal, today);
        for back in 0..70 {
            let started = today - chrono::Duration::days(back);
            for rule in Rule::ALL {
                let clock = Clock::new(rule, started);
                let Some(due) = clock.due(&cal) else { continue };
                let warned =
                    matches!(clock.standing(&cal, today), Standing::DueSoon { .. } | Standing::Breached { .. });
                assert_eq!(
                    due.day <= until,
                    warned,
                    "{rule:?} started {started}, due {}, on {today} (until {until})",
                    due.day
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn old_complaints_and_late_arbitration_are_refused_with_the_reason() {
    assert_eq!(complaint_in_time(day("2024-06-30"), day("2026-06-30")), Ok(()));
    let old = complaint_in_time(day("2024-06-30"), day("2026-07-01")).err().unwrap_or_else(|| panic!("accepted"));
    assert_eq!((old.code, old.field.as_deref()), ("arrears.too_old", Some("violation_ended")));
    assert!(old.message_zh().contains("第二十条"));
    let after = complaint_in_time(day("2026-07-02"), day("2026-07-01")).err().map(|e| e.code);
    assert_eq!(after, Some("arrears.violation_after_receipt"));

    // (knew, pay claim, employment ended, applied, in time)
    let cases = [
        ("2020-01-10", true, None, "2026-06-01", true), // unpaid wages while still employed: no limit runs
        ("2020-01-10", true, Some("2025-03-31"), "2026-03-31", true),
        ("2020-01-10", true, Some("2025-03-31"), "2026-04-01", false),
        ("2025-01-10", false, None, "2026-01-10", true),
        ("2025-01-10", false, Some("2025-06-30"), "2026-01-11", false),
    ];
    for (knew, pay, ended, applied, ok) in cases {
        let got = arbitration_in_time(day(knew), pay, ended.map(day), day(applied));
        assert_eq!(got.is_ok(), ok, "{knew} {pay} {ended:?} {applied}: {got:?}");
        if let Err(e) = got {
            assert_eq!(e.code, "arrears.arbitration_time_barred");
        }
    }
}

fn draft() -> GigDraft {
    GigDraft {
        trade: OccupationCode::parse("4-02-05-01").unwrap_or_else(|e| panic!("{e}")),
        title: "仓库搬运工".into(),
        details: "货物装卸，日结".into(),
        district: DistrictCode::parse("350206").unwrap_or_else(|e| panic!("{e}")),
        address: "湖里区金山街道".into(),
        starts_at: at("2026-12-04 08:00"),
        days: 1,
        hours_per_day: 8,
        headcount: 3,
        pay_unit: GigPayUnit::Day,
        pay_fen: 20_000,
    }
}

#[test]
fn a_post_is_checked_field_by_field() {
    let now = at("2026-12-03 19:00");
    assert_eq!(draft().check(now), vec![]);
    assert_eq!(draft().total_fen(), Some(60_000));
    type Change = fn(&mut GigDraft);
    let cases: [(Change, &str, &str); 8] = [
        (|d| d.title = " ".into(), "title", "input.required"),
        (|d| d.address = "x".repeat(101), "address", "input.too_long"),
        (|d| d.headcount = 0, "headcount", "gig.out_of_range"),
        (|d| d.hours_per_day = 13, "hours_per_day", "gig.out_of_range"),
        (|d| d.days = 31, "days", "gig.out_of_range"),
        (|d| d.pay_fen = 0, "pay", "gig.pay_out_of_range"),
        (|d| d.starts_at = at("2026-12-03 10:00"), "starts_at", "gig.starts_in_past"),
        (|d| d.trade = OccupationCode::parse("4").unwrap_or_else(|e| panic!("{e}")), "trade", "gig.trade_too_broad"),
    ];
    for (change, field, code) in cases {
        let mut d = draft();
        change(&mut d);
        let problems = d.check(now);
        assert_eq!(problems.len(), 1, "{field}: {problems:?}");
        assert_eq!((problems[0].field.as_deref(), problems[0].code), (Some(field), code));
    }
}

#[test]
fn the_review_holds_low_pay_unlawful_wording_and_unverified_posters() {
    let rules = ReviewRules::embedded();
    let standard = rules.minimum_wage_on(day("2026-12-04")).unwrap_or_else(|| panic!("no standard"));
    assert_eq!(standard.hourly_fen, 2100);
    assert!(rules.minimum_wage_on(day("2022-03-31")).is_none());
    type Change = fn(&mut GigDraft);
    // (change, verified, expected hold codes)
    let cases: [(Change, bool, &[&str]); 8] = [
        (|_| {}, true, &[]),
        (|_| {}, false, &["gig.hold.unverified"]),
        (|d| d.pay_fen = 15_000, true, &["gig.hold.below_minimum_wage"]), // 18.75 元 an hour
        (|d| d.pay_fen = 16_800, true, &[]),                              // exactly 21 元 an hour
        (|d| (d.pay_unit, d.pay_fen) = (GigPayUnit::Hour, 2_000), true, &["gig.hold.below_minimum_wage"]),
        (|d| d.title = "搬运工（限男）".into(), true, &["gig.hold.discriminatory"]),
        (|d| d.details = "入职先交押金100元".into(), true, &["gig.hold.fee"]),
        (|d| d.starts_at = at("2022-01-04 08:00"), false, &["gig.hold.no_minimum_wage", "gig.hold.unverified"]),
    ];
    for (i, (change, verified, expected)) in cases.into_iter().enumerate() {
        let mut d = draft();
        change(&mut d);
        let holds: Vec<&str> = d.review(&rules, verified).iter().map(|h| h.code).collect();
        assert_eq!(holds, expected, "case {i}");
    }
    let mut low = draft();
    low.pay_fen = 15_000;
    let hold = &low.review(&rules, true)[0];
    assert!(hold.message_zh().contains("18.75") && hold.message_zh().contains("21"), "{}", hold.message_zh());
}

#[test]
fn employers_see_a_band_never_a_distance() {
    let cases = [
        (0.2, "gig.band.within_1"),
        (1.0, "gig.band.within_3"),
        (2.9, "gig.band.within_3"),
        (7.5, "gig.band.within_10"),
        (12.0, "gig.band.beyond_10"),
    ];
    for (km, band) in cases {
        assert_eq!(distance_band(km), band, "{km} km");
        assert!(!jiuye_domain::messages::render(band, jiuye_domain::Lang::Zh, &[]).contains(band));
    }
}
