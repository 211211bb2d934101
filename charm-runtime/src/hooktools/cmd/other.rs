//! `resource-get`, `goal-state`, `credential-get`, `juju-reboot`.

use super::util::{json, json_confidential, run};
use crate::cloud::CloudSpec;
use crate::goal::GoalState;
use crate::hooktools::{HookTools, ToolCall, ToolError};
use std::path::PathBuf;

/// `resource-get <name>`: the local path of a file resource (no `--format`: it prints the
/// bare path).
pub fn resource_get(tools: &mut dyn HookTools, name: &str) -> Result<PathBuf, ToolError> {
    let (call, out) = run(tools, ToolCall::new("resource-get", [name]))?;
    let path = out.trim();
    if path.is_empty() {
        return Err(ToolError::BadOutput {
            call: call.describe(),
            output: super::util::quoted_prefix(&out),
            problem: "no path printed".into(),
        });
    }
    Ok(PathBuf::from(path))
}

/// `goal-state --format=json`.
pub fn goal_state(tools: &mut dyn HookTools) -> Result<GoalState, ToolError> {
    let (call, out) = run(tools, ToolCall::new("goal-state", ["--format=json"]))?;
    let g: Option<GoalState> = json(&call, &out)?;
    Ok(g.unwrap_or_default())
}

/// `credential-get --format=json`: the cloud spec with its credential (output that does
/// not parse is not quoted in the error: it holds the credential).
pub fn credential_get(tools: &mut dyn HookTools) -> Result<CloudSpec, ToolError> {
    let (call, out) = run(tools, ToolCall::new("credential-get", ["--format=json"]))?;
    json_confidential(&call, &out)
}

/// `juju-reboot` (after the hook) or `juju-reboot --now` (Juju kills the hook and runs it
/// again after the reboot).
pub fn juju_reboot(tools: &mut dyn HookTools, now: bool) -> Result<(), ToolError> {
    let args: &[&str] = if now { &["--now"] } else { &[] };
    tools.call(&ToolCall::new("juju-reboot", args.iter().copied()))?;
    Ok(())
}
