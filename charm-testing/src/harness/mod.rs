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
//! Containers are modelled fully (Pebble reachability, layers and plan, service statuses,
//! files, exec answers, notices, checks), checked against the metadata and carried through
//! a run unchanged: the runtime has no Pebble client yet, so [`Output::pebble_calls`] is
//! always empty until it has one.
//!
//! A complete test is in the [crate documentation](crate).

pub mod check;
mod context;
mod event;
mod state;

pub use check::Inconsistency;
pub use context::{Context, Failure, LogLine, Output, PebbleCall, RunError, DEFAULT_JUJU_VERSION};
pub use event::{Event, IntoParams};
pub use state::{
    default_network_info, default_unit_bag, next_relation_id, BagData, CheckInfo, Container, Exec,
    Layer, Network, Notice, Relation, RelationKind, Secret, SecretOwner, ServiceStatus, State,
    StateBuilder, Storage, WorkloadStatus, DEFAULT_ADDRESS,
};

#[cfg(test)]
mod tests;
