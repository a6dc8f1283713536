//! Pay as people are paid: the statutory conversion to a month, stated pay checked field by
//! field, yuan as typed on forms.

use jiuye_domain::records::pay::{monthly_of, parse_yuan, yuan_text};
use jiuye_domain::records::{Pay, PayUnit};

#[test]
fn statutory_conversion() {
    // (unit, rate in fen, monthly yuan)
    let cases = [
        (PayUnit::Day, 20_000, 4350), // 200 × 21.75
        (PayUnit::Day, 15_050, 3273), // 150.5 × 21.75 = 3273.375
        (PayUnit::Day, 100, 22),      // 1 × 21.75 → 21.75 rounds up
        (PayUnit::Hour, 2_500, 4350), // 25 × 174
        (PayUnit::Hour, 2_210, 3845), // 22.1 × 174 = 3845.4
        (PayUnit::Hour, 2_250, 3915), // 22.5 × 174
    ];
    for (unit, fen, month) in cases {
        assert_eq!(monthly_of(unit, fen), Some(month), "{unit:?} {fen}");
    }
    assert_eq!(monthly_of(PayUnit::Day, i64::MAX), None, "overflow is refused, not saturated");
    assert_eq!(monthly_of(PayUnit::Piece, 100), None);
}

#[test]
fn stated_pay_is_checked_field_by_field() {
    let ok = Pay::state(PayUnit::Day, (Some(20_000), Some(30_000)), (None, None)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ok.monthly, Some((4350, 6525)));
    assert_eq!(ok.text(true), "200–300 元/天（约 4,350–6,525 元/月）");
    assert_eq!(ok.text(false), "CNY 200–300 a day (about 4,350–6,525 a month)");
    let hour = Pay::state(PayUnit::Hour, (Some(2_250), None), (Some(0), Some(0))).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(hour.text(true), "22.5 元/小时（约 3,915 元/月）");
    let piece =
        Pay::state(PayUnit::Piece, (Some(85), Some(120)), (Some(5000), Some(8000))).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(piece.text(true), "0.85–1.2 元/件（预计 5,000–8,000 元/月）");
    assert_eq!(
        Pay::state(PayUnit::Negotiable, (None, None), (None, None)).unwrap_or_else(|e| panic!("{e:?}")).salary(),
        (0, 0)
    );
    assert_eq!(
        Pay::state(PayUnit::Month, (None, None), (Some(5000), Some(7000))).unwrap_or_else(|e| panic!("{e:?}")).salary(),
        (5000, 7000)
    );

    // (unit, rate, monthly, the code of the first problem)
    type Case = (PayUnit, (Option<i64>, Option<i64>), (Option<i32>, Option<i32>), &'static str);
    let bad: [Case; 8] = [
        (PayUnit::Day, (None, None), (None, None), "pay.rate_required"),
        (PayUnit::Day, (Some(20_000), None), (Some(4000), Some(5000)), "pay.month_computed"),
        (PayUnit::Day, (Some(30_000), Some(20_000)), (None, None), "salary.min_above_max"),
        (PayUnit::Hour, (Some(50), None), (None, None), "pay.rate_out_of_range"),
        (PayUnit::Month, (Some(100), None), (Some(5000), Some(6000)), "pay.rate_not_for_unit"),
        (PayUnit::Month, (None, None), (None, None), "pay.month_required"),
        (PayUnit::Piece, (Some(85), None), (None, None), "pay.piece_needs_month"),
        (PayUnit::Negotiable, (None, None), (Some(5000), Some(6000)), "pay.negotiable_has_no_amount"),
    ];
    for (unit, rate, monthly, code) in bad {
        let errors = Pay::state(unit, rate, monthly).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!(errors[0].code, code, "{unit:?} {rate:?} {monthly:?}");
        assert!(errors[0].field.is_some(), "every problem names its field");
    }
}

#[test]
fn yuan_as_typed() {
    let cases =
        [("22.5", Some(2250)), ("200", Some(20_000)), ("0.85", Some(85)), (" 1,200 ", Some(120_000)), ("", None)];
    for (s, fen) in cases {
        assert_eq!(parse_yuan("f", s).unwrap_or_else(|e| panic!("{e}")), fen, "{s}");
    }
    for s in ["1.234", "-5", "abc", "1e5", ".", "9999999999"] {
        assert!(parse_yuan("f", s).is_err(), "{s}");
    }
    assert_eq!(yuan_text(2250), "22.5");
    assert_eq!(yuan_text(85), "0.85");
    assert_eq!(yuan_text(1_234_500), "12,345");
}
