//! [`MemoryTools`]: charm-runtime's [`HookTools`] answered by [`jujuc`], in memory.
//!
//! It lives here, not in `jujuc`, so that Juju's side depends on nothing of the charm's
//! side: `jujuc` knows argv and worlds, `charm-runtime` knows the trait, and this adapter
//! joins them for the state-transition harness.

use charm_runtime::hooktools::{HookTools, ToolCall, ToolError};
use jujuc::{run_tool, HookContext, UnitWorld};

#[cfg(test)]
mod tests;

/// A [`HookTools`] backend over a world and a hook context, for running a charm's dispatch
/// in memory.
pub struct MemoryTools<'a> {
    /// The world.
    pub world: &'a mut UnitWorld,
    /// The hook.
    pub hook: &'a mut HookContext,
}

impl HookTools for MemoryTools<'_> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        let out = run_tool(
            self.world,
            self.hook,
            call.tool,
            &call.args,
            call.stdin.as_deref(),
        );
        if out.code == 0 {
            Ok(out.stdout)
        } else {
            Err(ToolError::from_exit(call, out.code, &out.stderr))
        }
    }
}
