//! The indicator catalogue as shipped, and what the loader refuses.
#![allow(clippy::expect_used)]

use jiuye_oversight::{Indicators, Obtained, cases, load};

#[test]
fn every_indicator_of_the_table_is_there_once() {
    let ind = Indicators::embedded().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ind.list.len(), 27, "附件2 has 27 indicators");
    let orders: Vec<u32> = ind.list.iter().map(|i| i.order).collect();
    assert_eq!(orders, (1..=27).collect::<Vec<_>>());
    let computed = ind.list.iter().filter(|i| matches!(i.obtained, Obtained::Computed(_))).count();
    assert!(computed >= 20, "{computed} computed");
}

#[test]
fn the_test_cases_name_computed_indicators() {
    let ind = Indicators::embedded().unwrap_or_else(|e| panic!("{e:?}"));
    let all = cases::load_cases(jiuye_oversight::embedded::TESTS, &ind).unwrap_or_else(|e| panic!("{e:?}"));
    for i in ind.list.iter().filter(|i| i.aggregation().is_some()) {
        assert!(all.iter().any(|(_, c)| c.indicator == i.id), "no test case for computed indicator `{}`", i.id);
    }
}

const GOOD: &str = r#"id = "x"
order = 1
zh = "新增"
en = "New"
group_zh = "g"
group_en = "g"
unit = "wan_persons"
direction = "higher"
target_2023 = 16.0
source = "附件2"
method_zh = "m"
method_en = "m"

[obtained]
aggregation = "new_employment"
"#;

#[test]
fn broken_files_are_refused_with_file_line_and_reason() {
    assert!(load(&[("x.toml", GOOD)]).is_ok());
    let cases = [
        (GOOD.replace("\"new_employment\"", "\"new_jobs\""), 15, "unknown aggregation `new_jobs`"),
        (GOOD.replace("wan_persons", "percent"), 15, "unit mismatch"),
        (GOOD.replace("target_2023 = 16.0\n", ""), 1, "no `target_2023`"),
        (GOOD.replace("direction = \"higher\"", "direction = \"up\""), 8, "unknown direction"),
        (GOOD.replace("unit = \"wan_persons\"", "unit = \"people\""), 7, "unknown unit"),
        (GOOD.replace("source = \"附件2\"", "source = \"附件2\"\ncolour = \"red\""), 11, "unknown field"),
        (GOOD.replace("aggregation = \"new_employment\"", "entered = true"), 15, "says why"),
    ];
    for (text, line, reason) in cases {
        let errors = load(&[("x.toml", &text)]).expect_err(reason);
        assert!(
            errors.iter().any(|e| e.file == "x.toml" && e.line == line && e.reason.contains(reason)),
            "{reason}: {errors:?}"
        );
    }
    let twice = load(&[("x.toml", GOOD), ("x.toml", GOOD)]).expect_err("twice");
    assert!(twice.iter().any(|e| e.reason.contains("defined twice")), "{twice:?}");
}
