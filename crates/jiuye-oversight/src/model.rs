//! The indicator schema: what a file in `indicators/` says, in checked form.

use serde::Serialize;

/// What an aggregation yields, before the indicator's unit scales it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Yield {
    /// Distinct persons (人).
    Persons,
    /// Services, enrolments, claims counted each time (人次).
    PersonTimes,
    /// Things counted (个, 件).
    Things,
    /// A numerator over a denominator (a rate).
    Share,
}

/// The named aggregations the records yield. Each is computed by the store from one set of
/// rows (the same rows the dashboard's drill-down lists), so a figure and its records agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Persons with an employment registration (desk or hire) starting in the period.
    NewEmployment,
    /// Persons registered unemployed on the period's last day.
    RegisteredUnemployedStock,
    /// Services delivered in the period to persons recognised as graduates.
    ServicesToGraduates,
    /// Services delivered to persons of rural household registration or recognised migrant workers.
    ServicesToRuralLabour,
    /// Services delivered to persons recognised as poverty-alleviated labour.
    ServicesToPovertyAlleviated,
    /// Services delivered under an unemployment registration.
    ServicesToRegisteredUnemployed,
    /// Services delivered to persons recognised as having employment difficulty.
    ServicesToDifficultyGroup,
    /// Enrolments in subsidised classes starting in the period.
    SubsidisedTraining,
    /// Subsidy claims filed in the period.
    PolicySystemService,
    /// Applications made and job referrals delivered in the period.
    JobSystemService,
    /// Paid over allocated, for the period's budget years.
    BudgetExecution,
    /// Unemployed graduates and needy unemployed youth registered in the period's scope who were reached.
    OneToOneContactRate,
    /// Trainees assessed in the period who passed.
    CertificateRate,
    /// Persons served in the period who have an employment starting on or after their first service in it.
    ServedFoundWork,
    /// Persons recognised as having employment difficulty with an employment starting in the period.
    DifficultyGroupEmployed,
    /// Zero-employment households flagged in the period that were helped (a member served, or the flag cleared).
    ZeroEmploymentHelpRate,
    /// Needy graduates who were served in the period.
    NeedyGraduateHelpRate,
    /// Ratings of services given in the period that are 4 or 5.
    SatisfactionPublicService,
    /// Survey answers about classes given in the period that are 4 or 5.
    SatisfactionTraining,
    /// Survey answers about claim decisions given in the period that are 4 or 5.
    SatisfactionPolicy,
    /// Gig markets (not stations) recognised as 规范化 by the period's last day.
    GigMarketsRecognised,
}

impl Aggregation {
    pub const ALL: [Aggregation; 21] = [
        Self::NewEmployment,
        Self::RegisteredUnemployedStock,
        Self::ServicesToGraduates,
        Self::ServicesToRuralLabour,
        Self::ServicesToPovertyAlleviated,
        Self::ServicesToRegisteredUnemployed,
        Self::ServicesToDifficultyGroup,
        Self::SubsidisedTraining,
        Self::PolicySystemService,
        Self::JobSystemService,
        Self::BudgetExecution,
        Self::OneToOneContactRate,
        Self::CertificateRate,
        Self::ServedFoundWork,
        Self::DifficultyGroupEmployed,
        Self::ZeroEmploymentHelpRate,
        Self::NeedyGraduateHelpRate,
        Self::SatisfactionPublicService,
        Self::SatisfactionTraining,
        Self::SatisfactionPolicy,
        Self::GigMarketsRecognised,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::NewEmployment => "new_employment",
            Self::RegisteredUnemployedStock => "registered_unemployed_stock",
            Self::ServicesToGraduates => "services_to_graduates",
            Self::ServicesToRuralLabour => "services_to_rural_labour",
            Self::ServicesToPovertyAlleviated => "services_to_poverty_alleviated",
            Self::ServicesToRegisteredUnemployed => "services_to_registered_unemployed",
            Self::ServicesToDifficultyGroup => "services_to_difficulty_group",
            Self::SubsidisedTraining => "subsidised_training",
            Self::PolicySystemService => "policy_system_service",
            Self::JobSystemService => "job_system_service",
            Self::BudgetExecution => "budget_execution",
            Self::OneToOneContactRate => "one_to_one_contact_rate",
            Self::CertificateRate => "certificate_rate",
            Self::ServedFoundWork => "served_found_work",
            Self::DifficultyGroupEmployed => "difficulty_group_employed",
            Self::ZeroEmploymentHelpRate => "zero_employment_help_rate",
            Self::NeedyGraduateHelpRate => "needy_graduate_help_rate",
            Self::SatisfactionPublicService => "satisfaction_public_service",
            Self::SatisfactionTraining => "satisfaction_training",
            Self::SatisfactionPolicy => "satisfaction_policy",
            Self::GigMarketsRecognised => "gig_markets_recognised",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == s)
    }

    pub fn yields(self) -> Yield {
        match self {
            Self::NewEmployment | Self::RegisteredUnemployedStock | Self::DifficultyGroupEmployed => Yield::Persons,
            Self::ServicesToGraduates
            | Self::ServicesToRuralLabour
            | Self::ServicesToPovertyAlleviated
            | Self::ServicesToRegisteredUnemployed
            | Self::ServicesToDifficultyGroup
            | Self::SubsidisedTraining
            | Self::PolicySystemService
            | Self::JobSystemService => Yield::PersonTimes,
            Self::GigMarketsRecognised => Yield::Things,
            _ => Yield::Share,
        }
    }

    /// A flow adds up over time (a year's figure is the sum of its months); a stock or a rate
    /// does not. A flow's yearly target is compared pro rata for a shorter period.
    pub fn is_flow(self) -> bool {
        !matches!(self, Self::RegisteredUnemployedStock | Self::GigMarketsRecognised) && self.yields() != Yield::Share
    }
}

