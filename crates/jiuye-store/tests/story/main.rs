//! The backend-agnostic story of the store: every test runs on each backend that
//! `jiuye_store::testing::fresh_stores()` offers (SQLite always; PostgreSQL when
//! `JIUYE_TEST_DATABASE_URL` is set — and then it must be reachable, or the test fails).
//!
//! Each assertion names the backend, so a failure says where it happened.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod audit;
mod casework;
mod changes;
mod claims;
mod common;
mod concurrency;
mod employers;
mod gig;
mod kpi;
mod migrate;
mod persons;
mod training;
mod vacancies;
mod vault;
