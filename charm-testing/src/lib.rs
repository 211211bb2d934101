//! # charm-testing
//!
//! Test charms without Juju.
//!
//! - [`jujuc`]: Juju's side of the hook tools, in memory: what each tool prints, its exit
//!   code and `ERROR` message, relation-data access rules, and commit-on-success. The
//!   state-transition harness and the `cargo charm sim` simulator both run on it.
#![doc = include_str!("harness/crate-doc.md")]
#![warn(missing_docs)]

pub mod harness;
pub mod jujuc;

pub use harness::{
    CheckInfo, Container, Context, Event, Exec, Failure, Inconsistency, Layer, LogLine, Network,
    Notice, Output, Relation, RelationKind, RunError, Secret, SecretOwner, ServiceStatus, State,
    StateBuilder, Storage, WorkloadStatus,
};
