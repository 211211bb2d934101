//! Juju's side of the hook tools, in memory (Juju calls its tool server "jujuc").
//!
//! A [`UnitWorld`] is Juju's model as one unit sees it during one hook; a [`HookContext`]
//! holds what the hook has done so far. [`run_tool`] runs one tool invocation (argv as the
//! charm passes it) and answers exactly as Juju's tools do: stdout, exit code (2 for usage
//! errors, 1 for runtime errors) and `ERROR <message>` on stderr. [`Typed`] answers the
//! hot calls as data instead (no argv to parse, no output to print), through the same
//! implementation, recording them as the argv they stand for. Writes that Juju makes
//! transactional (relation data, ports, unit state, secrets) are staged in the
//! [`HookContext`] and applied by [`commit`] only if the hook succeeds; `status-set`,
//! `juju-log`, `action-*` and `application-version-set` take effect at once, as in Juju.
//! A failed hook just does not call [`commit`]: its staged writes are dropped and the
//! statuses it set stay.
//!
//! Reads follow Juju's hook-context cache: this unit's relation bags, the leader's own
//! application bags, unit state and secrets include the hook's staged writes; other bags
//! and `opened-ports` show the committed world. The relation-data access rules
//! (juju-protocol.md §3) are enforced here, on Juju's side: a non-leader reading its own
//! application bag of a non-peer relation gets `permission denied`, and `relation-set
//! --app` needs the leader.

#![warn(missing_docs)]

mod calls;
mod tools;
mod world;

pub use calls::{CallLog, CallRecord, CommandLine};
pub use tools::typed::{reads_as_flag, Invocation, Typed};
pub use tools::{commit, run_tool, ToolOutcome, TOOLS};
pub use world::*;
