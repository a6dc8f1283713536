//! What a list may show and where a new record may be placed — the district rules of staff
//! lists, decided once for persons, cases, claims, classes, candidates and accounts.

use uuid::Uuid;

use jiuye_domain::records::{Vacancy, VacancyStatus};
use jiuye_domain::roles::{Role, Scope};
use jiuye_store::{Account, Programme};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// Whose claims a list holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimsOf {
    /// Staff: claims filed in a district (`None`: the whole city).
    District(Option<String>),
    /// A claimant: their own.
    Claimant(Uuid),
}

/// The district a city user asked for, checked: a code that is not a Xiamen district is
/// refused with the field named, never silently read as "all".
fn asked_district(asked: Option<&str>) -> CoreResult<Option<String>> {
    match asked.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => match jiuye_domain::codes::DistrictCode::parse(d) {
            Ok(d) => Ok(Some(d.as_str().to_string())),
            Err(e) => Err(CoreError::invalid(e.field("district"))),
        },
        None => Ok(None),
    }
}

/// The district a staff list is limited to: district staff always their own, whatever they
/// ask; the city the district asked for, or all (`None`). Nobody else has staff lists.
pub fn list_district(ctx: &Ctx, asked: Option<&str>) -> CoreResult<Option<String>> {
    match ctx.actor.scope() {
        Scope::City => asked_district(asked),
        Scope::District(d) => Ok(Some(d)),
        Scope::Assigned | Scope::None => Err(CoreError::Forbidden),
    }
}

/// Whose claims the actor's claim list shows.
pub fn claims_list(ctx: &Ctx, asked: Option<&str>) -> CoreResult<ClaimsOf> {
    let a = &ctx.actor;
    match (a.scope(), a.role) {
        (Scope::City, _) => Ok(ClaimsOf::District(asked_district(asked)?)),
        (Scope::District(d), _) => Ok(ClaimsOf::District(Some(d))),
        (_, Some(Role::Seeker)) => a.person_id.map(ClaimsOf::Claimant).ok_or(CoreError::NotFound),
        (_, Some(Role::Employer)) => a.employer_id.map(ClaimsOf::Claimant).ok_or(CoreError::NotFound),
        (_, Some(Role::Provider)) => a.provider_id.map(ClaimsOf::Claimant).ok_or(CoreError::NotFound),
        _ => Err(CoreError::Forbidden),
    }
}

/// May the actor place a new record in `district` — a person registered at a desk, an
/// imported row, a class run by the district? Staff of that district or the city.
pub fn may_place(ctx: &Ctx, district: &str) -> CoreResult<()> {
    if ctx.actor.is_staff() && ctx.actor.scope().covers_district(district) { Ok(()) } else { Err(CoreError::Forbidden) }
}

/// The district a list of accounts is limited to: a district admin's own; the city's choice.
pub fn accounts_district(ctx: &Ctx, asked: Option<&str>) -> CoreResult<Option<String>> {
    match ctx.actor.role {
        Some(Role::CityAdmin) => asked_district(asked),
        Some(Role::DistrictAdmin) => Ok(ctx.actor.district.clone()),
        _ => Err(CoreError::Forbidden),
    }
}

/// The roles the actor may open accounts for: the city any staff role; a district admin only
/// caseworkers (of their own district).
pub fn roles_openable(ctx: &Ctx) -> &'static [Role] {
    match ctx.actor.role {
        Some(Role::CityAdmin) => &[Role::Caseworker, Role::DistrictAdmin, Role::CityAdmin, Role::Provider],
        Some(Role::DistrictAdmin) => &[Role::Caseworker],
        _ => &[],
    }
}

/// May the actor open an account of `role` in `district`?
pub fn may_open_account(ctx: &Ctx, role: Role, district: Option<&str>) -> CoreResult<()> {
    if !roles_openable(ctx).contains(&role) {
        return Err(CoreError::Forbidden);
    }
    if ctx.actor.role == Some(Role::DistrictAdmin) && district != ctx.actor.district.as_deref() {
        return Err(CoreError::Forbidden);
    }
    Ok(())
}

