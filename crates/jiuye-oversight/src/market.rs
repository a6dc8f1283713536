//! Labour-market ratios by the MOHRSS method, shortage gaps, and how evenly exposure is spread.

use serde::Serialize;

/// One cell of the 求人倍率 matrix: valid demand (headcount of vacancies open in the period)
/// over valid seekers (active job-search registrations in the period), each split into carried
/// over from before the period and new in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub key: String,
    pub demand_carried: u64,
    pub demand_new: u64,
    pub seekers_carried: u64,
    pub seekers_new: u64,
}

impl Cell {
    pub fn demand(&self) -> u64 {
        self.demand_carried + self.demand_new
    }

    pub fn seekers(&self) -> u64 {
        self.seekers_carried + self.seekers_new
    }

    /// 求人倍率 = demand / seekers; none when nobody seeks (not infinity).
    pub fn ratio(&self) -> Option<f64> {
        let s = self.seekers();
        (s > 0).then(|| self.demand() as f64 / s as f64)
    }

    /// Gap = demand − seekers (positive: short of workers).
    pub fn gap(&self) -> i64 {
        i64::try_from(self.demand()).unwrap_or(i64::MAX) - i64::try_from(self.seekers()).unwrap_or(i64::MAX)
    }
}

/// The shortage list: cells with a positive gap, largest first (ties by key), at most `n`.
pub fn shortage(cells: &[Cell], n: usize) -> Vec<&Cell> {
    let mut short: Vec<&Cell> = cells.iter().filter(|c| c.gap() > 0).collect();
    short.sort_by(|a, b| b.gap().cmp(&a.gap()).then_with(|| a.key.cmp(&b.key)));
    short.truncate(n);
    short
}

/// The Gini coefficient of a spread (0: all equal; towards 1: all to one). Zeros count: an
/// employer never shown is part of the spread.
pub fn gini(values: &[u64]) -> Option<f64> {
    let n = values.len();
    let total: u128 = values.iter().map(|v| u128::from(*v)).sum();
    if n == 0 || total == 0 {
        return None;
    }
    let mut sorted: Vec<u64> = values.to_vec();
    sorted.sort_unstable();
    // G = (2 Σ i·x_i) / (n Σ x) − (n + 1) / n, with i from 1.
    let weighted: u128 = sorted.iter().enumerate().map(|(i, v)| (i as u128 + 1) * u128::from(*v)).sum();
    let n = n as f64;
    Some(2.0 * weighted as f64 / (n * total as f64) - (n + 1.0) / n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ratio_and_gap_follow_the_method() {
        let cases = [
            // carried demand, new demand, carried seekers, new seekers, ratio, gap
            (10, 20, 5, 5, Some(3.0), 20),
            (0, 3, 2, 4, Some(0.5), -3),
            (4, 0, 0, 0, None, 4),
        ];
        for (dc, dn, sc, sn, ratio, gap) in cases {
            let c = Cell { key: "x".into(), demand_carried: dc, demand_new: dn, seekers_carried: sc, seekers_new: sn };
            assert_eq!(c.ratio(), ratio);
            assert_eq!(c.gap(), gap);
        }
    }

    #[test]
    fn gini_of_spreads() {
        assert_eq!(gini(&[5, 5, 5, 5]), Some(0.0));
        let all_to_one = gini(&[0, 0, 0, 12]).unwrap();
        assert!((all_to_one - 0.75).abs() < 1e-9, "{all_to_one}");
        assert_eq!(gini(&[]), None);
        assert_eq!(gini(&[0, 0]), None);
        let some = gini(&[1, 2, 3, 4]).unwrap();
        assert!((some - 0.25).abs() < 1e-9, "{some}");
    }

    #[test]
    fn shortage_lists_the_largest_gaps() {
        let cell = |k: &str, d: u64, s: u64| Cell { key: k.into(), demand_new: d, seekers_new: s, ..Cell::default() };
        let cells = [cell("a", 5, 1), cell("b", 9, 1), cell("c", 1, 9), cell("d", 5, 1)];
        let keys: Vec<&str> = shortage(&cells, 2).iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
    }
}

/// A count of demand or seekers in one occupation and district, carried over from before the
/// period or new in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// 职业分类大典 code (any level), or empty when the seeker named none.
    pub occupation: String,
    pub district: String,
    pub n: u64,
    pub carried: bool,
}

/// An occupation code cut to a level: `6-31-01-03` at 1 is `6`, at 2 `6-31`, at 3 `6-31-01`.
pub fn at_level(code: &str, level: u8) -> String {
    code.split('-').take(usize::from(level.clamp(1, 4))).collect::<Vec<_>>().join("-")
}

/// The 求人倍率 matrix at an occupation level: one cell per occupation and district, and one
/// per occupation for the whole city (district `city`). Keys are `occupation|district`.
pub fn matrix(demand: &[Tally], seekers: &[Tally], level: u8) -> Vec<Cell> {
    use std::collections::BTreeMap;
    let mut cells: BTreeMap<String, Cell> = BTreeMap::new();
    let mut add = |t: &Tally, is_demand: bool| {
        let occ = at_level(&t.occupation, level);
        for district in [t.district.as_str(), "city"] {
            let key = format!("{occ}|{district}");
            let c = cells.entry(key.clone()).or_insert_with(|| Cell { key, ..Cell::default() });
            match (is_demand, t.carried) {
                (true, true) => c.demand_carried += t.n,
                (true, false) => c.demand_new += t.n,
                (false, true) => c.seekers_carried += t.n,
                (false, false) => c.seekers_new += t.n,
            }
        }
    };
    for t in demand {
        add(t, true);
    }
    for t in seekers {
        add(t, false);
    }
    cells.into_values().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod matrix_tests {
    use super::*;

    fn t(o: &str, d: &str, n: u64, carried: bool) -> Tally {
        Tally { occupation: o.into(), district: d.into(), n, carried }
    }

    #[test]
    fn cells_by_level_district_and_city() {
        let demand = [
            t("6-31-01-03", "350206", 5, false),
            t("6-31-02-01", "350206", 2, true),
            t("4-01-02-01", "350203", 1, false),
        ];
        let seekers =
            [t("6-31-01-03", "350206", 1, true), t("6-31-01-03", "350203", 1, false), t("", "350203", 1, false)];
        let m = matrix(&demand, &seekers, 2);
        let get = |k: &str| m.iter().find(|c| c.key == k).cloned().unwrap_or_default();
        let huli = get("6-31|350206");
        assert_eq!((huli.demand_new, huli.demand_carried, huli.seekers_carried), (5, 2, 1));
        assert_eq!(huli.ratio(), Some(7.0));
        let city = get("6-31|city");
        assert_eq!((city.demand(), city.seekers()), (7, 2));
        assert_eq!(get("|350203").seekers(), 1, "a seeker naming no occupation is kept apart");
        assert_eq!(at_level("6-31-01-03", 3), "6-31-01");
        assert_eq!(at_level("6-31-01-03", 1), "6");
    }
}
