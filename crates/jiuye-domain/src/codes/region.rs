//! Administrative divisions: GB/T 2260 codes of the 34 province-level divisions, 厦门市 and
//! its 6 districts; Xiamen's 街道/镇 (9-digit township codes of 统计用区划代码 2023); and the
//! historical county codes that may begin a 居民身份证号码 (with the years each was in use).
//!
//! Data: `data/codes/regions.tsv` and `data/codes/id_prefixes.tsv` (sources in their headers).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::CodeError;

pub const ERR_DISTRICT_UNKNOWN: &str = "region.district_unknown";
pub const ERR_STREET_UNKNOWN: &str = "region.street_unknown";
pub const ERR_PROVINCE_UNKNOWN: &str = "region.province_unknown";

/// The code of 厦门市.
pub const XIAMEN: &str = "350200";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    District,
    Street,
}

impl RegionLevel {
    fn parse(s: &str) -> Option<RegionLevel> {
        match s {
            "province" => Some(RegionLevel::Province),
            "city" => Some(RegionLevel::City),
            "district" => Some(RegionLevel::District),
            "street" => Some(RegionLevel::Street),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
    pub level: RegionLevel,
    pub parent: Option<&'static str>,
}

static REGIONS: LazyLock<Vec<Region>> = LazyLock::new(|| {
    super::tsv_rows(include_str!("../../data/codes/regions.tsv"))
        .filter_map(|row| match row.as_slice() {
            [code, name, level, parent] => Some(Region {
                code,
                name,
                level: RegionLevel::parse(level)?,
                parent: (!parent.is_empty()).then_some(*parent),
            }),
            _ => None,
        })
        .collect()
});

static BY_CODE: LazyLock<HashMap<&'static str, &'static Region>> =
    LazyLock::new(|| REGIONS.iter().map(|r| (r.code, r)).collect());

static PROVINCES: LazyLock<Vec<Region>> =
    LazyLock::new(|| REGIONS.iter().filter(|r| r.level == RegionLevel::Province).copied().collect());

/// Year ranges (first, last; `None` = open) in which each ID address code was in use.
type YearRange = (Option<i32>, Option<i32>);

struct IdPrefixes {
    years: HashMap<&'static str, Vec<YearRange>>,
    /// Codes taken from the MCA county history that python-stdnum's list lacks.
    beyond_stdnum: Vec<&'static str>,
}

static ID_PREFIXES: LazyLock<IdPrefixes> = LazyLock::new(|| {
    let mut years: HashMap<&'static str, Vec<YearRange>> = HashMap::new();
    let mut beyond_stdnum = Vec::new();
    for row in super::tsv_rows(include_str!("../../data/codes/id_prefixes.tsv")) {
        if let [code, from, to, source] = row.as_slice() {
            years.entry(code).or_default().push((from.parse().ok(), to.parse().ok()));
            if *source != "stdnum" && !beyond_stdnum.contains(code) {
                beyond_stdnum.push(*code);
            }
        }
    }
    beyond_stdnum.sort_unstable();
    IdPrefixes { years, beyond_stdnum }
});

/// Any region of the list by its code (6 digits, or 9 for a Xiamen 街道/镇).
pub fn lookup(code: &str) -> Option<&'static Region> {
    BY_CODE.get(code).copied()
}

/// Every region of the list: provinces, 厦门市, its districts, its streets.
pub fn all() -> &'static [Region] {
    &REGIONS
}

/// The 34 province-level divisions (31 provinces, autonomous regions and municipalities,
/// 香港, 澳门, 台湾), in code order.
pub fn provinces() -> &'static [Region] {
    &PROVINCES
}

/// 厦门市 itself.
pub fn xiamen() -> Option<&'static Region> {
    lookup(XIAMEN)
}

/// Xiamen's 6 districts in code order.
pub fn xiamen_districts() -> Vec<&'static Region> {
    REGIONS.iter().filter(|r| r.level == RegionLevel::District && r.parent == Some(XIAMEN)).collect()
}

/// The 街道 and 镇 of a district in code order.
pub fn streets_of(district: &DistrictCode) -> Vec<&'static Region> {
    REGIONS.iter().filter(|r| r.level == RegionLevel::Street && r.parent == Some(district.as_str())).collect()
}

/// Whether `code6` is an address code that was in use at some time between `birth_year` and
/// `this_year`, so that an ID number of someone born then may begin with it. The address code
/// is that of the county where the number was assigned — at birth, or later (numbers were
/// first assigned from 1984, and a person registered after a move keeps the code of then), so
/// a code created after the birth year is valid. python-stdnum (`stdnum.cn.ric`) asks for the
/// birth year only and so refuses such people (python-stdnum#442); we differ there on purpose,
/// and for the codes of [`id_prefixes_beyond_stdnum`].
pub fn is_known_id_prefix(code6: &str, birth_year: i32, this_year: i32) -> bool {
    ID_PREFIXES.years.get(code6).is_some_and(|ranges| {
        ranges
            .iter()
            .any(|(from, to)| from.is_none_or(|from| from <= this_year) && to.is_none_or(|to| to >= birth_year))
    })
}

