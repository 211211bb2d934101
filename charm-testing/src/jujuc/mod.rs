//! Juju's side of the hook tools, in memory (Juju calls its tool server "jujuc").
//!
//! A [`UnitWorld`] is Juju's model as one unit sees it during one hook; a [`HookContext`]
//! holds what the hook has done so far. [`run_tool`] runs one tool invocation (argv as the
//! charm passes it) and answers exactly as Juju's tools do: stdout, exit code (2 for usage
//! errors, 1 for runtime errors) and `ERROR <message>` on stderr. Writes that Juju makes
//! transactional (relation data, ports, unit state, secrets) are staged in the
//! [`HookContext`] and applied by [`commit`] only if the hook succeeds; `status-set`,
//! `juju-log`, `action-*` and `application-version-set` take effect at once, as in Juju.

mod tools;
mod world;

pub use tools::{commit, run_tool, MemoryTools, ToolOutcome};
pub use world::*;
