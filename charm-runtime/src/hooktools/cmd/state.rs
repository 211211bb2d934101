//! `state-get`, `state-set`, `state-delete`: the unit's state on the controller.

use super::util::{done, json_map, run, BagData};
use crate::hooktools::{ask, HookTools, Reply, Request, ToolCall, ToolError};

/// `state-get --format=json`: the unit's server-side state (`null`, which Juju 4 may
/// print when it is empty, reads as empty).
pub fn state_get(tools: &mut dyn HookTools) -> Result<BagData, ToolError> {
    let call = ToolCall::new("state-get", ["--format=json"]);
    if let Some(bag) = ask(tools, &call, &Request::StateGet, |r| match r {
        Reply::Bag(bag) => Ok(bag),
        other => Err(other),
    }) {
        return bag;
    }
    let (call, out) = run(tools, call)?;
    json_map(&call, &out)
}

/// `state-set --file -` with the values as JSON on stdin, written so that Juju's YAML
/// reader reads every string back unchanged (see `relation_set`).
pub fn state_set(tools: &mut dyn HookTools, values: &BagData) -> Result<(), ToolError> {
    let stdin = crate::json::to_tool_input(values).expect("a map of strings always serializes");
    let call = ToolCall::new("state-set", ["--file", "-"]).with_stdin(stdin);
    if let Some(result) = ask(tools, &call, &Request::StateSet { values }, done) {
        return result;
    }
    tools.call(&call)?;
    Ok(())
}

/// `state-delete <key>`.
pub fn state_delete(tools: &mut dyn HookTools, key: &str) -> Result<(), ToolError> {
    let call = ToolCall::new("state-delete", [key]);
    if let Some(result) = ask(tools, &call, &Request::StateDelete { key }, done) {
        return result;
    }
    tools.call(&call)?;
    Ok(())
}
