//! Training programmes, enrolment (within capacity), assessment, certificates — and the figures
//! computed from them: the certificate rate after training (附件2 target 90%) and a
//! programme's facts for its training-subsidy claim.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::training::{CertificateKind, CertificateLevel, TrainingKind};

use crate::audit::{AuditEntry, Event};
use crate::entities::{certificate, enrolment, person, programme};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub provider_id: Option<Uuid>,
    pub occupation: Option<String>,
    pub district: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub cost_per_trainee_fen: i64,
}

#[derive(Debug, Clone)]
pub struct NewProgramme {
    pub kind: TrainingKind,
    pub name: String,
    pub provider_id: Option<Uuid>,
    pub occupation: Option<String>,
    pub district: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub cost_per_trainee_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enrolment {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub person_id: Uuid,
    pub status: String,
    pub attendance_hours: i32,
    pub assessed_on: Option<NaiveDate>,
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub id: Uuid,
    pub person_id: Uuid,
    pub enrolment_id: Option<Uuid>,
    pub kind: String,
    pub level: String,
    pub occupation: Option<String>,
    pub number: String,
    pub issued_on: NaiveDate,
}

/// What a programme's records say, for its report and its training-subsidy claim.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProgrammeFigures {
    pub enrolled: u64,
    pub completed: u64,
    pub passed: u64,
    /// Completed trainees who hold a certificate from it.
    pub certified: u64,
}

fn to_programme(m: programme::Model) -> Programme {
    Programme {
        id: m.id,
        kind: m.kind,
        name: m.name,
        provider_id: m.provider_id,
        occupation: m.occupation,
        district: m.district,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        capacity: m.capacity,
        cost_per_trainee_fen: m.cost_per_trainee_fen,
    }
}

fn to_enrolment(m: enrolment::Model) -> Enrolment {
    Enrolment {
        id: m.id,
        programme_id: m.programme_id,
        person_id: m.person_id,
        status: m.status,
        attendance_hours: m.attendance_hours,
        assessed_on: m.assessed_on,
        passed: m.passed,
    }
}

fn to_certificate(m: certificate::Model) -> Certificate {
    Certificate {
        id: m.id,
        person_id: m.person_id,
        enrolment_id: m.enrolment_id,
        kind: m.kind,
        level: m.level,
        occupation: m.occupation,
        number: m.number,
        issued_on: m.issued_on,
    }
}

/// The most places a class may have.
pub const MAX_CAPACITY: i32 = 10_000;
/// The most a class may cost per trainee, in fen (10万元).
pub const MAX_COST_FEN: i64 = 10_000_000;

impl Store {
    pub async fn create_programme(
        &self,
        new: &NewProgramme,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Programme, StoreError> {
        if new.ends_on < new.starts_on {
            return Err(StoreError::Refused(CodeError::new("input.date_order").field("ends_on")));
        }
        if !(1..=MAX_CAPACITY).contains(&new.capacity) {
            return Err(StoreError::Refused(
                CodeError::new("input.range").field("capacity").arg("min", "1").arg("max", MAX_CAPACITY.to_string()),
            ));
        }
        // A class costs at most 10万元 a trainee: anything above is a typing error, not a class.
        if !(0..=MAX_COST_FEN).contains(&new.cost_per_trainee_fen) {
            return Err(StoreError::Refused(
                CodeError::new("input.range")
                    .field("cost_per_trainee_fen")
                    .arg("min", "0")
                    .arg("max", MAX_COST_FEN.to_string()),
            ));
        }
        // Classes run within the platform's years, and last at most three years.
        let latest = new.starts_on.checked_add_months(chrono::Months::new(36)).unwrap_or(new.starts_on);
        if new.starts_on < jiuye_domain::time::PLATFORM_FROM || new.ends_on > latest {
            return Err(StoreError::Refused(
                CodeError::new("input.date_range")
                    .field(if new.starts_on < jiuye_domain::time::PLATFORM_FROM { "starts_on" } else { "ends_on" })
                    .arg("from", jiuye_domain::time::PLATFORM_FROM.to_string())
                    .arg("to", latest.to_string()),
            ));
        }
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let m = programme::ActiveModel {
            id: Set(id),
            kind: Set(new.kind.as_str().into()),
            name: Set(new.name.clone()),
            provider_id: Set(new.provider_id),
            occupation: Set(new.occupation.clone()),
            district: Set(new.district.clone()),
            starts_on: Set(new.starts_on),
            ends_on: Set(new.ends_on),
            capacity: Set(new.capacity),
            cost_per_trainee_fen: Set(new.cost_per_trainee_fen),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "training.programme",
            target_kind: Some("programme"),
            target_id: Some(id),
            district: Some(&new.district),
            detail: serde_json::json!({ "kind": new.kind.as_str(), "capacity": new.capacity }),
        })
        .await?;
        Ok(to_programme(m))
    }

