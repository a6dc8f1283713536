//! Chinese personal names: surnames weighted by frequency (nationwide and in southern Fujian),
//! given names of one or two characters chosen by sex and generation.

use jiuye_domain::codes::Sex;

use crate::pick::{SimRng, Weighted, chance, one};

/// Surname, nationwide weight, southern-Fujian (闽南) weight, both in units of 0.01 %.
const SURNAMES: &[(&str, u32, u32)] = &[
    ("王", 710, 350),
    ("李", 700, 400),
    ("张", 670, 450),
    ("刘", 540, 200),
    ("陈", 460, 1200),
    ("杨", 310, 250),
    ("黄", 250, 700),
    ("赵", 230, 40),
    ("吴", 200, 400),
    ("周", 190, 100),
    ("徐", 150, 50),
    ("孙", 150, 40),
    ("马", 140, 30),
    ("朱", 130, 50),
    ("胡", 130, 40),
    ("郭", 120, 100),
    ("何", 120, 60),
    ("林", 110, 1000),
    ("高", 120, 60),
    ("罗", 100, 50),
    ("郑", 100, 350),
    ("梁", 90, 30),
    ("谢", 80, 100),
    ("宋", 80, 20),
    ("唐", 80, 20),
    ("许", 70, 200),
    ("韩", 70, 10),
    ("冯", 70, 15),
    ("邓", 70, 30),
    ("曹", 70, 15),
    ("彭", 70, 30),
    ("曾", 60, 120),
    ("肖", 60, 40),
    ("田", 60, 10),
    ("董", 50, 15),
    ("潘", 50, 50),
    ("袁", 50, 15),
    ("蔡", 50, 250),
    ("蒋", 50, 20),
    ("余", 50, 50),
    ("于", 50, 10),
    ("杜", 50, 20),
    ("叶", 50, 120),
    ("程", 50, 10),
    ("魏", 40, 30),
    ("苏", 40, 150),
    ("吕", 40, 30),
    ("丁", 40, 30),
    ("任", 40, 10),
    ("卢", 40, 70),
    ("姚", 40, 20),
    ("沈", 40, 30),
    ("钟", 40, 30),
    ("姜", 40, 10),
    ("崔", 30, 5),
    ("谭", 30, 5),
    ("陆", 30, 10),
    ("范", 30, 10),
    ("汪", 30, 20),
    ("廖", 30, 40),
    ("石", 30, 30),
    ("金", 30, 10),
    ("韦", 30, 5),
    ("贾", 30, 5),
    ("夏", 30, 10),
    ("付", 30, 20),
    ("方", 30, 60),
    ("邹", 20, 20),
    ("熊", 20, 10),
    ("白", 20, 10),
    ("孟", 20, 5),
    ("秦", 20, 5),
    ("邱", 20, 70),
    ("侯", 20, 10),
    ("江", 20, 70),
    ("尹", 20, 5),
    ("薛", 20, 20),
    ("闫", 20, 2),
    ("段", 20, 5),
    ("雷", 20, 10),
    ("龙", 20, 5),
    ("黎", 20, 10),
    ("史", 20, 10),
    ("陶", 20, 5),
    ("贺", 20, 5),
    ("毛", 20, 5),
    ("郝", 20, 2),
    ("顾", 20, 5),
    ("龚", 20, 10),
    ("邵", 20, 10),
    ("万", 15, 5),
    ("覃", 15, 2),
    ("武", 15, 5),
    ("钱", 15, 5),
    ("戴", 15, 20),
    ("严", 15, 10),
    ("欧", 10, 10),
    ("莫", 10, 5),
    ("孔", 10, 5),
    ("向", 10, 2),
    ("常", 10, 2),
    ("汤", 10, 10),
    ("康", 10, 20),
    ("易", 10, 2),
    ("乔", 10, 2),
    ("赖", 10, 60),
    ("文", 10, 10),
    ("洪", 10, 150),
    ("庄", 10, 180),
    ("颜", 10, 120),
    ("柯", 5, 80),
    ("施", 10, 80),
    ("傅", 20, 50),
    ("詹", 5, 50),
    ("游", 5, 40),
];

