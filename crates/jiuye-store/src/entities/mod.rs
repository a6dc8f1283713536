//! The one definition of every table, shared by SQLite and PostgreSQL.
//! Codes are stored as their canonical strings; lists as JSON; times as UTC.

pub mod account;
pub mod activation_code;
pub mod application;
pub mod application_event;
pub mod audit;
pub mod budget_allocation;
pub mod certificate;
pub mod change;
pub mod claim;
pub mod claim_event;
pub mod contact;
pub mod contract;
pub mod contract_person;
pub mod employer;
pub mod employment;
pub mod enrolment;
pub mod household;
pub mod household_flag;
pub mod household_member;
pub mod identity_alias;
pub mod inbox;
pub mod login_attempt;
pub mod person;
pub mod programme;
pub mod provider;
pub mod publication;
pub mod rating;
pub mod recognition;
pub mod registration_event;
pub mod saved_vacancy;
pub mod service;
pub mod session;
pub mod setting;
pub mod unemployment_registration;
pub mod vacancy;
