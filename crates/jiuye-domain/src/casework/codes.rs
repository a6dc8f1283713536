//! The closed code lists of casework.

use super::code_enum;

code_enum!(
    /// Where a person registers as unemployed; all four bases carry equal rights (plan, action 3).
    RegistrationBasis, "casework.basis", {
        Residence => "residence",
        Workplace => "workplace",
        Insured => "insured",
        Hukou => "hukou",
    }
);

code_enum!(
    /// Lifecycle of an unemployment registration: registered → employed | deregistered.
    RegistrationStatus, "casework.registration", {
        Registered => "registered",
        Employed => "employed",
        Deregistered => "deregistered",
    }
);

impl RegistrationStatus {
    pub fn is_active(self) -> bool {
        self == Self::Registered
    }

    /// Both ends are final: a person who needs help again registers anew.
    pub fn may_move(self, to: Self) -> bool {
        self == Self::Registered && to != Self::Registered
    }
}

code_enum!(
    /// Why a registration ended without a job (就业服务与就业管理规定 art. 63).
    DeregReason, "casework.dereg", {
        Pension => "pension",
        Incapacity => "incapacity",
        StudyOrService => "study_or_service",
        Emigrated => "emigrated",
        Imprisoned => "imprisoned",
        NoLongerSeeking => "no_longer_seeking",
        NoContactSixMonths => "no_contact_six_months",
        MovedAway => "moved_away",
        Deceased => "deceased",
        EnteredInError => "entered_in_error",
    }
);

code_enum!(
    /// Forms of employment registration (就业登记).
    EmploymentForm, "casework.form", {
        Unit => "unit",
        Flexible => "flexible",
        SelfEmployed => "self_employed",
        PublicWelfare => "public_welfare",
    }
);

impl EmploymentForm {
    /// Forms that need an employer: the person works for an organisation.
    pub fn needs_employer(self) -> bool {
        matches!(self, Self::Unit | Self::PublicWelfare)
    }
}

code_enum!(
    /// Who recorded an employment.
    EmploymentSource, "casework.source", {
        Desk => "desk",
        Person => "person",
        Hire => "hire",
    }
);

code_enum!(
    /// Kinds of service in the ledger, as the plan names them.
    ServiceKind, "casework.service", {
        CareerGuidance => "career_guidance",
        JobReferral => "job_referral",
        SkillsTraining => "skills_training",
        Internship => "internship",
        Entrepreneurship => "entrepreneurship",
        PolicyAdvice => "policy_advice",
        FollowUp => "follow_up",
        EmploymentAssistance => "employment_assistance",
        PublicWelfarePlacement => "public_welfare_placement",
        JobFair => "job_fair",
    }
);

impl ServiceKind {
    /// The "1 / 3 / 1" item a service counts toward, if any.
    pub fn one31_item(self) -> Option<super::One31Item> {
        use super::One31Item;
        match self {
            Self::CareerGuidance => Some(One31Item::Guidance),
            Self::JobReferral => Some(One31Item::Referrals),
            Self::SkillsTraining | Self::Internship => Some(One31Item::TrainingOrInternship),
            _ => None,
        }
    }
}

code_enum!(
    ContactMethod, "casework.contact", {
        Phone => "phone",
        Visit => "visit",
        Online => "online",
        Message => "message",
    }
);

code_enum!(
    ContactOutcome, "casework.outcome", {
        Reached => "reached",
        NoAnswer => "no_answer",
        WrongNumber => "wrong_number",
        Declined => "declined",
    }
);

impl ContactOutcome {
    /// The person was reached (a declined conversation still reached them).
    pub fn reached(self) -> bool {
        matches!(self, Self::Reached | Self::Declined)
    }
}
