//! Fairness of our own recommendations: how evenly exposure is spread across employers, and
//! what different groups of people are offered (pay and occupation of the jobs recommended).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::market::gini;

/// One recommendation made (a job referral in the ledger), with who received it and the job.
#[derive(Debug, Clone)]
pub struct Shown {
    pub employer: String,
    pub salary_min: i64,
    pub salary_max: i64,
    /// 职业分类大典 大类 of the job (`1`–`8`).
    pub major_group: String,
    /// The groups the person belongs to, one per dimension: `sex:female`, `age:25-34`,
    /// `household:rural`, `key_group:yes`.
    pub person_groups: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Offered {
    pub recommendations: u64,
    /// Mean of the jobs' salary midpoints (yuan a month), over the jobs whose pay is stated.
    pub mean_salary: f64,
    /// Share of recommendations per 大类 (0–1).
    pub major_groups: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Fairness {
    pub recommendations: u64,
    /// Employers with an open vacancy in the period.
    pub employers: u64,
    /// Gini of recommendations across those employers (zeros count).
    pub exposure_gini: Option<f64>,
    /// Share of those employers never shown.
    pub never_shown: Option<f64>,
    pub by_group: BTreeMap<String, Offered>,
}

/// The age band a person falls in.
pub fn age_band(age: i64) -> &'static str {
    match age {
        ..25 => "16-24",
        25..35 => "25-34",
        35..45 => "35-44",
        45..55 => "45-54",
        _ => "55+",
    }
}

pub fn fairness(shown: &[Shown], open_employers: &[String]) -> Fairness {
    let mut per_employer: BTreeMap<&str, u64> = open_employers.iter().map(|e| (e.as_str(), 0)).collect();
    for s in shown {
        *per_employer.entry(s.employer.as_str()).or_default() += 1;
    }
    let counts: Vec<u64> = per_employer.values().copied().collect();
    let employers = counts.len() as u64;
    let never = counts.iter().filter(|c| **c == 0).count() as f64;
    // Per group: referrals, referrals with a stated pay, the sum of their midpoints, majors.
    type Sums = (u64, u64, f64, BTreeMap<String, u64>);
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    for s in shown {
        // 面议 (no figure, stored as 0–0) says nothing about the pay offered.
        let mid = (s.salary_max > 0).then(|| (s.salary_min + s.salary_max) as f64 / 2.0);
        for g in &s.person_groups {
            let e = sums.entry(g.clone()).or_default();
            e.0 += 1;
            if let Some(mid) = mid {
                e.1 += 1;
                e.2 += mid;
            }
            *e.3.entry(s.major_group.clone()).or_default() += 1;
        }
    }
    Fairness {
        recommendations: shown.len() as u64,
        employers,
        exposure_gini: gini(&counts),
        never_shown: (employers > 0).then(|| never / employers as f64),
        by_group: sums
            .into_iter()
            .map(|(g, (n, paid, total, majors))| {
                let offered = Offered {
                    recommendations: n,
                    mean_salary: if paid > 0 { total / paid as f64 } else { 0.0 },
                    major_groups: majors.into_iter().map(|(m, k)| (m, k as f64 / n as f64)).collect(),
                };
                (g, offered)
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(employer: &str, salary: i64, major: &str, groups: &[&str]) -> Shown {
        Shown {
            employer: employer.into(),
            salary_min: salary,
            salary_max: salary,
            major_group: major.into(),
            person_groups: groups.iter().map(|g| (*g).to_string()).collect(),
        }
    }

    #[test]
    fn exposure_and_offers_by_group() {
        let shown =
            [s("a", 8000, "2", &["sex:male"]), s("a", 6000, "6", &["sex:female"]), s("a", 4000, "4", &["sex:female"])];
        let f = fairness(&shown, &["a".into(), "b".into()]);
        assert_eq!((f.recommendations, f.employers), (3, 2));
        assert_eq!(f.never_shown, Some(0.5), "b was never shown");
        assert_eq!(f.exposure_gini, Some(0.5));
        let women = &f.by_group["sex:female"];
        assert_eq!((women.recommendations, women.mean_salary), (2, 5000.0));
        assert_eq!(f.by_group["sex:male"].mean_salary, 8000.0, "a skew shows");
        assert_eq!(women.major_groups["6"], 0.5);
        // A 面议 job (0–0) counts as a referral but not in the pay offered.
        let with_negotiable = [s("a", 6000, "6", &["sex:female"]), s("a", 0, "1", &["sex:female"])];
        let f = fairness(&with_negotiable, &["a".into()]);
        assert_eq!((f.by_group["sex:female"].recommendations, f.by_group["sex:female"].mean_salary), (2, 6000.0));
        assert_eq!(age_band(24), "16-24");
        assert_eq!(age_band(55), "55+");
    }
}
