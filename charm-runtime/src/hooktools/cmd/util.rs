//! What the tool families share: running a call and reading its JSON output.

use crate::hooktools::{HookTools, Reply, Request, ToolCall, ToolError};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// A relation bag's contents: string keys to string values.
pub type BagData = BTreeMap<String, String>;

/// How much of a tool's output (and of the parser's message about it) an error quotes.
const QUOTED_OUTPUT_BYTES: usize = 200;

/// The first [`QUOTED_OUTPUT_BYTES`] of `text` (at a character boundary), and how long it
/// was when longer.
pub(crate) fn quoted_prefix(text: &str) -> String {
    if text.len() <= QUOTED_OUTPUT_BYTES {
        return text.to_string();
    }
    let mut cut = QUOTED_OUTPUT_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...[{} bytes in all]", &text[..cut], text.len())
}

/// Parses the JSON output of a tool that prints no data a charm or a user put there (ids,
/// names, addresses, leadership): the error quotes a bounded prefix of it.
pub(super) fn json<T: DeserializeOwned>(call: &ToolCall, out: &str) -> Result<T, ToolError> {
    // Juju 4 may print `null` for empty maps; callers that want maps use `json_map`.
    serde_json::from_str(out.trim()).map_err(|e| ToolError::BadOutput {
        call: call.describe(),
        output: quoted_prefix(out),
        problem: quoted_prefix(&e.to_string()),
    })
}

/// Parses output that may hold confidential data (secret content, cloud credentials,
/// config values, action parameters, relation and charm-state data): the error says how
/// much was printed and what was wrong with its shape, never what it was.
pub(super) fn json_confidential<T: DeserializeOwned>(
    call: &ToolCall,
    out: &str,
) -> Result<T, ToolError> {
    serde_json::from_str(out.trim()).map_err(|e| ToolError::BadOutput {
        call: call.describe(),
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

/// A map of data (a relation bag, the charm state), `null` read as empty; confidential.
pub(super) fn json_map<T: DeserializeOwned>(
    call: &ToolCall,
    out: &str,
) -> Result<BTreeMap<String, T>, ToolError> {
    let v: Option<BTreeMap<String, T>> = json_confidential(call, out)?;
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

/// Reads a [`Reply::Done`] (for `ask`): the call succeeded.
pub(super) fn done(reply: Reply) -> Result<(), Reply> {
    match reply {
        Reply::Done => Ok(()),
        other => Err(other),
    }
}

/// Asks `tools` for a typed answer to `request`: `None` if the backend has none (the
/// caller then runs `request.call()`); otherwise the answer, read by `pick` (a reply of the
/// wrong kind, which `pick` hands back, is reported as a backend bug).
pub(super) fn ask<T>(
    tools: &mut dyn HookTools,
    request: &Request<'_>,
    pick: impl FnOnce(Reply) -> Result<T, Reply>,
) -> Option<Result<T, ToolError>> {
    let reply = match tools.answer(request)? {
        Ok(reply) => reply,
        Err(e) => return Some(Err(e)),
    };
    Some(pick(reply).map_err(|other| ToolError::BadOutput {
        call: request.call().describe(),
        output: String::new(),
        problem: format!(
            "the hook-tool backend answered {} to this call",
            other.kind()
        ),
    }))
}
