//! Conditions of work people search by — housing, meals, weekends, daily pay, shifts, social
//! insurance — read from a vacancy's title and description when it is indexed, so `包住 普工`
//! ranks the 普工 jobs that house their workers first instead of asking every job to contain
//! the characters 包住.

/// One condition: the words a query names it by, and the phrases that state it in a vacancy.
#[derive(Debug, PartialEq, Eq)]
pub struct Condition {
    /// Stable key, indexed as a keyword.
    pub key: &'static str,
    /// What people type; the first is how the condition is named back to them.
    pub words: &'static [&'static str],
    /// What a vacancy's text says when it offers it.
    pub marks: &'static [&'static str],
}

pub const ALL: &[Condition] = &[
    Condition {
        key: "housing",
        words: &["包住", "包住宿", "提供住宿", "包吃住", "包食宿", "有宿舍", "宿舍"],
        marks: &["包住", "提供住宿", "包吃住", "包食宿", "提供宿舍", "员工宿舍"],
    },
    Condition {
        key: "meals",
        words: &["包吃", "包餐", "包工作餐", "管饭", "工作餐"],
        marks: &["包吃", "包工作餐", "包餐", "包食宿", "提供工作餐", "餐补"],
    },
    Condition { key: "weekends", words: &["双休", "周末双休"], marks: &["双休"] },
    Condition {
        key: "daily_pay",
        words: &["日结", "当天结", "日薪", "日结工资"],
        marks: &["日结", "按日结算", "当天结算"],
    },
    Condition { key: "weekly_pay", words: &["周结"], marks: &["周结"] },
    Condition { key: "hourly_pay", words: &["时薪", "小时工", "按小时"], marks: &["时薪", "按小时计"] },
    Condition { key: "piece_rate", words: &["计件"], marks: &["计件"] },
    Condition {
        key: "night_shift",
        words: &["夜班", "晚班", "晚上", "两班倒", "三班倒", "倒班"],
        marks: &["夜班", "晚班", "两班倒", "三班倒", "倒班"],
    },
    Condition { key: "day_shift", words: &["白班", "长白班"], marks: &["长白班", "常白班", "白班"] },
    Condition {
        key: "insurance",
        words: &["五险一金", "五险", "社保"],
        marks: &["五险一金", "五险", "社保", "社会保险"],
    },
    Condition { key: "shuttle", words: &["班车", "通勤车"], marks: &["班车", "通勤车"] },
];

/// The condition a query word names.
pub fn named(word: &str) -> Option<&'static Condition> {
    ALL.iter().find(|c| c.words.contains(&word))
}

/// The conditions a vacancy's text states.
pub fn stated_in(text: &str) -> impl Iterator<Item = &'static Condition> + '_ {
    ALL.iter().filter(move |c| c.marks.iter().any(|m| text.contains(m)))
}

/// The condition a vacancy's stated pay unit is: paid by the day is 日结 whether or not the
/// text says so.
pub fn of_pay(unit: jiuye_domain::records::PayUnit) -> Option<&'static Condition> {
    use jiuye_domain::records::PayUnit;
    let key = match unit {
        PayUnit::Day => "daily_pay",
        PayUnit::Hour => "hourly_pay",
        PayUnit::Piece => "piece_rate",
        PayUnit::Month | PayUnit::Negotiable => return None,
    };
    ALL.iter().find(|c| c.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_read_from_text() {
        let cases: &[(&str, &[&str])] = &[
            ("待遇：五险一金、包住宿、周末双休。", &["housing", "weekends", "insurance"]),
            ("普工（日结）", &["daily_pay"]),
            ("按单或按日结算、时间自由", &["daily_pay"]),
            ("两班倒，包吃住", &["housing", "meals", "night_shift"]),
            ("岗位职责：装配", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<&str> = stated_in(text).map(|c| c.key).collect();
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn every_condition_is_named_by_its_first_word_and_keys_are_unique() {
        for c in ALL {
            assert_eq!(named(c.words[0]).map(|x| x.key), Some(c.key));
            assert_eq!(ALL.iter().filter(|x| x.key == c.key).count(), 1);
        }
    }
}