/// The unit an indicator is stated in (附件2's own units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 万人.
    WanPersons,
    /// 万人次.
    WanPersonTimes,
    /// 个.
    Count,
    /// 件.
    Cases,
    /// %.
    Percent,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "wan_persons" => Self::WanPersons,
            "wan_person_times" => Self::WanPersonTimes,
            "count" => Self::Count,
            "cases" => Self::Cases,
            "percent" => Self::Percent,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::WanPersons => "wan_persons",
            Self::WanPersonTimes => "wan_person_times",
            Self::Count => "count",
            Self::Cases => "cases",
            Self::Percent => "percent",
        }
    }

    /// What an aggregation must yield to be shown in this unit.
    pub fn takes(self) -> Yield {
        match self {
            Self::WanPersons => Yield::Persons,
            Self::WanPersonTimes => Yield::PersonTimes,
            Self::Count | Self::Cases => Yield::Things,
            Self::Percent => Yield::Share,
        }
    }

    /// Raw counts per unit (万 = 10,000).
    pub fn scale(self) -> f64 {
        match self {
            Self::WanPersons | Self::WanPersonTimes => 10_000.0,
            _ => 1.0,
        }
    }

    /// The catalogue key of the unit's name.
    pub fn label_key(self) -> String {
        format!("oversight.unit.{}", self.id())
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

/// How a figure is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "aggregation")]
pub enum Obtained {
    /// Computed live from the records by a named aggregation.
    Computed(Aggregation),
    /// Entered with its source and evidence by an authorised user: the records cannot yield it.
    Entered,
}

/// One indicator of 附件2, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    /// Row order in 附件2 (1-based).
    pub order: u32,
    pub zh: String,
    pub en: String,
    /// 附件2's grouping: 一级/二级指标 (e.g. "绩效指标 · 产出指标").
    pub group_zh: String,
    pub group_en: String,
    pub unit: Unit,
    pub direction: Direction,
    /// The 2021 figure (`None` where 附件2 shows "—").
    pub baseline_2021: Option<f64>,
    /// The 2023 target.
    pub target: f64,
    /// Where the figures come from (附件2, its row).
    pub source: String,
    pub obtained: Obtained,
    pub method_zh: String,
    pub method_en: String,
    /// Why an entered indicator is entered (what record would yield it, and when).
    pub entered_because_zh: Option<String>,
    pub entered_because_en: Option<String>,
}

impl Indicator {
    pub fn aggregation(&self) -> Option<Aggregation> {
        match self.obtained {
            Obtained::Computed(a) => Some(a),
            Obtained::Entered => None,
        }
    }

    /// Is the yearly target compared pro rata for a shorter period?
    pub fn is_flow(&self) -> bool {
        self.aggregation().is_some_and(Aggregation::is_flow)
    }
}
