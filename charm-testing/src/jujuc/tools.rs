//! The tools. (Being written.)

use super::world::{HookContext, UnitWorld};
use charm_runtime::hooktools::{HookTools, ToolCall, ToolError};

/// What a tool invocation printed and how it exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolOutcome {
    /// Stdout.
    pub stdout: String,
    /// Stderr (`ERROR <message>\n` on failure).
    pub stderr: String,
    /// Exit code: 0, 1 (runtime error) or 2 (usage error).
    pub code: i32,
}

/// Runs one tool as Juju would: `tool` is the tool name, `args` its argv after the name.
pub fn run_tool(
    world: &mut UnitWorld,
    hook: &mut HookContext,
    tool: &str,
    args: &[String],
    stdin: Option<&str>,
) -> ToolOutcome {
    let _ = (world, hook, args, stdin);
    ToolOutcome {
        stdout: String::new(),
        stderr: format!("ERROR {tool} is not implemented yet\n"),
        code: 1,
    }
}

/// Applies a successful hook's staged writes to the world.
pub fn commit(world: &mut UnitWorld, hook: &HookContext) {
    let _ = (world, hook);
}

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
        let out = run_tool(self.world, self.hook, call.tool, &call.args, call.stdin.as_deref());
        if out.code == 0 {
            Ok(out.stdout)
        } else {
            Err(ToolError::from_exit(call, out.code, &out.stderr))
        }
    }
}