    pub async fn programme_by_id(&self, id: Uuid) -> Result<Programme, StoreError> {
        Ok(to_programme(programme::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?))
    }

    pub async fn programmes(&self, district: Option<&str>) -> Result<Vec<Programme>, StoreError> {
        let mut q = programme::Entity::find();
        if let Some(d) = district {
            q = q.filter(programme::Column::District.eq(d));
        }
        Ok(q.order_by_desc(programme::Column::Id).all(self.db()).await?.into_iter().map(to_programme).collect())
    }

    /// Enrol a person, within the programme's capacity (checked in the same transaction).
    pub async fn enrol(
        &self,
        programme_id: Uuid,
        person_id: Uuid,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Enrolment, StoreError> {
        let txn = self.write(who, at).await?;
        // The programme row is locked for the transaction (PostgreSQL: FOR UPDATE; SQLite takes
        // one writer at a time), so concurrent enrolments count the places one after another.
        let p = programme::Entity::find_by_id(programme_id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let taken = enrolment::Entity::find()
            .filter(enrolment::Column::ProgrammeId.eq(programme_id))
            .filter(enrolment::Column::Status.ne("dropped"))
            .count(&txn)
            .await?;
        if taken >= u64::try_from(p.capacity).unwrap_or(0) {
            return Err(StoreError::Refused(
                CodeError::new("training.full").field("programme_id").arg("capacity", p.capacity.to_string()),
            ));
        }
        let m = enrolment::ActiveModel {
            id: Set(new_id(at)),
            programme_id: Set(programme_id),
            person_id: Set(person_id),
            programme_person: Set(format!("{programme_id}:{person_id}")),
            status: Set("enrolled".into()),
            attendance_hours: Set(0),
            assessed_on: Set(None),
            passed: Set(None),
            created_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "enrolment"))?;
        txn.commit(Event {
            action: "training.enrol",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(&p.district),
            detail: serde_json::json!({ "programme_id": programme_id }),
        })
        .await?;
        Ok(to_enrolment(m))
    }

    /// Record the assessment: attendance and pass or fail; the enrolment is then completed.
    pub async fn assess(
        &self,
        enrolment_id: Uuid,
        attendance_hours: i32,
        passed: bool,
        on: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Enrolment, StoreError> {
        let txn = self.write(who, at).await?;
        let e = enrolment::Entity::find_by_id(enrolment_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let person_id = e.person_id;
        let mut am = e.into_active_model();
        am.attendance_hours = Set(attendance_hours.max(0));
        am.passed = Set(Some(passed));
        am.assessed_on = Set(Some(on));
        am.status = Set("completed".into());
        let m = am.update(&txn).await?;
        txn.commit(Event {
            action: "training.assess",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: None,
            detail: serde_json::json!({ "enrolment_id": enrolment_id, "passed": passed }),
        })
        .await?;
        Ok(to_enrolment(m))
    }

    /// Issue a certificate for a passed enrolment (or, without one, a certificate obtained elsewhere).
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_certificate(
        &self,
        person_id: Uuid,
        enrolment_id: Option<Uuid>,
        kind: CertificateKind,
        level: CertificateLevel,
        occupation: Option<String>,
        number: &str,
        issued_on: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Certificate, StoreError> {
        let txn = self.write(who, at).await?;
        person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if let Some(eid) = enrolment_id {
            let e = enrolment::Entity::find_by_id(eid).one(&txn).await?.ok_or(StoreError::NotFound)?;
            if e.person_id != person_id || e.passed != Some(true) {
                return Err(StoreError::Refused(CodeError::new("training.not_completed").field("enrolment_id")));
            }
        }
        let m = certificate::ActiveModel {
            id: Set(new_id(at)),
            person_id: Set(person_id),
            enrolment_id: Set(enrolment_id),
            kind: Set(kind.as_str().into()),
            level: Set(level.as_str().into()),
            occupation: Set(occupation),
            number: Set(number.to_string()),
            issued_on: Set(issued_on),
            created_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "certificate"))?;
        txn.commit(Event {
            action: "training.certificate",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: None,
            detail: serde_json::json!({ "kind": kind.as_str(), "level": level.as_str() }),
        })
        .await?;
        Ok(to_certificate(m))
    }

    pub async fn enrolments_of_person(&self, person_id: Uuid) -> Result<Vec<Enrolment>, StoreError> {
        Ok(enrolment::Entity::find()
            .filter(enrolment::Column::PersonId.eq(person_id))
            .order_by_desc(enrolment::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_enrolment)
            .collect())
    }

    pub async fn certificates_of_person(&self, person_id: Uuid) -> Result<Vec<Certificate>, StoreError> {
        Ok(certificate::Entity::find()
            .filter(certificate::Column::PersonId.eq(person_id))
            .order_by_desc(certificate::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_certificate)
            .collect())
    }

    /// A programme's trainees in the order they enrolled.
    pub async fn enrolments_of_programme(&self, programme_id: Uuid) -> Result<Vec<Enrolment>, StoreError> {
        Ok(enrolment::Entity::find()
            .filter(enrolment::Column::ProgrammeId.eq(programme_id))
            .order_by_asc(enrolment::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_enrolment)
            .collect())
    }

    /// Certificates issued for these enrolments.
    pub async fn certificates_of_enrolments(&self, ids: &[Uuid]) -> Result<Vec<Certificate>, StoreError> {
        Ok(certificate::Entity::find()
            .filter(certificate::Column::EnrolmentId.is_in(ids.to_vec()))
            .all(self.db())
            .await?
            .into_iter()
            .map(to_certificate)
            .collect())
    }

    pub async fn certificate_by_id(&self, id: Uuid) -> Result<Certificate, StoreError> {
        Ok(to_certificate(certificate::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?))
    }

    pub async fn enrolment_by_id(&self, id: Uuid) -> Result<Enrolment, StoreError> {
        Ok(to_enrolment(enrolment::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?))
    }

    /// Enrolled, completed, passed and certified trainees of some programmes (all when `ids` is None).
    pub async fn programme_figures(&self, ids: Option<&[Uuid]>) -> Result<ProgrammeFigures, StoreError> {
        let mut q = enrolment::Entity::find();
        if let Some(ids) = ids {
            q = q.filter(enrolment::Column::ProgrammeId.is_in(ids.to_vec()));
        }
        let rows = q.all(self.db()).await?;
        let enrolment_ids: Vec<Uuid> = rows.iter().filter(|e| e.status == "completed").map(|e| e.id).collect();
        let certified_enrolments: std::collections::HashSet<Uuid> = certificate::Entity::find()
            .filter(certificate::Column::EnrolmentId.is_in(enrolment_ids.clone()))
            .all(self.db())
            .await?
            .into_iter()
            .filter_map(|c| c.enrolment_id)
            .collect();
        Ok(ProgrammeFigures {
            enrolled: rows.iter().filter(|e| e.status != "dropped").count() as u64,
            completed: enrolment_ids.len() as u64,
            passed: rows.iter().filter(|e| e.passed == Some(true)).count() as u64,
            certified: certified_enrolments.len() as u64,
        })
    }
}
