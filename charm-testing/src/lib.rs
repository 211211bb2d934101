//! # charm-testing
//!
//! Test charms without Juju.
//!
//! The in-memory Juju the harness runs on is the [`jujuc`] crate (Juju's side of the hook
//! tools, shared with `cargo charm sim`); [`MemoryTools`] adapts it to charm-runtime's
//! `HookTools`. Containers run on the [`pebbled`] crate (Pebble's side, shared with the
//! simulator too), which the runtime's Pebble client reaches over a socket pair.
#![doc = include_str!("harness/crate-doc.md")]
#![warn(missing_docs)]

pub mod harness;
mod memory;

pub use memory::MemoryTools;

pub use harness::{
    CheckInfo, CheckLevel, CheckStatus, Container, Context, Event, Failure, Inconsistency, Layer,
    LogLine, Network, Notice, Output, PebbleCall, PushedFile, Relation, RelationKind, RunError,
    Secret, SecretOwner, ServiceStatus, State, StateBuilder, Storage, WorkloadStatus,
    MAX_BODY_SUMMARY,
};
