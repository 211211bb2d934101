//! `state-get`, `state-set`, `state-delete`: the unit's state on the controller.

use super::util::{ask, done, json_map, run, BagData};
use crate::hooktools::{HookTools, Reply, Request, ToolError};

/// `state-get --format=json`: the unit's server-side state (`null`, which Juju 4 may
/// print when it is empty, reads as empty).
pub fn state_get(tools: &mut dyn HookTools) -> Result<BagData, ToolError> {
    let request = Request::StateGet;
    if let Some(bag) = ask(tools, &request, |r| match r {
        Reply::Bag(bag) => Ok(bag),
        other => Err(other),
    }) {
        return bag;
    }
    let (call, out) = run(tools, request.call())?;
    json_map(&call, &out)
}

/// `state-set --file -` with the values as JSON on stdin, written so that Juju's YAML
/// reader reads every string back unchanged (see `relation_set`).
pub fn state_set(tools: &mut dyn HookTools, values: &BagData) -> Result<(), ToolError> {
    let request = Request::StateSet { values };
    if let Some(result) = ask(tools, &request, done) {
        return result;
    }
    tools.call(&request.call())?;
    Ok(())
}

/// `state-delete <key>`.
pub fn state_delete(tools: &mut dyn HookTools, key: &str) -> Result<(), ToolError> {
    let request = Request::StateDelete { key };
    if let Some(result) = ask(tools, &request, done) {
        return result;
    }
    tools.call(&request.call())?;
    Ok(())
}
