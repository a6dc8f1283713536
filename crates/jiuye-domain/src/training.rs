//! Training and certificates: the kinds the plan names. The codes are the values the policy
//! catalogue's facts use (`training_kind`, `certificate_kind`, `certificate_level`), so a
//! training record becomes the facts of a claim without translation.

use crate::casework::code_enum;

code_enum!(
    TrainingKind, "training.kind", {
        EmploymentSkills => "employment_skills",
        Entrepreneurship => "entrepreneurship",
        EnterpriseApprenticeship => "enterprise_apprenticeship",
        StudentApprenticeship => "student_apprenticeship",
        KeyIndustry => "key_industry",
        EnterpriseStaff => "enterprise_staff",
        Brics => "brics",
    }
);

code_enum!(
    CertificateKind, "training.certificate", {
        SpecialAbility => "special_ability",
        VocationalQualification => "vocational_qualification",
        SkillLevel => "skill_level",
        TrainingCompletion => "training_completion",
    }
);

code_enum!(
    /// 职业技能等级 五级 (初级工) … 一级 (高级技师); `none` for certificates without levels.
    CertificateLevel, "training.level", {
        Five => "five",
        Four => "four",
        Three => "three",
        Two => "two",
        One => "one",
        None => "none",
    }
);

impl CertificateKind {
    /// Special ability and completion certificates have no level; qualifications and skill
    /// levels always have one (五级–一级).
    pub fn graded(self) -> bool {
        matches!(self, CertificateKind::VocationalQualification | CertificateKind::SkillLevel)
    }

    /// Refuse a level that the kind cannot have (the field named).
    pub fn check_level(self, level: CertificateLevel) -> Result<(), crate::CodeError> {
        if self.graded() == (level != CertificateLevel::None) {
            Ok(())
        } else {
            Err(crate::CodeError::new("training.level_kind")
                .field("level")
                .arg("kind", self.as_str())
                .arg("level", level.as_str()))
        }
    }
}