impl Core<'_> {
    /// An account the actor administers: the city any; a district admin the caseworkers of
    /// their district. Anyone else's is not found.
    pub async fn account_managed(&self, ctx: &Ctx, id: Uuid) -> CoreResult<Account> {
        let target = self.store.account_by_id(id).await?;
        let ok = match ctx.actor.role {
            Some(Role::CityAdmin) => true,
            Some(Role::DistrictAdmin) => target.role == Role::Caseworker && target.district == ctx.actor.district,
            _ => false,
        };
        if ok { Ok(target) } else { Err(CoreError::NotFound) }
    }

    /// Classes the actor manages, newest first: a provider its own, staff their district's,
    /// the city all.
    pub async fn programmes_managed(&self, ctx: &Ctx) -> CoreResult<Vec<Programme>> {
        let a = &ctx.actor;
        Ok(match (a.role, a.provider_id, a.scope()) {
            (Some(Role::Provider), Some(p), _) => {
                self.store.programmes(None).await?.into_iter().filter(|x| x.provider_id == Some(p)).collect()
            }
            (Some(r), _, Scope::City) if r.is_staff() => self.store.programmes(None).await?,
            (Some(r), _, Scope::District(d)) if r.is_staff() => self.store.programmes(Some(&d)).await?,
            _ => Vec::new(),
        })
    }

    /// Where a new class goes and who runs it: a provider runs its own anywhere; staff place
    /// one in a district they cover. Returns the provider running it, if any.
    pub fn programme_placement(&self, ctx: &Ctx, district: &str) -> CoreResult<Option<Uuid>> {
        match (ctx.actor.role, ctx.actor.provider_id) {
            (Some(Role::Provider), Some(p)) => Ok(Some(p)),
            (Some(Role::Provider), None) => Err(CoreError::Forbidden),
            _ => may_place(ctx, district).map(|()| None),
        }
    }

    /// A vacancy as a page shows it: open ones to everyone; a closed, filled or expired one
    /// only to whoever manages it (its employer, staff of its district).
    pub async fn vacancy_visible(&self, ctx: &Ctx, id: Uuid) -> CoreResult<(Vacancy, bool)> {
        let v = self.store.vacancy_by_id(id).await?;
        if v.status_on(ctx.today) == VacancyStatus::Open {
            let manages = self.vacancy_managed(ctx, id).await.is_ok();
            return Ok((v, manages));
        }
        Ok((self.vacancy_managed(ctx, id).await?, true))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::Actor;

    fn ctx(role: Option<Role>, district: Option<&str>) -> Ctx {
        let actor = Actor {
            role,
            district: district.map(str::to_string),
            person_id: Some(Uuid::from_u128(1)),
            employer_id: Some(Uuid::from_u128(2)),
            provider_id: Some(Uuid::from_u128(3)),
            ..Actor::default()
        };
        Ctx::new(actor, Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).single().unwrap_or_default())
    }

    fn code<T: std::fmt::Debug>(r: CoreResult<T>) -> String {
        match r {
            Ok(v) => format!("ok {v:?}"),
            Err(CoreError::Invalid(e)) => {
                format!(
                    "invalid {}",
                    e.iter().map(|e| e.field.clone().unwrap_or_default()).collect::<Vec<_>>().join(",")
                )
            }
            Err(e) => format!("{e}"),
        }
    }

    /// District staff see their own district whatever they ask; the city what it asks (checked);
    /// providers and citizens have no staff lists.
    #[test]
    fn list_district_table() {
        // (role, the actor's district, the district asked for, what the list shows)
        type Case<'a> = (Option<Role>, Option<&'a str>, Option<&'a str>, &'a str);
        let cases: [Case; 9] = [
            (Some(Role::Caseworker), Some("350203"), None, "ok Some(\"350203\")"),
            (Some(Role::Caseworker), Some("350203"), Some("350206"), "ok Some(\"350203\")"),
            (Some(Role::DistrictAdmin), Some("350206"), Some(""), "ok Some(\"350206\")"),
            (Some(Role::CityAdmin), None, None, "ok None"),
            (Some(Role::CityAdmin), None, Some(" 350211 "), "ok Some(\"350211\")"),
            (Some(Role::CityAdmin), None, Some("110101"), "invalid district"),
            (Some(Role::Provider), None, None, "forbidden"),
            (Some(Role::Seeker), None, None, "forbidden"),
            (None, None, None, "forbidden"),
        ];
        for (role, district, asked, want) in cases {
            let got = code(list_district(&ctx(role, district), asked));
            assert_eq!(got, want, "{role:?} {district:?} asked {asked:?}");
        }
    }

    #[test]
    fn claims_lists_and_placement_table() {
        assert_eq!(
            claims_list(&ctx(Some(Role::Caseworker), Some("350203")), Some("350206")).ok(),
            Some(ClaimsOf::District(Some("350203".into())))
        );
        assert_eq!(claims_list(&ctx(Some(Role::CityAdmin), None), None).ok(), Some(ClaimsOf::District(None)));
        assert_eq!(
            claims_list(&ctx(Some(Role::Seeker), None), None).ok(),
            Some(ClaimsOf::Claimant(Uuid::from_u128(1)))
        );
        assert_eq!(
            claims_list(&ctx(Some(Role::Employer), None), None).ok(),
            Some(ClaimsOf::Claimant(Uuid::from_u128(2)))
        );
        assert_eq!(
            claims_list(&ctx(Some(Role::Provider), None), None).ok(),
            Some(ClaimsOf::Claimant(Uuid::from_u128(3)))
        );
        assert!(claims_list(&ctx(None, None), None).is_err());

        assert!(may_place(&ctx(Some(Role::Caseworker), Some("350203")), "350203").is_ok());
        assert!(may_place(&ctx(Some(Role::Caseworker), Some("350203")), "350206").is_err());
        assert!(may_place(&ctx(Some(Role::CityAdmin), None), "350206").is_ok());
        assert!(may_place(&ctx(Some(Role::Provider), None), "350206").is_err());
        assert!(may_place(&ctx(Some(Role::Seeker), None), "350206").is_err());

        let dadmin = ctx(Some(Role::DistrictAdmin), Some("350203"));
        assert!(may_open_account(&dadmin, Role::Caseworker, Some("350203")).is_ok());
        assert!(may_open_account(&dadmin, Role::Caseworker, Some("350206")).is_err(), "another district");
        assert!(may_open_account(&dadmin, Role::DistrictAdmin, Some("350203")).is_err(), "not a peer");
        assert!(may_open_account(&ctx(Some(Role::CityAdmin), None), Role::Provider, None).is_ok());
        assert!(
            may_open_account(&ctx(Some(Role::Caseworker), Some("350203")), Role::Caseworker, Some("350203")).is_err()
        );
        assert_eq!(accounts_district(&dadmin, Some("350206")).ok(), Some(Some("350203".into())));
    }
}
