#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The web crate's one integration-test binary: the app started on port 0 with a fresh
//! database per test, on SQLite and (when `JIUYE_TEST_DATABASE_URL` is set) PostgreSQL.

mod access;
mod accounts;
mod api;
mod casework;
mod catalogue;
mod changes;
mod claimants;
mod claims;
mod e2e;
mod gig;
mod hostile;
mod identities;
mod objects;
mod oversight;
mod pages;
mod security;
mod support;
mod sweep;
mod training;
mod trust;
