//! `open-port`, `close-port`, `opened-ports`.

use super::util::{json, run};
use crate::hooktools::{HookTools, ToolCall, ToolError};
use crate::port::Port;

/// `open-port <port>/<protocol>` (or `open-port icmp`).
pub fn open_port(tools: &mut dyn HookTools, port: &Port) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("open-port", [port.to_string()]))?;
    Ok(())
}

/// `close-port <port>/<protocol>`.
pub fn close_port(tools: &mut dyn HookTools, port: &Port) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("close-port", [port.to_string()]))?;
    Ok(())
}

/// `opened-ports --format=json`.
pub fn opened_ports(tools: &mut dyn HookTools) -> Result<Vec<Port>, ToolError> {
    let (call, out) = run(tools, ToolCall::new("opened-ports", ["--format=json"]))?;
    let items: Option<Vec<String>> = json(&call, &out)?;
    items
        .unwrap_or_default()
        .iter()
        .map(|s| {
            s.parse().map_err(|problem: String| ToolError::BadOutput {
                call: call.describe(),
                output: super::util::quoted_prefix(&out),
                problem: super::util::quoted_prefix(&problem),
            })
        })
        .collect()
}
