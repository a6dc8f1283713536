//! The one definition of every table, shared by SQLite and PostgreSQL.
//! Codes are stored as their canonical strings; lists as JSON; times as UTC.

pub mod account;
pub mod application;
pub mod application_event;
pub mod audit;
pub mod employer;
pub mod employment;
pub mod person;
pub mod session;
pub mod vacancy;
