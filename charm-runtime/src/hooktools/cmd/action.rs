//! `action-get`, `action-set`, `action-log`, `action-fail`.

use super::util::{json_confidential, run};
use crate::hooktools::{HookTools, ToolCall, ToolError};
use std::collections::BTreeMap;

/// `action-get --format=json`: the action's parameters (Juju fills schema defaults).
pub fn action_get(
    tools: &mut dyn HookTools,
) -> Result<serde_json::Map<String, serde_json::Value>, ToolError> {
    let (call, out) = run(tools, ToolCall::new("action-get", ["--format=json"]))?;
    let m: Option<serde_json::Map<String, serde_json::Value>> = json_confidential(&call, &out)?;
    Ok(m.unwrap_or_default())
}

/// `action-set k1=v1 k2.sub=v2 ...`: one argv item per pair, keys dotted for nesting (the
/// caller flattens and checks them). Messages show `k=<redacted>`: results may be
/// confidential (ops redacts them the same way).
pub fn action_set(
    tools: &mut dyn HookTools,
    results: &BTreeMap<String, String>,
) -> Result<(), ToolError> {
    let args: Vec<String> = results.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let shown: Vec<String> = results.keys().map(|k| format!("{k}=<redacted>")).collect();
    tools.call(&ToolCall::new("action-set", args).redacted(shown))?;
    Ok(())
}

/// `action-log -- <message>` (shown as `action-log -- <redacted>`, as ops does).
pub fn action_log(tools: &mut dyn HookTools, message: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("action-log", ["--", message]).redacted(["--", "<redacted>"]))?;
    Ok(())
}

/// `action-fail -- <message>`.
pub fn action_fail(tools: &mut dyn HookTools, message: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("action-fail", ["--", message]))?;
    Ok(())
}