/// Whether `code6` was in use in `birth_year` itself — python-stdnum's narrower rule, for the
/// agreement test that lists where the two differ.
pub fn id_prefix_in_use_in(code6: &str, birth_year: i32) -> bool {
    is_known_id_prefix(code6, birth_year, birth_year)
}

/// Every known ID address code (any year), sorted; for generators and tests.
pub fn id_prefixes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = ID_PREFIXES.years.keys().copied().collect();
    codes.sort_unstable();
    codes
}

/// The year ranges in which an ID address code was in use (`None` = open end).
pub fn id_prefix_years(code6: &str) -> Vec<(Option<i32>, Option<i32>)> {
    ID_PREFIXES.years.get(code6).cloned().unwrap_or_default()
}

/// The ID address codes we accept that python-stdnum's list (`stdnum.cn.ric`) lacks: codes of
/// the MCA county history such as 330113 临平区 and 330114 钱塘区 (both since 2021). These are
/// the only deliberate disagreements with stdnum.
pub fn id_prefixes_beyond_stdnum() -> &'static [&'static str] {
    &ID_PREFIXES.beyond_stdnum
}

macro_rules! region_newtype {
    ($t:ident) => {
        impl $t {
            /// The code (6 digits; 9 for a street).
            pub fn as_str(&self) -> &'static str {
                self.0.code
            }

            /// The official name.
            pub fn name(&self) -> &'static str {
                self.0.name
            }

            pub fn region(&self) -> &'static Region {
                self.0
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0.code)
            }
        }

        impl From<$t> for String {
            fn from(c: $t) -> String {
                c.0.code.to_string()
            }
        }

        super::serialize_as_str!($t);
        super::try_from_via_parse!($t);
    };
}

/// One of Xiamen's 6 districts (350203 思明区 … 350213 翔安区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct DistrictCode(&'static Region);
region_newtype!(DistrictCode);

impl DistrictCode {
    pub fn parse(s: &str) -> Result<DistrictCode, CodeError> {
        let code = s.trim();
        lookup(code)
            .filter(|r| r.level == RegionLevel::District && r.parent == Some(XIAMEN))
            .map(DistrictCode)
            .ok_or_else(|| CodeError::new(ERR_DISTRICT_UNKNOWN).arg("code", code))
    }

    /// All 6 districts in code order.
    pub fn all() -> Vec<DistrictCode> {
        xiamen_districts().into_iter().map(DistrictCode).collect()
    }

    pub fn streets(&self) -> Vec<StreetCode> {
        streets_of(self).into_iter().filter_map(StreetCode::from_region).collect()
    }
}

/// A 街道 or 镇 of Xiamen (9 digits, e.g. 350203001 厦港街道), with its district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct StreetCode(&'static Region, &'static Region);
region_newtype!(StreetCode);

impl StreetCode {
    fn from_region(street: &'static Region) -> Option<StreetCode> {
        let district = lookup(street.parent?)?;
        (street.level == RegionLevel::Street && district.level == RegionLevel::District)
            .then_some(StreetCode(street, district))
    }

    pub fn parse(s: &str) -> Result<StreetCode, CodeError> {
        let code = s.trim();
        lookup(code)
            .and_then(StreetCode::from_region)
            .ok_or_else(|| CodeError::new(ERR_STREET_UNKNOWN).arg("code", code))
    }

    /// The district the street belongs to.
    pub fn district(&self) -> DistrictCode {
        DistrictCode(self.1)
    }

    /// Every Xiamen street in code order.
    pub fn all() -> Vec<StreetCode> {
        REGIONS.iter().filter_map(StreetCode::from_region).collect()
    }
}

/// A province-level division; parses `35` or `350000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct ProvinceCode(&'static Region);
region_newtype!(ProvinceCode);

impl ProvinceCode {
    pub fn parse(s: &str) -> Result<ProvinceCode, CodeError> {
        let code = s.trim();
        let six = if code.len() == 2 { format!("{code}0000") } else { code.to_string() };
        lookup(&six)
            .filter(|r| r.level == RegionLevel::Province)
            .map(ProvinceCode)
            .ok_or_else(|| CodeError::new(ERR_PROVINCE_UNKNOWN).arg("code", code))
    }

    /// The 2-digit province code (`35`).
    pub fn two_digit(&self) -> &'static str {
        &self.0.code[..2]
    }

    /// All 34 in code order.
    pub fn all() -> Vec<ProvinceCode> {
        PROVINCES.iter().map(ProvinceCode).collect()
    }
}
