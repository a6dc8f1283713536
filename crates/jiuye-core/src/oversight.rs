//! Oversight use cases: the 附件2 table for a period and place, the records behind a figure,
//! figures entered with their source, and satisfaction answers. Who sees which district is
//! decided here: the city any district or the whole city, a district administrator their own.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::roles::Permission;
use jiuye_oversight::assess::{self, Count, Status, Trend};
use jiuye_oversight::{Indicator, Indicators, Obtained, Period};
use jiuye_store::{DrillRow, Span};

use crate::error::{CoreError, CoreResult};
use crate::lists::list_district;
use crate::{Core, Ctx};

/// How many periods a trend line shows (this one and those before it).
pub const TRAIL: usize = 6;

/// An entered figure and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entered {
    pub value: f64,
    pub source: String,
    pub evidence: String,
    pub by: Option<Uuid>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Figure {
    pub indicator: Indicator,
    /// What was counted (computed indicators).
    pub count: Option<Count>,
    pub value: Option<f64>,
    pub entered: Option<Entered>,
    /// The target this period is held to (pro rata for a flow).
    pub target: f64,
    pub status: Status,
    /// Values of the trail of periods ending with this one, oldest first.
    pub trail: Vec<(Period, Option<f64>)>,
    pub trend: Trend,
}

fn span_of(p: Period) -> Span {
    let (from, to) = p.bounds();
    Span { from, to }
}

impl Core<'_> {
    /// The district a dashboard shows: district staff their own whatever they ask, the city
    /// the one asked for or the whole city.
    pub fn oversight_district(&self, ctx: &Ctx, asked: Option<&str>) -> CoreResult<Option<String>> {
        ctx.actor.require(Permission::ViewOversight)?;
        list_district(ctx, asked)
    }

    async fn value_of(
        &self,
        ind: &Indicator,
        period: Period,
        district: Option<&str>,
    ) -> CoreResult<(Option<Count>, Option<f64>, Option<Entered>)> {
        match ind.obtained {
            Obtained::Computed(agg) => {
                let count = self.store.aggregate(agg, span_of(period), district).await?;
                Ok((count, count.and_then(|c| assess::value(ind, c)), None))
            }
            Obtained::Entered => {
                let latest = self.store.indicator_entries(&ind.id, &period.key(), district).await?.into_iter().next();
                let entered = latest.map(|e| Entered {
                    value: e.value_milli as f64 / 1000.0,
                    source: e.source,
                    evidence: e.evidence,
                    by: e.actor_account,
                    at: e.created_at,
                });
                Ok((None, entered.as_ref().map(|e| e.value), entered))
            }
        }
    }

    /// One indicator for a period and place, with its trail.
    pub async fn figure(
        &self,
        ctx: &Ctx,
        ind: &Indicator,
        period: Period,
        district: Option<&str>,
    ) -> CoreResult<Figure> {
        let (count, value, entered) = self.value_of(ind, period, district).await?;
        let mut trail = Vec::with_capacity(TRAIL);
        for p in period.trail(TRAIL) {
            if p == period {
                trail.push((p, value));
            } else {
                trail.push((p, self.value_of(ind, p, district).await?.1));
            }
        }
        let values: Vec<Option<f64>> = trail.iter().map(|(_, v)| *v).collect();
        Ok(Figure {
            indicator: ind.clone(),
            count,
            value,
            entered,
            target: assess::target_for(ind, period, ctx.today),
            status: assess::status(ind, value, period, ctx.today, district.is_none()),
            trend: assess::trend(ind, &values),
            trail,
        })
    }

    /// The whole table for a period and the district the actor may see, and the instant it
    /// reflects every record committed before.
    pub async fn dashboard(
        &self,
        ctx: &Ctx,
        indicators: &Indicators,
        period: Period,
        asked: Option<&str>,
    ) -> CoreResult<(Option<String>, DateTime<Utc>, Vec<Figure>)> {
        let district = self.oversight_district(ctx, asked)?;
        // Before the figures are read: they reflect at least what was committed by then.
        let as_of = self.store.kpi_as_of(ctx.at, period.bounds().1).await?;
        let mut out = Vec::with_capacity(indicators.list.len());
        for ind in &indicators.list {
            out.push(self.figure(ctx, ind, period, district.as_deref()).await?);
        }
        Ok((district, as_of, out))
    }

    /// The records a computed figure counts, within the actor's district.
    pub async fn drill(
        &self,
        ctx: &Ctx,
        ind: &Indicator,
        period: Period,
        asked: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> CoreResult<(Option<String>, Vec<DrillRow>)> {
        let district = self.oversight_district(ctx, asked)?;
        let Obtained::Computed(agg) = ind.obtained else { return Ok((district, Vec::new())) };
        let rows = self.store.aggregate_rows(agg, span_of(period), district.as_deref(), offset, limit).await?;
        Ok((district, rows))
    }

    /// Enter a figure the records cannot yield: the city for the city or any district, a
    /// district administrator for their district. A source and evidence are required.
    #[allow(clippy::too_many_arguments)]
    pub async fn enter_figure(
        &self,
        ctx: &Ctx,
        ind: &Indicator,
        period: Period,
        asked: Option<&str>,
        value: f64,
        source: &str,
        evidence: &str,
    ) -> CoreResult<Uuid> {
        ctx.actor.require(Permission::EnterIndicators)?;
        let district = list_district(ctx, asked)?;
        let mut problems = Vec::new();
        if ind.obtained != Obtained::Entered {
            problems.push(CodeError::new("oversight.computed").field("indicator"));
        }
        if !value.is_finite() || !(0.0..=1.0e12).contains(&value) {
            problems.push(CodeError::new("oversight.value").field("value"));
        }
        if source.trim().is_empty() {
            problems.push(CodeError::new("input.required").field("source"));
        }
        if evidence.trim().is_empty() {
            problems.push(CodeError::new("input.required").field("evidence"));
        }
        if period.elapsed_days(ctx.today) == 0 {
            problems.push(CodeError::new("oversight.future_period").field("period"));
        }
        if !problems.is_empty() {
            return Err(CoreError::Invalid(problems));
        }
        let milli = (value * 1000.0).round() as i64;
        Ok(self
            .store
            .enter_indicator(
                &ind.id,
                &period.key(),
                district.as_deref(),
                milli,
                source.trim(),
                evidence.trim(),
                &ctx.actor.audit(),
                ctx.at,
            )
            .await?)
    }

    /// A seeker answers about a class they finished (an enrolment assessed or completed) or a
    /// decided claim of theirs, once, 1 to 5.
    pub async fn answer_survey(
        &self,
        ctx: &Ctx,
        kind: &str,
        subject_id: Uuid,
        score: i32,
        comment: Option<String>,
    ) -> CoreResult<()> {
        let Some(person) = ctx.actor.person_id else { return Err(CoreError::Forbidden) };
        let comment = comment.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
        if comment.as_ref().is_some_and(|c| c.chars().count() > 500) {
            return Err(CoreError::invalid(CodeError::new("input.too_long").field("comment").arg("max", "500")));
        }
        let district = match kind {
            "class" => {
                let e = self.store.enrolment_by_id(subject_id).await?;
                if e.person_id != person {
                    return Err(CoreError::NotFound);
                }
                if e.assessed_on.is_none() && e.status != "completed" {
                    return Err(CoreError::Refused(CodeError::new("survey.not_finished").field("subject")));
                }
                self.store.programme_by_id(e.programme_id).await?.district
            }
            "claim" => {
                let c = self.store.claim_by_id(subject_id).await?;
                if c.claimant_id != person {
                    return Err(CoreError::NotFound);
                }
                if !matches!(c.status.as_str(), "approved" | "rejected" | "paid") {
                    return Err(CoreError::Refused(CodeError::new("survey.not_decided").field("subject")));
                }
                c.district
            }
            _ => return Err(CoreError::invalid(CodeError::new("survey.kind").field("kind"))),
        };
        self.store
            .answer_survey(kind, subject_id, person, &district, score, comment, &ctx.actor.audit(), ctx.at)
            .await?;
        Ok(())
    }
}

