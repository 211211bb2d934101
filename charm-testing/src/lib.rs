//! # charm-testing
//!
//! Test charms without Juju.
//!
//! - [`jujuc`]: Juju's side of the hook tools, in memory: what each tool prints, its exit
//!   code and `ERROR` message, relation-data access rules, and commit-on-success. The
//!   state-transition harness and the `cargo charm sim` simulator both run on it.

#![warn(missing_docs)]

pub mod harness;
pub mod jujuc;
