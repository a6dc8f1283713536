//! Who acts: an account (with its role and what it belongs to) or the system (batch runs,
//! the command line). Built once at the edge from the session; carried into every use case.

use uuid::Uuid;

use jiuye_domain::roles::{Permission, Role, Scope, allows};
use jiuye_store::{Account, AuditEntry};

use crate::error::{CoreError, CoreResult};

#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub account: Option<Uuid>,
    pub role: Option<Role>,
    /// District-scoped staff: their district.
    pub district: Option<String>,
    /// A seeker's own person record.
    pub person_id: Option<Uuid>,
    /// An employer account's organisation.
    pub employer_id: Option<Uuid>,
    /// A provider account's organisation.
    pub provider_id: Option<Uuid>,
    /// A lead unit's id (a lead-unit account's organisation).
    pub unit: Option<String>,
    pub ip: Option<String>,
    /// The platform itself (scheduled batches, the command line): acts city-wide and its
    /// audit rows name no account.
    pub system: bool,
}

impl Actor {
    pub fn of_account(a: &Account, ip: Option<String>) -> Actor {
        Actor {
            account: Some(a.id),
            role: Some(a.role),
            district: a.district.clone(),
            person_id: a.person_id,
            employer_id: a.employer_id,
            provider_id: a.organisation.as_deref().and_then(|o| Uuid::parse_str(o).ok()),
            unit: if a.role == Role::LeadUnit { a.organisation.clone() } else { None },
            ip,
            system: false,
        }
    }

    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor { ip, ..Actor::default() }
    }

    /// The platform acting on its own (batch, command line): city-wide, no account.
    pub fn system() -> Actor {
        Actor { role: Some(Role::CityAdmin), system: true, ..Actor::default() }
    }

    pub fn scope(&self) -> Scope {
        match self.role {
            Some(r) => Scope::of(r, self.district.as_deref()),
            None => Scope::None,
        }
    }

    pub fn may(&self, p: Permission) -> bool {
        p == Permission::Public || self.role.is_some_and(|r| allows(r, p))
    }

    /// Refuse unless the permission is held: unauthenticated when nobody acts, else forbidden.
    pub fn require(&self, p: Permission) -> CoreResult<()> {
        match self.role {
            _ if p == Permission::Public => Ok(()),
            Some(r) if allows(r, p) => Ok(()),
            Some(_) => Err(CoreError::Forbidden),
            None => Err(CoreError::Unauthenticated),
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_some_and(Role::is_staff)
    }

    pub fn audit(&self) -> AuditEntry {
        AuditEntry { actor_account: self.account, actor_role: self.role, ip: self.ip.clone() }
    }
}