/// Characters for men's given names; those of the older generation come first.
const MALE_OLD: &[char] = &[
    '建', '国', '华', '明', '强', '军', '平', '志', '文', '东', '海', '福', '金', '水', '荣', '德', '春', '清', '忠',
    '伟', '勇', '庆', '宏', '源', '添', '发', '生', '民', '新', '辉',
];
const MALE_YOUNG: &[char] = &[
    '伟', '磊', '杰', '涛', '斌', '超', '鹏', '飞', '鑫', '波', '宇', '浩', '凯', '健', '俊', '帆', '旭', '龙', '林',
    '阳', '峰', '晨', '博', '航', '睿', '泽', '轩', '毅', '振', '坤', '昊', '彬', '锋', '亮', '嘉', '家', '子', '翔',
    '瑞', '永', '耀', '鸿', '宸', '铭', '一', '天', '思', '晓',
];
const FEMALE_OLD: &[char] = &[
    '秀', '英', '兰', '珍', '芳', '丽', '红', '梅', '玉', '凤', '霞', '萍', '燕', '琴', '惠', '淑', '美', '月', '彩',
    '碧', '翠', '素', '桂', '金', '春', '华', '雪', '云',
];
const FEMALE_YOUNG: &[char] = &[
    '娜', '敏', '静', '艳', '娟', '玲', '婷', '慧', '颖', '琳', '晶', '洁', '欣', '怡', '佳', '倩', '蓉', '丹', '璐',
    '璇', '瑶', '婧', '妍', '雯', '诗', '涵', '悦', '思', '梦', '雨', '晴', '宁', '可', '欣', '晓', '子', '一', '语',
    '馨', '琪', '萱', '彤',
];

pub(crate) struct NameMaker {
    national: Weighted<&'static str>,
    fujian: Weighted<&'static str>,
}

impl NameMaker {
    pub(crate) fn new() -> Self {
        NameMaker {
            national: Weighted::new(SURNAMES.iter().map(|&(s, w, _)| (s, w))),
            fujian: Weighted::new(SURNAMES.iter().map(|&(s, _, w)| (s, w))),
        }
    }

    /// A full name. `fujianese` weights the surname towards southern Fujian; `born` (year)
    /// picks the generation's characters.
    pub(crate) fn name(&self, rng: &mut SimRng, sex: Sex, fujianese: bool, born: i32) -> String {
        let surname = if fujianese { *self.fujian.pick(rng) } else { *self.national.pick(rng) };
        let old = born < 1980;
        let (primary, secondary) = match (sex, old) {
            (Sex::Male, true) => (MALE_OLD, MALE_YOUNG),
            (Sex::Male, false) => (MALE_YOUNG, MALE_OLD),
            (Sex::Female, true) => (FEMALE_OLD, FEMALE_YOUNG),
            (Sex::Female, false) => (FEMALE_YOUNG, FEMALE_OLD),
        };
        let given = |rng: &mut SimRng| {
            if chance(rng, 0.8) { *one(rng, primary) } else { *one(rng, secondary) }
        };
        let mut name = String::with_capacity(12);
        name.push_str(surname);
        let first = given(rng);
        name.push(first);
        let single = if born >= 1990 { 0.08 } else { 0.18 };
        if !chance(rng, single) {
            let mut second = given(rng);
            // A repeated character (婷婷, 磊磊) now and then; otherwise two different ones.
            if second == first && !chance(rng, 0.3) {
                second = given(rng);
            }
            name.push(second);
        }
        name
    }

    /// A name of either sex, for contact persons.
    pub(crate) fn any(&self, rng: &mut SimRng, born: i32) -> String {
        let sex = if chance(rng, 0.5) { Sex::Male } else { Sex::Female };
        let fujianese = chance(rng, 0.6);
        self.name(rng, sex, fujianese, born)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_are_single_characters_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (s, _, _) in SURNAMES {
            assert_eq!(s.chars().count(), 1, "{s}");
            assert!(seen.insert(*s), "duplicate {s}");
        }
    }
}
