//! Who may act on whom — decided here, once, for every object that belongs to a person.
//!
//! - A **person record**: the person themself; staff of the district they live in now, or of
//!   the district holding their active registration (their case); a provider whose contract in
//!   force covers them; the city.
//! - **Casework** on a person (registration changes, services, contacts, job pushes,
//!   employment records): staff of the district that holds the case — the active
//!   registration's district, else the home district.
//! - A **registration**: its own district. An **application**: the applicant, the employer,
//!   staff of the vacancy's district. A **class** and its **enrolments**: the provider running
//!   it, staff of its district. A **claim**: the claimant, staff of the claim's district.
//!
//! Outside scope is *not found*, never *forbidden*: nobody learns that a record exists.

use uuid::Uuid;

use jiuye_domain::records::{Person, Vacancy};
use jiuye_domain::roles::{Role, Scope};
use jiuye_store::{Application, Claim, Enrolment, Programme, Registration};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// A person with the case they have open, if any.
#[derive(Debug, Clone)]
pub struct Case {
    pub person: Person,
    pub active: Option<Registration>,
}

impl Case {
    /// The district that holds the case: the active registration's, else the home district.
    pub fn district(&self) -> &str {
        self.active.as_ref().map_or(self.person.district.as_str(), |r| r.district.as_str())
    }
}

/// On which side of an application the actor stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Applicant,
    /// The employer, or staff serving the vacancy's district.
    Employer,
}

fn covers(ctx: &Ctx, district: &str) -> bool {
    ctx.actor.scope().covers_district(district)
}

fn found(ok: bool) -> CoreResult<()> {
    if ok { Ok(()) } else { Err(CoreError::NotFound) }
}

impl Core<'_> {
    async fn case_of(&self, person: Person) -> CoreResult<Case> {
        let active = self.store.active_registration_of(person.id).await?;
        Ok(Case { person, active })
    }

    /// Is a provider's contract in force covering this person?
    async fn provider_covers(&self, ctx: &Ctx, person_id: Uuid) -> CoreResult<bool> {
        match (ctx.actor.role, ctx.actor.provider_id) {
            (Some(Role::Provider), Some(p)) => Ok(self.store.provider_covers(p, person_id, ctx.today).await?),
            _ => Ok(false),
        }
    }

    /// Read a person's record and picture.
    pub async fn person(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Case> {
        let case = self.case_of(self.store.person_by_id(id).await?).await?;
        let ok = match ctx.actor.scope() {
            _ if ctx.actor.role == Some(Role::Seeker) => ctx.actor.person_id == Some(id),
            Scope::City => true,
            Scope::District(d) => case.person.district.as_str() == d || case.district() == d,
            Scope::Assigned => self.provider_covers(ctx, id).await?,
            Scope::None => false,
        };
        found(ok)?;
        Ok(case)
    }

    /// Casework on a person: only the district holding the case (the city too).
    pub async fn case(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Case> {
        let case = self.case_of(self.store.person_by_id(id).await?).await?;
        found(ctx.actor.is_staff() && covers(ctx, case.district()))?;
        Ok(case)
    }

    /// Change a person's own record at a desk: staff of the district they live in.
    pub async fn person_record(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Person> {
        let p = self.store.person_by_id(id).await?;
        found(ctx.actor.is_staff() && covers(ctx, p.district.as_str()))?;
        Ok(p)
    }

    /// A person's own case (the seeker acting on themself).
    pub async fn own_case(&self, ctx: &Ctx) -> CoreResult<Case> {
        let id = ctx.actor.person_id.ok_or(CoreError::NotFound)?;
        self.case_of(self.store.person_by_id(id).await?).await
    }

    /// A registration, by the district that holds it.
    pub async fn registration(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Registration> {
        let r = self.store.registration_by_id(id).await?;
        found(covers(ctx, &r.district))?;
        Ok(r)
    }

    /// A vacancy the actor manages: the employer its own, staff those of their district.
    pub async fn vacancy_managed(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Vacancy> {
        let v = self.store.vacancy_by_id(id).await?;
        let ok = match ctx.actor.role {
            Some(Role::Employer) => ctx.actor.employer_id == Some(v.employer_id),
            Some(r) if r.is_staff() => covers(ctx, v.district.as_str()),
            _ => false,
        };
        found(ok)?;
        Ok(v)
    }

    /// An application, and the actor's side of it.
    pub async fn application(&self, ctx: &Ctx, id: Uuid) -> CoreResult<(Application, Side)> {
        let a = self.store.application_by_id(id).await?;
        if ctx.actor.role == Some(Role::Seeker) {
            found(ctx.actor.person_id == Some(a.person_id))?;
            return Ok((a, Side::Applicant));
        }
        self.vacancy_managed(ctx, a.vacancy_id).await?;
        Ok((a, Side::Employer))
    }

    /// A class the actor manages: a provider its own, staff those of their district.
    pub async fn programme_managed(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Programme> {
        let p = self.store.programme_by_id(id).await?;
        let ok = match (ctx.actor.role, ctx.actor.provider_id) {
            (Some(Role::Provider), provider) => provider.is_some() && p.provider_id == provider,
            (Some(r), _) if r.is_staff() => covers(ctx, &p.district),
            _ => false,
        };
        found(ok)?;
        Ok(p)
    }

    /// An enrolment whose class the actor manages.
    pub async fn enrolment_managed(&self, ctx: &Ctx, id: Uuid) -> CoreResult<(Enrolment, Programme)> {
        let e = self.store.enrolment_by_id(id).await?;
        let p = self.programme_managed(ctx, e.programme_id).await?;
        Ok((e, p))
    }

    /// May the actor put this person in a class they manage? A provider only someone its
    /// contract in force covers; staff someone whose case their district holds or who lives
    /// there. Anyone else is not found — a class is no look-up of the city's people.
    pub async fn enrolable(&self, ctx: &Ctx, person_id: Uuid) -> CoreResult<Person> {
        let case = self.case_of(self.store.person_by_id(person_id).await?).await?;
        let ok = match ctx.actor.scope() {
            Scope::City => true,
            Scope::District(d) => case.person.district.as_str() == d || case.district() == d,
            Scope::Assigned => self.provider_covers(ctx, person_id).await?,
            Scope::None => false,
        };
        found(ok)?;
        Ok(case.person)
    }

    /// Does the actor file as, or belong to, this claimant?
    pub fn is_claimant(&self, ctx: &Ctx, claimant: Uuid) -> bool {
        [ctx.actor.person_id, ctx.actor.employer_id, ctx.actor.provider_id].contains(&Some(claimant))
    }

    /// A claim: the claimant's own, or one filed in the actor's district.
    pub async fn claim(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Claim> {
        let c = self.store.claim_by_id(id).await?;
        found(self.is_claimant(ctx, c.claimant_id) || (ctx.actor.is_staff() && covers(ctx, &c.district)))?;
        Ok(c)
    }

    /// The provider organisation acting, for a person its contract in force covers.
    pub async fn covered(&self, ctx: &Ctx, person_id: Uuid) -> CoreResult<Uuid> {
        let provider = ctx.actor.provider_id.filter(|_| ctx.actor.role == Some(Role::Provider));
        let provider = provider.ok_or(CoreError::NotFound)?;
        found(self.store.provider_covers(provider, person_id, ctx.today).await?)?;
        Ok(provider)
    }
}
