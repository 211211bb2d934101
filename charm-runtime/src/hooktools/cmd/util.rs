//! What the tool families share: running a call and reading its JSON output.

use crate::hooktools::{HookTools, ToolCall, ToolError};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// A relation bag's contents: string keys to string values.
pub type BagData = BTreeMap<String, String>;

/// Parses a tool's JSON output; what it printed is quoted in the error.
pub(super) fn json<T: DeserializeOwned>(call: &ToolCall, out: &str) -> Result<T, ToolError> {
    // Juju 4 may print `null` for empty maps; callers that want maps use `json_map`.
    serde_json::from_str(out.trim()).map_err(|e| ToolError::BadOutput {
        call: call.to_string(),
        output: out.to_string(),
        problem: e.to_string(),
    })
}

/// Parses output that may hold confidential data (secret content, cloud credentials): the
/// error says how much was printed and what was wrong with its shape, never what it was.
pub(super) fn json_confidential<T: DeserializeOwned>(
    call: &ToolCall,
    out: &str,
) -> Result<T, ToolError> {
    serde_json::from_str(out.trim()).map_err(|e| ToolError::BadOutput {
        call: call.to_string(),
        output: format!("<{} bytes, not shown: they may be confidential>", out.len()),
        // serde_json quotes offending values ("invalid type: string \"...\""); its
        // category and position say enough.
        problem: format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ),
    })
}

pub(super) fn json_map<T: DeserializeOwned>(
    call: &ToolCall,
    out: &str,
) -> Result<BTreeMap<String, T>, ToolError> {
    let v: Option<BTreeMap<String, T>> = json(call, out)?;
    Ok(v.unwrap_or_default())
}

pub(super) fn run(
    tools: &mut dyn HookTools,
    call: ToolCall,
) -> Result<(ToolCall, String), ToolError> {
    let out = tools.call(&call)?;
    Ok((call, out))
}

/// Owned strings from string slices, for argv.
pub(super) fn args<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
