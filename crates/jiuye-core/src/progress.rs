//! Progress of the plan's 26 measures: lead units file half-monthly and monthly reports on the
//! measures they lead, with the figures of the measure's indicators filled from the records;
//! the city sees every measure, what was filed and what is late.

use chrono::Duration;

use jiuye_domain::CodeError;
use jiuye_domain::roles::{Permission, Role};
use jiuye_oversight::measures::{Measure, Measures, ReportPeriod, overdue};
use jiuye_oversight::{Indicators, Obtained, Period};
use jiuye_store::{NewProgressReport, ProgressReport, Span};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// How far back late reports are looked for.
pub const LATE_LOOK_BACK_DAYS: i64 = 62;
/// The longest report text, and the most attachment references.
pub const MAX_TEXT: usize = 5_000;
pub const MAX_ATTACHMENTS: usize = 10;

/// Where the measures stand for the actor.
#[derive(Debug, Clone)]
pub struct Overview<'m> {
    pub measures: Vec<&'m Measure>,
    pub recent: Vec<ProgressReport>,
    /// Reports due and not filed: (measure, period).
    pub late: Vec<(u32, ReportPeriod)>,
}

fn measures_of<'m>(ctx: &Ctx, all: &'m Measures) -> CoreResult<Vec<&'m Measure>> {
    ctx.actor.require(Permission::ViewProgress)?;
    Ok(match ctx.actor.role {
        Some(Role::LeadUnit) => {
            let unit = ctx.actor.unit.as_deref().ok_or(CoreError::Forbidden)?;
            all.measures.iter().filter(|m| m.lead_unit == unit).collect()
        }
        _ => all.measures.iter().collect(),
    })
}

impl Core<'_> {
    /// The measures the actor sees, their recent reports and the late ones.
    pub async fn progress<'m>(&self, ctx: &Ctx, all: &'m Measures) -> CoreResult<Overview<'m>> {
        let measures = measures_of(ctx, all)?;
        let numbers: Vec<u32> = measures.iter().map(|m| m.number).collect();
        if numbers.is_empty() {
            return Ok(Overview { measures, recent: Vec::new(), late: Vec::new() });
        }
        let since = ctx.at - Duration::days(LATE_LOOK_BACK_DAYS + 31);
        let recent = self.store.progress_reports(&numbers, Some(since), 2_000).await?;
        let filed: Vec<(u32, String)> = recent.iter().map(|r| (r.measure, r.period.clone())).collect();
        let late = overdue(&measures, &filed, ctx.today, LATE_LOOK_BACK_DAYS);
        Ok(Overview { measures, recent, late })
    }

    #[allow(clippy::too_many_arguments)]
    /// File a report on a measure the actor's unit leads, for a period that has begun. The
    /// figures of the measure's computed indicators over the period are filled from the
    /// records (city-wide).
    pub async fn file_progress(
        &self,
        ctx: &Ctx,
        all: &Measures,
        indicators: &Indicators,
        measure: u32,
        period: &str,
        text: &str,
        attachments: Vec<String>,
    ) -> CoreResult<ProgressReport> {
        ctx.actor.require(Permission::FileProgress)?;
        let m = all.get(measure).ok_or(CoreError::NotFound)?;
        if ctx.actor.unit.as_deref() != Some(m.lead_unit.as_str()) {
            return Err(CoreError::NotFound);
        }
        let mut problems = Vec::new();
        let p = ReportPeriod::parse(period);
        match p {
            None => problems.push(CodeError::new("progress.period").field("period")),
            Some(p) if p.bounds().0 > ctx.today => {
                problems.push(CodeError::new("progress.future_period").field("period"))
            }
            Some(_) => {}
        }
        let text = text.trim();
        if text.is_empty() {
            problems.push(CodeError::new("input.required").field("text"));
        } else if text.chars().count() > MAX_TEXT {
            problems.push(CodeError::new("input.too_long").field("text").arg("max", MAX_TEXT.to_string()));
        }
        let attachments: Vec<String> =
            attachments.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        if attachments.len() > MAX_ATTACHMENTS || attachments.iter().any(|a| a.chars().count() > 300) {
            problems.push(
                CodeError::new("progress.attachments").field("attachments").arg("max", MAX_ATTACHMENTS.to_string()),
            );
        }
        let Some(p) = p.filter(|_| problems.is_empty()) else { return Err(CoreError::Invalid(problems)) };
        let (from, to) = p.bounds();
        let to = to.min(ctx.today);
        let mut figures = Vec::new();
        for id in &m.indicators {
            let Some(ind) = indicators.get(id) else { continue };
            let Obtained::Computed(agg) = ind.obtained else { continue };
            let count = self.store.aggregate(agg, Span { from, to }, None).await?;
            let value = count.and_then(|c| jiuye_oversight::assess::value(ind, c));
            figures.push(serde_json::json!({
                "indicator": id,
                "period": Period::Custom { from, to }.key(),
                "value": value,
                "shown": value.map(|v| jiuye_oversight::assess::shown(ind, v)),
                "numerator": count.map(|c| c.numerator),
                "denominator": count.and_then(|c| c.denominator),
            }));
        }
        let new = NewProgressReport {
            measure,
            period: p.key(),
            kind: p.kind().to_string(),
            unit: m.lead_unit.clone(),
            text: text.to_string(),
            figures: serde_json::Value::Array(figures),
            attachments,
        };
        Ok(self.store.file_progress(&new, &ctx.actor.audit(), ctx.at).await?)
    }

    /// The monthly report to the leading group: every measure with its newest monthly report
    /// for the month (city only).
    pub async fn monthly_report<'m>(
        &self,
        ctx: &Ctx,
        all: &'m Measures,
        month: ReportPeriod,
    ) -> CoreResult<Vec<(&'m Measure, Option<ProgressReport>)>> {
        ctx.actor.require(Permission::ViewOversight)?;
        let filed = self.store.progress_reports_for(&month.key()).await?;
        Ok(all.measures.iter().map(|m| (m, filed.iter().find(|r| r.measure == m.number).cloned())).collect())
    }
}
