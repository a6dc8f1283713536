//! Who uses the platform, and the one permission table.
//!
//! Every route and page names a [`Permission`]; [`allows`] is the only place that says which
//! roles hold it. District scope (a caseworker sees only their district's people) is decided
//! by [`Scope`], checked where the record's district is known.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Seeker,
    Employer,
    Provider,
    Caseworker,
    DistrictAdmin,
    CityAdmin,
    /// Staff of a lead unit (牵头单位) of the plan's measures: files progress reports on the
    /// measures it leads (its account's organisation is the unit).
    LeadUnit,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Seeker,
        Role::Employer,
        Role::Provider,
        Role::Caseworker,
        Role::DistrictAdmin,
        Role::CityAdmin,
        Role::LeadUnit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seeker => "seeker",
            Role::Employer => "employer",
            Role::Provider => "provider",
            Role::Caseworker => "caseworker",
            Role::DistrictAdmin => "district_admin",
            Role::CityAdmin => "city_admin",
            Role::LeadUnit => "lead_unit",
        }
    }

    pub fn parse(s: &str) -> Result<Self, crate::CodeError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::CodeError::new("role.unknown").arg("value", s))
    }

    /// Catalogue key of the role's name.
    pub fn label_key(self) -> String {
        format!("role.{}", self.as_str())
    }

    /// Staff whose view of people is limited to one district.
    pub fn is_district_scoped(self) -> bool {
        matches!(self, Role::Caseworker | Role::DistrictAdmin)
    }

    pub fn is_staff(self) -> bool {
        matches!(self, Role::Caseworker | Role::DistrictAdmin | Role::CityAdmin)
    }
}

/// What a request wants to do. Each route declares exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Anyone, signed in or not (home, search, vacancy detail, login, register).
    Public,
    /// Any signed-in account (me, logout).
    Authenticated,
    /// A seeker's own profile.
    OwnProfile,
    /// An employer's own organisation (the employer role only).
    OwnEmployer,
    /// Post and change vacancies: employers their own, staff for any employer.
    ManageVacancies,
    /// Look people up and open their page (district-scoped for caseworkers and district admins).
    ViewPersons,
    /// Create or change a person's record at a desk (district-scoped).
    EditPersons,
    /// See a person's full ID number (audited).
    ViewFullNationalId,
    /// List and view employers.
    ViewEmployers,
    /// Create employers at a desk and change their liaison.
    EditEmployers,
    /// Manage accounts (district admins: their district's staff; city admin: all).
    ManageUsers,
    /// Browse the audit log.
    ViewAudit,
    /// Casework: unemployment and employment registration, services, contacts, caseload, "131"
    /// (district-scoped for caseworkers and district admins).
    Casework,
    /// Providers and their service contracts, and their statements.
    ManageProviders,
    /// A contracted organisation's staff: serve the persons their contracts cover.
    ProviderWork,
    /// File a subsidy claim (for oneself, one's organisation, or — staff — on someone's behalf).
    FileClaims,
    /// District review of claims: approve, return for correction, reject.
    ReviewClaims,
    /// City approval of claims above the district's limit.
    ApproveClaims,
    /// Record payment of approved claims.
    PayClaims,
    /// Set budget allocations.
    ManageBudget,
    /// Run training: programmes, enrolment, assessment, certificates.
    ManageTraining,
    /// Publish policy versions (they decide nothing until published).
    PublishPolicies,
    /// Publish a version of the casework rules (tiers, contact intervals, "131" windows).
    PublishCaseworkRules,
    /// The plan's indicator table, labour-market analysis and progress (district admins:
    /// their district).
    ViewOversight,
    /// Enter the figures the records cannot yield, with source and evidence.
    EnterIndicators,
    /// Answer a satisfaction survey about one's own class or claim.
    AnswerSurveys,
    /// File progress reports on the measures one's unit leads.
    FileProgress,
    /// See the measures' progress reports and which are late (lead units: their own measures).
    ViewProgress,
    /// Post gigs (即时快招): employers, and individuals (published only once their identity is
    /// verified).
    PostGigs,
    /// Work gigs: a gig profile, check-ins, accepting, confirming, rating.
    GigWork,
    /// Review held gig posts, check workers in at a station (district-scoped).
    ReviewGigs,
    /// Register gig markets and stations and their recognition.
    ManageGigSites,
    /// Register labour-dispute mediation organisations (district-scoped).
    ManageMediationOrgs,
    /// Wage-arrears complaints and labour-dispute mediation: intake at a desk, decisions, the
    /// clocks (district-scoped).
    LabourCases,
    /// File and follow wage-arrears complaints: a worker their own, staff their district's.
    ArrearsComplaints,
}

/// The one permission table.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        Public | Authenticated => true,
        OwnProfile => role == Seeker,
        OwnEmployer => role == Employer,
        ManageVacancies => matches!(role, Employer | Caseworker | DistrictAdmin | CityAdmin),
        ViewPersons => matches!(role, Caseworker | DistrictAdmin | CityAdmin | Provider),
        EditPersons => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        ViewFullNationalId => matches!(role, DistrictAdmin | CityAdmin),
        ViewEmployers => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        EditEmployers => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        ManageUsers => matches!(role, DistrictAdmin | CityAdmin),
        ViewAudit => role == CityAdmin,
        Casework => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        ManageProviders => matches!(role, DistrictAdmin | CityAdmin),
        ProviderWork => role == Provider,
        FileClaims => matches!(role, Seeker | Employer | Provider | Caseworker | DistrictAdmin | CityAdmin),
        ReviewClaims => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        ApproveClaims => role == CityAdmin,
        PayClaims => matches!(role, DistrictAdmin | CityAdmin),
        ManageBudget => role == CityAdmin,
        ManageTraining => matches!(role, Provider | Caseworker | DistrictAdmin | CityAdmin),
        PublishPolicies => role == CityAdmin,
        PublishCaseworkRules => role == CityAdmin,
        ViewOversight => matches!(role, DistrictAdmin | CityAdmin),
        EnterIndicators => matches!(role, DistrictAdmin | CityAdmin),
        AnswerSurveys => role == Seeker,
        FileProgress => role == LeadUnit,
        ViewProgress => matches!(role, LeadUnit | CityAdmin),
        PostGigs => matches!(role, Employer | Seeker),
        GigWork => role == Seeker,
        ReviewGigs => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        ManageGigSites => matches!(role, DistrictAdmin | CityAdmin),
        ManageMediationOrgs => matches!(role, DistrictAdmin | CityAdmin),
        LabourCases => matches!(role, Caseworker | DistrictAdmin | CityAdmin),
        ArrearsComplaints => matches!(role, Seeker | Caseworker | DistrictAdmin | CityAdmin),
    }
}

/// Which people a staff account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    City,
    District(String),
    /// Providers see only people they were assigned (none until contracts exist).
    Assigned,
    None,
}

impl Scope {
    pub fn of(role: Role, district: Option<&str>) -> Scope {
        match role {
            Role::CityAdmin => Scope::City,
            Role::Caseworker | Role::DistrictAdmin => match district {
                Some(d) => Scope::District(d.to_string()),
                None => Scope::None,
            },
            Role::Provider => Scope::Assigned,
            Role::Seeker | Role::Employer | Role::LeadUnit => Scope::None,
        }
    }

    pub fn covers_district(&self, district: &str) -> bool {
        match self {
            Scope::City => true,
            Scope::District(d) => d == district,
            Scope::Assigned | Scope::None => false,
        }
    }
}
