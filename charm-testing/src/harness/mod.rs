//! State-transition tests, `ops.testing` style: build an input [`State`], run one
//! [`Event`] with a [`Context`], assert on the output.
//!
//! - [`Context`] — the charm under test (metadata from `C::metadata()`, no YAML), the unit
//!   (application name, unit number) and the Juju version. [`Context::run`] runs the
//!   runtime's own `charm_runtime::dispatch` — routing, cached reads, access rules,
//!   collect-status, commit on success — against the in-memory Juju of [`jujuc`].
//! - [`State`] — leader, config, relations (regular, peer, subordinate) with all their
//!   bags, containers, secrets, opened ports, storage, networks, resources, statuses,
//!   workload version, model, planned units. Immutable; built with [`State::builder`].
//! - [`Event`] — one constructor per hook kind, taking what the hook is about.
//! - [`Output`] — the output state plus side channels: `juju-log` lines with levels, status
//!   and workload version histories, action results, logs and failure, the hook-tool calls
//!   (argv, exit code, stderr) and the Pebble calls.
//! - [`RunError`] — an input Juju could never produce ([`Inconsistency`], see
//!   [`check`] for the rules), or a charm failure ([`Failure`]: the charm's error and the
//!   output of the failed hook, where nothing staged was committed).
//!
//! Containers are served by Pebble itself: during a run each container that can connect
//! is one in-memory instance of `pebbled` (the Pebble `cargo charm sim` serves, so plan
//! merging and service semantics are Pebble's), reached by the runtime's real client over a
//! socket pair. The output state holds the layers, plan, service and check states and
//! notices after the event, and the files (mounted host paths are written back);
//! [`Output::pebble_calls`] records every request. A container that cannot connect makes
//! the client's requests fail with its cannot-connect error. `exec` is not supported by the
//! runtime's client yet, so the state has no exec answers.
//!
//! A complete test is in the [crate documentation](crate).

pub mod check;
mod context;
mod env;
mod event;
mod pebble;
mod state;
mod tools;

/// The Pebble types the container state is made of, from the runtime's client.
pub use charm_runtime::pebble::{CheckLevel, CheckStatus, Layer, ServiceStatus};
pub use check::Inconsistency;
pub use context::{Context, Failure, LogLine, Output, RunError, DEFAULT_JUJU_VERSION};
pub use event::{Event, IntoParams};
pub use pebble::{PebbleCall, PushedFile, MAX_BODY_SUMMARY};
pub use state::{
    default_network_info, default_unit_bag, next_relation_id, BagData, CheckInfo, Container,
    Network, Notice, Relation, RelationKind, Secret, SecretOwner, State, StateBuilder, Storage,
    WorkloadStatus, DEFAULT_ADDRESS,
};

#[cfg(test)]
mod tests;
