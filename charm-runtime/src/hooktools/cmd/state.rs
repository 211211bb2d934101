//! `state-get`, `state-set`, `state-delete`: the unit's state on the controller.

use super::util::{json_map, run, BagData};
use crate::hooktools::{HookTools, ToolCall, ToolError};

/// `state-get --format=json`: the unit's server-side state (`null`, which Juju 4 may
/// print when it is empty, reads as empty).
pub fn state_get(tools: &mut dyn HookTools) -> Result<BagData, ToolError> {
    let (call, out) = run(tools, ToolCall::new("state-get", ["--format=json"]))?;
    json_map(&call, &out)
}

/// `state-set --file -` with the values as JSON on stdin, written so that Juju's YAML
/// reader reads every string back unchanged (see `relation_set`).
pub fn state_set(tools: &mut dyn HookTools, values: &BagData) -> Result<(), ToolError> {
    let stdin = crate::json::to_tool_input(values).expect("a map of strings always serializes");
    tools.call(&ToolCall::new("state-set", ["--file", "-"]).with_stdin(stdin))?;
    Ok(())
}

/// `state-delete <key>`.
pub fn state_delete(tools: &mut dyn HookTools, key: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("state-delete", [key]))?;
    Ok(())
}
