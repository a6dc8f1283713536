//! The core records: persons, employers, vacancies, and the rules a draft must meet.
//!
//! Drafts are what an edge collects from a form or JSON body, already parsed into newtypes;
//! `check` applies the cross-field rules and reports every problem, each naming its field.

pub mod application;
pub mod employer;
pub mod pay;
pub mod person;
pub mod text;
pub mod vacancy;

pub use application::{ApplicationActor, ApplicationStatus};
pub use employer::{Employer, EmployerDraft, EmployerSize};
pub use pay::{Pay, PayUnit};
pub use person::{Certificate, EmploymentStatus, Person, PersonChanges, PersonDraft};
pub use vacancy::{Vacancy, VacancyDraft, VacancyKind, VacancyStatus, public_welfare_eligible};
