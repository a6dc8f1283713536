//! Scheduled work done once, whichever instances are running: the first to claim a job's
//! period does it.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, TryInsertResult};

use crate::entities::job_run;
use crate::{Store, StoreError};

impl Store {
    /// Claim `job` for `period`: true for the one caller whose claim is inserted, false for
    /// every other (one atomic insert; racing instances never both win, and none fails).
    pub async fn claim_run(&self, job: &str, period: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let row =
            job_run::ActiveModel { job: Set(job.to_string()), period: Set(period.to_string()), claimed_at: Set(at) };
        let done = job_run::Entity::insert(row)
            .on_conflict_do_nothing_on([job_run::Column::Job, job_run::Column::Period])
            .exec_without_returning(self.db())
            .await?;
        Ok(matches!(done, TryInsertResult::Inserted(n) if n > 0))
    }

    /// Forget claims made before `before`.
    pub async fn prune_job_runs(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let gone = job_run::Entity::delete_many().filter(job_run::Column::ClaimedAt.lt(before)).exec(self.db()).await?;
        Ok(gone.rows_affected)
    }
}