impl Core<'_> {
    /// The 求人倍率 matrix for a period at an occupation level (1 大类 … 3 小类), in the district
    /// the actor may see (district staff: their own; the city: one district or all, with a
    /// city-wide column).
    pub async fn market(
        &self,
        ctx: &Ctx,
        period: Period,
        asked: Option<&str>,
        level: u8,
    ) -> CoreResult<(Option<String>, Vec<jiuye_oversight::market::Cell>)> {
        let district = self.oversight_district(ctx, asked)?;
        let (demand, seekers) = self.store.market_tallies(span_of(period), district.as_deref()).await?;
        Ok((district, jiuye_oversight::market::matrix(&demand, &seekers, level.clamp(1, 3))))
    }
}

impl Core<'_> {
    /// Fairness of the recommendations made in a period: exposure across employers, and pay
    /// and occupation of the jobs recommended by sex, age band, household type and key group.
    pub async fn fairness(
        &self,
        ctx: &Ctx,
        period: Period,
        asked: Option<&str>,
    ) -> CoreResult<(Option<String>, jiuye_oversight::fairness::Fairness)> {
        use jiuye_oversight::fairness::{Shown, age_band, fairness};
        let district = self.oversight_district(ctx, asked)?;
        let (rows, employers) = self.store.referrals_in(span_of(period), district.as_deref()).await?;
        let records = self.store.key_group_records(ctx.today).await?;
        let shown: Vec<Shown> = rows
            .into_iter()
            .map(|(person, sex, birth, rural, day, employer, min, max, occupation)| {
                let age = i64::from(day.years_since(birth).unwrap_or(0));
                let key = !crate::facts::key_groups_in(&records, person).is_empty();
                Shown {
                    employer: employer.to_string(),
                    salary_min: min,
                    salary_max: max,
                    major_group: occupation.split('-').next().unwrap_or_default().to_string(),
                    person_groups: vec![
                        format!("sex:{sex}"),
                        format!("age:{}", age_band(age)),
                        format!("household:{}", if rural { "rural" } else { "urban" }),
                        format!("key_group:{}", if key { "yes" } else { "no" }),
                    ],
                }
            })
            .collect();
        let open: Vec<String> = employers.iter().map(Uuid::to_string).collect();
        Ok((district, fairness(&shown, &open)))
    }
}
